import { PackageURL } from 'packageurl-js';
import { parse as parseToml } from 'smol-toml';
import type { Bundle, BundleFile } from '../bundle/types.js';
import { fileText, type FileText } from '../text/file-text.js';
import type {
  Declaration,
  Dependency,
  DependencyProblem,
  DependencySource,
  Ecosystem,
  Lockfile,
  RegistryDeclaration,
  VendoredPackage,
} from './types.js';

/** What one reader found in one file; the model merges the results of every reader. */
export interface ReaderResult {
  lockfile?: Lockfile;
  dependencies?: Dependency[];
  declarations?: Declaration[];
  registries?: RegistryDeclaration[];
  vendored?: VendoredPackage[];
  problems?: DependencyProblem[];
}

/** A reader sees the file it reads and, read-only, the rest of the bundle (a lockfile's package.json beside it). */
export interface ReadInput {
  file: BundleFile;
  text: FileText;
  bundle: Bundle;
}

/**
 * Directories whose contents belong to installed dependencies: lockfiles and manifests inside them are the
 * dependencies' own, not the bundle's (their package.json / METADATA are read as vendored packages instead).
 */
const INSTALL_DIRS: ReadonlySet<string> = new Set(['node_modules', 'site-packages', 'dist-packages', '.venv', 'venv', '__pypackages__', 'bower_components']);

export function isInsideInstallDir(path: string): boolean {
  const segments = path.split('/');
  for (let i = 0; i < segments.length - 1; i++) if (INSTALL_DIRS.has(segments[i]!)) return true;
  return false;
}

export function dirOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/**
 * A bundle-relative path resolved against `dir`, or null when it leaves the bundle (`../`, absolute) — a local
 * path outside the bundle cannot be verified (SC-05 "Local paths").
 */
export function resolveInBundle(dir: string, relative: string): string | null {
  if (relative.startsWith('/') || /^[A-Za-z]:[\\/]/.test(relative)) return null;
  const parts = dir === '' ? [] : dir.split('/');
  for (const part of relative.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** PEP 503 normalized name: PyPI names compare case-insensitively, with runs of `-`, `_`, `.` as one `-`. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The name as the ecosystem compares it (PyPI: PEP 503; the others are exact). */
export function comparableName(ecosystem: Ecosystem, name: string): string {
  return ecosystem === 'PyPI' ? normalizePypiName(name) : name;
}

const PURL_TYPES: Record<Ecosystem, string> = { npm: 'npm', PyPI: 'pypi', Go: 'golang', 'crates.io': 'cargo' };

/** The purl of a package version (purl-spec types npm, pypi, golang, cargo); qualifiers for non-registry sources. */
export function purlOf(ecosystem: Ecosystem, name: string, version: string | null, qualifiers?: Record<string, string>): string {
  let namespace: string | null = null;
  let bare = name;
  if (ecosystem === 'npm' && name.startsWith('@') && name.includes('/')) {
    [namespace, bare] = name.split('/', 2) as [string, string];
  } else if (ecosystem === 'Go' && name.includes('/')) {
    namespace = name.slice(0, name.lastIndexOf('/'));
    bare = name.slice(name.lastIndexOf('/') + 1);
  }
  return new PackageURL(PURL_TYPES[ecosystem], namespace, bare, version, qualifiers ?? null, null).toString();
}

/** A registry dependency's purl; null when the version is not exact or the package does not come from a registry. */
export function registryPurl(ecosystem: Ecosystem, name: string, version: string | null, source: DependencySource): string | null {
  return version !== null && source.kind === 'registry' ? purlOf(ecosystem, name, version) : null;
}

/** A lockfile dependency with one location; readers fill the rest. */
export function lockedDependency(
  fields: Pick<Dependency, 'ecosystem' | 'name' | 'version' | 'source'> & Partial<Pick<Dependency, 'integrity' | 'direct' | 'dev' | 'licenses'>>,
  file: string,
  line: number | null,
): Dependency {
  const dep: Dependency = {
    ecosystem: fields.ecosystem,
    name: fields.name,
    version: fields.version,
    purl: registryPurl(fields.ecosystem, fields.name, fields.version, fields.source),
    integrity: fields.integrity ?? [],
    source: fields.source,
    direct: fields.direct ?? false,
    dev: fields.dev ?? false,
    locations: [{ file, line, kind: 'lockfile' }],
  };
  if (fields.licenses && fields.licenses.length > 0) dep.licenses = fields.licenses;
  return dep;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringOr<T>(value: unknown, fallback: T): string | T {
  return typeof value === 'string' ? value : fallback;
}

export function problem(file: string, message: string, line: number | null = null): DependencyProblem {
  return { file, line, message };
}

const jsonCache = new WeakMap<BundleFile, { value: unknown } | { error: string }>();
const tomlCache = new WeakMap<BundleFile, { value: Record<string, unknown> } | { error: string }>();

/** A bundle file parsed as JSON once per scan, whichever reader asks (package.json is read by several). */
export function jsonOf(file: BundleFile): { value: unknown } | { error: string } {
  let cached = jsonCache.get(file);
  if (!cached) {
    try {
      cached = { value: JSON.parse(stripBom(fileText(file).text)) };
    } catch (e) {
      cached = { error: `not valid JSON: ${(e as Error).message}` };
    }
    jsonCache.set(file, cached);
  }
  return cached;
}

/** A bundle file parsed as TOML (smol-toml, TOML 1.0) once per scan. */
export function tomlOf(file: BundleFile): { value: Record<string, unknown> } | { error: string } {
  let cached = tomlCache.get(file);
  if (!cached) {
    try {
      cached = { value: parseToml(stripBom(fileText(file).text)) as Record<string, unknown> };
    } catch (e) {
      cached = { error: `not valid TOML: ${firstLine((e as Error).message)}` };
    }
    tomlCache.set(file, cached);
  }
  return cached;
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function firstLine(message: string): string {
  return message.split('\n')[0]!;
}

/**
 * The `[[package]]` tables of a TOML lockfile (Cargo.lock, poetry.lock, uv.lock) with the line of each table's
 * header, or the reader's result for a file that is not valid TOML.
 */
export function tomlPackageTables(
  input: ReadInput,
  lockfile: Lockfile,
): { document: Record<string, unknown>; packages: unknown[]; lines: number[] } | { unreadable: ReaderResult } {
  const parsed = tomlOf(input.file);
  if ('error' in parsed) return { unreadable: { lockfile, problems: [problem(input.file.path, parsed.error)] } };
  const packages = Array.isArray(parsed.value.package) ? (parsed.value.package as unknown[]) : [];
  return { document: parsed.value, packages, lines: tableArrayLines(input.text, 'package') };
}

/**
 * Lines of TOML `[[name]]` array-of-tables headers, in order: the i-th header starts the i-th table of the
 * parsed array. TOML keeps array order, and a header stands alone on its line, so this maps each parsed table
 * to its line without a position-aware parser (smol-toml, like every maintained JS TOML parser, gives none).
 */
export function tableArrayLines(text: FileText, name: string): number[] {
  const pattern = new RegExp(`^[ \\t]*\\[\\[[ \\t]*${name.replace(/[.]/g, '\\.')}[ \\t]*\\]\\][ \\t]*(?:#.*)?$`);
  const lines: number[] = [];
  const all = linesOf(text);
  let inMultiline: string | null = null;
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!;
    if (inMultiline) {
      if (line.includes(inMultiline)) inMultiline = null;
      continue;
    }
    if (pattern.test(line)) lines.push(i + 1);
    else inMultiline = opensMultilineString(line);
  }
  return lines;
}

/** `"""` or `'''` opened and not closed on this line (a header-looking line inside it is text, not a header). */
function opensMultilineString(line: string): string | null {
  for (const quote of ['"""', "'''"]) {
    const first = line.indexOf(quote);
    if (first >= 0 && line.indexOf(quote, first + 3) < 0) return quote;
  }
  return null;
}

/** The 1-based line of the first line matching `pattern` at or after `fromLine`; null when none does. */
export function findLine(text: FileText, pattern: RegExp, fromLine = 1): number | null {
  const all = linesOf(text);
  for (let i = Math.max(0, fromLine - 1); i < all.length; i++) if (pattern.test(all[i]!)) return i + 1;
  return null;
}

const linesCache = new WeakMap<FileText, string[]>();

/** The text's lines (split once per file and scan). */
export function linesOf(text: FileText): string[] {
  let lines = linesCache.get(text);
  if (!lines) {
    lines = text.text.split(/\r\n|\r|\n/);
    linesCache.set(text, lines);
  }
  return lines;
}

export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Marks direct and development dependencies from a lockfile's graph: `direct` for the roots' own dependencies;
 * `dev` for what only development roots reach. A node no root reaches keeps what the lockfile said. Linear
 * in nodes and edges (each node is visited once per walk).
 */
export function classifyByReachability(nodes: Dependency[], edges: readonly (readonly number[])[], prodRoots: readonly number[], devRoots: readonly number[]): void {
  const prod = reach(prodRoots, edges, nodes.length);
  const dev = reach(devRoots, edges, nodes.length);
  for (const root of [...prodRoots, ...devRoots]) if (nodes[root]) nodes[root]!.direct = true;
  nodes.forEach((node, i) => {
    if (prod[i]) node.dev = false;
    else if (dev[i]) node.dev = true;
  });
}

function reach(roots: readonly number[], edges: readonly (readonly number[])[], size: number): Uint8Array {
  const seen = new Uint8Array(size);
  const stack = roots.filter((r) => r >= 0 && r < size);
  for (const r of stack) seen[r] = 1;
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const next of edges[node] ?? []) {
      if (next >= 0 && next < size && !seen[next]) {
        seen[next] = 1;
        stack.push(next);
      }
    }
  }
  return seen;
}
