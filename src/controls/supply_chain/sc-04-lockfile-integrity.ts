import { createHash } from 'node:crypto';
import type { Bundle } from '../../bundle/types.js';
import { baseName, comparableName, dirOf, joinPath, resolveInBundle } from '../../deps/common.js';
import { hasNoDependencies, isLocked, labelOf } from '../../deps/coverage.js';
import { parseIntegrity } from '../../deps/integrity.js';
import { readSboms } from '../../deps/sbom/read.js';
import { localPathOf } from '../../deps/sources.js';
import type { Dependency, DependencyModel, Ecosystem, VendoredPackage } from '../../deps/types.js';
import { findings, skip, type Control, type FindingInput } from '../control.js';

/**
 * SC-04 Lockfile Integrity (MTF 3.3): what the bundle vendors matches its lockfile. A scanner plays the client's
 * part on the packages the bundle ships: each vendored package must be locked at its version; npm integrity is
 * checked against a package tarball the bundle carries (the installed files are not the tarball), Python RECORD
 * hashes against the installed files.
 *
 * | Finding                           | Action      |
 * | Dependency hash mismatch          | BLOCK       |
 * | Lockfile missing from bundle      | BLOCK (L2+) |
 * | Lockfile not covered by signature | WARN (L3+)  |
 *
 * A vendored package at another version, or one the lockfile does not list, is a mismatch too (the brief:
 * "name, version, and integrity"). A lockfile is covered by the signature when an SBOM records its digest
 * (`mtf sbom` does) and the bundle carries an MTF signature (spec 5.1 signs the SBOM's hash; AI-03 verifies it).
 */
export const sc04: Control = {
  id: 'SC-04',
  check(ctx) {
    const model = ctx.dependencies();
    if (hasNoDependencies(model)) return skip('The bundle declares, locks and vendors no dependencies.');
    return findings([
      ...vendoredAgainstLockfiles(model),
      ...tarballIntegrity(ctx.bundle, model),
      ...recordIntegrity(ctx.bundle, model.vendored),
      ...(ctx.targetLevel >= 3 ? signatureCoverage(ctx.bundle, model) : []),
    ]);
  },
};

const MAX_PER_RULE = 25;

/** Installer tooling a virtual environment brings along, not a dependency of the server. */
const INSTALLER_TOOLS = new Set(['pip', 'setuptools', 'wheel', 'distribute']);

function vendoredAgainstLockfiles(model: DependencyModel): FindingInput[] {
  const out: FindingInput[] = [];
  const ecosystems = new Set(model.vendored.map((v) => v.ecosystem));
  for (const ecosystem of ecosystems) {
    const vendored = model.vendored.filter((v) => v.ecosystem === ecosystem);
    if (!model.lockfiles.some((l) => l.ecosystem === ecosystem)) {
      out.push({
        rule: 'lockfile-missing',
        severity: 'high',
        action: 'BLOCK',
        blocksFrom: 2,
        title: `Vendored ${ecosystem} packages without a lockfile`,
        description: `The bundle ships ${vendored.length} ${ecosystem} ${vendored.length === 1 ? 'package' : 'packages'} (${vendored[0]!.path}${vendored.length > 1 ? ', ...' : ''}) but no ${ecosystem} lockfile to verify them against.`,
        file: vendored[0]!.file,
        line: 1,
      });
      continue;
    }
    const locked = lockedVersions(model.dependencies, ecosystem);
    const problems: FindingInput[] = [];
    for (const pkg of vendored) {
      const versions = locked.get(comparableName(ecosystem, pkg.name));
      if (versions && pkg.version !== null && versions.has(pkg.version)) continue;
      if (!versions && ecosystem === 'PyPI' && INSTALLER_TOOLS.has(comparableName(ecosystem, pkg.name))) continue;
      problems.push(
        versions
          ? {
              rule: 'vendored-version-mismatch',
              severity: 'high',
              action: 'BLOCK',
              title: `Vendored ${pkg.name} ${pkg.version ?? '(no version)'} is not the locked version`,
              description: `${pkg.path} holds ${labelOf(pkg)}, but the lockfile locks ${pkg.name} at ${[...versions].join(', ')}: the vendored copy is not what the lockfile verifies.`,
              file: pkg.file,
              line: 1,
            }
          : {
              rule: 'vendored-not-locked',
              severity: 'high',
              action: 'BLOCK',
              title: `Vendored ${pkg.name} is not in the lockfile`,
              description: `${pkg.path} holds ${labelOf(pkg)}, which no ${ecosystem} lockfile of the bundle lists: nothing vouches for it.`,
              file: pkg.file,
              line: 1,
            },
      );
    }
    out.push(...summarize(problems));
  }
  return out;
}

function lockedVersions(deps: Dependency[], ecosystem: Ecosystem): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const dep of deps) {
    if (dep.ecosystem !== ecosystem || dep.version === null || !isLocked(dep)) continue;
    const key = comparableName(ecosystem, dep.name);
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(dep.version);
  }
  return map;
}

/**
 * npm integrity can be recomputed only from the package tarball: a `file:` tarball the lockfile resolves to
 * inside the bundle, or a tarball named like the one the lockfile's `resolved` URL points at.
 */
function tarballIntegrity(bundle: Bundle, model: DependencyModel): FindingInput[] {
  const byName = new Map<string, string[]>();
  for (const path of bundle.files.keys()) {
    if (!/\.(?:tgz|tar\.gz)$/.test(path)) continue;
    const name = baseName(path);
    byName.set(name, [...(byName.get(name) ?? []), path]);
  }
  if (byName.size === 0) return [];
  const out: FindingInput[] = [];
  for (const dep of model.dependencies) {
    if (dep.ecosystem !== 'npm' || dep.integrity.length === 0) continue;
    const lockfile = dep.locations.find((l) => l.kind === 'lockfile');
    if (!lockfile || !dep.source.url) continue;
    const candidates: string[] = [];
    if (dep.source.kind === 'path') {
      const local = resolveInBundle(dirOf(lockfile.file), localPathOf(dep.source.url));
      if (local !== null && bundle.files.has(local)) candidates.push(local);
    } else {
      candidates.push(...(byName.get(baseName(dep.source.url.split(/[?#]/)[0]!)) ?? []));
    }
    for (const path of candidates) {
      const data = bundle.files.get(path)!.data;
      const digests = dep.integrity.map(parseIntegrity).filter((d) => d !== null);
      if (digests.length === 0) continue;
      const matches = digests.some((d) => createHash(d.algorithm.replace('-', '').toLowerCase()).update(data).digest('hex') === d.hex);
      if (matches) continue;
      out.push({
        rule: 'integrity-mismatch',
        severity: 'critical',
        action: 'BLOCK',
        title: `${path} does not match the lockfile integrity of ${labelOf(dep)}`,
        description: `The lockfile records ${dep.integrity.join(' ')} for ${labelOf(dep)}, but the tarball ${path} in the bundle hashes to something else: it was modified or substituted.`,
        file: lockfile.file,
        ...(lockfile.line !== null ? { line: lockfile.line } : {}),
      });
    }
  }
  return out;
}

/** Python RECORD: `path,sha256=<urlsafe base64, unpadded>,size`, paths relative to the directory holding *.dist-info. */
function recordIntegrity(bundle: Bundle, vendored: VendoredPackage[]): FindingInput[] {
  const out: FindingInput[] = [];
  for (const pkg of vendored) {
    if (!pkg.record) continue;
    const site = dirOf(pkg.path);
    const recorded = new Set<string>();
    const missing: string[] = [];
    const topLevel = new Set<string>();
    for (const entry of pkg.record.entries) {
      const path = resolveInBundle(site, entry.path);
      if (path === null) continue; // scripts installed outside the site directory (../../bin)
      recorded.add(path);
      const first = entry.path.split('/')[0]!;
      if (!first.endsWith('.dist-info') && !first.endsWith('.data') && !first.startsWith('..') && entry.path.includes('/')) topLevel.add(joinPath(site, first));
      if (entry.hash === null) continue;
      const file = bundle.files.get(path);
      if (!file) {
        missing.push(entry.path);
        continue;
      }
      const [algorithm, expected] = entry.hash.split('=', 2) as [string, string | undefined];
      if (!expected || !['sha256', 'sha384', 'sha512'].includes(algorithm)) continue;
      const actual = createHash(algorithm).update(file.data).digest('base64url');
      if (actual === expected.replace(/=+$/, '')) continue;
      out.push({
        rule: 'record-hash-mismatch',
        severity: 'critical',
        action: 'BLOCK',
        title: `${path} was modified after ${pkg.name} was installed`,
        description: `${pkg.record.file} records ${entry.hash} for ${entry.path}, but the file in the bundle hashes to ${algorithm}=${actual}: the vendored ${labelOf(pkg)} was tampered with.`,
        file: pkg.record.file,
        line: entry.line,
      });
    }
    if (missing.length > 0) {
      out.push({
        rule: 'record-file-missing',
        severity: 'low',
        action: 'WARN',
        title: `${missing.length} files of ${labelOf(pkg)} are missing`,
        description: `${pkg.record.file} lists files the bundle does not hold: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', ...' : ''}. The vendored package is incomplete.`,
        file: pkg.record.file,
        line: 1,
      });
    }
    const unrecorded = [...bundle.files.keys()].filter(
      (p) => [...topLevel].some((dir) => p.startsWith(`${dir}/`)) && !recorded.has(p) && !p.includes('/__pycache__/') && !p.endsWith('.pyc'),
    );
    if (unrecorded.length > 0) {
      out.push({
        rule: 'record-unlisted-file',
        severity: 'medium',
        action: 'WARN',
        title: `${unrecorded.length} files in ${labelOf(pkg)} are not in its RECORD`,
        description: `Files were added to the installed package after installation: ${unrecorded.slice(0, 20).join(', ')}${unrecorded.length > 20 ? ', ...' : ''}.`,
        file: unrecorded[0]!,
      });
    }
  }
  return out;
}

const SIGNATURE_FILES = /^(?:manifest(?:\.[^/]+)?\.sig(?:\.json)?|\.sigstore\/.+)$/;

function signatureCoverage(bundle: Bundle, model: DependencyModel): FindingInput[] {
  const signed = [...bundle.files.keys()].some((p) => SIGNATURE_FILES.test(p));
  const digests = readSboms(bundle).flatMap((s) => [...s.lockfileDigests]);
  return model.lockfiles
    .filter((l) => !(signed && digests.some(([file, digest]) => file === l.file && digest === `sha256:${l.sha256}`)))
    .map((l) => ({
      rule: 'lockfile-not-signed',
      severity: 'low' as const,
      action: 'WARN' as const,
      title: `${l.file} is not covered by the bundle signature`,
      description: signed
        ? `The bundle is signed, but no SBOM records the digest of ${l.file}, so the signature (over the manifest and SBOM hashes, spec 5.1) does not cover it.`
        : `The bundle carries no MTF signature (manifest.sig, manifest.sig.json or .sigstore/), so nothing covers ${l.file}.`,
      file: l.file,
      line: 1,
      remediation: 'Generate the SBOM with `mtf sbom` (it records each lockfile\'s digest) and sign the bundle (spec 5.1-5.2).',
    }));
}

function summarize(list: FindingInput[]): FindingInput[] {
  if (list.length <= MAX_PER_RULE) return list;
  const rest = list.slice(MAX_PER_RULE);
  return [...list.slice(0, MAX_PER_RULE), { ...rest[0]!, title: `${rest.length} more vendored packages do not match the lockfile`, description: rest.map((f) => f.title).slice(0, 50).join('; ') }];
}
