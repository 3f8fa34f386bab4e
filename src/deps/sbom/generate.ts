import { createHash } from 'node:crypto';
import { sortFilesByPath, toFileMap } from '../../bundle/paths.js';
import type { Bundle, BundleFile } from '../../bundle/types.js';
import { readManifest } from '../../manifest/manifest.js';
import { SCANNER_NAME, SCANNER_VERSION } from '../../version.js';
import { purlOf } from '../common.js';
import { parseIntegrity, type Digest } from '../integrity.js';
import { buildDependencyModel } from '../model.js';
import type { Dependency, DependencyModel } from '../types.js';
import { SPDX_LICENSE_IDS } from './cyclonedx-schemas.js';

/** Where `mtf sbom` and the action's `sbom: generate` put the SBOM in a packed bundle (MTF 3.3 SC-01). */
export const GENERATED_SBOM_FILE = 'sbom.cdx.json';

/** What the SBOM describes: the bundle, by its manifest's name and version. */
export interface SbomSubject {
  name: string;
  version: string | null;
}

const BUNDLE_REF = 'mtf:bundle';

/**
 * A CycloneDX 1.6 JSON SBOM of the dependency model, deterministic: the same model gives the same bytes.
 * No timestamp (CycloneDX makes `metadata.timestamp` optional, and a clock would break reproducibility);
 * the serial number is a UUID derived from the SHA-256 of the rest of the document; bom-refs are the purls.
 * Development-only dependencies are left out (MTF 3.3 SC-01 "Development dependencies: SHOULD NOT include").
 * Each lockfile's SHA-256 is recorded (`mtf:lockfile:<path>`), so SC-01 can tell when the SBOM is older than the
 * lockfile, and a signature over the SBOM covers the lockfile (SC-04 "Lockfile not covered by signature").
 */
export function generateSbom(model: DependencyModel, subject: SbomSubject): string {
  const refs = new Set<string>([BUNDLE_REF]);
  const shipped = model.dependencies.filter((d) => !d.dev).map((d) => ({ dep: d, component: component(d, refs) }));
  const components = shipped.map((s) => s.component).sort((a, b) => compare(a['bom-ref'], b['bom-ref']));
  const directRefs = shipped.filter((s) => s.dep.direct).map((s) => s.component['bom-ref']);
  const bom: Record<string, unknown> = {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: '',
    version: 1,
    metadata: {
      tools: { components: [{ type: 'application', name: SCANNER_NAME, version: SCANNER_VERSION }] },
      component: { type: 'application', 'bom-ref': BUNDLE_REF, name: subject.name, ...(subject.version ? { version: subject.version } : {}) },
      ...(model.lockfiles.length > 0
        ? { properties: model.lockfiles.filter((l) => l.sha256).map((l) => ({ name: `mtf:lockfile:${l.file}`, value: `sha256:${l.sha256}` })) }
        : {}),
    },
    components,
    dependencies: [{ ref: BUNDLE_REF, dependsOn: directRefs.sort(compare) }],
  };
  bom.serialNumber = `urn:uuid:${uuidFrom(JSON.stringify(bom))}`;
  return `${JSON.stringify(bom, null, 2)}\n`;
}

interface Component {
  type: 'library';
  'bom-ref': string;
  group?: string;
  name: string;
  version?: string;
  scope: 'required';
  hashes?: { alg: string; content: string }[];
  licenses?: unknown[];
  purl: string;
  externalReferences?: { type: string; url: string }[];
}

function component(dep: Dependency, refs: Set<string>): Component {
  const purl = purlFor(dep);
  const scoped = dep.ecosystem === 'npm' && dep.name.startsWith('@') && dep.name.includes('/');
  const out: Component = { type: 'library', 'bom-ref': uniqueRef(purl, refs), name: bareName(dep), scope: 'required', purl };
  if (scoped) out.group = dep.name.slice(0, dep.name.indexOf('/'));
  if (dep.version !== null) out.version = dep.version;
  const hashes = uniqueDigests(dep.integrity.map(parseIntegrity).filter((d): d is Digest => d !== null));
  if (hashes.length > 0) out.hashes = hashes.map((h) => ({ alg: h.algorithm, content: h.hex }));
  const licenses = licenseChoice(dep.licenses ?? []);
  if (licenses) out.licenses = licenses;
  if (dep.source.url && (dep.source.kind === 'git' || dep.source.kind === 'url')) {
    out.externalReferences = [{ type: dep.source.kind === 'git' ? 'vcs' : 'distribution', url: dep.source.url }];
  }
  // Keys in the order CycloneDX documents them, so the output reads naturally.
  const ordered: Component = { type: out.type, 'bom-ref': out['bom-ref'], ...(out.group ? { group: out.group } : {}), name: out.name } as Component;
  for (const key of ['version', 'scope', 'hashes', 'licenses', 'purl', 'externalReferences'] as const) {
    if (out[key] !== undefined) (ordered as unknown as Record<string, unknown>)[key] = out[key];
  }
  return ordered;
}

/** The model's purl; for a non-registry source, the package's purl qualified with where it comes from. */
function purlFor(dep: Dependency): string {
  if (dep.purl) return dep.purl;
  const qualifiers: Record<string, string> = {};
  if (dep.source.url && dep.source.kind === 'git') qualifiers.vcs_url = dep.source.commit && !dep.source.url.includes(dep.source.commit) ? `${dep.source.url}@${dep.source.commit}` : dep.source.url;
  else if (dep.source.url && (dep.source.kind === 'url' || dep.source.kind === 'path')) qualifiers.download_url = dep.source.url;
  return purlOf(dep.ecosystem, dep.name, dep.version, Object.keys(qualifiers).length > 0 ? qualifiers : undefined);
}

function bareName(dep: Dependency): string {
  return dep.ecosystem === 'npm' && dep.name.startsWith('@') && dep.name.includes('/') ? dep.name.slice(dep.name.indexOf('/') + 1) : dep.name;
}

function uniqueRef(ref: string, refs: Set<string>): string {
  let candidate = ref;
  for (let n = 2; refs.has(candidate); n++) candidate = `${ref}#${n}`;
  refs.add(candidate);
  return candidate;
}

/** One digest per algorithm and value; an SRI string may carry several algorithms. */
function uniqueDigests(digests: Digest[]): Digest[] {
  const seen = new Set<string>();
  return digests.filter((d) => !seen.has(`${d.algorithm}:${d.hex}`) && seen.add(`${d.algorithm}:${d.hex}`) !== undefined).sort((a, b) => compare(a.algorithm, b.algorithm) || compare(a.hex, b.hex));
}

/**
 * CycloneDX licenses: SPDX ids as `license.id`, other names as `license.name`; a single SPDX expression
 * (`MIT OR Apache-2.0`) as the one-element `expression` form the schema requires for expressions.
 */
function licenseChoice(licenses: string[]): unknown[] | null {
  const unique = [...new Set(licenses.map((l) => l.trim()).filter(Boolean))].sort(compare);
  if (unique.length === 0) return null;
  if (unique.length === 1 && isSpdxExpression(unique[0]!)) return [{ expression: unique[0] }];
  return unique.map((l) => (SPDX_LICENSE_IDS.has(l) ? { license: { id: l } } : { license: { name: l } }));
}

function isSpdxExpression(value: string): boolean {
  if (!/\s(?:AND|OR|WITH)\s/.test(value)) return false;
  return value
    .replace(/[()]/g, ' ')
    .split(/\s+/)
    .filter((t) => t !== '' && t !== 'AND' && t !== 'OR' && t !== 'WITH')
    .every((t) => SPDX_LICENSE_IDS.has(t.replace(/\+$/, '')) || /^LicenseRef-[A-Za-z0-9.-]+$/.test(t));
}

/** An RFC 4122 name-based UUID (version 5 layout) from the SHA-256 of `content`. */
function uuidFrom(content: string): string {
  const bytes = createHash('sha256').update(content).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The SBOM of a file set, as a bundle of those files would be scanned: the dependency model of the files,
 * the manifest's name and version (the bundle file name when the manifest has none).
 */
export function sbomOfFiles(files: ReadonlyMap<string, BundleFile>, fallbackName = 'bundle'): string {
  const bundle: Bundle = { source: { kind: 'directory', path: fallbackName, format: 'zip' }, sha256: '', size: 0, files: toFileMap(files.values()) };
  const state = readManifest(bundle);
  const data = state.ok ? state.manifest.data : {};
  const name = typeof data.name === 'string' && data.name !== '' ? data.name : fallbackName;
  const version = typeof data.version === 'string' && data.version !== '' ? data.version : null;
  return generateSbom(buildDependencyModel(bundle), { name, version });
}

/**
 * The files with a generated `sbom.cdx.json` added (or replaced), sorted by path as a Bundle's files are: what
 * the action's `sbom: generate` packs when it packs a directory.
 */
export function withGeneratedSbom(files: ReadonlyMap<string, BundleFile>): Map<string, BundleFile> {
  const others = [...files.values()].filter((f) => f.path !== GENERATED_SBOM_FILE);
  const sbom: BundleFile = { path: GENERATED_SBOM_FILE, data: Buffer.from(sbomOfFiles(new Map(others.map((f) => [f.path, f]))), 'utf8'), mode: 0o644 };
  return new Map(sortFilesByPath([...others, sbom]).map((f) => [f.path, f]));
}
