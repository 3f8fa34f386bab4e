import {
  classifyByReachability,
  dirOf,
  isRecord,
  joinPath,
  lockedDependency,
  tomlOf,
  tomlPackageTables,
  type ReadInput,
  type ReaderResult,
} from './common.js';
import { gitSource } from './sources.js';
import type { Dependency, DependencySource, Lockfile } from './types.js';

/**
 * Cargo.lock (versions 1-4): `[[package]]` tables with `source` (`registry+URL`, `sparse+URL`,
 * `git+URL?rev#commit`) and `checksum` (SHA-256 of the .crate; version 1 kept checksums in `[metadata]`).
 * Packages without a source are the project's own crates (the root and its workspace or path members):
 * they are roots, not dependencies. Cargo.lock also locks dev-dependencies without marking them, so what
 * only the `[dev-dependencies]` of the Cargo.toml beside it reach is development-only.
 */
export function readCargoLock(input: ReadInput): ReaderResult {
  const path = input.file.path;
  const lockfile: Lockfile = { file: path, format: 'cargo-lock', ecosystem: 'crates.io' };
  const tables = tomlPackageTables(input, lockfile);
  if ('unreadable' in tables) return tables.unreadable;
  const { document, packages, lines } = tables;
  const metadata = isRecord(document.metadata) ? document.metadata : {};
  const nodes: Dependency[] = [];
  const entries: Record<string, unknown>[] = [];
  const locals: Record<string, unknown>[] = [];
  const byName = new Map<string, number[]>();
  packages.forEach((entry, i) => {
    if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry.version !== 'string') return;
    if (typeof entry.source !== 'string') {
      locals.push(entry);
      return;
    }
    const legacy = metadata[`checksum ${entry.name} ${entry.version} (${entry.source})`];
    const checksum = typeof entry.checksum === 'string' ? entry.checksum : typeof legacy === 'string' ? legacy : null;
    byName.set(entry.name, [...(byName.get(entry.name) ?? []), nodes.length]);
    entries.push(entry);
    nodes.push(
      lockedDependency(
        {
          ecosystem: 'crates.io',
          name: entry.name,
          version: entry.version,
          source: sourceOf(entry.source),
          integrity: checksum ? [`sha256:${checksum.toLowerCase()}`] : [],
        },
        path,
        lines[i] ?? null,
      ),
    );
  });
  /** `"name"`, `"name version"` or `"name version (source)"`: the version is written only when ambiguous. */
  const resolve = (ref: unknown): number[] => {
    if (typeof ref !== 'string') return [];
    const [name, version] = ref.split(' ');
    const candidates = byName.get(name!) ?? [];
    return version ? candidates.filter((i) => nodes[i]!.version === version) : candidates;
  };
  const depsOf = (entry: Record<string, unknown>) => (Array.isArray(entry.dependencies) ? entry.dependencies : []);
  const edges = entries.map((entry) => depsOf(entry).flatMap(resolve));
  const devNames = cargoDevOnlyNames(input, dirOf(path));
  const prod: number[] = [];
  const dev: number[] = [];
  for (const local of locals) {
    for (const ref of depsOf(local)) {
      const name = typeof ref === 'string' ? ref.split(' ')[0]! : '';
      (devNames.has(name) ? dev : prod).push(...resolve(ref));
    }
  }
  classifyByReachability(nodes, edges, prod, dev);
  return { lockfile, dependencies: nodes };
}

function sourceOf(source: string): DependencySource {
  if (source.startsWith('registry+')) return { kind: 'registry', url: source.slice('registry+'.length) };
  if (source.startsWith('sparse+')) return { kind: 'registry', url: source.slice('sparse+'.length) };
  if (source.startsWith('git+')) {
    const git = gitSource(source.slice('git+'.length));
    const fragment = source.includes('#') ? source.slice(source.lastIndexOf('#') + 1) : '';
    return /^[0-9a-f]{40}$/i.test(fragment) ? { kind: 'git', url: git.url, commit: fragment.toLowerCase() } : git;
  }
  return { kind: 'unknown', url: source };
}

/** Names only the Cargo.toml's `[dev-dependencies]` declare (not also `[dependencies]`/`[build-dependencies]`). */
function cargoDevOnlyNames(input: ReadInput, dir: string): Set<string> {
  const file = input.bundle.files.get(joinPath(dir, 'Cargo.toml'));
  if (!file) return new Set();
  const parsed = tomlOf(file);
  if ('error' in parsed) return new Set();
  const names = (table: unknown) => (isRecord(table) ? Object.entries(table).map(([key, spec]) => (isRecord(spec) && typeof spec.package === 'string' ? spec.package : key)) : []);
  const doc = parsed.value;
  const dev = new Set(names(doc['dev-dependencies']));
  for (const name of [...names(doc.dependencies), ...names(doc['build-dependencies'])]) dev.delete(name);
  return dev;
}
