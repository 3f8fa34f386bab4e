/**
 * One model of a bundle's dependencies, read from every lockfile, declaration and vendored package it carries
 * and shared by the supply-chain controls (SC-01..SC-05). Built once per scan (ScanContext.dependencies()).
 */

/** Ecosystem names as OSV spells them, so a dependency can be queried as it is. */
export type Ecosystem = 'npm' | 'PyPI' | 'Go' | 'crates.io';

export type LockfileFormat =
  | 'package-lock'
  | 'npm-hidden-lockfile'
  | 'pnpm-lock'
  | 'yarn-lock-v1'
  | 'yarn-lock-berry'
  | 'requirements'
  | 'poetry-lock'
  | 'uv-lock'
  | 'pipfile-lock'
  | 'go-sum'
  | 'cargo-lock';

/** Where a dependency was seen. */
export interface DependencyLocation {
  file: string;
  line: number | null;
  kind: 'lockfile' | 'declaration' | 'vendored';
}

export interface DependencySource {
  /** registry: a package index; git: a VCS reference; url: a direct archive; path: a local directory or file. */
  kind: 'registry' | 'git' | 'url' | 'path' | 'unknown';
  /** The resolved URL or path as written, when the lockfile records one. */
  url: string | null;
  /** For git sources, the full commit hash when the reference pins one. */
  commit?: string;
}

export interface Dependency {
  ecosystem: Ecosystem;
  /** The name as the ecosystem spells it (npm: `@scope/name`; PyPI: as published, compare normalized). */
  name: string;
  /** The exact resolved version; null when only a range is known (a declaration without a lockfile). */
  version: string | null;
  /** Package URL, e.g. `pkg:npm/%40scope/name@1.2.3`; null without an exact version. */
  purl: string | null;
  /** Integrity hashes as written: `sha512-...` (npm SRI), `sha256:...` (pip, uv, poetry), `h1:...` (go.sum). */
  integrity: string[];
  source: DependencySource;
  /** Declared by the bundle itself rather than pulled in by another dependency. */
  direct: boolean;
  /** Only needed for development (npm devDependencies, poetry dev groups ...). */
  dev: boolean;
  /** Every place it is locked, declared or vendored, lockfile first. */
  locations: DependencyLocation[];
  /**
   * Licenses as the package's own metadata states them (SPDX expressions where the metadata holds one):
   * vendored package.json / METADATA, package-lock v2+ `license`. Absent when nothing says.
   */
  licenses?: string[];
}

export interface Lockfile {
  file: string;
  format: LockfileFormat;
  ecosystem: Ecosystem;
  /** SHA-256 (hex) of the lockfile's bytes: a generated SBOM records it, so SC-01 can tell a stale SBOM. */
  sha256?: string;
}

/** A dependency as a manifest declares it (package.json, pyproject, requirements without a lock ...). */
export interface Declaration {
  ecosystem: Ecosystem;
  name: string;
  /** The version specifier as written: `^1.2.0`, `>=2.0`, `==1.0.0`, `latest`, `git+https://...#main`. */
  spec: string;
  file: string;
  line: number | null;
  dev: boolean;
  /** Where the spec points when it is not the registry: `git+https://...#main`, `file:../x`, a tarball URL. */
  source?: DependencySource;
  /** The exact version the spec pins (`==1.0.0`, `1.0.0` in package.json, `=1.0.0` in Cargo.toml), when it pins one. */
  version?: string;
}

/**
 * A package installed inside the bundle (node_modules/<name>/package.json, a Python *.dist-info directory).
 * Vendored packages also appear in `dependencies`, as locations of kind 'vendored'; this list keeps what only
 * SC-04 needs: where the package sits and what its install record says.
 */
export interface VendoredPackage {
  ecosystem: Ecosystem;
  name: string;
  version: string | null;
  /** The package's directory: `node_modules/@s/n`, or for Python the `*.dist-info` directory. */
  path: string;
  /** The metadata file read: `.../package.json` or `.../METADATA`. */
  file: string;
  licenses: string[];
  /** Where the installer says it came from (npm `_resolved`, PEP 610 direct_url.json); null when it does not say. */
  source: DependencySource | null;
  /** npm `_integrity` written by old npm versions into the installed package.json. */
  integrity: string[];
  /** Python RECORD: every installed file with its hash (`sha256=<urlsafe base64>`), paths relative to the site directory. */
  record?: { file: string; entries: RecordEntry[] };
}

export interface RecordEntry {
  /** Path relative to the directory that holds the `*.dist-info` directory, as written. */
  path: string;
  /** `sha256=...` as written; null for files the installer does not hash (RECORD itself, *.pyc). */
  hash: string | null;
  line: number;
}

/** A package index or registry the bundle's configuration names (SC-05: anything not approved needs the allow-list). */
export interface RegistryDeclaration {
  ecosystem: Ecosystem;
  url: string;
  /** index: the primary index (`--index-url`, `registry=`); extra: an additional one; find-links: a page or directory of archives. */
  kind: 'index' | 'extra-index' | 'find-links' | 'scoped';
  file: string;
  line: number | null;
}

export interface DependencyModel {
  /** Deduplicated by (ecosystem, name, version), sorted by ecosystem, name, version. */
  dependencies: Dependency[];
  lockfiles: Lockfile[];
  declarations: Declaration[];
  /** Packages installed inside the bundle (also merged into `dependencies`). */
  vendored: VendoredPackage[];
  /** Package indexes and registries the bundle's own configuration names (.npmrc, requirements options ...). */
  registries: RegistryDeclaration[];
  /** Files that could not be read as what their name says; never a crash. */
  problems: DependencyProblem[];
}

export interface DependencyProblem {
  file: string;
  line: number | null;
  message: string;
}
