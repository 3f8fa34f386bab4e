import { dirOf, resolveInBundle } from '../../deps/common.js';
import { hasNoDependencies, isLocked, labelOf, lockfilesCovering, primaryLocation } from '../../deps/coverage.js';
import { indexComponents, versionsInSbom } from '../../deps/sbom/match.js';
import { readSboms } from '../../deps/sbom/read.js';
import { localPathOf } from '../../deps/sources.js';
import type { Declaration, Dependency, DependencyModel } from '../../deps/types.js';
import { findings, skip, type Control, type FindingInput } from '../control.js';
import { capped } from './capped.js';

/**
 * SC-03 Dependency Pinning (MTF 3.3): every production dependency pinned to an exact version in a lockfile
 * with integrity hashes. Prohibited patterns: version ranges, `latest`, git references without a commit hash,
 * a missing lockfile. Not applicable to a bundle with no dependencies at all (DESIGN.md section 4).
 *
 * | Finding                           | Action                 |
 * | Missing lockfile                  | BLOCK                  |
 * | Dependency without exact version  | BLOCK                  |
 * | Dependency without integrity hash | WARN (L2), BLOCK (L3+) |
 * | Lockfile/SBOM version mismatch    | WARN                   |
 *
 * A range in a manifest is not a finding when a lockfile pins what it resolved to: that is what lockfiles are
 * for. A git dependency pinned to a full commit, or a local path inside the bundle, needs no further hash.
 */
export const sc03: Control = {
  id: 'SC-03',
  check(ctx) {
    const model = ctx.dependencies();
    if (hasNoDependencies(model)) return skip('The bundle declares, locks and vendors no dependencies.');
    if (model.dependencies.every((d) => d.dev) && model.problems.length === 0) {
      return skip('The bundle has development dependencies only; none of them runs with the server.');
    }
    const uncovered = uncoveredManifests(model);
    const uncoveredFiles = new Set(uncovered.map((u) => u.file));
    const production = model.dependencies.filter((d) => !d.dev);
    return findings([
      ...unreadableFiles(model),
      ...uncovered.map(missingLockfile),
      ...capped(production.filter((d) => isUnpinned(d, uncoveredFiles)), unpinned, 'dependencies are not pinned to an exact version'),
      ...capped(production.filter((d) => d.source.kind === 'git' && !d.source.commit), mutableGitRef, 'dependencies follow a git reference without a commit hash'),
      ...capped(production.filter((d) => isLocked(d) && lacksIntegrity(d)), missingIntegrity, 'dependencies have no integrity hash'),
      ...sbomMismatches(ctx.bundle, production),
    ]);
  },
};

function unreadableFiles(model: DependencyModel): FindingInput[] {
  const lockfiles = new Set(model.lockfiles.map((l) => l.file));
  return model.problems.map((p) =>
    lockfiles.has(p.file)
      ? {
          rule: 'lockfile-unreadable',
          severity: 'high' as const,
          action: 'BLOCK' as const,
          title: 'Lockfile cannot be read',
          description: `${p.file}: ${p.message}. What it pins cannot be verified.`,
          file: p.file,
          ...(p.line !== null ? { line: p.line } : {}),
        }
      : {
          rule: 'manifest-unreadable',
          severity: 'medium' as const,
          action: 'WARN' as const,
          title: 'Dependency file cannot be read',
          description: `${p.file}: ${p.message}. The dependencies it declares could not be checked.`,
          file: p.file,
          ...(p.line !== null ? { line: p.line } : {}),
        },
  );
}

interface Uncovered {
  file: string;
  declarations: Declaration[];
}

/** Manifests declaring production dependencies that no lockfile of their ecosystem covers. */
function uncoveredManifests(model: DependencyModel): Uncovered[] {
  const byFile = new Map<string, Declaration[]>();
  for (const d of model.declarations) {
    if (d.dev) continue;
    byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
  }
  const out: Uncovered[] = [];
  for (const [file, declarations] of byFile) {
    const ecosystems = new Set(declarations.map((d) => d.ecosystem));
    for (const ecosystem of ecosystems) {
      if (lockfilesCovering(model, file, ecosystem).length === 0) out.push({ file, declarations: declarations.filter((d) => d.ecosystem === ecosystem) });
    }
  }
  return out;
}

const LOCKFILE_NAMES: Record<Declaration['ecosystem'], string> = {
  npm: 'package-lock.json (or npm-shrinkwrap.json, pnpm-lock.yaml, yarn.lock)',
  PyPI: 'uv.lock, poetry.lock, Pipfile.lock or a requirements.txt with --hash pins',
  Go: 'go.sum',
  'crates.io': 'Cargo.lock',
};

function missingLockfile({ file, declarations }: Uncovered): FindingInput {
  const ranges = declarations.filter((d) => d.version === undefined).length;
  const first = declarations[0]!;
  return {
    rule: 'lockfile-missing',
    severity: 'high',
    action: 'BLOCK',
    title: `Missing lockfile for ${file}`,
    description:
      `${file} declares ${declarations.length} production ${first.ecosystem} ${declarations.length === 1 ? 'dependency' : 'dependencies'}` +
      `${ranges > 0 ? ` (${ranges} without an exact version)` : ''}, but the bundle has no lockfile that pins them and their transitive dependencies. ` +
      `Expected ${LOCKFILE_NAMES[first.ecosystem]} beside it.`,
    file,
    ...(first.line !== null ? { line: first.line } : {}),
  };
}

/**
 * No exact version: a lockfile entry that does not pin one (a requirements range), or a declaration no lockfile
 * resolves in a project that has a lockfile (an out-of-date lockfile). Declarations in a project without any
 * lockfile are reported once, as the missing lockfile.
 */
function isUnpinned(dep: Dependency, uncoveredFiles: Set<string>): boolean {
  // A commit pins a git dependency (a moving reference is its own finding); paths and URLs name one artifact.
  if (dep.version !== null || dep.source.kind === 'path' || dep.source.kind === 'git' || dep.source.kind === 'url') return false;
  return !dep.locations.every((l) => l.kind === 'declaration' && uncoveredFiles.has(l.file));
}

function unpinned(dep: Dependency): FindingInput {
  const declared = dep.locations.every((l) => l.kind === 'declaration');
  return {
    rule: 'version-not-pinned',
    severity: 'high',
    action: 'BLOCK',
    title: `${dep.name} is not pinned to an exact version`,
    description: declared
      ? `${dep.name} is declared with a version range or tag, and the lockfile does not lock it: the version installed can change without the bundle changing. Update the lockfile.`
      : `${dep.name} is required without an exact version (a range such as ">=" or "~=", or none): pin it with "==" and a --hash.`,
    ...primaryLocation(dep),
  };
}

function mutableGitRef(dep: Dependency): FindingInput {
  return {
    rule: 'git-ref-not-pinned',
    severity: 'high',
    action: 'BLOCK',
    title: `${dep.name} follows a git reference without a commit hash`,
    description: `${dep.name} comes from ${dep.source.url ?? 'a git repository'} by a branch or tag, which can move: pin the full 40-character commit.`,
    ...primaryLocation(dep),
  };
}

/**
 * A git commit and a local directory inside the bundle identify their content without a separate hash. What is
 * not pinned at all (a range, a moving git reference) is reported as that, not again as unhashed.
 */
function lacksIntegrity(dep: Dependency): boolean {
  if (dep.integrity.length > 0 || dep.version === null || (dep.source.kind === 'git' && !dep.source.commit)) return false;
  if (dep.source.kind === 'git' && dep.source.commit) return false;
  if (dep.source.kind === 'path' && dep.source.url) {
    const lockfile = dep.locations.find((l) => l.kind === 'lockfile')!;
    return resolveInBundle(dirOf(lockfile.file), localPathOf(dep.source.url)) === null;
  }
  return true;
}

function missingIntegrity(dep: Dependency): FindingInput {
  return {
    rule: 'integrity-missing',
    severity: 'medium',
    action: 'BLOCK',
    blocksFrom: 3,
    below: 'WARN',
    title: `${labelOf(dep)} has no integrity hash`,
    description: `The lockfile pins ${labelOf(dep)} without a hash of its content, so a tampered or substituted archive would install unnoticed.`,
    ...primaryLocation(dep),
  };
}

function sbomMismatches(bundle: Parameters<typeof readSboms>[0], production: Dependency[]): FindingInput[] {
  const out: FindingInput[] = [];
  for (const sbom of readSboms(bundle)) {
    if (sbom.components.length === 0) continue;
    const index = indexComponents(sbom.components);
    for (const dep of production) {
      if (dep.version === null || !isLocked(dep)) continue;
      const listed = [...versionsInSbom(dep, index)].filter((v): v is string => v !== null);
      if (listed.length === 0 || listed.includes(dep.version) || (dep.ecosystem === 'Go' && listed.includes(dep.version.replace(/^v/, '')))) continue;
      out.push({
        rule: 'sbom-version-mismatch',
        severity: 'low',
        action: 'WARN',
        title: `${dep.name}: lockfile ${dep.version}, SBOM ${listed.join(', ')}`,
        description: `The lockfile pins ${labelOf(dep)} but ${sbom.file} lists ${dep.name} at ${listed.join(', ')}: one of them is out of date.`,
        ...primaryLocation(dep),
      });
    }
  }
  return out;
}
