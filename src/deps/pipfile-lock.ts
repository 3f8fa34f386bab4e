import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { dirOf, isRecord, joinPath, lockedDependency, problem, stripBom, tomlOf, type ReadInput, type ReaderResult } from './common.js';
import { exactPep440 } from './pep508.js';
import { classifyReference, gitSource } from './sources.js';
import type { Dependency, DependencySource, Lockfile, RegistryDeclaration } from './types.js';

/**
 * Pipfile.lock (pipenv, pipfile-spec 6): JSON with `default` (production) and `develop` sections, each
 * package with `version` ("==1.0"), `hashes`, the `index` it comes from (named in `_meta.sources`), or
 * `git`/`ref`, `path`, `file`. Direct dependencies are the ones the Pipfile beside it declares.
 */
export function readPipfileLock(input: ReadInput): ReaderResult {
  const path = input.file.path;
  const lockfile: Lockfile = { file: path, format: 'pipfile-lock', ecosystem: 'PyPI' };
  let data: unknown;
  try {
    data = JSON.parse(stripBom(input.text.text));
  } catch (e) {
    return { lockfile, problems: [problem(path, `not valid JSON: ${(e as Error).message}`)] };
  }
  if (!isRecord(data)) return { lockfile, problems: [problem(path, 'not a JSON object', 1)] };
  const tree = parseTree(input.text.text);
  const lineOf = (section: string, name: string): number | null => {
    const node = tree ? findNodeAtLocation(tree, [section, name]) : undefined;
    return node?.parent ? input.text.lines.lineAt(node.parent.offset) : null;
  };
  const meta = isRecord(data._meta) ? data._meta : {};
  const sources = Array.isArray(meta.sources) ? meta.sources.filter(isRecord) : [];
  const indexUrls = new Map(sources.flatMap((s) => (typeof s.name === 'string' && typeof s.url === 'string' ? [[s.name, s.url] as const] : [])));
  const registries: RegistryDeclaration[] = sources.flatMap((s, i) =>
    typeof s.url === 'string'
      ? [{ ecosystem: 'PyPI' as const, url: s.url, kind: i === 0 ? ('index' as const) : ('extra-index' as const), file: path, line: tree ? lineAtPath(input, tree, ['_meta', 'sources', i]) : null }]
      : [],
  );
  const declared = pipfileNames(input, dirOf(path));
  const dependencies: Dependency[] = [];
  for (const section of ['default', 'develop'] as const) {
    const entries = isRecord(data[section]) ? data[section] : {};
    for (const [name, entry] of Object.entries(entries)) {
      if (!isRecord(entry)) continue;
      if (entry.editable === true && (entry.path === '.' || entry.path === './')) continue; // the project itself
      const source = sourceOf(entry, indexUrls);
      const hashes = Array.isArray(entry.hashes) ? entry.hashes.filter((h): h is string => typeof h === 'string').map((h) => h.toLowerCase()) : [];
      const dep = lockedDependency(
        {
          ecosystem: 'PyPI',
          name,
          version: typeof entry.version === 'string' ? exactPep440(entry.version) : null,
          source,
          integrity: hashes,
          dev: section === 'develop',
          direct: declared ? declared.has(name.toLowerCase()) : false,
        },
        path,
        lineOf(section, name),
      );
      dependencies.push(dep);
    }
  }
  return { lockfile, dependencies, registries };
}

function lineAtPath(input: ReadInput, tree: NonNullable<ReturnType<typeof parseTree>>, path: (string | number)[]): number | null {
  const node = findNodeAtLocation(tree, path);
  return node ? input.text.lines.lineAt(node.offset) : null;
}

function sourceOf(entry: Record<string, unknown>, indexUrls: Map<string, string>): DependencySource {
  if (typeof entry.git === 'string') {
    const ref = typeof entry.ref === 'string' ? entry.ref : '';
    const git = gitSource(entry.git);
    return /^[0-9a-f]{40}$/i.test(ref) ? { kind: 'git', url: entry.git, commit: ref.toLowerCase() } : git;
  }
  if (typeof entry.path === 'string') return { kind: 'path', url: entry.path };
  if (typeof entry.file === 'string') return classifyReference(entry.file);
  const index = typeof entry.index === 'string' ? indexUrls.get(entry.index) : undefined;
  return { kind: 'registry', url: index ?? null };
}

/** The names the Pipfile beside the lockfile declares (lowercase), or null without one. */
function pipfileNames(input: ReadInput, dir: string): Set<string> | null {
  const file = input.bundle.files.get(joinPath(dir, 'Pipfile'));
  if (!file) return null;
  const parsed = tomlOf(file);
  if ('error' in parsed) return null;
  const names = new Set<string>();
  for (const section of ['packages', 'dev-packages']) {
    const table = parsed.value[section];
    if (isRecord(table)) for (const name of Object.keys(table)) names.add(name.toLowerCase());
  }
  return names;
}
