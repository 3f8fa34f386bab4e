import { findNodeAtLocation, parseTree, visit, type Node as JsonNode } from 'jsonc-parser';
import type { FileText } from '../text/file-text.js';
import { dirOf, isRecord, jsonOf, joinPath, lockedDependency, purlOf, type ReadInput, type ReaderResult } from './common.js';
import { classifyReference, isNpmRegistryTarball } from './sources.js';
import type { Dependency, DependencySource, Lockfile } from './types.js';

/**
 * npm's lockfiles: package-lock.json v1-v3 (and npm-shrinkwrap.json, the same format) and the hidden
 * node_modules/.package-lock.json (v3 shape, no root entry) that `mcpb pack` keeps (DESIGN.md section 4).
 */

/** Bounds the v1 nested `dependencies` walk; real trees are a few levels deep. */
const MAX_V1_DEPTH = 64;

export type NpmLockResult = Required<Pick<ReaderResult, 'lockfile' | 'dependencies' | 'problems'>>;

interface Entry {
  name?: unknown;
  version?: unknown;
  resolved?: unknown;
  integrity?: unknown;
  license?: unknown;
  dev?: unknown;
  link?: unknown;
  dependencies?: unknown;
  devDependencies?: unknown;
  optionalDependencies?: unknown;
  peerDependencies?: unknown;
}

type LineOf = (path: (string | number)[]) => number | null;

export function readNpmLockfile(input: ReadInput): NpmLockResult {
  const hidden = input.file.path.endsWith('node_modules/.package-lock.json');
  const roots = hidden ? projectRoots(input, dirOf(dirOf(input.file.path))) : null;
  return readNpmLock(input.text, hidden, roots);
}

/** The names a package.json declares (dependencies, optional, dev), for a lockfile that has no root entry. */
export interface DeclaredNames {
  prod: Set<string>;
  dev: Set<string>;
}

function projectRoots(input: ReadInput, dir: string): DeclaredNames | null {
  const file = input.bundle.files.get(joinPath(dir, 'package.json'));
  if (!file) return null;
  const parsed = jsonOf(file);
  if (!('value' in parsed) || !isRecord(parsed.value)) return null;
  const pkg = parsed.value;
  return {
    prod: new Set([...keys(pkg.dependencies), ...keys(pkg.optionalDependencies)]),
    dev: new Set(keys(pkg.devDependencies)),
  };
}

export function readNpmLock(file: FileText, hidden: boolean, roots: DeclaredNames | null = null): NpmLockResult {
  const lockfile: Lockfile = { file: file.path, format: hidden ? 'npm-hidden-lockfile' : 'package-lock', ecosystem: 'npm' };
  let data: { lockfileVersion?: unknown; packages?: unknown; dependencies?: unknown };
  try {
    data = JSON.parse(file.text) as typeof data;
  } catch (e) {
    return { lockfile, dependencies: [], problems: [{ file: file.path, line: null, message: `not valid JSON: ${(e as Error).message}` }] };
  }
  if (!isRecord(data)) {
    return { lockfile, dependencies: [], problems: [{ file: file.path, line: 1, message: 'not a JSON object' }] };
  }
  const packages = isRecord(data.packages) ? data.packages : null;
  let dependencies: Dependency[] = [];
  if (packages) {
    dependencies = fromPackages(packages, file.path, packageLines(file.text), roots);
  } else if (isRecord(data.dependencies)) {
    const tree = parseTree(file.text);
    const lineOf: LineOf = (path) => {
      const node = tree ? findNodeAtLocation(tree, path) : undefined;
      return node ? file.lines.lineAt(keyOffset(node)) : null;
    };
    dependencies = fromV1(data.dependencies, file.path, lineOf, roots);
  }
  return { lockfile, dependencies, problems: [] };
}

/**
 * v2/v3: a flat `packages` map keyed by install path ("node_modules/a/node_modules/@s/b"). Direct dependencies
 * are the top-level installs the root package or a workspace package (a key without node_modules/) declares.
 */
function fromPackages(packages: Record<string, unknown>, file: string, lines: Map<string, number>, roots: DeclaredNames | null): Dependency[] {
  const direct = new Set<string>();
  if (roots) for (const name of [...roots.prod, ...roots.dev]) direct.add(name);
  for (const [key, value] of Object.entries(packages)) {
    if (key.includes('node_modules/') || !isRecord(value)) continue; // the root "" and workspace folders
    const entry = value as Entry;
    for (const name of [...keys(entry.dependencies), ...keys(entry.devDependencies), ...keys(entry.optionalDependencies)]) direct.add(name);
  }
  const out: Dependency[] = [];
  for (const [key, value] of Object.entries(packages)) {
    const at = key.lastIndexOf('node_modules/');
    if (at < 0 || !isRecord(value)) continue;
    const entry = value as Entry;
    if (entry.link === true) continue; // a symlink to a workspace folder, listed under its own key
    const installName = key.slice(at + 'node_modules/'.length);
    const name = typeof entry.name === 'string' ? entry.name : installName;
    const topLevel = key === `node_modules/${installName}`;
    const dev = entry.dev === true || (roots !== null && topLevel && roots.dev.has(installName) && !roots.prod.has(installName) && entry.dev !== false);
    out.push(dependency(name, entry, file, lines.get(key) ?? null, topLevel && direct.has(installName), dev));
  }
  return out;
}

/** v1: a nested `dependencies` tree; an alias is written as `"version": "npm:real-name@1.2.3"`. */
function fromV1(tree: Record<string, unknown>, file: string, lineOf: LineOf, roots: DeclaredNames | null): Dependency[] {
  const out: Dependency[] = [];
  const stack: { deps: Record<string, unknown>; path: (string | number)[]; depth: number }[] = [{ deps: tree, path: ['dependencies'], depth: 0 }];
  while (stack.length > 0) {
    const { deps, path, depth } = stack.pop()!;
    for (const [key, value] of Object.entries(deps)) {
      if (!isRecord(value)) continue;
      const entry = value as Entry;
      const alias = typeof entry.version === 'string' ? /^npm:((?:@[^/@]+\/)?[^@]+)@(.+)$/.exec(entry.version) : null;
      const name = alias ? alias[1]! : key;
      const normalized: Entry = alias ? { ...entry, version: alias[2] } : entry;
      const isDirect = depth === 0 && (roots === null || roots.prod.has(key) || roots.dev.has(key));
      out.push(dependency(name, normalized, file, lineOf([...path, key]), isDirect, entry.dev === true));
      if (isRecord(entry.dependencies) && depth < MAX_V1_DEPTH) {
        stack.push({ deps: entry.dependencies, path: [...path, key, 'dependencies'], depth: depth + 1 });
      }
    }
  }
  return out;
}

function dependency(name: string, entry: Entry, file: string, line: number | null, direct: boolean, dev: boolean): Dependency {
  const version = typeof entry.version === 'string' && entry.version !== '' ? entry.version : null;
  const source = sourceOf(entry.resolved, version);
  return lockedDependency(
    {
      ecosystem: 'npm',
      name,
      version,
      source,
      integrity: typeof entry.integrity === 'string' ? entry.integrity.split(/\s+/).filter(Boolean) : [],
      direct,
      dev,
      licenses: typeof entry.license === 'string' && entry.license !== '' ? [entry.license] : undefined,
    },
    file,
    line,
  );
}

/**
 * What `resolved` (or, in v1, a non-semver `version` such as "github:x/y#ref") says about where a package
 * comes from. npm writes registry tarballs as `<registry>/<name>/-/<name>-<version>.tgz`; an absent
 * `resolved` (omit-lockfile-registry-resolved) means the configured registry.
 */
function sourceOf(resolved: unknown, version: string | null): DependencySource {
  const ref = typeof resolved === 'string' ? resolved : version && !/^\d/.test(version) ? version : null;
  if (ref === null) return { kind: 'registry', url: null };
  const source = classifyReference(ref, { shorthand: true });
  if (source.kind === 'url' && isNpmRegistryTarball(ref)) return { kind: 'registry', url: ref };
  if (source.kind === 'unknown' && !ref.includes(':')) return { kind: 'path', url: ref }; // v2+ writes a workspace link target as a bare relative path
  return source;
}

export function npmPurl(name: string, version: string): string {
  return purlOf('npm', name, version);
}

/**
 * The line of each key of the top-level `packages` object, in one streaming pass (jsonc-parser's visitor reports
 * each property's line without building a tree: a v3 lockfile of a thousand packages is half a megabyte).
 */
function packageLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let depth = 0;
  let inPackages = false;
  visit(text, {
    onObjectBegin: () => {
      depth++;
    },
    onObjectEnd: () => {
      depth--;
      if (depth === 1) inPackages = false;
    },
    onObjectProperty: (property, _offset, _length, startLine) => {
      if (depth === 1) inPackages = property === 'packages';
      else if (depth === 2 && inPackages) lines.set(property, startLine + 1);
    },
  });
  return lines;
}

/** A property node's offset is its key's; findNodeAtLocation returns the value, whose parent is the property. */
function keyOffset(node: JsonNode): number {
  return node.parent?.type === 'property' ? node.parent.offset : node.offset;
}

function keys(value: unknown): string[] {
  return isRecord(value) ? Object.keys(value) : [];
}
