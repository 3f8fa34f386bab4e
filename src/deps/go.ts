import type { BundleFile } from '../bundle/types.js';
import { fileText } from '../text/file-text.js';
import { dirOf, joinPath, lockedDependency, problem, type ReadInput, type ReaderResult } from './common.js';
import type { Declaration, Dependency, DependencySource, Lockfile } from './types.js';

/**
 * Go modules: go.mod declares the required modules (exact versions; since Go 1.17 every module the build
 * needs, direct or `// indirect`), go.sum holds their hashes (`h1:` dirhashes of the module zip and of its
 * go.mod). Both formats are Go's own and only Go's golang.org/x/mod parses them, so they are read here:
 * line by line, with go.mod's directive blocks and `//` comments. As Syft's Go cataloger does, the modules are
 * go.mod's requirements (with `replace` applied) and their integrity comes from go.sum; without a go.mod,
 * every module go.sum holds a content hash for.
 */

export interface GoRequire {
  path: string;
  version: string;
  indirect: boolean;
  line: number;
}

export interface GoReplace {
  from: string;
  fromVersion: string | null;
  to: string;
  toVersion: string | null;
  line: number;
}

export interface GoMod {
  module: string | null;
  requires: GoRequire[];
  replaces: GoReplace[];
}

const goModCache = new WeakMap<BundleFile, GoMod>();

export function parseGoMod(file: BundleFile): GoMod {
  const cached = goModCache.get(file);
  if (cached) return cached;
  const mod: GoMod = { module: null, requires: [], replaces: [] };
  let block: string | null = null;
  fileText(file)
    .text.split(/\r\n|\r|\n/)
    .forEach((raw, i) => {
      const comment = raw.indexOf('//');
      const indirect = comment >= 0 && /^\/\/\s*indirect\b/.test(raw.slice(comment));
      const line = (comment >= 0 ? raw.slice(0, comment) : raw).trim();
      if (line === '') return;
      if (block !== null) {
        if (line === ')') block = null;
        else addDirective(mod, block, tokens(line), i + 1, indirect);
        return;
      }
      const words = tokens(line);
      const verb = words[0]!;
      if (words[1] === '(' && words.length === 2) {
        block = verb;
        return;
      }
      if (verb === 'module') mod.module = words[1] ?? null;
      else addDirective(mod, verb, words.slice(1), i + 1, indirect);
    });
  goModCache.set(file, mod);
  return mod;
}

function addDirective(mod: GoMod, verb: string, args: string[], line: number, indirect: boolean): void {
  if (verb === 'require' && args.length >= 2) mod.requires.push({ path: args[0]!, version: args[1]!, indirect, line });
  if (verb === 'replace') {
    const arrow = args.indexOf('=>');
    if (arrow < 1) return;
    const [from, fromVersion] = args.slice(0, arrow);
    const [to, toVersion] = args.slice(arrow + 1);
    if (from && to) mod.replaces.push({ from, fromVersion: fromVersion ?? null, to, toVersion: toVersion ?? null, line });
  }
}

/** go.mod words: space-separated, `"quoted"` or `` `raw` `` strings unquoted. */
function tokens(line: string): string[] {
  const out: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g;
  for (let m = pattern.exec(line); m; m = pattern.exec(line)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

interface SumEntry {
  zip?: { hash: string; line: number };
  mod?: { hash: string; line: number };
}

function parseGoSum(text: string): { entries: Map<string, SumEntry>; bad: number[] } {
  const entries = new Map<string, SumEntry>();
  const bad: number[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const match = /^(\S+)\s+(\S+?)(\/go\.mod)?\s+(h\d+:\S+)$/.exec(line);
    if (!match) {
      bad.push(i + 1);
      return;
    }
    const key = `${match[1]}@${match[2]}`;
    const entry = entries.get(key) ?? {};
    entry[match[3] ? 'mod' : 'zip'] = { hash: match[4]!, line: i + 1 };
    entries.set(key, entry);
  });
  return { entries, bad };
}

export function readGoSum(input: ReadInput): ReaderResult {
  const path = input.file.path;
  const dir = dirOf(path);
  const lockfile: Lockfile = { file: path, format: 'go-sum', ecosystem: 'Go' };
  const { entries, bad } = parseGoSum(input.text.text);
  const problems = bad.slice(0, 5).map((line) => problem(path, 'not a go.sum line ("module version[/go.mod] h1:hash")', line));
  const modFile = input.bundle.files.get(joinPath(dir, 'go.mod'));
  const dependencies: Dependency[] = [];
  if (!modFile) {
    for (const [key, entry] of entries) {
      if (!entry.zip) continue;
      const at = key.lastIndexOf('@');
      dependencies.push(goDependency(key.slice(0, at), key.slice(at + 1), { kind: 'registry', url: null }, [entry.zip.hash], path, entry.zip.line, false));
    }
    return { lockfile, dependencies, problems };
  }
  const mod = parseGoMod(modFile);
  for (const req of mod.requires) {
    const replace = mod.replaces.find((r) => r.from === req.path && (r.fromVersion === null || r.fromVersion === req.version));
    let name = req.path;
    let version = req.version;
    let source: DependencySource = { kind: 'registry', url: null };
    if (replace && replace.toVersion === null) {
      source = { kind: 'path', url: replace.to };
    } else if (replace && replace.toVersion !== null) {
      name = replace.to;
      version = replace.toVersion;
    }
    const sum = entries.get(`${name}@${version}`);
    const hash = sum?.zip ?? sum?.mod;
    const dep = goDependency(name, version, source, hash ? [hash.hash] : [], hash ? path : modFile.path, hash ? hash.line : req.line, !req.indirect);
    if (!hash) dep.locations[0]!.kind = 'declaration';
    dependencies.push(dep);
  }
  return { lockfile, dependencies, problems };
}

function goDependency(name: string, version: string, source: DependencySource, integrity: string[], file: string, line: number, direct: boolean): Dependency {
  return lockedDependency({ ecosystem: 'Go', name, version, source, integrity, direct }, file, line);
}

/** go.mod's requirements as declarations (exact versions); a local `replace` target is a path source. */
export function readGoMod(input: ReadInput): ReaderResult {
  const mod = parseGoMod(input.file);
  const declarations: Declaration[] = mod.requires.map((req) => {
    const declaration: Declaration = { ecosystem: 'Go', name: req.path, spec: req.version, file: input.file.path, line: req.line, dev: false };
    const replace = mod.replaces.find((r) => r.from === req.path && r.toVersion === null);
    if (replace) declaration.source = { kind: 'path', url: replace.to };
    return declaration;
  });
  return { declarations };
}
