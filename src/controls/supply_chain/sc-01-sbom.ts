import { readSboms, SBOM_FILE_NAMES, type SbomDocument } from '../../deps/sbom/read.js';
import { indexComponents, sbomListsDependency, versionsInSbom } from '../../deps/sbom/match.js';
import type { DependencyModel } from '../../deps/types.js';
import { findings, type Control, type FindingInput } from '../control.js';

/**
 * SC-01 SBOM Generation (MTF 3.3): the bundle includes an SBOM (sbom.json / sbom.cdx.json: CycloneDX 1.4-1.6,
 * sbom.spdx.json: SPDX 2.3+) that enumerates every direct and transitive dependency, each with name, version
 * and purl. CycloneDX below 1.4 is invalid; 1.7 is accepted with an INFO note (DESIGN.md section 4).
 *
 * | Finding                           | Action |
 * | Missing SBOM                      | BLOCK  |
 * | Invalid SBOM format               | BLOCK  |
 * | Component missing required fields | WARN   |
 * | SBOM older than lockfile          | WARN   |
 *
 * "Older than the lockfile" is judged by content, since a bundle's file times are not reliable: an SBOM that
 * records the lockfile's digest (as `mtf sbom` does) and no longer matches it, or that lists locked packages at
 * other versions than the lockfile. Dependencies the SBOM does not list are a WARN with the list (the spec's
 * "MUST enumerate"); development-only packages it lists are an INFO ("SHOULD NOT include").
 */
export const sc01: Control = {
  id: 'SC-01',
  check(ctx) {
    const sboms = readSboms(ctx.bundle);
    if (sboms.length === 0) {
      return findings([
        {
          rule: 'sbom-missing',
          severity: 'high',
          action: 'BLOCK',
          title: 'Missing SBOM',
          description: `The bundle has no SBOM (${SBOM_FILE_NAMES.join(', ')}). Without one, its dependencies cannot be scanned, audited or traced in an incident.`,
        },
      ]);
    }
    const model = ctx.dependencies();
    return findings(sboms.flatMap((sbom) => checkSbom(sbom, model)));
  },
};

/** Per-component findings past this many are summarized in one. */
const MAX_COMPONENT_FINDINGS = 25;
/** Names listed in a finding's description before "and N more". */
const MAX_LISTED = 50;

function checkSbom(sbom: SbomDocument, model: DependencyModel): FindingInput[] {
  const out: FindingInput[] = [];
  if (sbom.status !== 'valid') {
    for (const issue of sbom.issues) {
      out.push({
        rule: sbom.status === 'schema-invalid' ? 'sbom-schema-invalid' : 'sbom-invalid-format',
        severity: 'high',
        action: 'BLOCK',
        title: sbom.status === 'schema-invalid' ? `SBOM does not match the ${sbom.format} ${sbom.version} schema` : 'Invalid SBOM format',
        description: `${sbom.file}: ${issue.message}`,
        file: sbom.file,
        ...(issue.line !== null ? { line: issue.line } : {}),
      });
    }
    if (sbom.status !== 'schema-invalid') return out;
  }
  if (sbom.note) out.push({ rule: 'sbom-version-note', severity: 'info', action: 'INFO', title: `${sbom.format} ${sbom.version} SBOM`, description: sbom.note, file: sbom.file, line: 1 });
  out.push(...missingFields(sbom));
  out.push(...completeness(sbom, model));
  return out;
}

/** Component types that are packages (and so have a purl); files, data and services are not. */
const NON_PACKAGE_TYPES = new Set(['file', 'data', 'machine-learning-model', 'cryptographic-asset', 'FILE', 'SOURCE', 'ARCHIVE']);

function missingFields(sbom: SbomDocument): FindingInput[] {
  const out: FindingInput[] = [];
  let more = 0;
  for (const component of sbom.components) {
    const missing = (['name', 'version', 'purl'] as const).filter((field) => component[field] === null);
    if (missing.length === 0 || (component.type !== null && NON_PACKAGE_TYPES.has(component.type) && !missing.includes('name'))) continue;
    if (out.length >= MAX_COMPONENT_FINDINGS) {
      more++;
      continue;
    }
    const label = component.name ? `"${component.group ? `${component.group}/` : ''}${component.name}"` : 'A component';
    out.push({
      rule: 'component-missing-fields',
      severity: 'low',
      action: 'WARN',
      title: `${label} has no ${missing.join(', ')}`,
      description: `MTF requires name, version and purl for every SBOM component; ${label} in ${sbom.file} lacks ${missing.join(' and ')}.`,
      file: sbom.file,
      ...(component.line !== null ? { line: component.line } : {}),
    });
  }
  if (more > 0) {
    out.push({
      rule: 'component-missing-fields',
      severity: 'low',
      action: 'WARN',
      title: `${more} more components lack required fields`,
      description: `Besides the ${MAX_COMPONENT_FINDINGS} reported, ${more} components of ${sbom.file} lack a name, version or purl.`,
      file: sbom.file,
    });
  }
  return out;
}

function completeness(sbom: SbomDocument, model: DependencyModel): FindingInput[] {
  const out: FindingInput[] = [];
  const index = indexComponents(sbom.components);
  const shipped = model.dependencies.filter((d) => !d.dev);
  const missing = shipped.filter((d) => !sbomListsDependency(d, index));
  const stale = missing.filter((d) => d.version !== null && d.locations[0]?.kind === 'lockfile' && versionsInSbom(d, index).size > 0);
  const absent = missing.filter((d) => !stale.includes(d));
  if (absent.length > 0) {
    out.push({
      rule: 'sbom-incomplete',
      severity: 'medium',
      action: 'WARN',
      title: `SBOM does not list ${absent.length} ${absent.length === 1 ? 'dependency' : 'dependencies'}`,
      description: `${sbom.file} must enumerate every direct and transitive dependency; it does not list: ${listOf(absent.map(label))}.`,
      file: sbom.file,
      remediation: 'Regenerate the SBOM from the lockfiles the bundle ships (`mtf sbom DIR -o DIR/sbom.cdx.json`).',
    });
  }
  const changed = model.lockfiles.filter((l) => l.sha256 && sbom.lockfileDigests.has(l.file) && sbom.lockfileDigests.get(l.file) !== `sha256:${l.sha256}`);
  if (changed.length > 0 || stale.length > 0) {
    const reasons = [
      ...changed.map((l) => `${l.file} changed since the SBOM recorded its digest`),
      ...(stale.length > 0 ? [`it lists other versions than the lockfile locks for ${listOf(stale.map(label))}`] : []),
    ];
    out.push({
      rule: 'sbom-older-than-lockfile',
      severity: 'medium',
      action: 'WARN',
      title: 'SBOM older than lockfile',
      description: `${sbom.file} no longer describes the locked dependencies: ${reasons.join('; ')}.`,
      file: sbom.file,
      remediation: 'Regenerate the SBOM after changing the lockfile (`mtf sbom DIR -o DIR/sbom.cdx.json`).',
    });
  }
  const devListed = model.dependencies.filter((d) => d.dev && d.version !== null && sbomListsDependency(d, index) && !shipped.some((s) => s.name === d.name && s.ecosystem === d.ecosystem));
  if (devListed.length > 0) {
    out.push({
      rule: 'sbom-lists-dev-dependencies',
      severity: 'info',
      action: 'INFO',
      title: `SBOM lists ${devListed.length} development-only ${devListed.length === 1 ? 'dependency' : 'dependencies'}`,
      description: `MTF says an SBOM SHOULD NOT include development dependencies; ${sbom.file} lists ${listOf(devListed.map(label))}.`,
      file: sbom.file,
    });
  }
  return out;
}

function label(dep: { name: string; version: string | null }): string {
  return dep.version ? `${dep.name}@${dep.version}` : dep.name;
}

function listOf(names: string[]): string {
  const shown = names.slice(0, MAX_LISTED).join(', ');
  return names.length > MAX_LISTED ? `${shown} and ${names.length - MAX_LISTED} more` : shown;
}
