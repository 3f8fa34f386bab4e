import type { Config, FailOn } from './spec/config-schema.js';
import { severityRank, type Severity } from './spec/levels.js';
import type { Report } from './spec/report-schema.js';
import { count } from './text/plural.js';

/** Whether a scan passes the gate, and a one-line reason when it does not. */
export interface Verdict {
  passed: boolean;
  /** The level the gate required; 0 when the level gates nothing. */
  requiredLevel: number;
  /** One line per failed condition, e.g. "reached L1, required L2: 3 findings block L2". */
  reasons: string[];
}

/**
 * The gate: the bundle must reach the required level (`--level` / `min-level`; unset: the level the manifest
 * declares, else 1; 0 disables it), and with `fail-on` no finding may be at or above that severity.
 */
export function evaluateGate(report: Report, config: Pick<Config, 'fail-on'>): Verdict {
  const { compliance } = report;
  const requiredLevel = compliance.required_level === 0 ? 0 : compliance.target_level;
  const reasons: string[] = [];
  if (compliance.level < requiredLevel) {
    const next = compliance.blockers.find((b) => b.level === compliance.level + 1);
    const why = next ? describeBlockers(next.findings.length, next.errors.length, next.level) : '';
    reasons.push(`reached L${compliance.level}, required L${requiredLevel}${why ? `: ${why}` : ''}`);
  }
  const failing = findingsAtOrAbove(report, config['fail-on']);
  if (failing > 0) {
    reasons.push(`${count(failing, 'finding')} at or above ${config['fail-on']} severity (fail-on)`);
  }
  return { passed: reasons.length === 0, requiredLevel, reasons };
}

function describeBlockers(findings: number, errors: number, level: number): string {
  const parts = [];
  if (findings > 0) parts.push(findings === 1 ? `1 finding blocks L${level}` : `${findings} findings block L${level}`);
  if (errors > 0) parts.push(`${count(errors, 'control')} could not complete`);
  return parts.join(', ');
}

function findingsAtOrAbove(report: Report, failOn: FailOn): number {
  if (failOn === 'none') return 0;
  const threshold = severityRank(failOn as Severity);
  return report.findings.filter((f) => severityRank(f.severity) <= threshold).length;
}
