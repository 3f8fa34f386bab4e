import * as core from '@actions/core';
import { escapeMarkdown, fitMarkdown, renderMarkdown } from '../report/markdown.js';
import type { Unreadable } from './outputs.js';
import { markdownContext, type NamedScan } from './results.js';
import type { Workflow } from './workflow.js';

/**
 * GitHub refuses a step summary over 1 MiB ("$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size
 * of 1024k"); this leaves room for whatever else the step writes.
 */
export const STEP_SUMMARY_BYTES = 1_000_000;

/**
 * One bundle's Markdown within `maxBytes`: every finding when it fits, else fewer, with `fullNote` saying where
 * the rest is.
 */
export function bundleMarkdown(scan: NamedScan, workflow: Workflow, notes: readonly string[], maxBytes: number, fullNote: string): string {
  const ctx = markdownContext(scan, workflow, notes);
  return fitMarkdown((limit) => renderMarkdown(scan.report, scan.verdict, ctx, { maxFindings: limit }), maxBytes, fullNote).markdown;
}

/**
 * The job summary: with several bundles, an overview table first; then each bundle's section, all within
 * `maxBytes` (each bundle gets an equal share).
 */
export function composeJobSummary(
  scans: readonly NamedScan[],
  workflow: Workflow,
  notes: readonly string[],
  fullNote: string,
  unreadable: readonly Unreadable[] = [],
  maxBytes = STEP_SUMMARY_BYTES,
): string {
  const parts: string[] = [];
  if (scans.length + unreadable.length > 1) parts.push(overview(scans, unreadable));
  const used = parts.reduce((total, part) => total + Buffer.byteLength(part), 0);
  const share = Math.floor((maxBytes - used - 1024) / scans.length);
  for (const scan of scans) parts.push(bundleMarkdown(scan, workflow, notes, share, fullNote));
  return parts.join('\n');
}

function overview(scans: readonly NamedScan[], unreadable: readonly Unreadable[]): string {
  const failed = scans.filter((s) => !s.verdict.passed).length + unreadable.length;
  const total = scans.length + unreadable.length;
  const lines = [
    `## ${failed > 0 ? '❌' : '✅'} MTF: ${total} bundles, ${total - failed} passed, ${failed} failed`,
    '',
    '| Bundle | Level | Required | Risk | Findings | Result |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const { report, verdict } of scans) {
    const required = verdict.requiredLevel > 0 ? `L${verdict.requiredLevel}` : 'none';
    lines.push(
      `| ${escapeMarkdown(report.bundle.name, 120)} ${report.bundle.version} | L${report.compliance.level} ${report.compliance.level_name} | ${required} | ${report.risk_score} | ${report.findings.length} | ${verdict.passed ? '✅ passed' : '❌ failed'} |`,
    );
  }
  for (const { path, reason } of unreadable) {
    lines.push(`| ${escapeMarkdown(path, 120)} | could not be read | | | | ❌ ${escapeMarkdown(reason, 300)} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Appends to the step summary (GITHUB_STEP_SUMMARY); fail-soft, like every view of the results. */
export async function writeJobSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown).write();
  } catch (e) {
    core.warning(`MTF: job summary not written: ${(e as Error).message}`);
  }
}

/** The summary of a step that could not scan: the reason, escaped (it can quote the bundle's entry names). */
export function failureSummary(message: string): string {
  return `### ❌ MTF: no verdict\n\n${escapeMarkdown(message, 2000)}\n`;
}
