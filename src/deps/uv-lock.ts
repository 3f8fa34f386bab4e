import {
  classifyByReachability,
  comparableName,
  dirOf,
  isRecord,
  lockedDependency,
  resolveInBundle,
  tomlPackageTables,
  type ReadInput,
  type ReaderResult,
} from './common.js';
import { gitSource } from './sources.js';
import type { Dependency, DependencySource, Lockfile } from './types.js';

/**
 * uv.lock (version 1): `[[package]]` tables with a `source` (registry, git, url, path, directory, editable,
 * virtual), `sdist`/`wheels` artifacts with their hashes, and `dependencies` edges (by name, with version
 * and source when several versions of one name are locked). The project itself and its workspace members
 * are the packages whose source is `editable` or `virtual` inside the lockfile's directory: they are roots,
 * not dependencies; what their `dev-dependencies` alone reach is development-only.
 */
export function readUvLock(input: ReadInput): ReaderResult {
  const path = input.file.path;
  const lockfile: Lockfile = { file: path, format: 'uv-lock', ecosystem: 'PyPI' };
  const tables = tomlPackageTables(input, lockfile);
  if ('unreadable' in tables) return tables.unreadable;
  const { document, packages, lines } = tables;
  const lockDir = dirOf(path);
  const nodes: Dependency[] = [];
  const nodeEntries: Record<string, unknown>[] = [];
  const members: Record<string, unknown>[] = [];
  const byName = new Map<string, number[]>();
  packages.forEach((entry, i) => {
    if (!isRecord(entry) || typeof entry.name !== 'string') return;
    const source = isRecord(entry.source) ? entry.source : {};
    if (isProjectMember(source, lockDir)) {
      members.push(entry);
      return;
    }
    const key = comparableName('PyPI', entry.name);
    byName.set(key, [...(byName.get(key) ?? []), nodes.length]);
    nodeEntries.push(entry);
    nodes.push(
      lockedDependency(
        {
          ecosystem: 'PyPI',
          name: entry.name,
          version: typeof entry.version === 'string' ? entry.version : null,
          source: sourceOf(source),
          integrity: hashesOf(entry),
        },
        path,
        lines[i] ?? null,
      ),
    );
  });
  const resolve = (ref: unknown): number[] => {
    if (!isRecord(ref) || typeof ref.name !== 'string') return [];
    const candidates = byName.get(comparableName('PyPI', ref.name)) ?? [];
    if (typeof ref.version !== 'string') return candidates;
    return candidates.filter((i) => nodes[i]!.version === ref.version);
  };
  const refsOf = (value: unknown): unknown[] =>
    Array.isArray(value) ? value : isRecord(value) ? Object.values(value).flatMap((v) => (Array.isArray(v) ? v : [])) : [];
  const edges = nodeEntries.map((entry) => [...refsOf(entry.dependencies), ...refsOf(entry['optional-dependencies'])].flatMap(resolve));
  const prod: number[] = [];
  const dev: number[] = [];
  for (const member of members) {
    prod.push(...[...refsOf(member.dependencies), ...refsOf(member['optional-dependencies'])].flatMap(resolve));
    dev.push(...refsOf(member['dev-dependencies']).flatMap(resolve));
  }
  classifyByReachability(nodes, edges, prod, dev);
  return { lockfile, dependencies: nodes };
}

/** `editable`/`virtual` sources inside the lockfile's directory are the project and its workspace members. */
function isProjectMember(source: Record<string, unknown>, lockDir: string): boolean {
  const local = typeof source.editable === 'string' ? source.editable : typeof source.virtual === 'string' ? source.virtual : null;
  return local !== null && resolveInBundle(lockDir, local) !== null;
}

function sourceOf(source: Record<string, unknown>): DependencySource {
  if (typeof source.registry === 'string') return { kind: 'registry', url: source.registry };
  if (typeof source.git === 'string') return gitSource(source.git);
  if (typeof source.url === 'string') return { kind: 'url', url: source.url };
  for (const key of ['path', 'directory', 'editable', 'virtual'] as const) {
    if (typeof source[key] === 'string') return { kind: 'path', url: source[key] as string };
  }
  return { kind: 'unknown', url: null };
}

/** The hashes of the source distribution and of every wheel, as written (`sha256:<hex>`). */
function hashesOf(entry: Record<string, unknown>): string[] {
  const artifacts = [entry.sdist, ...(Array.isArray(entry.wheels) ? entry.wheels : [])];
  const hashes = artifacts.flatMap((a) => (isRecord(a) && typeof a.hash === 'string' ? [a.hash.toLowerCase()] : []));
  return [...new Set(hashes)];
}
