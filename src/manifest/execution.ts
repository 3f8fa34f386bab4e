import { normalizeEntryName } from '../bundle/paths.js';
import { isObject, type JsonPath, type Manifest } from './manifest.js';

/** What `mcp_config` runs from the bundle: a file (`${__dirname}/server/index.js`) or a Python module (`-m pkg.server`). */
export interface ExecutionTarget {
  kind: 'file' | 'module';
  /** Bundle-relative path for files; dotted name for modules. */
  value: string;
  /** JSON path of the command or argument that names it. */
  path: JsonPath;
  /** JSON path of the config that runs it: `mcp_config` itself or one of its `platform_overrides`. */
  config: JsonPath;
  /** For files: the path exists in the bundle. For modules: a matching .py / package exists. */
  exists: boolean;
}

const DIRNAME = '${__dirname}';

/**
 * Normalizes a manifest-supplied relative path (`./server/x.py` -> `server/x.py`) with the same rules intake
 * applies to archive entries; null when it is absolute, climbs out with `..`, uses backslashes or control
 * characters, or names the root or a directory.
 */
export function normalizeRelativePath(value: string): string | null {
  try {
    const { path, isDirectory } = normalizeEntryName(value);
    return path === '' || isDirectory ? null : path;
  } catch {
    return null;
  }
}

/**
 * The bundle files and modules that `mcp_config` (and each of its `platform_overrides`) executes. An argument
 * counts as a file target when it starts with `${__dirname}/` or names a file that is in the bundle; `-m X`
 * names a module target.
 */
export function executionTargets(manifest: Manifest, files: ReadonlyMap<string, unknown>): ExecutionTarget[] {
  const config = manifest.mcpConfig;
  if (!config || !isObject(config.value)) return [];
  const targets: ExecutionTarget[] = [...targetsOf(config.value, config.path, files)];
  const overrides = config.value.platform_overrides;
  if (isObject(overrides)) {
    for (const [platform, override] of Object.entries(overrides)) {
      if (isObject(override)) targets.push(...targetsOf(override, [...config.path, 'platform_overrides', platform], files));
    }
  }
  return targets;
}

function* targetsOf(
  config: Record<string, unknown>,
  at: JsonPath,
  files: ReadonlyMap<string, unknown>,
): Generator<ExecutionTarget> {
  if (typeof config.command === 'string') {
    const target = fileTarget(config.command, [...at, 'command'], files);
    if (target) yield { ...target, config: at };
  }
  const args = Array.isArray(config.args) ? config.args : [];
  for (let i = 0; i < args.length; i++) {
    const arg: unknown = args[i];
    if (typeof arg !== 'string') continue;
    if (arg === '-m' && typeof args[i + 1] === 'string') {
      const module = args[i + 1] as string;
      yield { kind: 'module', value: module, path: [...at, 'args', i + 1], config: at, exists: moduleExists(module, files) };
      i++;
      continue;
    }
    const target = fileTarget(arg, [...at, 'args', i], files);
    if (target) yield { ...target, config: at };
  }
}

function fileTarget(token: string, path: JsonPath, files: ReadonlyMap<string, unknown>): Omit<ExecutionTarget, 'config'> | null {
  if (token.startsWith(`${DIRNAME}/`)) {
    const relative = normalizeRelativePath(token.slice(DIRNAME.length + 1));
    if (relative === null) return null;
    // `${__dirname}/server` naming a directory (e.g. `uv run --directory`) is not a file target.
    if (!files.has(relative) && [...files.keys()].some((f) => f.startsWith(`${relative}/`))) return null;
    return { kind: 'file', value: relative, path, exists: files.has(relative) };
  }
  const relative = normalizeRelativePath(token);
  if (relative !== null && !token.startsWith('-') && files.has(relative)) {
    return { kind: 'file', value: relative, path, exists: true };
  }
  return null;
}

/** Where `python -m a.b` finds code: a/b.py, a/b/__main__.py, or the same below a `src/` layout. */
export function modulePaths(module: string): string[] {
  const base = module.split('.').join('/');
  return [`${base}.py`, `${base}/__main__.py`, `src/${base}.py`, `src/${base}/__main__.py`];
}

function moduleExists(module: string, files: ReadonlyMap<string, unknown>): boolean {
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(module)) return false;
  return modulePaths(module).some((p) => files.has(p));
}

/**
 * Whether a `-m` module and an entry point name the same code. The spec's own examples pair
 * `entry_point: "server.py"` with `-m weather.server`, so the entry point matches when its path, without
 * `.py` or `/__main__.py`, equals the module path or is a trailing run of its components.
 */
export function moduleMatchesEntryPoint(module: string, entryPoint: string): boolean {
  const moduleParts = module.split('.');
  const entryParts = entryPoint
    .replace(/\/__main__\.py$|\/__init__\.py$|\.py$/, '')
    .split('/')
    .filter((p) => p !== 'src');
  if (entryParts.length === 0 || entryParts.length > moduleParts.length) return false;
  const tail = moduleParts.slice(moduleParts.length - entryParts.length);
  return tail.every((part, i) => part === entryParts[i]);
}
