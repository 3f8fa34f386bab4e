import { CATALOG, DOMAIN_TITLES, DOMAINS, type ControlId } from '../spec/catalog.js';
import { SEVERITIES } from '../spec/levels.js';
import type { Finding, Report } from '../spec/report-schema.js';
import type { Verdict } from '../policy.js';
import { count } from '../text/plural.js';

export interface TextOptions {
  /** ANSI colours (a terminal that wants them). */
  color: boolean;
  /** Findings listed per severity before the rest are counted. */
  maxPerSeverity?: number;
}

const ANSI = { red: 31, green: 32, yellow: 33, blue: 34, gray: 90, bold: 1 } as const;

/** A terminal summary: level reached and claimed, a control table per domain, findings by severity, blockers, verdict. */
export function renderText(report: Report, verdict: Verdict, options: TextOptions): string {
  const paint = (code: keyof typeof ANSI, text: string) => (options.color ? `\x1b[${ANSI[code]}m${text}\x1b[0m` : text);
  const limit = options.maxPerSeverity ?? 50;
  const { bundle, compliance } = report;
  const out: string[] = [];

  out.push(paint('bold', `MTF scan: ${bundle.name} ${bundle.version}`));
  out.push(`bundle   ${bundle.path} (${bundle.files} files, sha256 ${bundle.hash})${bundle.signed ? ', mcpb signature block appended' : ''}`);
  const claimed = report.level_claimed ? `claimed L${report.level_claimed}` : 'no level claimed';
  out.push(
    `level    ${paint('bold', `L${compliance.level} ${compliance.level_name}`)} (${claimed}, judged at L${compliance.target_level})` +
      `   risk ${report.risk_score}${compliance.degraded ? paint('yellow', '   degraded: a control in error holds the level down') : ''}`,
  );

  for (const domain of DOMAINS) {
    const controls = report.domains[domain]?.controls;
    if (!controls) continue;
    out.push('', paint('bold', DOMAIN_TITLES[domain]));
    for (const [id, result] of Object.entries(controls)) {
      const status = result.status.padEnd(5);
      const colored =
        result.status === 'pass' ? paint('green', status) : result.status === 'fail' ? paint('red', status.toUpperCase()) : result.status === 'error' ? paint('yellow', status) : paint('gray', status);
      const note =
        result.status === 'error'
          ? result.error
          : result.status === 'skip'
            ? result.skip_reason
            : result.findings.length > 0
              ? count(result.findings.length, 'finding')
              : '';
      const optIn = result.gates === 'opt-in' ? ' (opt-in)' : '';
      out.push(`  ${id}  ${result.name.padEnd(29)} L${result.level}  ${colored}  ${note ?? ''}${optIn}`.trimEnd());
    }
  }

  out.push('', paint('bold', `Findings (${report.findings.length})`));
  if (report.findings.length === 0) out.push('  none');
  for (const severity of SEVERITIES) {
    const group = report.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    out.push(`  ${paint(severity === 'critical' || severity === 'high' ? 'red' : severity === 'medium' ? 'yellow' : 'gray', severity.toUpperCase())} (${group.length})`);
    for (const finding of group.slice(0, limit)) {
      out.push(`    ${finding.action.padEnd(5)}  ${finding.control}  ${where(finding)}  ${finding.title}`);
      out.push(`           ${finding.description}`);
    }
    if (group.length > limit) out.push(`    ... ${group.length - limit} more ${severity} findings (see --format json)`);
  }

  const byId = new Map(report.findings.map((f) => [f.id, f]));
  const next = compliance.blockers[0];
  if (next) {
    out.push('', paint('bold', `What blocks L${next.level}`));
    for (const id of next.findings.slice(0, limit)) {
      const finding = byId.get(id)!;
      out.push(`  ${finding.control}  ${where(finding)}  ${finding.title}`);
    }
    if (next.findings.length > limit) out.push(`  ... ${next.findings.length - limit} more`);
    for (const id of next.errors) out.push(`  ${id}  could not complete: ${errorOf(report, id)}`);
    for (const later of compliance.blockers.slice(1)) {
      out.push(`  L${later.level}: ${count(later.findings.length, 'blocking finding')}, ${count(later.errors.length, 'control')} in error`);
    }
  }

  out.push('', verdict.passed ? paint('green', 'PASSED') + passNote(verdict) : `${paint('red', 'FAILED')}  ${verdict.reasons.join('; ')}`);
  return out.join('\n') + '\n';
}

function passNote(verdict: Verdict): string {
  return verdict.requiredLevel > 0 ? `  required L${verdict.requiredLevel}` : '  (no level required)';
}

export function where(finding: Pick<Finding, 'file' | 'line'>): string {
  if (!finding.file) return '(bundle)';
  return finding.line ? `${finding.file}:${finding.line}` : finding.file;
}

function errorOf(report: Report, id: ControlId): string {
  return report.domains[CATALOG[id].domain]?.controls[id]?.error ?? 'error';
}
