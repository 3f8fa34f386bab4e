import { directoryOf, normalizePath, resolveBundlePath } from './approx.js';
import type { ImportFact } from './types.js';

/** Extensions Node and TypeScript try for a relative import written without one, in their order. */
const JS_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.tsx', '.jsx', '.json', '.node'];
/** TypeScript's ESM convention: `import "./util.js"` in a .ts file means util.ts. */
const TS_SOURCE_OF: ReadonlyMap<string, string[]> = new Map([
  ['.js', ['.ts', '.tsx']],
  ['.jsx', ['.tsx']],
  ['.mjs', ['.mts']],
  ['.cjs', ['.cts']],
]);

/** One resolved import: the files it runs, and whether the source names them by path (relative). */
export interface Resolution {
  files: string[];
  /** A relative path (`./x`, `from . import x`, `{here}/x`): the author points at exactly this file. */
  explicit: boolean;
}

/**
 * Resolves imports and path references to bundle files, the way Node and Python would find them inside the
 * bundle: JS relative specifiers with extension and index resolution (and TypeScript's `.js`-means-`.ts`);
 * Python modules against the import roots (the entry points' directories, the bundle root, `src/`, the
 * PYTHONPATH mcp_config sets), relative imports against the importing file's package. Bare package names
 * (`zod`, `requests` installed in site-packages) resolve to nothing: dependencies are not followed.
 */
export class ImportResolver {
  private readonly directories = new Set<string>();

  constructor(
    readonly files: ReadonlySet<string>,
    private readonly pythonRoots: readonly string[],
  ) {
    for (const file of files) {
      for (let dir = directoryOf(file); dir !== '' && !this.directories.has(dir); dir = directoryOf(dir)) this.directories.add(dir);
    }
  }

  resolve(fact: ImportFact): Resolution {
    if (fact.kind === 'path-reference') {
      const path = resolveBundlePath(directoryOf(fact.file), fact.specifier);
      return { files: path !== null && this.files.has(path) ? [path] : [], explicit: true };
    }
    if (fact.language !== 'python') return { files: this.resolveJs(fact.file, fact.specifier), explicit: true };
    if (fact.specifier.startsWith('.')) return { files: this.resolveRelativePython(fact), explicit: true };
    return { files: this.resolveAbsolutePython(fact.specifier, fact.names ?? []), explicit: false };
  }

  private resolveJs(from: string, specifier: string): string[] {
    if (!specifier.startsWith('./') && !specifier.startsWith('../') && specifier !== '.' && specifier !== '..') return [];
    const target = normalizePath(`${directoryOf(from) || '.'}/${specifier.split(/[?#]/)[0]}`);
    if (target.startsWith('..') || target.startsWith('/')) return [];
    const base = target === '.' ? '' : target;
    const candidates = [base];
    const dot = base.lastIndexOf('.');
    const extension = dot > base.lastIndexOf('/') ? base.slice(dot) : '';
    for (const source of TS_SOURCE_OF.get(extension) ?? []) candidates.push(base.slice(0, dot) + source);
    for (const ext of JS_EXTENSIONS) candidates.push(base + ext);
    for (const ext of JS_EXTENSIONS) candidates.push(`${base ? `${base}/` : ''}index${ext}`);
    const found = candidates.find((candidate) => candidate !== '' && this.files.has(candidate));
    return found ? [found] : [];
  }

  private resolveRelativePython(fact: ImportFact): string[] {
    const dots = fact.specifier.length - fact.specifier.replace(/^\.+/, '').length;
    let base = directoryOf(fact.file);
    for (let level = 1; level < dots; level++) {
      if (base === '') return [];
      base = directoryOf(base);
    }
    const rest = fact.specifier.slice(dots);
    const moduleDir = rest ? joinSegments(base, rest.split('.')) : base;
    const found: string[] = [];
    const initFile = joinSegments(moduleDir, ['__init__.py']);
    if (rest) {
      const module = this.findModule(moduleDir);
      if (module) found.push(module);
    } else if (this.files.has(initFile)) {
      found.push(initFile);
    }
    for (const name of fact.names ?? []) {
      const submodule = this.findModule(joinSegments(moduleDir, [name]));
      if (submodule) found.push(submodule);
    }
    return found;
  }

  private resolveAbsolutePython(module: string, names: readonly string[]): string[] {
    const parts = module.split('.');
    for (const root of this.pythonRoots) {
      const modulePath = joinSegments(root, parts);
      const file = this.findModule(modulePath);
      // A namespace package (PEP 420): a directory without __init__.py still holds importable submodules.
      if (!file && !this.directories.has(modulePath)) continue;
      const found: string[] = [];
      // Importing a.b.c runs a/__init__.py and a/b/__init__.py first.
      for (let i = 1; i < parts.length; i++) {
        const init = joinSegments(root, [...parts.slice(0, i), '__init__.py']);
        if (this.files.has(init)) found.push(init);
      }
      if (file) found.push(file);
      for (const name of names) {
        const submodule = this.findModule(joinSegments(root, [...parts, name]));
        if (submodule) found.push(submodule);
      }
      if (found.length > 0) return found;
    }
    return [];
  }

  /** `a/b` as a module: a/b.py, or the package a/b/__init__.py. */
  private findModule(path: string): string | null {
    for (const candidate of [`${path}.py`, `${path}.pyw`, `${path}/__init__.py`]) if (this.files.has(candidate)) return candidate;
    // A namespace package (a directory without __init__.py) imports nothing by itself.
    return null;
  }

  isDirectory(path: string): boolean {
    return this.directories.has(path);
  }
}

function joinSegments(base: string, segments: readonly string[]): string {
  return [base, ...segments].filter((segment) => segment !== '').join('/');
}

/**
 * Bundle files a shell script names (`exec node "$(dirname "$0")/dist/index.js"`): words that, relative to
 * the script's directory or the bundle root, are files of the bundle. A split on separators, no regex
 * backtracking; scripts over the size cap are not read.
 */
export function shellScriptReferences(script: string, text: string, files: ReadonlySet<string>): string[] {
  if (text.length > 256 * 1024) return [];
  const dir = directoryOf(script);
  const found = new Set<string>();
  for (const raw of text.split(/[\s"'`;|&()<>=]+/)) {
    const word = raw.replace(/^(?:\$\{?\w+\}?|\$)?\/?/, '').replace(/^\.\//, '');
    if (word === '' || word.includes('$')) continue;
    for (const candidate of [normalizePath(dir ? `${dir}/${word}` : word), normalizePath(word)]) {
      if (files.has(candidate) && candidate !== script) found.add(candidate);
    }
  }
  return [...found];
}
