/**
 * Language-neutral helpers for the values the analysis pass approximates: paths written with markers
 * (`{here}` the file's own directory, `~` home, `{cwd}`, `{tmp}`, `*` unknown), escape-heavy literals, sets.
 */

const MARKERS = new Set(['{here}', '~', '{cwd}', '{tmp}', '*']);

/**
 * Joins path pieces as `path.join` (or `path.resolve` / pathlib's `/`, where a later absolute piece starts
 * over), then normalizes `.` and `..` where the segment before is known.
 */
export function joinPaths(parts: readonly string[], resolve: boolean): string {
  let joined = '';
  for (const part of parts) {
    if (part === '') continue;
    const absolute = part.startsWith('/') || part === '~' || part.startsWith('~/') || /^\{(?:here|cwd|tmp)\}/.test(part) || /^[A-Za-z]:[\\/]/.test(part);
    if (resolve && absolute) joined = part;
    else joined = joined === '' ? part : `${joined}/${part}`;
  }
  return normalizePath(joined);
}

export function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    const previous = out[out.length - 1];
    if (segment === '..' && previous !== undefined && previous !== '..' && !MARKERS.has(previous)) out.pop();
    else out.push(segment);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined === '' ? '.' : joined;
}

/** The directory of an approximated path: `{here}/*` gives `{here}`. */
export function dirnameOf(path: string): string {
  const slash = path.lastIndexOf('/');
  if (slash > 0) return path.slice(0, slash);
  if (slash === 0) return '/';
  return MARKERS.has(path) && path !== '*' ? `${path}/..` : '*';
}

/**
 * Resolves an approximation starting with `{here}` against the directory of the file that wrote it, to a
 * bundle-relative path; null when it is not inside the bundle or has unknown pieces.
 */
export function resolveBundlePath(fileDirectory: string, approximation: string): string | null {
  if (!approximation.startsWith('{here}')) return null;
  const rest = approximation.slice('{here}'.length);
  if (rest !== '' && !rest.startsWith('/')) return null;
  const segments = fileDirectory === '' ? [] : fileDirectory.split('/');
  for (const segment of rest.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return null;
      segments.pop();
    } else if (segment.includes('*') || segment.startsWith('{') || segment === '~') {
      return null;
    } else {
      segments.push(segment);
    }
  }
  return segments.join('/');
}

/** Escapes that make up a string literal's source: 8 or more, covering at least half of it, hide its content. */
export function isEscapeHeavy(raw: string): boolean {
  let escapes = 0;
  let escapedChars = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw.charCodeAt(i) !== 0x5c) continue;
    const next = raw[i + 1];
    let length = 0;
    if (next === 'x') length = 4;
    else if (next === 'u') length = raw[i + 2] === '{' ? braceEscapeLength(raw, i) : 6;
    else if (next !== undefined && next >= '0' && next <= '7') length = 2;
    if (length === 0) {
      i++;
      continue;
    }
    escapes++;
    escapedChars += length;
    i += length - 1;
  }
  return escapes >= 8 && escapedChars * 2 >= raw.length - 2;
}

/**
 * `\u{1F600}`: up to six hex digits in braces, looked for in a window of ten characters (never a scan to the
 * end); 0 when there is no closing brace, which is no escape.
 */
function braceEscapeLength(raw: string, at: number): number {
  for (let end = at + 3; end < raw.length && end <= at + 10; end++) if (raw[end] === '}') return end - at + 1;
  return 0;
}

export function unionInto<T>(target: Set<T>, values: Iterable<T>): void {
  for (const value of values) target.add(value);
}

/** The directory part of a bundle path ('' at the root). */
export function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}
