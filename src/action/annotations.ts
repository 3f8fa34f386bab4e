import * as core from '@actions/core';
import { locateFinding } from '../report/locations.js';
import { severityRank } from '../spec/levels.js';
import type { Finding } from '../spec/report-schema.js';
import type { NamedScan } from './results.js';
import { count } from '../text/plural.js';

/** GitHub shows at most 10 error and 10 warning annotations per step; more are dropped silently. */
export const ANNOTATIONS_PER_KIND = 10;

interface Candidate {
  scan: NamedScan;
  finding: Finding;
}

/**
 * Annotates blocking findings as errors and warnings as warnings at their file and line in the checkout, the
 * most severe first, at most ANNOTATIONS_PER_KIND of each; one notice says how many more the summary lists.
 */
export function annotateFindings(scans: readonly NamedScan[]): { errors: number; warnings: number; omitted: number } {
  const pick = (action: Finding['action']) =>
    scans
      .flatMap((scan) => scan.report.findings.filter((f) => f.action === action).map((finding) => ({ scan, finding })))
      .sort((a, b) => severityRank(a.finding.severity) - severityRank(b.finding.severity));
  const blocking = pick('BLOCK');
  const warnings = pick('WARN');
  for (const candidate of blocking.slice(0, ANNOTATIONS_PER_KIND)) core.error(message(candidate), properties(candidate, scans.length));
  for (const candidate of warnings.slice(0, ANNOTATIONS_PER_KIND)) core.warning(message(candidate), properties(candidate, scans.length));
  const moreBlocking = Math.max(0, blocking.length - ANNOTATIONS_PER_KIND);
  const moreWarnings = Math.max(0, warnings.length - ANNOTATIONS_PER_KIND);
  if (moreBlocking + moreWarnings > 0) {
    core.notice(
      `MTF: ${count(moreBlocking, 'more blocking finding')} and ${count(moreWarnings, 'more warning')} ` +
        `are not annotated (GitHub shows ${ANNOTATIONS_PER_KIND} of each per step); the job summary and the JSON report list them.`,
    );
  }
  return {
    errors: Math.min(blocking.length, ANNOTATIONS_PER_KIND),
    warnings: Math.min(warnings.length, ANNOTATIONS_PER_KIND),
    omitted: moreBlocking + moreWarnings,
  };
}

function message({ finding }: Candidate): string {
  const text = `${finding.title}: ${finding.description}`;
  return text.length <= 1000 ? text : `${text.slice(0, 999)}…`;
}

function properties({ scan, finding }: Candidate, bundles: number): core.AnnotationProperties {
  const location = locateFinding(finding, scan.map);
  const title = `MTF ${finding.control}${bundles > 1 ? ` (${scan.report.bundle.name})` : ''}: ${finding.severity}${finding.blocks_from ? `, blocks L${finding.blocks_from}` : ''}`;
  const props: core.AnnotationProperties = { title: title.slice(0, 200) };
  if (location.mapped) {
    props.file = location.uri;
    if (location.line !== null) props.startLine = location.line;
  }
  return props;
}
