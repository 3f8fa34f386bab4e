import type { FileText } from '../text/file-text.js';
import {
  classifyByReachability,
  dirOf,
  isRecord,
  jsonOf,
  joinPath,
  lockedDependency,
  problem,
  resolveInBundle,
  type ReadInput,
  type ReaderResult,
} from './common.js';
import { classifyReference, isNpmRegistryTarball } from './sources.js';
import type { Dependency, DependencySource, Lockfile } from './types.js';
import { parseYamlLockfile } from './yaml.js';

/**
 * yarn.lock: v1 (yarn classic, its own indentation format) and Berry (yarn 2+, YAML with `__metadata`).
 * The lockfile lists descriptors (`name@range`) and what they resolve to, not which of them the project
 * declares: direct and development dependencies come from the package.json files beside it, walked through
 * the lockfile's dependency graph.
 */
export function readYarnLock(input: ReadInput): ReaderResult {
  return /^__metadata:/m.test(input.text.text) ? readBerry(input) : readClassic(input);
}

interface Entry {
  descriptors: string[];
  fields: Map<string, string>;
  dependencies: Map<string, string>;
  line: number;
}

/** One entry per top-level block; descriptors like `"@babel/core@^7.0.0", "@babel/core@^7.1.0":`. */
const MAX_LINE_LENGTH = 64 * 1024;

/**
 * Reads the yarn v1 format. It looks like YAML but is not (comma-separated unquoted keys, `key value` pairs
 * without a colon), and no maintained parser for it exists outside yarn itself (@yarnpkg/lockfile is
 * unmaintained since 2018 and pulls in yarn's own runtime), so it is walked here line by line: linear, no
 * backtracking, every line bounded.
 */
function parseClassic(text: FileText): { entries: Entry[]; problems: string[] } {
  const entries: Entry[] = [];
  const problems: string[] = [];
  let current: Entry | null = null;
  let section: string | null = null;
  const lines = text.text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.length > MAX_LINE_LENGTH) {
      problems.push(`line ${i + 1} is longer than ${MAX_LINE_LENGTH} characters`);
      continue;
    }
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    if (indent === 0) {
      if (!line.endsWith(':')) {
        problems.push(`line ${i + 1}: expected an entry header ending in ":"`);
        current = null;
        continue;
      }
      current = { descriptors: splitDescriptors(line.slice(0, -1)), fields: new Map(), dependencies: new Map(), line: i + 1 };
      entries.push(current);
      section = null;
      continue;
    }
    if (!current) continue;
    if (indent <= 2) {
      if (line.endsWith(':')) {
        section = unquote(line.slice(0, -1));
        continue;
      }
      section = null;
      const [key, value] = splitPair(line);
      current.fields.set(key, value);
    } else if (section === 'dependencies' || section === 'optionalDependencies') {
      const [name, range] = splitPair(line);
      current.dependencies.set(name, range);
    }
  }
  return { entries, problems };
}

function splitDescriptors(header: string): string[] {
  return header.split(/,\s*/).map(unquote).filter(Boolean);
}

function splitPair(line: string): [string, string] {
  if (line.startsWith('"')) {
    const end = line.indexOf('"', 1);
    if (end > 0) return [line.slice(1, end), unquote(line.slice(end + 1).trim())];
  }
  const space = line.search(/\s/);
  return space < 0 ? [line, ''] : [line.slice(0, space), unquote(line.slice(space + 1).trim())];
}

function unquote(value: string): string {
  const v = value.trim();
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1).replace(/\\"/g, '"') : v;
}

/** `name@range`: the name ends at the first `@` after a leading scope `@`. */
function splitDescriptor(descriptor: string): { name: string; range: string } {
  const at = descriptor.indexOf('@', 1);
  return at < 0 ? { name: descriptor, range: '' } : { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) };
}

function readClassic(input: ReadInput): ReaderResult {
  const path = input.file.path;
  const lockfile: Lockfile = { file: path, format: 'yarn-lock-v1', ecosystem: 'npm' };
  const { entries, problems } = parseClassic(input.text);
  const nodes: Dependency[] = [];
  const byDescriptor = new Map<string, number>();
  for (const entry of entries) {
    const { name: declaredName, range } = splitDescriptor(entry.descriptors[0] ?? '');
    const alias = /^npm:((?:@[^/@]+\/)?[^@]+)@/.exec(range);
    const name = alias ? alias[1]! : declaredName;
    const version = entry.fields.get('version') ?? null;
    const resolved = entry.fields.get('resolved');
    const integrity = entry.fields.get('integrity');
    const sha1 = resolved && /#([0-9a-f]{40})$/.exec(resolved)?.[1];
    const source = classicSource(resolved, range, dirOf(path));
    for (const d of entry.descriptors) byDescriptor.set(d, nodes.length);
    nodes.push(
      lockedDependency(
        {
          ecosystem: 'npm',
          name,
          version,
          source,
          integrity: integrity ? integrity.split(/\s+/) : sha1 && source.kind === 'registry' ? [`sha1:${sha1}`] : [],
        },
        path,
        entry.line,
      ),
    );
  }
  const edges = entries.map((entry) => [...entry.dependencies].map(([n, r]) => byDescriptor.get(`${n}@${r}`) ?? -1));
  const roots = declaredRoots(input, dirOf(path));
  if (roots) {
    const find = (name: string, spec: string) => byDescriptor.get(`${name}@${spec}`) ?? -1;
    classifyByReachability(nodes, edges, roots.prod.map(([n, s]) => find(n, s)), roots.dev.map(([n, s]) => find(n, s)));
  }
  return { lockfile, dependencies: nodes, problems: problems.slice(0, 20).map((m) => problem(path, m)) };
}

function classicSource(resolved: string | undefined, range: string, dir: string): DependencySource {
  if (resolved === undefined) {
    const fromRange = classifyReference(range, { shorthand: true });
    return fromRange.kind === 'unknown' ? { kind: 'registry', url: null } : fromRange;
  }
  const withoutHash = resolved.replace(/#[0-9a-f]{40}$/, '');
  if (isNpmRegistryTarball(withoutHash)) return { kind: 'registry', url: withoutHash };
  const source = classifyReference(resolved);
  return source.kind === 'unknown' && resolveInBundle(dir, resolved) !== null ? { kind: 'path', url: resolved } : source;
}

/** `[name, spec]` pairs a package.json declares, split into production (with optional) and development. */
function declaredRoots(input: ReadInput, dir: string): { prod: [string, string][]; dev: [string, string][] } | null {
  const file = input.bundle.files.get(joinPath(dir, 'package.json'));
  if (!file) return null;
  const parsed = jsonOf(file);
  if (!('value' in parsed) || !isRecord(parsed.value)) return null;
  const pkg = parsed.value;
  const pairs = (field: unknown): [string, string][] =>
    isRecord(field) ? Object.entries(field).filter((e): e is [string, string] => typeof e[1] === 'string') : [];
  return { prod: [...pairs(pkg.dependencies), ...pairs(pkg.optionalDependencies)], dev: pairs(pkg.devDependencies) };
}

/**
 * Berry: YAML; keys are descriptors with their protocol (`lodash@npm:^4.17.21`), `resolution` names the
 * locator (`lodash@npm:4.17.21`), `checksum` is yarn's hash of the package archive in its cache. Workspace
 * entries (`app@workspace:.`) are the project itself: roots, not dependencies.
 */
function readBerry(input: ReadInput): ReaderResult {
  const path = input.file.path;
  const lockfile: Lockfile = { file: path, format: 'yarn-lock-berry', ecosystem: 'npm' };
  const parsed = parseYamlLockfile(input.text);
  if (!parsed.ok) return { lockfile, problems: [problem(path, parsed.message)] };
  const nodes: Dependency[] = [];
  const byDescriptor = new Map<string, number>();
  const pending: { from: number; deps: Record<string, unknown> }[] = [];
  const workspaces: { dir: string; deps: Record<string, unknown> }[] = [];
  for (const [key, value] of Object.entries(parsed.value.data)) {
    if (key === '__metadata' || !isRecord(value)) continue;
    const resolution = typeof value.resolution === 'string' ? value.resolution : '';
    const locator = splitDescriptor(resolution);
    const deps = isRecord(value.dependencies) ? value.dependencies : {};
    if (locator.range.startsWith('workspace:')) {
      workspaces.push({ dir: locator.range.slice('workspace:'.length), deps });
      continue;
    }
    const index = nodes.length;
    for (const d of key.split(/,\s*/)) byDescriptor.set(d.trim(), index);
    pending.push({ from: index, deps });
    const version = typeof value.version === 'string' ? value.version : null;
    nodes.push(
      lockedDependency(
        {
          ecosystem: 'npm',
          name: locator.name,
          version: version === '0.0.0-use.local' ? null : version,
          source: berrySource(locator.range),
          integrity: typeof value.checksum === 'string' ? [value.checksum] : [],
        },
        path,
        parsed.value.lineOf(null, key),
      ),
    );
  }
  const edges: number[][] = nodes.map(() => []);
  for (const { from, deps } of pending) {
    for (const [name, range] of Object.entries(deps)) edges[from]!.push(byDescriptor.get(`${name}@${String(range)}`) ?? -1);
  }
  const prod: number[] = [];
  const dev: number[] = [];
  const lockDir = dirOf(path);
  for (const workspace of workspaces) {
    const dir = resolveInBundle(lockDir, workspace.dir);
    const roots = dir === null ? null : declaredRoots(input, dir);
    const devNames = new Set(roots?.dev.map(([n]) => n) ?? []);
    const prodNames = new Set(roots?.prod.map(([n]) => n) ?? []);
    for (const [name, range] of Object.entries(workspace.deps)) {
      const index = byDescriptor.get(`${name}@${String(range)}`) ?? -1;
      (devNames.has(name) && !prodNames.has(name) ? dev : prod).push(index);
    }
  }
  classifyByReachability(nodes, edges, prod, dev);
  return { lockfile, dependencies: nodes };
}

/** What a Berry locator's reference says about the source; `patch:` wraps the locator it patches. */
function berrySource(reference: string): DependencySource {
  let ref = reference;
  if (ref.startsWith('patch:')) {
    const inner = decodeURIComponent(ref.slice('patch:'.length).split('#')[0]!);
    ref = splitDescriptor(inner).range;
  }
  if (ref.startsWith('npm:')) return { kind: 'registry', url: null };
  if (/^(?:file|link|portal):/.test(ref)) return { kind: 'path', url: ref.split('::')[0]!.split('#')[0]! };
  return classifyReference(ref.split('::')[0]!);
}
