import { createHash } from 'node:crypto';
import type { Bundle } from '../bundle/types.js';
import { fileText } from '../text/file-text.js';
import { readCargoLock } from './cargo-lock.js';
import { baseName, comparableName, isInsideInstallDir, purlOf, registryPurl, type ReadInput, type ReaderResult } from './common.js';
import { readCargoToml, readPackageJson, readPipfile, readPyproject } from './declarations.js';
import { readGoMod, readGoSum } from './go.js';
import { readNpmLockfile } from './npm-lock.js';
import { readPipfileLock } from './pipfile-lock.js';
import { readPnpmLock } from './pnpm-lock.js';
import { readPoetryLock } from './poetry-lock.js';
import { readNpmrc, readUvToml, readYarnrc } from './registries.js';
import { isRequirementsFile, readRequirementFiles } from './requirements.js';
import type { Declaration, Dependency, DependencyLocation, DependencyModel, VendoredPackage } from './types.js';
import { readUvLock } from './uv-lock.js';
import { isDistInfoMetadata, isVendoredPackageJson, readDistInfo, readVendoredNpm } from './vendored.js';
import { readYarnLock } from './yarn-lock.js';

interface Reader {
  /** Whether this reader reads the file at `path` (the bundle's own files only, unless it reads installed packages). */
  matches(path: string, name: string): boolean;
  read(input: ReadInput): ReaderResult;
}

const own = (path: string) => !isInsideInstallDir(path);
const named = (...names: string[]) => (path: string, name: string) => names.includes(name) && own(path);

/**
 * One reader per format, by file name. Lockfiles and manifests inside installed dependencies (node_modules/,
 * site-packages/ ...) are the dependencies' own and are not read, except npm's hidden lockfile and the
 * metadata of installed packages. requirements*.txt files are read together (they include each other).
 */
const READERS: readonly Reader[] = [
  { matches: (path) => /(?:^|\/)node_modules\/\.package-lock\.json$/.test(path) && own(path.slice(0, -'node_modules/.package-lock.json'.length) + 'x'), read: readNpmLockfile },
  { matches: named('package-lock.json', 'npm-shrinkwrap.json'), read: readNpmLockfile },
  { matches: named('pnpm-lock.yaml'), read: readPnpmLock },
  { matches: named('yarn.lock'), read: readYarnLock },
  { matches: named('poetry.lock'), read: readPoetryLock },
  { matches: named('uv.lock'), read: readUvLock },
  { matches: named('Pipfile.lock'), read: readPipfileLock },
  { matches: named('go.sum'), read: readGoSum },
  { matches: named('Cargo.lock'), read: readCargoLock },
  { matches: named('package.json'), read: readPackageJson },
  { matches: named('pyproject.toml'), read: readPyproject },
  { matches: named('Pipfile'), read: readPipfile },
  { matches: named('Cargo.toml'), read: readCargoToml },
  { matches: named('go.mod'), read: readGoMod },
  { matches: named('.npmrc'), read: readNpmrc },
  { matches: named('.yarnrc.yml', '.yarnrc.yaml'), read: readYarnrc },
  { matches: named('uv.toml'), read: readUvToml },
  { matches: (path) => isVendoredPackageJson(path), read: readVendoredNpm },
  { matches: (path) => isDistInfoMetadata(path), read: readDistInfo },
];

/** Reads every lockfile, declaration and vendored package the bundle carries into one model, once per scan. */
export function buildDependencyModel(bundle: Bundle): DependencyModel {
  const model: DependencyModel = { dependencies: [], lockfiles: [], declarations: [], vendored: [], registries: [], problems: [] };
  const results: ReaderResult[] = [];
  const requirementFiles: string[] = [];
  for (const file of bundle.files.values()) {
    const name = baseName(file.path);
    if (isRequirementsFile(file.path) && own(file.path)) {
      requirementFiles.push(file.path);
      continue;
    }
    const reader = READERS.find((r) => r.matches(file.path, name));
    if (!reader) continue;
    try {
      results.push(reader.read({ file, text: fileText(file), bundle }));
    } catch (e) {
      // A reader bug on hostile input must cost one file, never the scan.
      results.push({ problems: [{ file: file.path, line: null, message: `could not be read: ${(e as Error).message}` }] });
    }
  }
  if (requirementFiles.length > 0) results.push(...readRequirementFiles(bundle, requirementFiles));

  const locked: Dependency[] = [];
  for (const result of results) {
    if (result.lockfile) {
      const data = bundle.files.get(result.lockfile.file)?.data;
      model.lockfiles.push({ ...result.lockfile, ...(data ? { sha256: createHash('sha256').update(data).digest('hex') } : {}) });
    }
    locked.push(...(result.dependencies ?? []));
    model.declarations.push(...(result.declarations ?? []));
    model.vendored.push(...(result.vendored ?? []));
    model.registries.push(...(result.registries ?? []));
    model.problems.push(...(result.problems ?? []));
  }
  model.lockfiles.sort((a, b) => compareText(a.file, b.file));
  model.vendored.sort((a, b) => compareText(a.path, b.path));
  const merged = mergeDependencies([...locked, ...model.vendored.map(vendoredDependency)]);
  model.dependencies = addDeclarations(merged, model.declarations);
  return model;
}

/** A vendored package as a dependency: exact version, the source its installer recorded (unknown otherwise). */
function vendoredDependency(pkg: VendoredPackage): Dependency {
  const source = pkg.source ?? { kind: 'unknown' as const, url: null };
  const purl = pkg.version === null ? null : source.kind === 'unknown' ? purlOf(pkg.ecosystem, pkg.name, pkg.version) : registryPurl(pkg.ecosystem, pkg.name, pkg.version, source);
  const dep: Dependency = {
    ecosystem: pkg.ecosystem,
    name: pkg.name,
    version: pkg.version,
    purl,
    integrity: [...pkg.integrity],
    source,
    direct: false,
    dev: false,
    locations: [{ file: pkg.file, line: 1, kind: 'vendored' }],
  };
  if (pkg.licenses.length > 0) dep.licenses = [...pkg.licenses];
  return dep;
}

function keyOf(dep: Pick<Dependency, 'ecosystem' | 'name'>, version: string | null): string {
  return `${dep.ecosystem}\0${comparableName(dep.ecosystem, dep.name)}\0${version ?? ''}`;
}

/**
 * One entry per (ecosystem, name as the ecosystem compares it, version), with every location, hash and license
 * it was seen with. The first occurrence's name and source win: lockfiles are merged before vendored copies.
 * A package shipped in the bundle is not development-only, whatever a lockfile says: it is there to run.
 */
export function mergeDependencies(list: readonly Dependency[]): Dependency[] {
  const merged = new Map<string, Dependency>();
  for (const dep of list) {
    const key = keyOf(dep, dep.version);
    const seen = merged.get(key);
    if (!seen) {
      const copy: Dependency = { ...dep, integrity: [...dep.integrity], locations: [...dep.locations] };
      if (dep.licenses) copy.licenses = [...dep.licenses];
      merged.set(key, copy);
      continue;
    }
    seen.direct ||= dep.direct;
    seen.dev &&= dep.dev;
    if (seen.source.kind === 'unknown' && dep.source.kind !== 'unknown') seen.source = dep.source;
    seen.purl ??= dep.purl;
    for (const hash of dep.integrity) if (!seen.integrity.includes(hash)) seen.integrity.push(hash);
    for (const license of dep.licenses ?? []) {
      seen.licenses ??= [];
      if (!seen.licenses.includes(license)) seen.licenses.push(license);
    }
    seen.locations.push(...dep.locations);
  }
  return sortDependencies([...merged.values()]);
}

/**
 * Declarations point at the dependencies they declare (a 'declaration' location on each); a declaration no
 * lockfile or vendored package resolves becomes a dependency of its own, with the version only when the spec
 * pins one exactly (SC-03 then sees an unpinned dependency).
 */
function addDeclarations(deps: Dependency[], declarations: readonly Declaration[]): Dependency[] {
  const byName = new Map<string, Dependency[]>();
  for (const dep of deps) {
    const key = keyOf(dep, null);
    byName.set(key, [...(byName.get(key) ?? []), dep]);
  }
  const created: Dependency[] = [];
  for (const declaration of declarations) {
    const location: DependencyLocation = { file: declaration.file, line: declaration.line, kind: 'declaration' };
    const matches = byName.get(keyOf(declaration, null));
    if (matches) {
      const direct = matches.filter((d) => d.direct);
      for (const dep of direct.length > 0 ? direct : matches) {
        if (!dep.locations.some((l) => l.file === location.file && l.line === location.line)) dep.locations.push(location);
      }
      continue;
    }
    const source = declaration.source ?? { kind: 'registry' as const, url: null };
    const version = declaration.version ?? null;
    const dep: Dependency = {
      ecosystem: declaration.ecosystem,
      name: declaration.name,
      version,
      purl: registryPurl(declaration.ecosystem, declaration.name, version, source),
      integrity: [],
      source,
      direct: true,
      dev: declaration.dev,
      locations: [location],
    };
    byName.set(keyOf(declaration, null), [dep]);
    created.push(dep);
  }
  const all = sortDependencies([...deps, ...created]);
  for (const dep of all) dep.locations.sort(compareLocations);
  return all;
}

const KIND_ORDER: Record<DependencyLocation['kind'], number> = { lockfile: 0, declaration: 1, vendored: 2 };

function compareLocations(a: DependencyLocation, b: DependencyLocation): number {
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compareText(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0);
}

/** Sorted by ecosystem, name, version; code-unit order, so the result is the same on every machine and locale. */
function sortDependencies(list: Dependency[]): Dependency[] {
  return list.sort((a, b) => compareText(a.ecosystem, b.ecosystem) || compareText(a.name, b.name) || compareText(a.version ?? '', b.version ?? ''));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
