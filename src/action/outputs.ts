import * as core from '@actions/core';
import { levelName, type LevelOrNone } from '../spec/levels.js';
import type { Report } from '../spec/report-schema.js';
import type { NamedScan } from './results.js';

/** A bundle among several that intake refused: it fails the job, the others are still judged. */
export interface Unreadable {
  path: string;
  reason: string;
}

const RISKS: readonly Report['risk_score'][] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'NONE'];

/**
 * Sets the step's outputs. With several bundles the job-wide values summarize (the lowest level, the highest
 * risk, all passed, the total of findings) and the per-bundle values are newline-separated lists in scan order.
 */
export function setOutputs(scans: readonly NamedScan[], files: { reportFiles: string[]; sarifFile: string }, unreadable: readonly Unreadable[] = []): void {
  const level = Math.min(...scans.map((s) => s.report.compliance.level)) as LevelOrNone;
  const risk = scans.map((s) => s.report.risk_score).sort((a, b) => RISKS.indexOf(a) - RISKS.indexOf(b))[0]!;
  core.setOutput('level', level);
  core.setOutput('level-name', levelName(level));
  core.setOutput('passed', unreadable.length === 0 && scans.every((s) => s.verdict.passed));
  core.setOutput('risk-score', risk);
  core.setOutput('report-file', files.reportFiles.join('\n'));
  core.setOutput('sarif-file', files.sarifFile);
  core.setOutput('bundle-path', scans.map((s) => s.bundlePath).join('\n'));
  core.setOutput('bundle-sha256', scans.map((s) => s.report.bundle.hash).join('\n'));
  core.setOutput('findings', scans.reduce((total, s) => total + s.report.findings.length, 0));
}

/** Fails the job when any bundle failed its gate or could not be read, with one line per reason (prefixed by the bundle with several). */
export function failBelowGate(scans: readonly NamedScan[], unreadable: readonly Unreadable[] = []): void {
  const failed = scans.filter((s) => !s.verdict.passed);
  if (failed.length === 0 && unreadable.length === 0) return;
  const several = scans.length + unreadable.length > 1;
  const prefix = (s: NamedScan) => (several ? `${s.report.bundle.name}: ` : '');
  core.setFailed(
    [...failed.map((s) => `${prefix(s)}${s.verdict.reasons.join('; ')}`), ...unreadable.map((u) => `${u.path}: ${u.reason}`)].join('\n'),
  );
}

