import { createHash } from 'node:crypto';
import type * as Sarif from 'sarif';
import { CATALOG, type ControlId } from '../spec/catalog.js';
import { severityRank, type Severity } from '../spec/levels.js';
import type { Finding, Report } from '../spec/report-schema.js';
import { SCANNER_NAME, SCANNER_VERSION } from '../version.js';
import { locateFinding, type RepositoryLocation, type RepositoryMap } from './locations.js';

/** One bundle's scan, rendered as one SARIF run under its own category. */
export interface SarifRunInput {
  report: Report;
  map: RepositoryMap;
  /** Code scanning category (`runAutomationDetails.id`); distinct per bundle. */
  category: string;
}

/**
 * GitHub code scanning's limits (docs "SARIF results exceed limit" and "SARIF file is too large"): 20 runs
 * per file, 25,000 results per run of which only 5,000 are kept, 20 tags per rule of which 10 are shown,
 * 10 MB per upload (gzip-compressed; capping the uncompressed text keeps well inside it).
 */
export interface SarifLimits {
  maxRuns: number;
  maxResultsPerRun: number;
  maxTagsPerRule: number;
  maxBytes: number;
}

export const GITHUB_SARIF_LIMITS: Readonly<SarifLimits> = Object.freeze({
  maxRuns: 20,
  maxResultsPerRun: 5_000,
  maxTagsPerRule: 10,
  maxBytes: 10_000_000,
});

/** What was left out of a run to stay within the limits. */
export interface SarifRunSummary {
  category: string;
  bundle: string;
  results: number;
  findings: number;
}

export interface SarifOutput {
  /** The SARIF 2.1.0 log, JSON text. */
  text: string;
  runs: SarifRunSummary[];
  /** Categories of bundles left out because a file holds at most `maxRuns` runs. */
  omittedRuns: string[];
}

const SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://mpaktrust.org';

/** SARIF `level` per spec action: BLOCK fails the control, WARN and INFO do not. */
const LEVEL_OF_ACTION: Record<Finding['action'], Sarif.Result.level> = { BLOCK: 'error', WARN: 'warning', INFO: 'note' };

/**
 * GitHub's `security-severity` (0.0-10.0: critical above 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9),
 * one value inside each band for MTF's severities; info has no security impact.
 */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

/**
 * Renders scans as a SARIF 2.1.0 log for GitHub code scanning: one run per bundle (its own category), one rule
 * per control that produced findings, one result per finding with a repository location. Stays within
 * `limits` deterministically: runs beyond maxRuns are left out (in input order), and each run keeps its most
 * important findings (BLOCK before WARN before INFO, then by severity, then report order) up to one shared
 * per-run count chosen so that the whole text fits in maxBytes.
 */
export function renderSarif(inputs: readonly SarifRunInput[], limits: SarifLimits = GITHUB_SARIF_LIMITS): SarifOutput {
  const kept = inputs.slice(0, limits.maxRuns);
  const prepared = kept.map((input) => prepareRun(input, limits));
  const perRun = resultsPerRunWithin(prepared, limits);
  const runs = prepared.map((run) => finishRun(run, perRun));
  const log: Sarif.Log = { $schema: SCHEMA_URI, version: '2.1.0', runs: runs.map((r) => r.run) };
  return {
    text: `${JSON.stringify(log)}\n`,
    runs: runs.map((r) => r.summary),
    omittedRuns: inputs.slice(limits.maxRuns).map((input) => input.category),
  };
}

interface PreparedResult {
  finding: Finding;
  result: Sarif.Result;
  /** UTF-8 size of the result's JSON, plus its comma. */
  bytes: number;
}

interface PreparedRun {
  input: SarifRunInput;
  rules: Sarif.ReportingDescriptor[];
  /** Results in priority order. */
  results: PreparedResult[];
  /** UTF-8 size of the run without results. */
  bytes: number;
}

function prepareRun(input: SarifRunInput, limits: SarifLimits): PreparedRun {
  const { report, map } = input;
  const controls = [...new Set(report.findings.map((f) => f.control))].sort(byCatalogOrder);
  const rules = controls.map((id) => ruleFor(id, report.findings.filter((f) => f.control === id), limits));
  const ruleIndex = new Map(controls.map((id, i) => [id, i]));
  const occurrences = new Map<string, number>();
  const results = report.findings.map((finding) => {
    const location = locateFinding(finding, map);
    const result = resultFor(finding, location, ruleIndex.get(finding.control)!, occurrences);
    return { finding, result, bytes: byteLength(JSON.stringify(result)) + 1 };
  });
  results.sort((a, b) => priority(a.finding) - priority(b.finding) || severityRank(a.finding.severity) - severityRank(b.finding.severity));
  const empty = runObject(input, rules, [], undefined);
  return { input, rules, results, bytes: byteLength(JSON.stringify(empty)) + 512 };
}

/** The largest per-run result count (at most maxResultsPerRun) whose log fits in maxBytes. */
function resultsPerRunWithin(runs: readonly PreparedRun[], limits: SarifLimits): number {
  const budget = limits.maxBytes - 1024 - runs.reduce((total, run) => total + run.bytes, 0);
  const sizeAt = (count: number) =>
    runs.reduce((total, run) => total + run.results.slice(0, count).reduce((sum, r) => sum + r.bytes, 0), 0);
  const most = Math.min(limits.maxResultsPerRun, Math.max(0, ...runs.map((r) => r.results.length)));
  if (sizeAt(most) <= budget) return most;
  let low = 0;
  let high = most;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (sizeAt(mid) <= budget) low = mid;
    else high = mid - 1;
  }
  return low;
}

function finishRun(run: PreparedRun, perRun: number): { run: Sarif.Run; summary: SarifRunSummary } {
  const kept = new Set(run.results.slice(0, perRun).map((r) => r.result));
  // Kept results go out in report order (file, line), which reads better than priority order.
  const results = inReportOrder(run).filter((r) => kept.has(r));
  const omitted = run.results.length - results.length;
  const note =
    omitted > 0
      ? `${omitted} of ${run.results.length} findings are not in this SARIF run (GitHub code scanning limits); the JSON report lists them all.`
      : undefined;
  return {
    run: runObject(run.input, run.rules, results, note),
    summary: {
      category: run.input.category,
      bundle: run.input.report.bundle.name,
      results: results.length,
      findings: run.results.length,
    },
  };
}

function inReportOrder(run: PreparedRun): Sarif.Result[] {
  const byFinding = new Map(run.results.map((r) => [r.finding, r.result]));
  return run.input.report.findings.map((f) => byFinding.get(f)!);
}

function runObject(input: SarifRunInput, rules: Sarif.ReportingDescriptor[], results: Sarif.Result[], note: string | undefined): Sarif.Run {
  const { report } = input;
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: SCANNER_NAME,
        fullName: `${SCANNER_NAME} ${SCANNER_VERSION} (mpak Trust Framework v0.1)`,
        version: SCANNER_VERSION,
        semanticVersion: SCANNER_VERSION,
        informationUri: INFORMATION_URI,
        rules,
      },
    },
    // A trailing slash makes the whole id the category (GitHub reads the part before the last slash).
    automationDetails: { id: input.category.endsWith('/') ? input.category : `${input.category}/` },
    results,
    properties: {
      bundle: { name: report.bundle.name, version: report.bundle.version, sha256: report.bundle.hash },
      level: report.compliance.level,
      levelName: report.compliance.level_name,
      riskScore: report.risk_score,
    },
  };
  if (note !== undefined) {
    run.invocations = [
      {
        executionSuccessful: true,
        toolExecutionNotifications: [{ level: 'warning', message: { text: note } }],
      },
    ];
  }
  return run;
}

function ruleFor(id: ControlId, findings: readonly Finding[], limits: SarifLimits): Sarif.ReportingDescriptor {
  const spec = CATALOG[id];
  const worst = findings.map((f) => f.severity).sort((a, b) => severityRank(a) - severityRank(b))[0] ?? 'info';
  const levelNote = spec.gates === 'opt-in' ? 'reported; gates a level only when the configuration asks' : `required from L${spec.level}`;
  const heading = `${id} ${spec.name} (MTF v0.1 section ${spec.section}, ${levelNote}, enforced by: ${spec.enforcement})`;
  const tags = ['security', 'mtf', spec.domain.replace(/_/g, '-'), `mtf-level-${spec.level}`, id];
  return {
    id: ruleId(id),
    name: spec.name.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')),
    shortDescription: { text: `${id} ${spec.name}` },
    fullDescription: { text: spec.requirement },
    help: {
      text: `${heading}\n\nRequirement: ${spec.requirement}\n\nRemediation: ${spec.remediation}`,
      markdown: `**${heading}**\n\n**Requirement:** ${spec.requirement}\n\n**Remediation:** ${spec.remediation}`,
    },
    properties: {
      'security-severity': SECURITY_SEVERITY[worst],
      tags: tags.slice(0, limits.maxTagsPerRule),
      precision: 'high',
    },
  };
}

export function ruleId(id: ControlId): string {
  return `MTF/${id}`;
}

function resultFor(finding: Finding, location: RepositoryLocation, ruleIndex: number, occurrences: Map<string, number>): Sarif.Result {
  const where = finding.file === null ? 'the bundle' : `${finding.file}${finding.line ? `:${finding.line}` : ''} in the bundle`;
  const detail = location.mapped ? '' : ` (${where}; not found in the repository checkout)`;
  return {
    ruleId: ruleId(finding.control),
    ruleIndex,
    level: LEVEL_OF_ACTION[finding.action],
    message: { text: sentence(`${sentence(clip(finding.title, 300))} ${clip(finding.description, MAX_TEXT)}${detail}`) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodePath(location.uri) },
          region: { startLine: location.line ?? 1 },
        },
      },
    ],
    partialFingerprints: { primaryLocationLineHash: fingerprint(finding, location, occurrences) },
    properties: {
      finding: finding.id,
      rule: finding.rule,
      severity: finding.severity,
      action: finding.action,
      blocksFrom: finding.blocks_from,
      bundleFile: finding.file,
      ...(finding.remediation ? { remediation: finding.remediation } : {}),
    },
  };
}

/**
 * A fingerprint that survives lines moving: what the finding is (control, rule, title) and where (file),
 * not its line number, plus an occurrence counter for identical findings in one file (the same idea as
 * GitHub's own `primaryLocationLineHash`, "hash:occurrence").
 */
function fingerprint(finding: Finding, location: RepositoryLocation, occurrences: Map<string, number>): string {
  const key = createHash('sha256')
    .update([finding.control, finding.rule, location.uri, finding.file ?? '', finding.title].join('\0'))
    .digest('hex')
    .slice(0, 16);
  const count = (occurrences.get(key) ?? 0) + 1;
  occurrences.set(key, count);
  return `${key}:${count}`;
}

/** A relative URI reference: each path segment percent-encoded, slashes kept. */
function encodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/** Finding text comes from the bundle (hostile input): a result message carries at most this much of it. */
const MAX_TEXT = 2_000;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function priority(finding: Finding): number {
  return finding.action === 'BLOCK' ? 0 : finding.action === 'WARN' ? 1 : 2;
}

function byCatalogOrder(a: ControlId, b: ControlId): number {
  const order = Object.keys(CATALOG);
  return order.indexOf(a) - order.indexOf(b);
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** One line per run that lost results to the limits, and one for runs left out: for the summary. */
export function sarifNotes(output: SarifOutput): string[] {
  const notes = output.runs
    .filter((run) => run.results < run.findings)
    .map(
      (run) =>
        `SARIF (${run.category}): ${run.results} of ${run.findings} findings are in the code scanning upload, the most important first (GitHub's limits); the JSON report lists them all.`,
    );
  if (output.omittedRuns.length > 0) {
    notes.push(
      `SARIF: ${output.omittedRuns.length} bundles are not in the SARIF file (GitHub accepts at most ${GITHUB_SARIF_LIMITS.maxRuns} runs per file; scan them in a matrix): ${output.omittedRuns.join(', ')}.`,
    );
  }
  return notes;
}
