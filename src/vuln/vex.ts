import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { PackageURL } from 'packageurl-js';
import type { Bundle } from '../bundle/types.js';
import type { Ecosystem } from '../deps/types.js';
import { fileText } from '../text/file-text.js';

/**
 * OpenVEX documents shipped in the bundle (spec 5.4): `vex.json` and `.vex/*.json` at its root. Statements name a
 * vulnerability (by `@id`, `name` or `aliases`) and products by package URL; a product matches a dependency by
 * its purl (a versionless purl matches every version; qualifiers and subpath are ignored), or through the
 * `subcomponents` of a product, or is the bundle itself (a purl or id naming the manifest's name), which covers
 * every dependency. When several statements match, the latest (statement timestamp, else the document's) wins,
 * as OpenVEX says.
 */

export const VEX_STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;
export type VexStatus = (typeof VEX_STATUSES)[number];

/** OpenVEX v0.2.0 justifications, the set spec 5.4 lists. */
export const VEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;

export interface VexProduct {
  id: string;
  purl: ProductPurl | null;
  subcomponents: VexProduct[];
}

interface ProductPurl {
  type: string;
  /** namespace/name as written in the purl, decoded. */
  name: string;
  version: string | null;
}

export interface VexStatement {
  file: string;
  line: number;
  /** Upper-cased ids the statement names the vulnerability by. */
  vulnerabilities: string[];
  products: VexProduct[];
  status: VexStatus;
  /** The justification when it is one of the OpenVEX values; the raw text otherwise is in `justificationText`. */
  justification: (typeof VEX_JUSTIFICATIONS)[number] | null;
  justificationText: string | null;
  impactStatement: string | null;
  actionStatement: string | null;
  timestamp: number;
  order: number;
}

export interface VexProblem {
  file: string;
  line: number;
  message: string;
}

export interface VexDocuments {
  files: string[];
  statements: VexStatement[];
  problems: VexProblem[];
}

const MAX_FILES = 64;
const MAX_FILE_BYTES = 8 * 1024 * 1024;
const MAX_STATEMENTS = 10_000;

export function isVexPath(path: string): boolean {
  return path === 'vex.json' || /^\.vex\/[^/]+\.json$/.test(path);
}

export function readVex(bundle: Bundle): VexDocuments {
  const files = [...bundle.files.keys()].filter(isVexPath).slice(0, MAX_FILES);
  const out: VexDocuments = { files, statements: [], problems: [] };
  for (const path of files) {
    const file = bundle.files.get(path)!;
    if (file.data.length > MAX_FILE_BYTES) {
      out.problems.push({ file: path, line: 1, message: `${file.data.length} bytes is more than a VEX document of ${MAX_FILE_BYTES} bytes; not read` });
      continue;
    }
    readDocument(path, bundle, out);
  }
  return out;
}

function readDocument(path: string, bundle: Bundle, out: VexDocuments): void {
  const text = fileText(bundle.files.get(path)!);
  let doc: unknown;
  try {
    doc = JSON.parse(text.text);
  } catch (e) {
    out.problems.push({ file: path, line: 1, message: `not valid JSON: ${(e as Error).message}` });
    return;
  }
  if (!isObject(doc) || typeof doc['@context'] !== 'string' || !doc['@context'].startsWith('https://openvex.dev/ns')) {
    out.problems.push({ file: path, line: 1, message: 'not an OpenVEX document (no "@context": "https://openvex.dev/ns/v0.2.0")' });
    return;
  }
  if (!Array.isArray(doc.statements)) {
    out.problems.push({ file: path, line: 1, message: 'has no "statements" array' });
    return;
  }
  const tree = parseTree(text.text);
  const lineOf = (i: number) => {
    const node = tree ? findNodeAtLocation(tree, ['statements', i]) : undefined;
    return node ? text.lines.lineAt(node.offset) : 1;
  };
  const documentTime = parseTime(doc.timestamp);
  for (const [i, raw] of doc.statements.entries()) {
    if (out.statements.length >= MAX_STATEMENTS) {
      out.problems.push({ file: path, line: lineOf(i), message: `more than ${MAX_STATEMENTS} VEX statements in all; the rest are not read` });
      return;
    }
    const line = lineOf(i);
    const statement = readStatement(raw, path, line, documentTime, out.statements.length);
    if (typeof statement === 'string') out.problems.push({ file: path, line, message: `statements[${i}] ${statement}; ignored` });
    else out.statements.push(statement);
  }
}

function readStatement(raw: unknown, file: string, line: number, documentTime: number, order: number): VexStatement | string {
  if (!isObject(raw)) return 'is not an object';
  const vulnerabilities = vulnerabilityIds(raw.vulnerability);
  if (vulnerabilities.length === 0) return 'names no vulnerability';
  if (!Array.isArray(raw.products) || raw.products.length === 0) return 'names no products';
  const status = raw.status;
  if (typeof status !== 'string' || !(VEX_STATUSES as readonly string[]).includes(status)) {
    return `has status ${JSON.stringify(status)}, not one of ${VEX_STATUSES.join(', ')}`;
  }
  const justificationText = typeof raw.justification === 'string' ? raw.justification : null;
  const justification = (VEX_JUSTIFICATIONS as readonly string[]).includes(justificationText ?? '') ? (justificationText as VexStatement['justification']) : null;
  return {
    file,
    line,
    vulnerabilities,
    products: raw.products.slice(0, 1000).map(readProduct).filter((p): p is VexProduct => p !== null),
    status: status as VexStatus,
    justification,
    justificationText,
    impactStatement: typeof raw.impact_statement === 'string' ? raw.impact_statement : null,
    actionStatement: typeof raw.action_statement === 'string' ? raw.action_statement : null,
    timestamp: Math.max(parseTime(raw.timestamp), parseTime(raw.last_updated), raw.timestamp === undefined ? documentTime : -Infinity),
    order,
  };
}

/** OpenVEX v0.2.0 writes {"@id", "name", "aliases"}; earlier drafts wrote a plain string. */
function vulnerabilityIds(value: unknown): string[] {
  const ids = typeof value === 'string' ? [value] : isObject(value) ? [value['@id'], value.name, ...(Array.isArray(value.aliases) ? value.aliases : [])] : [];
  return [...new Set(ids.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map(toVulnKey))];
}

/** Ids compared upper-cased, and an IRI such as https://nvd.nist.gov/vuln/detail/CVE-... by its last segment. */
export function toVulnKey(id: string): string {
  const trimmed = id.trim();
  const last = /^https?:\/\//i.test(trimmed) ? (trimmed.split('/').filter(Boolean).pop() ?? trimmed) : trimmed;
  return last.toUpperCase();
}

function readProduct(raw: unknown, depth = 0): VexProduct | null {
  if (!isObject(raw)) return null;
  const identifiers = isObject(raw.identifiers) ? raw.identifiers : {};
  const id = typeof raw['@id'] === 'string' ? raw['@id'] : typeof identifiers.purl === 'string' ? identifiers.purl : null;
  if (id === null) return null;
  const purlText = typeof identifiers.purl === 'string' ? identifiers.purl : id;
  const subcomponents = depth === 0 && Array.isArray(raw.subcomponents) ? raw.subcomponents.slice(0, 1000).map((s) => readProduct(s, 1)) : [];
  return { id, purl: parsePurl(purlText), subcomponents: subcomponents.filter((p): p is VexProduct => p !== null) };
}

function parsePurl(text: string): ProductPurl | null {
  if (!text.startsWith('pkg:') || text.length > 2048) return null;
  try {
    const purl = PackageURL.fromString(text);
    return { type: purl.type.toLowerCase(), name: purl.namespace ? `${purl.namespace}/${purl.name}` : purl.name, version: purl.version ?? null };
  } catch {
    return null;
  }
}

/** What a statement is matched against: one dependency, and the bundle it ships in. */
export interface VexSubject {
  ecosystem: Ecosystem;
  name: string;
  version: string;
  bundle: { name: string; version: string | null } | null;
}

export interface VexMatch {
  statement: VexStatement;
  /** The version the matching product names: the dependency's (a product purl) or the bundle's; null if none. */
  namedVersion: string | null;
  /** Whether that version is the one the bundle ships (the dependency's version, or the bundle's own). */
  namesBundledVersion: boolean;
}

/** The statement that decides for `subject` and a vulnerability known by `ids` (upper-cased), or null. */
export function findStatement(statements: readonly VexStatement[], ids: ReadonlySet<string>, subject: VexSubject): VexMatch | null {
  let best: VexMatch | null = null;
  for (const statement of statements) {
    if (!statement.vulnerabilities.some((id) => ids.has(id))) continue;
    const match = matchProducts(statement, subject);
    if (!match) continue;
    if (!best || statement.timestamp > best.statement.timestamp || (statement.timestamp === best.statement.timestamp && statement.order > best.statement.order)) {
      best = match;
    }
  }
  return best;
}

function matchProducts(statement: VexStatement, subject: VexSubject): VexMatch | null {
  for (const product of statement.products) {
    if (matchesComponent(product, subject)) return componentMatch(statement, product, subject);
    const sub = product.subcomponents.find((s) => matchesComponent(s, subject));
    if (sub) return componentMatch(statement, sub, subject);
    if (product.subcomponents.length === 0 && subject.bundle && isBundle(product, subject.bundle)) {
      const named = product.purl?.version ?? null;
      return { statement, namedVersion: named, namesBundledVersion: named !== null && named === subject.bundle.version };
    }
  }
  return null;
}

function componentMatch(statement: VexStatement, product: VexProduct, subject: VexSubject): VexMatch {
  const named = product.purl?.version ?? null;
  return { statement, namedVersion: named, namesBundledVersion: named !== null && sameVersion(subject.ecosystem, named, subject.version) };
}

const PURL_TYPES: Record<Ecosystem, string> = { npm: 'npm', PyPI: 'pypi', Go: 'golang', 'crates.io': 'cargo' };

function matchesComponent(product: VexProduct, subject: VexSubject): boolean {
  const purl = product.purl;
  if (!purl || purl.type !== PURL_TYPES[subject.ecosystem]) return false;
  if (normalizeName(subject.ecosystem, purl.name) !== normalizeName(subject.ecosystem, subject.name)) return false;
  return purl.version === null || sameVersion(subject.ecosystem, purl.version, subject.version);
}

function isBundle(product: VexProduct, bundle: { name: string; version: string | null }): boolean {
  const bare = (name: string) => name.replace(/^@/, '').toLowerCase();
  const named = product.purl ? product.purl.name : product.id;
  if (bare(named) !== bare(bundle.name)) return false;
  const version = product.purl?.version ?? null;
  return version === null || version === bundle.version;
}

/** Names as each ecosystem compares them: PyPI per PEP 503, crates.io without case or -/_ difference. */
export function normalizeName(ecosystem: Ecosystem, name: string): string {
  switch (ecosystem) {
    case 'PyPI':
      return name.toLowerCase().replace(/[-_.]+/g, '-');
    case 'crates.io':
      return name.toLowerCase().replace(/_/g, '-');
    case 'npm':
      return name.toLowerCase();
    case 'Go':
      return name;
  }
}

function sameVersion(ecosystem: Ecosystem, a: string, b: string): boolean {
  const strip = (v: string) => (ecosystem === 'Go' ? v.replace(/^v(?=\d)/, '') : v);
  return strip(a) === strip(b);
}

function parseTime(value: unknown): number {
  if (typeof value !== 'string') return -Infinity;
  const time = Date.parse(value);
  return Number.isNaN(time) ? -Infinity : time;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
