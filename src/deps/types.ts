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
}

export interface Lockfile {
  file: string;
  format: LockfileFormat;
  ecosystem: Ecosystem;
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
}

export interface DependencyModel {
  /** Deduplicated by (ecosystem, name, version), sorted by ecosystem, name, version. */
  dependencies: Dependency[];
  lockfiles: Lockfile[];
  declarations: Declaration[];
  /** Files that could not be read as what their name says; never a crash. */
  problems: { file: string; line: number | null; message: string }[];
}
