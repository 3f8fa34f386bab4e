import type { Action, Severity } from '../spec/levels.js';
import { labelFloor, scoreSeverity, type CvssScore } from './cvss.js';
import type { EpssScore } from './epss.js';
import type { KevEntry } from './kev.js';
import type { Component, OsvAffected, OsvRecord } from './osv.js';
import { cveIdsOf } from './source.js';
import { normalizeName } from './vex.js';

/**
 * SC-02's decision for one vulnerability of one package version (spec 3.3):
 *
 * | Condition                           | Action |
 * | CVSS >= 9.0                         | BLOCK  |
 * | CVSS >= 7.0 and EPSS > 0.10         | BLOCK  |
 * | listed in CISA KEV                  | BLOCK  |
 * | CVSS 7.0-8.9 with EPSS <= 0.10      | WARN   |
 * | CVSS 4.0-6.9                        | WARN   |
 * | CVSS < 4.0                          | INFO   |
 *
 * CVSS is the highest base score among the record's vectors (v2, v3.x, v4.0); without a vector, the lowest score of
 * the band a severity label names (cvss.ts). No score and no label: WARN, severity medium (unknown is not low).
 * No EPSS score (no CVE alias, or none published) counts as not above 0.10.
 *
 * OSV also carries reports of malicious packages (ids `MAL-...`, from the OpenSSF malicious-packages feed). They
 * have no CVSS: the table does not apply, and a package published to attack its users blocks, as critical.
 */

/** Records that name each other (id or alias) describe one vulnerability: GHSA, PYSEC and CVE ids of one flaw. */
export interface VulnerabilityGroup {
  /** Every id and alias as first spelled, sorted. */
  ids: string[];
  /** The same, upper-cased: how ids are compared (VEX statements, KEV, EPSS). */
  keys: Set<string>;
  records: OsvRecord[];
}

export interface Assessment {
  /** The id shown first: the first CVE alias, else the first record id. */
  primaryId: string;
  cvss: CvssScore | null;
  label: string | null;
  /** The score the criteria were applied to (the CVSS base score, or a label's band floor); null when unknown. */
  score: number | null;
  epss: { cve: string; score: EpssScore } | null;
  kev: { cve: string; entry: KevEntry } | null;
  action: Action;
  severity: Severity;
  rule: 'blocking-vulnerability' | 'malicious-package' | 'high-severity-low-epss' | 'medium-severity' | 'low-severity' | 'unscored-vulnerability';
  /** Why the action: the criteria met, in the spec's words. */
  reasons: string[];
  fixedVersions: string[];
}

export function groupRecords(records: readonly OsvRecord[]): VulnerabilityGroup[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  const spelled = records.map((r) => [r.id, ...(r.aliases ?? [])]);
  for (const ids of spelled) {
    const keys = ids.map((id) => id.toUpperCase());
    for (const key of keys) if (!parent.has(key)) parent.set(key, key);
    for (const key of keys.slice(1)) parent.set(find(key), find(keys[0]!));
  }
  const groups = new Map<string, { spellings: Map<string, string>; records: OsvRecord[] }>();
  records.forEach((record, i) => {
    const root = find(record.id.toUpperCase());
    const group = groups.get(root) ?? { spellings: new Map<string, string>(), records: [] };
    group.records.push(record);
    for (const id of spelled[i]!) if (!group.spellings.has(id.toUpperCase())) group.spellings.set(id.toUpperCase(), id);
    groups.set(root, group);
  });
  return [...groups.values()]
    .map((g) => ({
      ids: [...g.spellings.values()].sort(),
      keys: new Set(g.spellings.keys()),
      records: g.records.sort((a, b) => a.id.localeCompare(b.id)),
    }))
    .sort((a, b) => a.ids[0]!.localeCompare(b.ids[0]!));
}

export function assess(
  group: VulnerabilityGroup,
  component: Component,
  epss: ReadonlyMap<string, EpssScore>,
  kev: ReadonlyMap<string, KevEntry>,
): Assessment {
  const affected = group.records.flatMap((r) => (r.affected ?? []).filter((a) => concerns(a, component)));
  const cvss = highestCvss(group.records, affected);
  const label = cvss ? null : highestLabel(group.records, affected);
  const score = cvss ? cvss.score : label ? labelFloor(label) : null;
  const cves = [...new Set(group.records.flatMap(cveIdsOf))].sort();
  const epssHit = cves
    .map((cve) => ({ cve, score: epss.get(cve) }))
    .filter((e): e is { cve: string; score: EpssScore } => e.score !== undefined)
    .sort((a, b) => b.score.epss - a.score.epss)[0];
  const kevCve = cves.find((cve) => kev.has(cve));
  const probability = epssHit?.score.epss ?? null;

  const malicious = group.records.some((r) => r.id.toUpperCase().startsWith('MAL-'));
  const reasons: string[] = [];
  if (malicious) reasons.push('a known malicious package (OSV MAL- report)');
  if (score !== null && score >= 9.0) reasons.push('CVSS >= 9.0');
  if (score !== null && score >= 7.0 && probability !== null && probability > 0.1) reasons.push('CVSS >= 7.0 and EPSS > 0.10');
  if (kevCve) reasons.push('listed in CISA KEV');

  const severity = malicious ? 'critical' : severityOf(score, kevCve !== undefined);
  const decided = ((): Pick<Assessment, 'action' | 'rule'> => {
    if (malicious) return { action: 'BLOCK', rule: 'malicious-package' };
    if (reasons.length > 0) return { action: 'BLOCK', rule: 'blocking-vulnerability' };
    if (score === null) return { action: 'WARN', rule: 'unscored-vulnerability' };
    if (score >= 7.0) return { action: 'WARN', rule: 'high-severity-low-epss' };
    if (score >= 4.0) return { action: 'WARN', rule: 'medium-severity' };
    return { action: 'INFO', rule: 'low-severity' };
  })();
  return {
    primaryId: cves[0] ?? group.records[0]!.id,
    cvss,
    label,
    score,
    epss: epssHit ?? null,
    kev: kevCve ? { cve: kevCve, entry: kev.get(kevCve)! } : null,
    severity,
    reasons,
    fixedVersions: fixedVersions(affected),
    ...decided,
  };
}

/** critical/high/medium/low by CVSS band; a KEV listing is at least high (known active exploitation). */
function severityOf(score: number | null, inKev: boolean): Severity {
  const byScore: Severity = score === null ? 'medium' : score >= 9.0 ? 'critical' : score >= 7.0 ? 'high' : score >= 4.0 ? 'medium' : score > 0 ? 'low' : 'info';
  return inKev && (byScore === 'medium' || byScore === 'low' || byScore === 'info') ? 'high' : byScore;
}

/** Whether an `affected` entry is about this package (records can list several packages). */
function concerns(affected: OsvAffected, component: Component): boolean {
  const pkg = affected.package;
  if (pkg === undefined || pkg.ecosystem.split(':')[0] !== component.ecosystem) return false;
  return normalizeName(component.ecosystem, pkg.name) === normalizeName(component.ecosystem, component.name);
}

function highestCvss(records: readonly OsvRecord[], affected: readonly OsvAffected[]): CvssScore | null {
  const entries = [...records.flatMap((r) => r.severity ?? []), ...affected.flatMap((a) => a.severity ?? [])];
  let best: CvssScore | null = null;
  for (const entry of entries) {
    const scored = scoreSeverity(entry.type, entry.score);
    if (scored && (!best || scored.score > best.score)) best = scored;
  }
  return best;
}

/** The most severe qualitative label a record or its affected entry gives (GitHub, OSS-Fuzz, Ubuntu style). */
function highestLabel(records: readonly OsvRecord[], affected: readonly OsvAffected[]): string | null {
  const candidates: unknown[] = [
    ...records.map((r) => severityField(r.database_specific)),
    ...affected.flatMap((a) => [severityField(a.database_specific), severityField(a.ecosystem_specific)]),
    ...records.flatMap((r) => (r.severity ?? []).filter((s) => !s.type.startsWith('CVSS')).map((s) => s.score)),
  ];
  let best: { label: string; floor: number } | null = null;
  for (const candidate of candidates) {
    if (typeof candidate !== 'string') continue;
    const floor = labelFloor(candidate);
    if (floor !== null && (!best || floor > best.floor)) best = { label: candidate.trim().toUpperCase(), floor };
  }
  return best?.label ?? null;
}

function severityField(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (value as { severity?: unknown }).severity : undefined;
}

function fixedVersions(affected: readonly OsvAffected[]): string[] {
  const fixed = new Set<string>();
  for (const entry of affected) {
    for (const range of entry.ranges ?? []) {
      if (range.type === 'GIT') continue;
      for (const event of range.events ?? []) if (typeof event.fixed === 'string') fixed.add(event.fixed);
    }
  }
  return [...fixed].slice(0, 20);
}
