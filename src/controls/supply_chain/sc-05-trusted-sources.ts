import { dirOf, resolveInBundle } from '../../deps/common.js';
import { hasNoDependencies, labelOf, primaryLocation } from '../../deps/coverage.js';
import { localPathOf } from '../../deps/sources.js';
import { approvedRegistries, isAllowListed, isApprovedRegistryUrl } from '../../deps/trust.js';
import type { Dependency, RegistryDeclaration } from '../../deps/types.js';
import { findings, skip, type Control, type FindingInput } from '../control.js';
import { capped } from './capped.js';

/**
 * SC-05 Trusted Sources (MTF 3.3): every dependency comes from its ecosystem's approved registry or from a
 * source the organizational allow-list (config `allowed-sources`) names. As DESIGN.md section 4 reads it, any
 * other index or registry (an `--index-url`, a `registry=` in .npmrc, a `resolved` URL on another host) is a
 * non-approved source and blocks; "unknown registry: WARN" is for a dependency whose source cannot be
 * determined at all.
 *
 * | Finding                                              | Action      |
 * | Dependency from restricted source without allow-list | BLOCK       |
 * | Dependency from unknown registry                     | WARN        |
 * | Git dependency without attestation                   | BLOCK (L3+) |
 * | Private registry without organizational approval     | BLOCK       |
 *
 * A local path inside the bundle is the bundle's own code, shipped and scanned with it; one outside cannot be
 * verified. No attestation for a git dependency can be checked from a bundle, so git needs the allow-list.
 */
export const sc05: Control = {
  id: 'SC-05',
  check(ctx) {
    const model = ctx.dependencies();
    if (hasNoDependencies(model) && model.registries.length === 0) return skip('The bundle declares, locks and vendors no dependencies.');
    const allowList = ctx.config['allowed-sources'];
    const judged = model.dependencies.map((dep) => ({ dep, verdict: judge(dep, allowList) }));
    const of = (kind: Verdict) => judged.filter((j) => j.verdict === kind).map((j) => j.dep);
    return findings([
      ...model.registries.filter((r) => !isTrustedIndex(r, allowList)).map(untrustedIndex),
      ...capped(of('private-registry'), privateRegistry, 'dependencies come from a registry that is not approved'),
      ...capped(of('git'), gitSource, 'dependencies come from git without attestation'),
      ...capped(of('tarball'), directTarball, 'dependencies are direct downloads'),
      ...capped(of('local-path'), localPath, 'dependencies are local paths outside the bundle'),
      ...capped(of('unknown'), unknownSource, 'dependencies have a source that cannot be determined'),
    ]);
  },
};

type Verdict = 'approved' | 'private-registry' | 'git' | 'tarball' | 'local-path' | 'unknown';

function judge(dep: Dependency, allowList: readonly string[]): Verdict {
  const { kind, url } = dep.source;
  if (kind === 'registry') {
    // No URL: the ecosystem's configured registry, judged where it is configured (.npmrc, index options).
    if (url === null || isApprovedRegistryUrl(dep.ecosystem, url) || isAllowListed(url, allowList)) return 'approved';
    return 'private-registry';
  }
  if (kind === 'path') {
    const path = localPathOf(url ?? '');
    const from = dep.locations[0] ? dirOf(dep.locations[0].file) : '';
    if (resolveInBundle(from, path) !== null && !/^(?:file:\/\/|\/)/.test(url ?? '')) return 'approved';
    return isAllowListed(url?.startsWith('file:') ? url : `file:${url}`, allowList) ? 'approved' : 'local-path';
  }
  if (kind === 'git') return url !== null && isAllowListed(url, allowList) ? 'approved' : 'git';
  if (kind === 'url') {
    if (url !== null && (isApprovedRegistryUrl(dep.ecosystem, url) || isAllowListed(url, allowList))) return 'approved';
    return 'tarball';
  }
  return 'unknown';
}

function isTrustedIndex(registry: RegistryDeclaration, allowList: readonly string[]): boolean {
  if (isApprovedRegistryUrl(registry.ecosystem, registry.url) || isAllowListed(registry.url, allowList)) return true;
  // pip's --find-links to a directory the bundle ships is the bundle's own archives.
  return registry.kind === 'find-links' && !/^[a-z][a-z0-9+.-]*:/i.test(registry.url) && resolveInBundle(dirOf(registry.file), registry.url) !== null;
}

function untrustedIndex(registry: RegistryDeclaration): FindingInput {
  const what = registry.kind === 'find-links' ? 'package location' : registry.kind === 'scoped' ? 'scoped registry' : 'package index';
  return {
    rule: 'unapproved-index',
    severity: 'high',
    action: 'BLOCK',
    title: `Non-approved ${registry.ecosystem} ${what}: ${registry.url}`,
    description: `${registry.file} points the installer at ${registry.url}, which is not an approved ${registry.ecosystem} registry (${approvedRegistries(registry.ecosystem).join(', ')}) and is not in the organizational allow-list (allowed-sources).`,
    file: registry.file,
    ...(registry.line !== null ? { line: registry.line } : {}),
  };
}

function privateRegistry(dep: Dependency): FindingInput {
  return {
    rule: 'unapproved-registry',
    severity: 'high',
    action: 'BLOCK',
    title: `${labelOf(dep)} comes from a registry that is not approved`,
    description: `${labelOf(dep)} resolves to ${dep.source.url}, not to an approved ${dep.ecosystem} registry (${approvedRegistries(dep.ecosystem).join(', ')}). A private registry needs organizational approval: add it to allowed-sources.`,
    ...primaryLocation(dep),
  };
}

function gitSource(dep: Dependency): FindingInput {
  return {
    rule: 'git-without-attestation',
    severity: 'high',
    action: 'BLOCK',
    title: `${labelOf(dep)} comes from git without attestation`,
    description: `${labelOf(dep)} is built from ${dep.source.url ?? 'a git repository'}${dep.source.commit ? ` at ${dep.source.commit}` : ''}; git dependencies carry no registry provenance and need a SLSA attestation, which a bundle cannot show. Publish it to a registry, or allow-list the repository.`,
    ...primaryLocation(dep),
  };
}

function directTarball(dep: Dependency): FindingInput {
  return {
    rule: 'direct-tarball',
    severity: 'high',
    action: 'BLOCK',
    title: `${labelOf(dep)} is a direct download`,
    description: `${labelOf(dep)} is downloaded from ${dep.source.url}, outside any approved registry: no attestation vouches for the archive.`,
    ...primaryLocation(dep),
  };
}

function localPath(dep: Dependency): FindingInput {
  return {
    rule: 'local-path',
    severity: 'high',
    action: 'BLOCK',
    title: `${labelOf(dep)} comes from a local path outside the bundle`,
    description: `${labelOf(dep)} is installed from ${dep.source.url}, a path outside the bundle that cannot be verified.`,
    ...primaryLocation(dep),
  };
}

function unknownSource(dep: Dependency): FindingInput {
  return {
    rule: 'unknown-source',
    severity: 'medium',
    action: 'WARN',
    title: `Where ${labelOf(dep)} comes from cannot be determined`,
    description: `Nothing in the bundle records the source of ${labelOf(dep)}${dep.source.url ? ` (${dep.source.url})` : ''}; review it by hand.`,
    ...primaryLocation(dep),
  };
}
