import { classifyByReachability, isRecord, lockedDependency, problem, type ReadInput, type ReaderResult } from './common.js';
import { classifyReference, isNpmRegistryTarball } from './sources.js';
import type { Dependency, DependencySource, Lockfile } from './types.js';
import { parseYamlLockfile } from './yaml.js';

/**
 * pnpm-lock.yaml, lockfile versions 5.x (`/name/1.0.0_peer` keys), 6.x (`/name@1.0.0(peer)`) and 9.x
 * (`name@1.0.0` keys, with the dependency graph moved to `snapshots`). Registry packages record only an
 * integrity (the registry is the configured one); git, tarball and directory dependencies record a resolution.
 * Direct dependencies are what the importers (the root project and workspace packages) declare; in 9.x, which
 * no longer marks `dev`, development-only packages are those only devDependencies reach.
 */
export function readPnpmLock(input: ReadInput): ReaderResult {
  const path = input.file.path;
  const lockfile: Lockfile = { file: path, format: 'pnpm-lock', ecosystem: 'npm' };
  const parsed = parseYamlLockfile(input.text);
  if (!parsed.ok) return { lockfile, problems: [problem(path, parsed.message)] };
  const { data } = parsed.value;
  const major = Number.parseInt(String(data.lockfileVersion ?? ''), 10);
  if (!Number.isFinite(major) || major < 5) {
    return { lockfile, problems: [problem(path, `unsupported pnpm lockfileVersion ${JSON.stringify(data.lockfileVersion ?? null)} (5.x-9.x are read)`, 1)] };
  }
  const packages = isRecord(data.packages) ? data.packages : {};
  const graph = isRecord(data.snapshots) ? data.snapshots : packages;
  const nodes: Dependency[] = [];
  const index = new Map<string, number>();
  for (const [key, value] of Object.entries(packages)) {
    if (!isRecord(value)) continue;
    const id = parseKey(key, major);
    if (!id) continue;
    index.set(stripPeers(key.replace(/^\//, '')), nodes.length);
    nodes.push(toDependency(id, value, path, parsed.value.lineOf('packages', key)));
  }
  const idOf = (name: string, ref: unknown): number | undefined => {
    if (typeof ref !== 'string') return undefined;
    const target = targetKey(name, ref, major);
    return target === null ? undefined : index.get(target);
  };
  const edges: number[][] = nodes.map(() => []);
  for (const [key, value] of Object.entries(graph)) {
    const from = index.get(stripPeers(key.replace(/^\//, '')));
    if (from === undefined || !isRecord(value)) continue;
    for (const field of ['dependencies', 'optionalDependencies'] as const) {
      for (const [name, ref] of Object.entries(isRecord(value[field]) ? value[field] : {})) {
        const to = idOf(name, ref);
        if (to !== undefined) edges[from]!.push(to);
      }
    }
  }
  const prodRoots: number[] = [];
  const devRoots: number[] = [];
  for (const importer of importersOf(data)) {
    for (const [field, roots] of [['dependencies', prodRoots], ['optionalDependencies', prodRoots], ['devDependencies', devRoots]] as const) {
      for (const [name, spec] of Object.entries(isRecord(importer[field]) ? importer[field] : {})) {
        const ref = isRecord(spec) ? spec.version : spec; // 6.x/9.x: {specifier, version}; 5.x: the version itself
        const to = idOf(name, ref);
        if (to !== undefined) roots.push(to);
      }
    }
  }
  if (major >= 9) classifyByReachability(nodes, edges, prodRoots, devRoots);
  else for (const root of [...prodRoots, ...devRoots]) nodes[root]!.direct = true;
  return { lockfile, dependencies: nodes };
}

/** The root project (5.x/6.x single project: top-level fields) and every workspace importer. */
function importersOf(data: Record<string, unknown>): Record<string, unknown>[] {
  if (isRecord(data.importers)) return Object.values(data.importers).filter(isRecord);
  return [data];
}

interface PackageId {
  name: string;
  version: string;
}

/** `/@s/n/1.0.0_peer@2` (5.x), `/@s/n@1.0.0(peer@2)` (6.x), `@s/n@1.0.0` (9.x); non-registry keys carry a URL. */
function parseKey(key: string, major: number): PackageId | null {
  const bare = stripPeers(key.replace(/^\//, ''));
  if (major < 6 && key.startsWith('/')) {
    const parts = bare.split('/');
    if (parts.length < 2) return null;
    const version = parts.pop()!.replace(/_.*$/, '');
    return { name: parts.join('/'), version };
  }
  const at = bare.indexOf('@', 1);
  if (at < 0) return null;
  return { name: bare.slice(0, at), version: bare.slice(at + 1) };
}

/** Peer suffixes name one installation of a package, not another version of it. */
function stripPeers(key: string): string {
  const paren = key.indexOf('(');
  return paren > 0 ? key.slice(0, paren) : key;
}

/**
 * The packages key a dependency reference points at: `1.3.8` -> `accepts@1.3.8`; an alias
 * `string-width@4.2.3` (9.x) or `/string-width@4.2.3` (6.x) or `/string-width/4.2.3` (5.x) names its target;
 * `link:` references point at workspace folders, not packages.
 */
function targetKey(name: string, ref: string, major: number): string | null {
  if (ref.startsWith('link:')) return null;
  const bare = stripPeers(ref);
  if (major < 6) return bare.startsWith('/') ? bare.slice(1).replace(/_.*$/, '') : `${name}/${bare.replace(/_.*$/, '')}`;
  if (bare.startsWith('/')) return bare.slice(1);
  const at = bare.indexOf('@', 1);
  if (at > 0 && !/^\d/.test(bare) && !/^[a-z]+:/i.test(bare)) return bare;
  return `${name}@${bare}`;
}

function toDependency(id: PackageId, entry: Record<string, unknown>, file: string, line: number | null): Dependency {
  const resolution = isRecord(entry.resolution) ? entry.resolution : {};
  const name = typeof entry.name === 'string' ? entry.name : id.name;
  const version = typeof entry.version === 'string' ? entry.version : exactOrNull(id.version);
  const integrity = typeof resolution.integrity === 'string' ? [resolution.integrity] : [];
  return lockedDependency(
    { ecosystem: 'npm', name, version, source: sourceOf(resolution), integrity, dev: entry.dev === true },
    file,
    line,
  );
}

/** A URL or path in place of the version (a non-registry key without a `version` field) is not a version. */
function exactOrNull(version: string): string | null {
  return /^\d/.test(version) ? version : null;
}

function sourceOf(resolution: Record<string, unknown>): DependencySource {
  if (resolution.type === 'git' && typeof resolution.repo === 'string') {
    const commit = typeof resolution.commit === 'string' && /^[0-9a-f]{40}$/i.test(resolution.commit) ? resolution.commit.toLowerCase() : undefined;
    return { kind: 'git', url: resolution.repo, ...(commit ? { commit } : {}) };
  }
  if (resolution.type === 'directory' && typeof resolution.directory === 'string') return { kind: 'path', url: resolution.directory };
  if (typeof resolution.tarball === 'string') {
    const tarball = resolution.tarball;
    if (isNpmRegistryTarball(tarball)) return { kind: 'registry', url: tarball };
    return classifyReference(tarball);
  }
  return { kind: 'registry', url: null };
}
