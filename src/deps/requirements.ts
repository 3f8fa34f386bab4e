import type { Bundle } from '../bundle/types.js';
import { fileText, type FileText } from '../text/file-text.js';
import { baseName, dirOf, lockedDependency, normalizePypiName, problem, resolveInBundle, type ReaderResult } from './common.js';
import { exactPep440, parsePep508 } from './pep508.js';
import { classifyReference, gitSource } from './sources.js';
import type { Declaration, Dependency, DependencySource, Lockfile, RegistryDeclaration } from './types.js';

/**
 * pip requirements files (`requirements*.txt` and what they include). pip's own parser is Python and not
 * importable, and no maintained JavaScript parser covers the file format (options, `-r`/`-c` includes, line
 * continuations, per-requirement `--hash` options, pip-compile's `# via` annotations), so it is written here:
 * one pass per logical line, bounded line length and include depth.
 *
 * A requirements file is both the declaration and, when every line is pinned with `==` and hashed, the
 * lockfile (MTF 3.3 SC-03 "Python: requirements.txt with hashes"): each requirement becomes a dependency
 * located at its line, with a null version when it is not pinned exactly.
 */

/** `requirements.txt`, `requirements-dev.txt`, `dev-requirements.txt`, `requirements/base.txt`. */
export function isRequirementsFile(path: string): boolean {
  const name = baseName(path).toLowerCase();
  if (!name.endsWith('.txt')) return false;
  return name.includes('requirements') || baseName(dirOf(path)).toLowerCase() === 'requirements';
}

/** Development-only requirement files, by the names the ecosystem uses for them. */
function isDevFile(path: string): boolean {
  return /(?:^|[-_./])(?:dev|devel|develop|test|tests|testing|lint|docs)(?:[-_.]|$)/i.test(baseName(path).replace(/\.txt$/i, '') + '.') ||
    /(?:^|\/)requirements\/(?:dev|test|tests|testing|lint|docs)[^/]*\.txt$/i.test(path);
}

const MAX_INCLUDE_DEPTH = 16;
const MAX_LOGICAL_LINE = 256 * 1024;

interface Requirement {
  dep: Dependency;
  declaration: Declaration;
  via: string[];
}

interface Constraint {
  version: string | null;
  hashes: string[];
}

interface ParsedFile {
  requirements: Requirement[];
  includes: { path: string; constraint: boolean; line: number }[];
  registries: RegistryDeclaration[];
  problems: ReturnType<typeof problem>[];
}

/** Reads the requirement files the bundle carries (roots) and every file they include, each once. */
export function readRequirementFiles(bundle: Bundle, roots: readonly string[]): ReaderResult[] {
  const parsed = new Map<string, ParsedFile>();
  const constraintFiles = new Set<string>();
  const requirementFiles = new Set<string>();
  const results: ReaderResult[] = [];
  const queue: { path: string; constraint: boolean; depth: number; from: string | null; line: number }[] = roots.map((path) => ({
    path,
    constraint: false,
    depth: 0,
    from: null,
    line: 0,
  }));
  while (queue.length > 0) {
    const next = queue.shift()!;
    (next.constraint ? constraintFiles : requirementFiles).add(next.path);
    if (parsed.has(next.path)) continue;
    const file = bundle.files.get(next.path);
    if (!file) {
      if (next.from) results.push({ problems: [problem(next.from, `includes ${next.path}, which the bundle does not contain`, next.line)] });
      continue;
    }
    const result = parseRequirements(fileText(file), isDevFile(next.path));
    parsed.set(next.path, result);
    for (const include of result.includes) {
      if (next.depth + 1 > MAX_INCLUDE_DEPTH) {
        results.push({ problems: [problem(next.path, `includes nest deeper than ${MAX_INCLUDE_DEPTH} files`, include.line)] });
        continue;
      }
      queue.push({ path: include.path, constraint: include.constraint, depth: next.depth + 1, from: next.path, line: include.line });
    }
  }
  const constraints = new Map<string, Constraint>();
  for (const path of constraintFiles) {
    for (const req of parsed.get(path)?.requirements ?? []) {
      constraints.set(normalizePypiName(req.dep.name), { version: req.dep.version, hashes: req.dep.integrity });
    }
  }
  for (const [path, file] of parsed) {
    const result: ReaderResult = { registries: file.registries, problems: file.problems };
    if (requirementFiles.has(path)) {
      const lockfile: Lockfile = { file: path, format: 'requirements', ecosystem: 'PyPI' };
      result.lockfile = lockfile;
      result.dependencies = file.requirements.map(({ dep }) => applyConstraint(dep, constraints.get(normalizePypiName(dep.name))));
      result.declarations = file.requirements.map((r) => r.declaration);
    }
    results.push(result);
  }
  return results;
}

/** A constraint pins a requirement that is not pinned itself (`-c constraints.txt`, pip's semantics). */
function applyConstraint(dep: Dependency, constraint: Constraint | undefined): Dependency {
  if (!constraint || dep.source.kind !== 'registry') return dep;
  const version = dep.version ?? constraint.version;
  const integrity = dep.integrity.length > 0 ? dep.integrity : constraint.hashes;
  if (version === dep.version && integrity === dep.integrity) return dep;
  return lockedDependency({ ...dep, version, integrity }, dep.locations[0]!.file, dep.locations[0]!.line);
}

interface LogicalLine {
  text: string;
  line: number;
  /** A comment on a line of its own, kept for pip-compile's `# via` annotations. */
  comment?: string;
}

/** Joins `\` continuations, drops comments (a `#` at the start or after whitespace), keeps own-line comments. */
function logicalLines(text: FileText): LogicalLine[] {
  const out: LogicalLine[] = [];
  const physical = text.text.split(/\r\n|\r|\n/);
  let buffer = '';
  let start = 0;
  for (let i = 0; i < physical.length; i++) {
    const raw = physical[i]!;
    if (buffer === '' && /^\s*#/.test(raw)) {
      out.push({ text: '', line: i + 1, comment: raw.trim().slice(1).trim() });
      continue;
    }
    if (buffer === '') start = i + 1;
    const withoutComment = raw.replace(/(^|\s)#.*$/, '$1');
    if (/\\\s*$/.test(withoutComment) && !/(^|\s)#/.test(raw)) {
      buffer += withoutComment.replace(/\\\s*$/, ' ');
      if (buffer.length > MAX_LOGICAL_LINE) buffer = buffer.slice(0, MAX_LOGICAL_LINE);
      continue;
    }
    buffer += withoutComment;
    if (buffer.trim() !== '') out.push({ text: buffer.trim(), line: start });
    buffer = '';
  }
  if (buffer.trim() !== '') out.push({ text: buffer.trim(), line: start });
  return out;
}

const INCLUDE = /^(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+)(\S+)$/;
const INDEX_OPTION = /^(-i|--index-url|--extra-index-url|-f|--find-links)(?:\s*=\s*|\s+)(\S+)$/;

function parseRequirements(text: FileText, dev: boolean): ParsedFile {
  const path = text.path;
  const dir = dirOf(path);
  const result: ParsedFile = { requirements: [], includes: [], registries: [], problems: [] };
  let last: Requirement | null = null;
  let inVia = false;
  for (const { text: line, line: number, comment } of logicalLines(text)) {
    if (comment !== undefined) {
      const via = /^via(?:\s+(.*))?$/.exec(comment);
      if (via && last) {
        inVia = true;
        if (via[1]) last.via.push(via[1].trim());
      } else if (inVia && last && comment !== '') last.via.push(comment.trim());
      else inVia = false;
      continue;
    }
    inVia = false;
    last = null;
    const include = INCLUDE.exec(line);
    if (include) {
      const target = resolveInBundle(dir, include[1]!);
      if (target === null) result.problems.push(problem(path, `includes ${include[1]}, outside the bundle`, number));
      else result.includes.push({ path: target, constraint: /^(?:-c|--constraint)/.test(line), line: number });
      continue;
    }
    const index = INDEX_OPTION.exec(line);
    if (index) {
      const kind = index[1] === '-i' || index[1] === '--index-url' ? 'index' : index[1] === '--extra-index-url' ? 'extra-index' : 'find-links';
      result.registries.push({ ecosystem: 'PyPI', url: index[2]!, kind, file: path, line: number });
      continue;
    }
    if (line.startsWith('-') && !/^(?:-e|--editable)\b/.test(line)) continue; // global options (--require-hashes, --pre ...)
    const requirement = parseRequirementLine(line, path, number, dev);
    if (requirement === 'self') continue;
    if (requirement === null) {
      result.problems.push(problem(path, `cannot read the requirement "${line.slice(0, 120)}"`, number));
      continue;
    }
    result.requirements.push(requirement);
    last = requirement;
  }
  for (const req of result.requirements) {
    // pip-compile: `# via -r requirements.in` marks what the input declared; `# via httpx` a transitive pin.
    if (req.via.length > 0 && req.via.every((v) => !/^-[rc]\s|^--(?:requirement|constraint)/.test(v))) req.dep.direct = false;
  }
  return result;
}

/** One requirement: PEP 508 (`name[extra]==1.0 ; marker`, `name @ url`), or a bare URL or path (`-e` allowed). */
function parseRequirementLine(line: string, file: string, number: number, dev: boolean): Requirement | 'self' | null {
  let rest = line.replace(/^(?:-e|--editable)(?:\s*=\s*|\s+)/, '');
  const hashes: string[] = [];
  rest = rest.replace(/\s--hash[=\s]\s*([a-z0-9]+:[0-9a-fA-F]+)/g, (_m, hash: string) => {
    hashes.push(hash.toLowerCase());
    return '';
  });
  rest = rest.replace(/\s--(?:global-option|config-settings|install-option)[=\s]\s*\S+/g, '').trim();
  if (rest === '.' || rest === './') return 'self';
  const spec = parsePep508(rest);
  let name: string;
  let version: string | null = null;
  let source: DependencySource = { kind: 'registry', url: null };
  let specText: string;
  if (spec) {
    name = spec.name;
    specText = spec.url ?? spec.specifier;
    if (spec.url) {
      source = urlSource(spec.url);
      version = versionFromArchive(spec.url, name);
      hashes.push(...fragmentHashes(spec.url));
    } else {
      version = exactPep440(spec.specifier);
    }
  } else {
    const ref = rest.split(/\s*;\s*/)[0]!;
    if (!/^(?:[a-z+]+:\/\/|git\+|\.{1,2}\/|\/|file:)/i.test(ref)) return null;
    source = urlSource(ref);
    const egg = /#(?:.*&)?egg=([A-Za-z0-9._-]+)/.exec(ref)?.[1];
    name = egg ?? archiveName(ref) ?? ref;
    version = versionFromArchive(ref, name);
    hashes.push(...fragmentHashes(ref));
    specText = ref;
  }
  const dep = lockedDependency({ ecosystem: 'PyPI', name, version, source, integrity: hashes, direct: true, dev }, file, number);
  const declaration: Declaration = { ecosystem: 'PyPI', name, spec: specText, file, line: number, dev };
  if (source.kind !== 'registry') declaration.source = source;
  return { dep, declaration, via: [] };
}

function urlSource(ref: string): DependencySource {
  if (/^git\+/i.test(ref)) return gitSource(ref);
  const source = classifyReference(ref);
  return source.kind === 'unknown' ? { kind: 'path', url: ref } : source;
}

/** pip accepts a hash in the URL fragment: `...whl#sha256=<hex>`. */
function fragmentHashes(url: string): string[] {
  const match = /#(?:.*&)?(sha256|sha384|sha512)=([0-9a-f]+)/i.exec(url);
  return match ? [`${match[1]!.toLowerCase()}:${match[2]!.toLowerCase()}`] : [];
}

/** The distribution name of a wheel or sdist URL (`pkg-1.0-py3-none-any.whl`, `pkg-1.0.tar.gz`). */
function archiveName(url: string): string | null {
  const file = decodeURIComponent(url.split(/[?#]/)[0]!.split('/').pop() ?? '');
  const match = /^([A-Za-z0-9_.]+?)-\d[^-]*(?:-.*)?\.(?:whl|tar\.gz|zip|tar\.bz2)$/.exec(file);
  return match ? match[1]! : null;
}

function versionFromArchive(url: string, name: string): string | null {
  const file = decodeURIComponent(url.split(/[?#]/)[0]!.split('/').pop() ?? '');
  const prefix = `${normalizePypiName(name).replace(/-/g, '_')}-`;
  const normalized = file.replace(/^([^-]+)-/, (_m, n: string) => `${normalizePypiName(n).replace(/-/g, '_')}-`);
  if (!normalized.startsWith(prefix)) return null;
  const match = /^([^-]+?)(?:-|\.tar\.gz$|\.zip$|\.tar\.bz2$)/.exec(normalized.slice(prefix.length));
  return match && /^\d/.test(match[1]!) ? match[1]! : null;
}
