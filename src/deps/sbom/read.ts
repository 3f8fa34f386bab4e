import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import type { Bundle } from '../../bundle/types.js';
import { fileText, type FileText } from '../../text/file-text.js';
import { baseName, isInsideInstallDir, isRecord, stripBom } from '../common.js';
import { CYCLONEDX_VERSIONS, cycloneDxValidator, type CycloneDxVersion } from './cyclonedx-schemas.js';
import { Spdx23Document } from './spdx.js';

/** The file names MTF 3.3 SC-01 gives an SBOM ("Supported Formats"). */
export const SBOM_FILE_NAMES: readonly string[] = ['sbom.json', 'sbom.cdx.json', 'sbom.spdx.json'];

/** A package an SBOM lists, with where it is written. */
export interface SbomComponent {
  name: string | null;
  /** CycloneDX `group` (an npm scope such as `@acme`). */
  group: string | null;
  version: string | null;
  purl: string | null;
  type: string | null;
  line: number | null;
}

export interface SbomIssue {
  message: string;
  line: number | null;
}

export type SbomStatus = 'valid' | 'invalid-json' | 'unknown-format' | 'unsupported-version' | 'schema-invalid';

export interface SbomDocument {
  file: string;
  format: 'CycloneDX' | 'SPDX' | null;
  /** `specVersion` (CycloneDX) or the number of `spdxVersion` / the SPDX 3 context. */
  version: string | null;
  status: SbomStatus;
  /** Why the document is not valid: the JSON error, or schema errors at their lines. */
  issues: SbomIssue[];
  /** A remark that is not a defect (CycloneDX 1.7, SPDX 3). */
  note: string | null;
  components: SbomComponent[];
  /** Lockfile digests an SBOM written by `mtf sbom` records (`mtf:lockfile:<path>` = `sha256:<hex>`). */
  lockfileDigests: Map<string, string>;
}

/** Schema errors past this many are summarized: a hostile SBOM must not flood the report. */
const MAX_ISSUES = 20;
/** Components nest (CycloneDX assemblies); real SBOMs are a few levels deep. */
const MAX_COMPONENT_DEPTH = 32;

const cache = new WeakMap<Bundle, SbomDocument[]>();

/**
 * Every SBOM the bundle carries under one of the SC-01 names (outside installed dependencies), parsed and
 * validated once per scan: CycloneDX 1.4-1.7 against the official schemas, SPDX 2.3+ JSON against the fields
 * SPDX 2.3 makes mandatory.
 */
export function readSboms(bundle: Bundle): SbomDocument[] {
  let documents = cache.get(bundle);
  if (!documents) {
    documents = [...bundle.files.values()]
      .filter((f) => SBOM_FILE_NAMES.includes(baseName(f.path)) && !isInsideInstallDir(f.path))
      .sort((a, b) => a.path.split('/').length - b.path.split('/').length || (a.path < b.path ? -1 : 1))
      .map((f) => readSbom(fileText(f)));
    cache.set(bundle, documents);
  }
  return documents;
}

export function readSbom(text: FileText): SbomDocument {
  const doc: SbomDocument = { file: text.path, format: null, version: null, status: 'valid', issues: [], note: null, components: [], lockfileDigests: new Map() };
  let data: unknown;
  try {
    data = JSON.parse(stripBom(text.text));
  } catch (e) {
    return { ...doc, status: 'invalid-json', issues: [{ message: `not valid JSON: ${(e as Error).message}`, line: null }] };
  }
  const tree = parseTree(stripBom(text.text));
  const shift = text.text.charCodeAt(0) === 0xfeff ? 1 : 0; // offsets in the BOM-less text
  const lineOf = (node: JsonNode | undefined) => (node ? text.lines.lineAt(node.offset + shift) : null);
  if (isRecord(data) && data.bomFormat === 'CycloneDX') return readCycloneDx(doc, data, tree, lineOf);
  if (isRecord(data) && typeof data.spdxVersion === 'string') return readSpdx2(doc, data, tree, lineOf);
  if (isRecord(data) && isSpdx3(data)) return readSpdx3(doc, data);
  return { ...doc, status: 'unknown-format', issues: [{ message: 'neither a CycloneDX document ("bomFormat": "CycloneDX") nor an SPDX JSON document ("spdxVersion")', line: 1 }] };
}

type LineOf = (node: JsonNode | undefined) => number | null;

function readCycloneDx(doc: SbomDocument, data: Record<string, unknown>, tree: JsonNode | undefined, lineOf: LineOf): SbomDocument {
  doc.format = 'CycloneDX';
  const version = typeof data.specVersion === 'string' ? data.specVersion : null;
  doc.version = version;
  const specLine = lineOf(tree && findNodeAtLocation(tree, ['specVersion']));
  if (!version || !(CYCLONEDX_VERSIONS as readonly string[]).includes(version)) {
    doc.status = 'unsupported-version';
    doc.issues.push({ message: `CycloneDX specVersion ${JSON.stringify(data.specVersion ?? null)} is not supported (MTF accepts 1.4, 1.5 and 1.6; 1.7 with a note)`, line: specLine ?? 1 });
    return doc;
  }
  if (version === '1.7') doc.note = 'CycloneDX 1.7 is newer than the 1.4-1.6 MTF v0.1 lists; it was validated against the official 1.7 schema.';
  const validate = cycloneDxValidator(version as CycloneDxVersion);
  if (!validate(data)) {
    doc.status = 'schema-invalid';
    doc.issues = schemaIssues(validate.errors ?? [], tree, lineOf);
  }
  const components = tree && findNodeAtLocation(tree, ['components']);
  collectCycloneDx(doc, data.components, components, lineOf, 0);
  const properties = isRecord(data.metadata) && Array.isArray(data.metadata.properties) ? data.metadata.properties : [];
  for (const property of properties) {
    if (isRecord(property) && typeof property.name === 'string' && property.name.startsWith('mtf:lockfile:') && typeof property.value === 'string') {
      doc.lockfileDigests.set(property.name.slice('mtf:lockfile:'.length), property.value);
    }
  }
  return doc;
}

function collectCycloneDx(doc: SbomDocument, list: unknown, node: JsonNode | undefined, lineOf: LineOf, depth: number): void {
  if (!Array.isArray(list) || depth > MAX_COMPONENT_DEPTH) return;
  list.forEach((component, i) => {
    if (!isRecord(component)) return;
    const child = node?.children?.[i];
    doc.components.push({
      name: stringOrNull(component.name),
      group: stringOrNull(component.group),
      version: stringOrNull(component.version),
      purl: stringOrNull(component.purl),
      type: stringOrNull(component.type),
      line: lineOf(child),
    });
    const nested = child?.children?.find((p) => p.children?.[0]?.value === 'components')?.children?.[1];
    collectCycloneDx(doc, component.components, nested, lineOf, depth + 1);
  });
}

function schemaIssues(errors: { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }[], tree: JsonNode | undefined, lineOf: LineOf): SbomIssue[] {
  // oneOf/anyOf report every branch that failed; the branch errors below them say what is wrong.
  const relevant = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  const seen = new Set<string>();
  const issues: SbomIssue[] = [];
  for (const error of relevant.length > 0 ? relevant : errors) {
    const path = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const detail = error.keyword === 'enum' ? 'must be one of the values the schema allows' : error.keyword === 'additionalProperties' ? `has the unknown property "${String(error.params.additionalProperty)}"` : (error.message ?? error.keyword);
    const message = `${error.instancePath || '(document)'} ${detail}`;
    if (seen.has(message)) continue;
    seen.add(message);
    const segments = path.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    issues.push({ message, line: lineOf(tree && deepestNode(tree, segments)) });
  }
  if (issues.length > MAX_ISSUES) {
    const more = issues.length - MAX_ISSUES;
    return [...issues.slice(0, MAX_ISSUES), { message: `... and ${more} more schema error${more === 1 ? '' : 's'}`, line: null }];
  }
  return issues;
}

/** The node at `path`, or its nearest present ancestor. */
function deepestNode(tree: JsonNode, path: (string | number)[]): JsonNode | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(tree, path.slice(0, n));
    if (node) return node.parent?.type === 'property' ? node.parent : node;
  }
  return undefined;
}

function readSpdx2(doc: SbomDocument, data: Record<string, unknown>, tree: JsonNode | undefined, lineOf: LineOf): SbomDocument {
  doc.format = 'SPDX';
  const version = /^SPDX-(\d+\.\d+)$/.exec(String(data.spdxVersion))?.[1] ?? null;
  doc.version = version;
  const [major, minor] = (version ?? '0.0').split('.').map(Number) as [number, number];
  if (version === null || major !== 2 || minor < 3) {
    doc.status = 'unsupported-version';
    doc.issues.push({ message: `spdxVersion ${JSON.stringify(data.spdxVersion)} is not supported (MTF accepts SPDX 2.3 and later)`, line: lineOf(tree && findNodeAtLocation(tree, ['spdxVersion'])) ?? 1 });
    return doc;
  }
  const result = Spdx23Document.safeParse(data);
  if (!result.success) {
    doc.status = 'schema-invalid';
    doc.issues = result.error.issues.slice(0, MAX_ISSUES).map((issue) => ({
      message: `/${issue.path.join('/')} ${issue.message}`,
      line: lineOf(tree && deepestNode(tree, issue.path as (string | number)[])),
    }));
  }
  const described = new Set<string>(Array.isArray(data.documentDescribes) ? data.documentDescribes.filter((d): d is string => typeof d === 'string') : []);
  for (const rel of Array.isArray(data.relationships) ? data.relationships : []) {
    if (isRecord(rel) && rel.spdxElementId === 'SPDXRef-DOCUMENT' && rel.relationshipType === 'DESCRIBES' && typeof rel.relatedSpdxElement === 'string') described.add(rel.relatedSpdxElement);
  }
  const packagesNode = tree && findNodeAtLocation(tree, ['packages']);
  (Array.isArray(data.packages) ? data.packages : []).forEach((pkg, i) => {
    if (!isRecord(pkg) || (typeof pkg.SPDXID === 'string' && described.has(pkg.SPDXID))) return;
    const purlRef = Array.isArray(pkg.externalRefs) ? pkg.externalRefs.find((r) => isRecord(r) && r.referenceType === 'purl') : undefined;
    doc.components.push({
      name: stringOrNull(pkg.name),
      group: null,
      version: stringOrNull(pkg.versionInfo),
      purl: isRecord(purlRef) ? stringOrNull(purlRef.referenceLocator) : null,
      type: stringOrNull(pkg.primaryPackagePurpose),
      line: lineOf(packagesNode?.children?.[i]),
    });
  });
  return doc;
}

function isSpdx3(data: Record<string, unknown>): boolean {
  const context = data['@context'];
  return typeof context === 'string' && /spdx\.org\/rdf\/3\./.test(context);
}

/**
 * SPDX 3 (JSON-LD) is an SPDX version after 2.3, so MTF accepts it; no JSON Schema for it ships in an npm
 * package either, so its packages are read (software_Package elements) and the document is noted as unvalidated.
 */
function readSpdx3(doc: SbomDocument, data: Record<string, unknown>): SbomDocument {
  doc.format = 'SPDX';
  doc.version = /rdf\/(3\.[\d.]+)\//.exec(String(data['@context']))?.[1] ?? '3';
  doc.note = `SPDX ${doc.version} (JSON-LD) was read but not validated against a schema: mtf-action validates SPDX 2.3 documents.`;
  for (const element of Array.isArray(data['@graph']) ? data['@graph'] : []) {
    if (!isRecord(element) || element.type !== 'software_Package') continue;
    doc.components.push({
      name: stringOrNull(element.name),
      group: null,
      version: stringOrNull(element.software_packageVersion),
      purl: stringOrNull(element.software_packageUrl),
      type: stringOrNull(element.software_primaryPurpose),
      line: null,
    });
  }
  return doc;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
