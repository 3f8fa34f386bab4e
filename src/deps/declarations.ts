import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import semver from 'semver';
import type { FileText } from '../text/file-text.js';
import { escapeRegExp, findLine, isRecord, jsonOf, problem, tomlOf, type ReadInput, type ReaderResult } from './common.js';
import { exactPep440, parsePep508 } from './pep508.js';
import { classifyReference, gitSource } from './sources.js';
import type { Declaration, DependencySource, Ecosystem, RegistryDeclaration } from './types.js';

/**
 * Dependency declarations, the bundle's own manifests: package.json, pyproject.toml (PEP 621, PEP 735 groups,
 * Poetry, uv), Pipfile and Cargo.toml (go.mod is read in go.ts). A declaration says what the project asks for;
 * the lockfiles say what it gets. Declared package indexes are read with them.
 */

export function readPackageJson(input: ReadInput): ReaderResult {
  const path = input.file.path;
  const parsed = jsonOf(input.file);
  if ('error' in parsed) return { problems: [problem(path, parsed.error)] };
  if (!isRecord(parsed.value)) return { problems: [problem(path, 'not a JSON object', 1)] };
  const pkg = parsed.value;
  const tree = parseTree(input.text.text);
  const declarations: Declaration[] = [];
  for (const [field, dev] of [['dependencies', false], ['optionalDependencies', false], ['devDependencies', true]] as const) {
    const table = pkg[field];
    if (!isRecord(table)) continue;
    for (const [name, spec] of Object.entries(table)) {
      if (typeof spec !== 'string' || spec.startsWith('workspace:')) continue;
      const node = tree ? findNodeAtLocation(tree, [field, name]) : undefined;
      const line = node?.parent ? input.text.lines.lineAt(node.parent.offset) : null;
      declarations.push(npmDeclaration(name, spec, path, line, dev));
    }
  }
  return { declarations };
}

/** An npm spec: an alias `npm:real@spec`, an exact version, a range or tag, or a git/path/URL reference. */
function npmDeclaration(name: string, spec: string, file: string, line: number | null, dev: boolean): Declaration {
  const alias = /^npm:((?:@[^/@]+\/)?[^@]+)(?:@(.*))?$/.exec(spec);
  const realName = alias ? alias[1]! : name;
  const realSpec = alias ? (alias[2] ?? '') : spec;
  const declaration: Declaration = { ecosystem: 'npm', name: realName, spec, file, line, dev };
  const exact = /^[=v]?\d/.test(realSpec.trim()) ? semver.valid(realSpec.trim().replace(/^=/, '')) : null;
  if (exact) {
    declaration.version = exact;
    return declaration;
  }
  if (/^(?:[\^~<>=*]|latest$|next$|x$|\d)/.test(realSpec.trim()) || realSpec.trim() === '' || semver.validRange(realSpec) !== null) return declaration;
  const source = classifyReference(realSpec, { shorthand: true });
  if (source.kind !== 'unknown') declaration.source = source;
  return declaration;
}

/** Extras that conventionally hold development tools rather than runtime features. */
const DEV_EXTRAS = /^(?:dev|devel|develop|test|tests|testing|lint|linting|docs|doc|typing|type|types|style|check|ci)$/i;

export function readPyproject(input: ReadInput): ReaderResult {
  const path = input.file.path;
  const parsed = tomlOf(input.file);
  if ('error' in parsed) return { problems: [problem(path, parsed.error)] };
  const doc = parsed.value;
  const text = input.text;
  const declarations: Declaration[] = [];
  const project = isRecord(doc.project) ? doc.project : {};
  const tool = isRecord(doc.tool) ? doc.tool : {};
  const poetry = isRecord(tool.poetry) ? tool.poetry : {};
  const uv = isRecord(tool.uv) ? tool.uv : {};
  const pep508List = (list: unknown, dev: boolean) => {
    if (!Array.isArray(list)) return;
    for (const item of list) if (typeof item === 'string') declarations.push(pep508Declaration(item, text, dev));
  };
  pep508List(project.dependencies, false);
  for (const [extra, list] of Object.entries(isRecord(project['optional-dependencies']) ? project['optional-dependencies'] : {})) {
    pep508List(list, DEV_EXTRAS.test(extra));
  }
  for (const list of Object.values(isRecord(doc['dependency-groups']) ? doc['dependency-groups'] : {})) pep508List(list, true);
  pep508List(uv['dev-dependencies'], true);
  poetryTable(declarations, poetry.dependencies, 'tool.poetry.dependencies', text, false);
  poetryTable(declarations, poetry['dev-dependencies'], 'tool.poetry.dev-dependencies', text, true);
  for (const [group, table] of Object.entries(isRecord(poetry.group) ? poetry.group : {})) {
    if (isRecord(table)) poetryTable(declarations, table.dependencies, `tool.poetry.group.${group}.dependencies`, text, group !== 'main');
  }
  const registries: RegistryDeclaration[] = [];
  tableArrayUrls(registries, poetry.source, text);
  tableArrayUrls(registries, uv.index, text);
  if (typeof uv['index-url'] === 'string') registries.push(registry('PyPI', uv['index-url'], 'index', text, /^\s*index-url\s*=/));
  if (Array.isArray(uv['extra-index-url'])) {
    for (const url of uv['extra-index-url']) if (typeof url === 'string') registries.push(registry('PyPI', url, 'extra-index', text, new RegExp(escapeRegExp(url))));
  }
  if (Array.isArray(uv['find-links'])) {
    for (const url of uv['find-links']) if (typeof url === 'string') registries.push(registry('PyPI', url, 'find-links', text, new RegExp(escapeRegExp(url))));
  }
  return { declarations, registries };
}

function pep508Declaration(item: string, text: FileText, dev: boolean): Declaration {
  const spec = parsePep508(item);
  const line = findLine(text, new RegExp(`["']${escapeRegExp(item)}["']`));
  const declaration: Declaration = { ecosystem: 'PyPI', name: spec?.name ?? item, spec: spec?.url ?? spec?.specifier ?? item, file: text.path, line, dev };
  if (spec?.url) declaration.source = /^git\+/i.test(spec.url) ? gitSource(spec.url) : classifyReference(spec.url);
  const exact = spec && !spec.url ? exactPep440(spec.specifier) : null;
  if (exact) declaration.version = exact;
  return declaration;
}

/**
 * Poetry's `name = "^1.2"` / `name = {version = "1.2.3", ...}` / `{git = ..., rev = ...}` / `{path = ...}`.
 * In Poetry a bare version (`"1.2.3"`) is exact; `^`, `~`, `*` and comparisons are ranges.
 */
function poetryTable(out: Declaration[], table: unknown, header: string, text: FileText, dev: boolean): void {
  if (!isRecord(table)) return;
  const headerLine = findLine(text, new RegExp(`^\\s*\\[${escapeRegExp(header)}\\]`)) ?? 1;
  for (const [name, value] of Object.entries(table)) {
    if (name.toLowerCase() === 'python') continue;
    const line = findLine(text, new RegExp(`^\\s*["']?${escapeRegExp(name)}["']?\\s*=`), headerLine);
    const spec = typeof value === 'string' ? value : isRecord(value) && typeof value.version === 'string' ? value.version : '';
    const declaration: Declaration = { ecosystem: 'PyPI', name, spec: spec || JSON.stringify(value), file: text.path, line, dev };
    const source = isRecord(value) ? tableSource(value) : null;
    if (source) declaration.source = source;
    else {
      const exact = /^\d[\w.+!-]*$/.test(spec.trim()) ? spec.trim() : exactPep440(spec);
      if (exact) declaration.version = exact;
    }
    out.push(declaration);
  }
}

/** `{git, rev|tag|branch}`, `{path}`, `{url}` tables (Poetry, Pipfile, Cargo.toml all spell them this way). */
function tableSource(value: Record<string, unknown>): DependencySource | null {
  if (typeof value.git === 'string') {
    const rev = typeof value.rev === 'string' ? value.rev : typeof value.ref === 'string' ? value.ref : '';
    return /^[0-9a-f]{40}$/i.test(rev) ? { kind: 'git', url: value.git, commit: rev.toLowerCase() } : { kind: 'git', url: value.git };
  }
  if (typeof value.path === 'string') return { kind: 'path', url: value.path };
  if (typeof value.file === 'string') return classifyReference(value.file);
  if (typeof value.url === 'string') return { kind: 'url', url: value.url };
  return null;
}

/** `[[tool.poetry.source]]` / `[[tool.uv.index]]` entries: extra indexes unless marked primary/default. */
export function tableArrayUrls(out: RegistryDeclaration[], list: unknown, text: FileText): void {
  if (!Array.isArray(list)) return;
  for (const entry of list) {
    if (!isRecord(entry) || typeof entry.url !== 'string') continue;
    const primary = entry.default === true || entry.priority === 'primary' || entry.priority === 'default';
    out.push(registry('PyPI', entry.url, primary ? 'index' : 'extra-index', text, new RegExp(`url\\s*=\\s*["']${escapeRegExp(entry.url)}["']`)));
  }
}

export function registry(ecosystem: Ecosystem, url: string, kind: RegistryDeclaration['kind'], text: FileText, pattern: RegExp): RegistryDeclaration {
  return { ecosystem, url, kind, file: text.path, line: findLine(text, pattern) };
}

export function readPipfile(input: ReadInput): ReaderResult {
  const path = input.file.path;
  const parsed = tomlOf(input.file);
  if ('error' in parsed) return { problems: [problem(path, parsed.error)] };
  const doc = parsed.value;
  const declarations: Declaration[] = [];
  for (const [section, dev] of [['packages', false], ['dev-packages', true]] as const) {
    const table = doc[section];
    if (!isRecord(table)) continue;
    const headerLine = findLine(input.text, new RegExp(`^\\s*\\[${section}\\]`)) ?? 1;
    for (const [name, value] of Object.entries(table)) {
      const spec = typeof value === 'string' ? value : isRecord(value) && typeof value.version === 'string' ? value.version : '';
      const line = findLine(input.text, new RegExp(`^\\s*["']?${escapeRegExp(name)}["']?\\s*=`), headerLine);
      const declaration: Declaration = { ecosystem: 'PyPI', name, spec: spec || JSON.stringify(value), file: path, line, dev };
      const source = isRecord(value) ? tableSource(value) : null;
      if (source) declaration.source = source;
      else {
        const exact = exactPep440(spec);
        if (exact) declaration.version = exact;
      }
      declarations.push(declaration);
    }
  }
  const registries: RegistryDeclaration[] = [];
  if (Array.isArray(doc.source)) {
    doc.source.forEach((entry, i) => {
      if (isRecord(entry) && typeof entry.url === 'string') {
        registries.push(registry('PyPI', entry.url, i === 0 ? 'index' : 'extra-index', input.text, new RegExp(`url\\s*=\\s*["']${escapeRegExp(entry.url)}["']`)));
      }
    });
  }
  return { declarations, registries };
}

/** Cargo.toml `[dependencies]`, `[build-dependencies]`, `[dev-dependencies]` and their `[target.*]` forms. */
export function readCargoToml(input: ReadInput): ReaderResult {
  const path = input.file.path;
  const parsed = tomlOf(input.file);
  if ('error' in parsed) return { problems: [problem(path, parsed.error)] };
  const doc = parsed.value;
  const declarations: Declaration[] = [];
  const tables: [unknown, string, boolean][] = [
    [doc.dependencies, 'dependencies', false],
    [doc['build-dependencies'], 'build-dependencies', false],
    [doc['dev-dependencies'], 'dev-dependencies', true],
  ];
  for (const [target, value] of Object.entries(isRecord(doc.target) ? doc.target : {})) {
    if (!isRecord(value)) continue;
    tables.push([value.dependencies, `target.${target}.dependencies`, false], [value['dev-dependencies'], `target.${target}.dev-dependencies`, true]);
  }
  for (const [table, header, dev] of tables) {
    if (!isRecord(table)) continue;
    const headerLine = findLine(input.text, new RegExp(`^\\s*\\[${escapeRegExp(header).replace(/\\\./g, '\\s*\\.\\s*')}\\]`)) ?? 1;
    for (const [key, value] of Object.entries(table)) {
      const name = isRecord(value) && typeof value.package === 'string' ? value.package : key;
      const spec = typeof value === 'string' ? value : isRecord(value) && typeof value.version === 'string' ? value.version : '';
      const line = findLine(input.text, new RegExp(`^\\s*["']?${escapeRegExp(key)}["']?\\s*=`), headerLine);
      const declaration: Declaration = { ecosystem: 'crates.io', name, spec: spec || JSON.stringify(value), file: path, line, dev };
      const source = isRecord(value) ? tableSource(value) : null;
      if (source) declaration.source = source;
      else if (/^=\s*\d/.test(spec.trim())) declaration.version = spec.trim().replace(/^=\s*/, '');
      declarations.push(declaration);
    }
  }
  return { declarations };
}
