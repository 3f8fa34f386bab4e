import {
  classifyByReachability,
  comparableName,
  dirOf,
  isRecord,
  joinPath,
  lockedDependency,
  tomlOf,
  tomlPackageTables,
  type ReadInput,
  type ReaderResult,
} from './common.js';
import { parsePep508 } from './pep508.js';
import { gitSource } from './sources.js';
import type { Dependency, DependencySource, Lockfile } from './types.js';

/**
 * poetry.lock (lock-version 1.x and 2.x): `[[package]]` tables with `files = [{file, hash}]` (1.x kept them
 * in `[metadata.files]`), `[package.dependencies]` edges and an optional `[package.source]`. Poetry >= 1.5
 * no longer writes `category`; which packages are development-only then comes from the groups of the
 * pyproject.toml beside it, walked through the lockfile's graph.
 */
export function readPoetryLock(input: ReadInput): ReaderResult {
  const path = input.file.path;
  const lockfile: Lockfile = { file: path, format: 'poetry-lock', ecosystem: 'PyPI' };
  const tables = tomlPackageTables(input, lockfile);
  if ('unreadable' in tables) return tables.unreadable;
  const { document, packages, lines } = tables;
  const metadata = isRecord(document.metadata) ? document.metadata : {};
  const legacyFiles = isRecord(metadata.files) ? metadata.files : {};
  const nodes: Dependency[] = [];
  const byName = new Map<string, number[]>();
  const edgeNames: string[][] = [];
  packages.forEach((entry, i) => {
    if (!isRecord(entry) || typeof entry.name !== 'string') return;
    const files = Array.isArray(entry.files) ? entry.files : Array.isArray(legacyFiles[entry.name]) ? (legacyFiles[entry.name] as unknown[]) : [];
    const hashes = files.flatMap((f) => (isRecord(f) && typeof f.hash === 'string' ? [f.hash.toLowerCase()] : []));
    const key = comparableName('PyPI', entry.name);
    byName.set(key, [...(byName.get(key) ?? []), nodes.length]);
    edgeNames.push(Object.keys(isRecord(entry.dependencies) ? entry.dependencies : {}));
    nodes.push(
      lockedDependency(
        {
          ecosystem: 'PyPI',
          name: entry.name,
          version: typeof entry.version === 'string' ? entry.version : null,
          source: sourceOf(entry.source),
          integrity: hashes,
          dev: entry.category === 'dev',
        },
        path,
        lines[i] ?? null,
      ),
    );
  });
  const edges = edgeNames.map((names) => names.flatMap((n) => byName.get(comparableName('PyPI', n)) ?? []));
  const groups = pyprojectGroups(input, dirOf(path));
  if (groups) {
    const find = (names: string[]) => names.flatMap((n) => byName.get(comparableName('PyPI', n)) ?? []);
    classifyByReachability(nodes, edges, find(groups.prod), find(groups.dev));
  }
  return { lockfile, dependencies: nodes };
}

/** `[package.source]`: git (with the resolved commit), a non-default index ("legacy"), a URL, a file or directory. */
function sourceOf(source: unknown): DependencySource {
  if (!isRecord(source) || typeof source.type !== 'string') return { kind: 'registry', url: null };
  const url = typeof source.url === 'string' ? source.url : null;
  switch (source.type) {
    case 'git': {
      const resolved = typeof source.resolved_reference === 'string' ? source.resolved_reference : '';
      const git = gitSource(url ?? '');
      return /^[0-9a-f]{40}$/i.test(resolved) ? { kind: 'git', url, commit: resolved.toLowerCase() } : { ...git, url };
    }
    case 'legacy':
      return { kind: 'registry', url };
    case 'url':
      return { kind: 'url', url };
    case 'file':
    case 'directory':
      return { kind: 'path', url };
    default:
      return { kind: 'unknown', url };
  }
}

/**
 * The dependency names a pyproject.toml declares for production (`[project] dependencies`, Poetry's
 * `[tool.poetry.dependencies]` and its `main` group) and for development (Poetry's dev-dependencies and
 * other groups, PEP 735 `[dependency-groups]`, uv's `dev-dependencies`).
 */
export function pyprojectGroups(input: ReadInput, dir: string): { prod: string[]; dev: string[] } | null {
  const file = input.bundle.files.get(joinPath(dir, 'pyproject.toml'));
  if (!file) return null;
  const parsed = tomlOf(file);
  if ('error' in parsed) return null;
  const doc = parsed.value;
  const project = isRecord(doc.project) ? doc.project : {};
  const tool = isRecord(doc.tool) ? doc.tool : {};
  const poetry = isRecord(tool.poetry) ? tool.poetry : {};
  const uv = isRecord(tool.uv) ? tool.uv : {};
  const pep508Names = (list: unknown): string[] =>
    Array.isArray(list) ? list.flatMap((s) => (typeof s === 'string' ? [parsePep508(s)?.name ?? ''] : [])).filter(Boolean) : [];
  const tableNames = (table: unknown): string[] => (isRecord(table) ? Object.keys(table).filter((n) => n.toLowerCase() !== 'python') : []);
  const prod = [...pep508Names(project.dependencies), ...tableNames(poetry.dependencies)];
  if (isRecord(project['optional-dependencies'])) for (const list of Object.values(project['optional-dependencies'])) prod.push(...pep508Names(list));
  const dev = [...tableNames(poetry['dev-dependencies']), ...pep508Names(uv['dev-dependencies'])];
  for (const [name, group] of Object.entries(isRecord(poetry.group) ? poetry.group : {})) {
    if (isRecord(group)) (name === 'main' ? prod : dev).push(...tableNames(group.dependencies));
  }
  for (const list of Object.values(isRecord(doc['dependency-groups']) ? doc['dependency-groups'] : {})) dev.push(...pep508Names(list));
  return { prod, dev };
}
