import type { Facts, FileRole, Suppression } from '../../analysis/types.js';
import type { Severity } from '../../spec/levels.js';
import type { FindingInput } from '../control.js';

/** A finding about code, with the lines its construct spans (a `nosec` on any of them applies). */
export interface CodeFinding extends FindingInput {
  file: string;
  line: number;
  endLine?: number;
}

/** Bandit's three-valued ratings. */
export type Rating = 'HIGH' | 'MEDIUM' | 'LOW';

/**
 * MTF 3.4 CQ-03 "Severity Mapping" from a tool's (severity, confidence). The table leaves two pairs out;
 * we read a LOW confidence as one step below MEDIUM: (HIGH, LOW) is LOW and (MEDIUM, LOW) is INFO.
 */
export function mapRating(severity: Rating, confidence: Rating): Severity {
  if (severity === 'LOW') return 'info';
  if (severity === 'HIGH') return confidence === 'HIGH' ? 'high' : confidence === 'MEDIUM' ? 'medium' : 'low';
  return confidence === 'HIGH' ? 'medium' : confidence === 'MEDIUM' ? 'low' : 'info';
}

/** MTF 3.4 CQ-03 "Severity": HIGH blocks, MEDIUM warns, LOW/INFO are reported only. */
export function actionFor(severity: Severity): 'BLOCK' | 'WARN' | 'INFO' {
  if (severity === 'critical' || severity === 'high') return 'BLOCK';
  return severity === 'medium' ? 'WARN' : 'INFO';
}

/** The files a control judges: server code (DESIGN.md section 4, "Scope of code analysis"). */
export function serverFiles(facts: Facts): Set<string> {
  return new Set(facts.files.filter((file) => file.role === 'server').map((file) => file.path));
}

export function isServer(item: { role: FileRole }): boolean {
  return item.role === 'server';
}

/**
 * Applies `nosec` suppressions (DESIGN.md section 4, "Suppressions") to one control's code findings: a
 * `nosec: <reason>` on any line of the flagged construct turns its finding into an INFO that records the
 * reason; a `nosec` without a reason silences nothing and adds a WARN at the comment. The WARN for a bare
 * `nosec` is reported once per comment line by the control whose finding it tried to silence.
 */
export function applySuppressions(findings: readonly CodeFinding[], suppressions: readonly Suppression[]): FindingInput[] {
  const byFile = new Map<string, Suppression[]>();
  for (const suppression of suppressions) {
    const list = byFile.get(suppression.file);
    if (list) list.push(suppression);
    else byFile.set(suppression.file, [suppression]);
  }
  const out: FindingInput[] = [];
  const bareReported = new Set<string>();
  for (const finding of findings) {
    const { endLine, ...plain } = finding;
    const last = Math.max(endLine ?? finding.line, finding.line);
    const matching = (byFile.get(finding.file) ?? []).filter((s) => s.line >= finding.line && s.line <= last);
    const justified = matching.find((s) => s.reason !== null);
    if (justified) {
      out.push({
        ...plain,
        severity: 'info',
        action: 'INFO',
        blocksFrom: undefined,
        below: undefined,
        title: `Suppressed: ${finding.title}`,
        description: `${finding.description} Suppressed by a nosec comment on line ${justified.line}: "${justified.reason}". (Rated ${finding.severity} before suppression.)`,
      });
      continue;
    }
    out.push(plain);
    for (const bare of matching) {
      const key = `${bare.file}:${bare.line}`;
      if (bareReported.has(key)) continue;
      bareReported.add(key);
      out.push(bareSuppressionWarning(bare));
    }
  }
  return out.map(dropUndefined);
}

export function bareSuppressionWarning(suppression: Suppression): FindingInput {
  return {
    rule: 'suppression-without-reason',
    severity: 'low',
    action: 'WARN',
    title: 'nosec without a justification',
    description: 'A nosec comment silences a finding only with a reason ("# nosec: <reason>" / "// nosec: <reason>"); without one it silences nothing.',
    file: suppression.file,
    line: suppression.line,
    remediation: 'Write why the flagged code is safe after "nosec:", or fix the code and remove the comment.',
  };
}

function dropUndefined(finding: FindingInput): FindingInput {
  const copy = { ...finding } as Record<string, unknown>;
  for (const key of Object.keys(copy)) if (copy[key] === undefined) delete copy[key];
  return copy as unknown as FindingInput;
}

/**
 * SQL text a string builds: `SELECT ... FROM`, `INSERT INTO`, `UPDATE ... SET`, `DELETE FROM` (Bandit B608's
 * statement shapes). Keyword positions are found with linear, anchored-by-word searches, never a `.*`
 * between two keywords, so no input can make the check backtrack.
 */
export function looksLikeSql(text: string): boolean {
  const lower = text.toLowerCase();
  const at = (word: RegExp) => {
    const match = word.exec(lower);
    return match ? match.index : -1;
  };
  const select = at(/\bselect\s/);
  if (select >= 0 && lower.slice(select).search(/\sfrom\s|\sfrom$|\sfrom\{\}/) >= 0) return true;
  if (/\b(?:insert|replace)\s+into\s/.test(lower) || /\bdelete\s+from\s/.test(lower)) return true;
  const update = at(/\bupdate\s/);
  if (update >= 0 && lower.slice(update).search(/\sset\s/) >= 0) return true;
  return /\b(?:drop|alter|create)\s+table\s/.test(lower);
}
