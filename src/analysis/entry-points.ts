import { normalizeEntryName } from '../bundle/paths.js';
import { executionTargets, modulePaths, normalizeRelativePath } from '../manifest/execution.js';
import { isObject, type Manifest } from '../manifest/manifest.js';
import { directoryOf } from './approx.js';

/** What the analysis pass starts from: the files the manifest executes and where Python finds modules. */
export interface EntryPoints {
  /** Bundle files the client runs: `server.entry_point`, mcp_config file targets, `-m` module files. */
  files: string[];
  /**
   * Python import roots: the entry points' directories, the root a `-m pkg.mod` resolves under, the bundle
   * root, `src/`, and PYTHONPATH entries mcp_config sets with `${__dirname}/...`.
   */
  pythonRoots: string[];
}

const DIRNAME = '${__dirname}';

export function findEntryPoints(manifest: Manifest | null, files: ReadonlyMap<string, unknown>): EntryPoints {
  const entries = new Set<string>();
  const roots = new Set<string>();
  if (manifest) {
    const server = manifest.data.server;
    const declared = isObject(server) && typeof server.entry_point === 'string' ? normalizeRelativePath(server.entry_point) : null;
    if (declared && files.has(declared)) entries.add(declared);
    for (const target of executionTargets(manifest, files)) {
      if (target.kind === 'file' && target.exists) entries.add(target.value);
      if (target.kind !== 'module') continue;
      for (const candidate of modulePaths(target.value)) {
        if (!files.has(candidate)) continue;
        entries.add(candidate);
        const root = candidate.startsWith('src/') ? 'src' : '';
        roots.add(root);
        // `python -m a.b.c` imports the packages a and a.b first: their __init__.py files run too.
        const parts = target.value.split('.');
        for (let i = 1; i <= parts.length; i++) {
          const init = [root, ...parts.slice(0, i), '__init__.py'].filter((part) => part !== '').join('/');
          if (files.has(init)) entries.add(init);
        }
        break;
      }
    }
    for (const path of pythonPathsOf(manifest)) roots.add(path);
  }
  for (const entry of entries) roots.add(directoryOf(entry));
  roots.add('');
  roots.add('src');
  return { files: [...entries], pythonRoots: [...roots] };
}

/** `PYTHONPATH` values in mcp_config env (and platform overrides) that point inside the bundle. */
function pythonPathsOf(manifest: Manifest): string[] {
  const config = manifest.mcpConfig?.value;
  if (!isObject(config)) return [];
  const configs = [config, ...(isObject(config.platform_overrides) ? Object.values(config.platform_overrides) : [])];
  const found: string[] = [];
  for (const candidate of configs) {
    const env = isObject(candidate) ? candidate.env : undefined;
    const value = isObject(env) ? env.PYTHONPATH : undefined;
    if (typeof value !== 'string') continue;
    for (const part of value.split(/[:;]/)) {
      if (!part.startsWith(`${DIRNAME}/`) && part !== DIRNAME) continue;
      const relative = part === DIRNAME ? '' : part.slice(DIRNAME.length + 1).replace(/\/+$/, '');
      if (relative === '') {
        found.push('');
        continue;
      }
      try {
        const { path } = normalizeEntryName(relative);
        if (path !== '') found.push(path.replace(/\/$/, ''));
      } catch {
        // A PYTHONPATH entry that climbs out of the bundle is no import root of the bundle's.
      }
    }
  }
  return found;
}
