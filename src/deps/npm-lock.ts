import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import { PackageURL } from 'packageurl-js';
import type { FileText } from '../text/file-text.js';
import type { Dependency, DependencySource, Lockfile } from './types.js';

/** npm's lockfiles: package-lock.json v1-v3 and the hidden node_modules/.package-lock.json (v3 shape). */

/** Bounds the v1 nested `dependencies` walk; real trees are a few levels deep. */
const MAX_V1_DEPTH = 64;

export interface NpmLockResult {
  lockfile: Lockfile;
  dependencies: Dependency[];
  problems: { file: string; line: number | null; message: string }[];
}

interface Entry {
  name?: unknown;
  version?: unknown;
  resolved?: unknown;
  integrity?: unknown;
  dev?: unknown;
  link?: unknown;
  dependencies?: unknown;
  devDependencies?: unknown;
  optionalDependencies?: unknown;
}

export function readNpmLock(file: FileText, hidden: boolean): NpmLockResult {
  const lockfile: Lockfile = { file: file.path, format: hidden ? 'npm-hidden-lockfile' : 'package-lock', ecosystem: 'npm' };
  let data: { lockfileVersion?: unknown; packages?: unknown; dependencies?: unknown };
  try {
    data = JSON.parse(file.text) as typeof data;
  } catch (e) {
    return { lockfile, dependencies: [], problems: [{ file: file.path, line: null, message: `not valid JSON: ${(e as Error).message}` }] };
  }
  if (typeof data !== 'object' || data === null) {
    return { lockfile, dependencies: [], problems: [{ file: file.path, line: 1, message: 'not a JSON object' }] };
  }
  const tree = parseTree(file.text);
  const lineOf = (path: (string | number)[]) => {
    const node = tree ? findNodeAtLocation(tree, path) : undefined;
    return node ? file.lines.lineAt(keyOffset(node)) : null;
  };
  const packages = isRecord(data.packages) ? data.packages : null;
  const dependencies = packages
    ? fromPackages(packages, file.path, lineOf)
    : isRecord(data.dependencies)
      ? fromV1(data.dependencies, file.path, lineOf)
      : [];
  return { lockfile, dependencies, problems: [] };
}

/** v2/v3: a flat `packages` map keyed by install path ("node_modules/a/node_modules/@s/b"). */
function fromPackages(packages: Record<string, unknown>, file: string, lineOf: (p: (string | number)[]) => number | null): Dependency[] {
  const root = isRecord(packages['']) ? (packages[''] as Entry) : {};
  const direct = new Set([...keys(root.dependencies), ...keys(root.devDependencies), ...keys(root.optionalDependencies)]);
  const out: Dependency[] = [];
  for (const [key, value] of Object.entries(packages)) {
    const at = key.lastIndexOf('node_modules/');
    if (at < 0 || !isRecord(value)) continue; // the root package, or a workspace folder entry
    const entry = value as Entry;
    if (entry.link === true) continue; // a symlink to a workspace folder, listed under its own key
    const installName = key.slice(at + 'node_modules/'.length);
    const name = typeof entry.name === 'string' ? entry.name : installName;
    const topLevel = key === `node_modules/${installName}`;
    out.push(dependency(name, entry, file, lineOf(['packages', key]), topLevel && direct.has(installName)));
  }
  return out;
}

/** v1: a nested `dependencies` tree. */
function fromV1(tree: Record<string, unknown>, file: string, lineOf: (p: (string | number)[]) => number | null): Dependency[] {
  const out: Dependency[] = [];
  const stack: { deps: Record<string, unknown>; path: (string | number)[]; depth: number }[] = [{ deps: tree, path: ['dependencies'], depth: 0 }];
  while (stack.length > 0) {
    const { deps, path, depth } = stack.pop()!;
    for (const [name, value] of Object.entries(deps)) {
      if (!isRecord(value)) continue;
      const entry = value as Entry;
      out.push(dependency(name, entry, file, lineOf([...path, name]), depth === 0));
      if (isRecord(entry.dependencies) && depth < MAX_V1_DEPTH) {
        stack.push({ deps: entry.dependencies, path: [...path, name, 'dependencies'], depth: depth + 1 });
      }
    }
  }
  return out;
}

function dependency(name: string, entry: Entry, file: string, line: number | null, direct: boolean): Dependency {
  const version = typeof entry.version === 'string' && entry.version !== '' ? entry.version : null;
  const source = sourceOf(entry.resolved, version);
  const exact = version !== null && source.kind === 'registry' ? version : null;
  return {
    ecosystem: 'npm',
    name,
    version: exact ?? version,
    purl: exact ? npmPurl(name, exact) : null,
    integrity: typeof entry.integrity === 'string' ? entry.integrity.split(/\s+/).filter(Boolean) : [],
    source,
    direct,
    dev: entry.dev === true,
    locations: [{ file, line, kind: 'lockfile' }],
  };
}

/**
 * What `resolved` (or, in v1, a non-semver `version` such as "github:x/y#ref") says about where a package
 * comes from. npm writes registry tarballs as `<registry>/<name>/-/<name>-<version>.tgz`; an absent
 * `resolved` (omit-lockfile-registry-resolved) means the configured registry.
 */
function sourceOf(resolved: unknown, version: string | null): DependencySource {
  const ref = typeof resolved === 'string' ? resolved : version && !/^\d/.test(version) ? version : null;
  if (ref === null) return { kind: 'registry', url: null };
  if (/^(git\+|git:|github:|gitlab:|bitbucket:)/.test(ref) || /^[\w-]+\/[\w.-]+#/.test(ref)) {
    const commit = /#([0-9a-f]{40})$/.exec(ref)?.[1];
    return { kind: 'git', url: ref, ...(commit ? { commit } : {}) };
  }
  if (ref.startsWith('file:') || ref.startsWith('link:')) return { kind: 'path', url: ref };
  if (/^https?:\/\//.test(ref)) return { kind: /\/-\/[^/]+\.tgz$/.test(ref) ? 'registry' : 'url', url: ref };
  return { kind: 'unknown', url: ref };
}

export function npmPurl(name: string, version: string): string {
  const [namespace, bare] = name.startsWith('@') ? (name.split('/', 2) as [string, string]) : [null, name];
  return new PackageURL('npm', namespace, bare, version, null, null).toString();
}

/** A property node's offset is its key's; findNodeAtLocation returns the value, whose parent is the property. */
function keyOffset(node: JsonNode): number {
  return node.parent?.type === 'property' ? node.parent.offset : node.offset;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keys(value: unknown): string[] {
  return isRecord(value) ? Object.keys(value) : [];
}
