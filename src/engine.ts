import { basename } from 'node:path';
import semver from 'semver';
import type { Bundle } from './bundle/types.js';
import { createContext, type ScanContext } from './context.js';
import type { Control, ControlOutcome, FindingInput } from './controls/control.js';
import { CONTROLS } from './controls/index.js';
import { silentLogger, type Logger } from './logger.js';
import { CATALOG, DOMAINS, RUN_ORDER, type ControlId, type ControlSpec } from './spec/catalog.js';
import { defaultConfig, type Config } from './spec/config-schema.js';
import { LEVELS, levelName, severityRank, type Level, type LevelOrNone, type Severity } from './spec/levels.js';
import {
  REPORT_VERSION,
  type Blockers,
  type ControlResult,
  type Finding,
  type Report,
} from './spec/report-schema.js';
import { SCANNER_NAME, SCANNER_VERSION } from './version.js';
import { createVulnerabilitySource, vulnerabilitySettings, type VulnerabilitySource } from './vuln/source.js';

export interface ScanOptions {
  config?: Config;
  /** The level the user requires (`--level`, `min-level`); overrides the config's `min-level`. 0 requires none. */
  requiredLevel?: LevelOrNone;
  logger?: Logger;
  /** The controls to run; the full registry by default. Tests pass their own. */
  controls?: readonly Control[];
  now?: () => Date;
  /** Vulnerability data for SC-02; by default OSV/EPSS/KEV at the MTF_* endpoints of the environment. */
  vulnerabilities?: VulnerabilitySource;
  /**
   * The repository the scan runs for (`https://host/owner/repo`, or `owner/repo` on github.com); the action
   * passes GITHUB_SERVER_URL/GITHUB_REPOSITORY so PR-01 can warn when the manifest names another repository.
   */
  workflowRepository?: string;
}

/** One control's run, before statuses are judged. */
interface Run {
  spec: ControlSpec;
  outcome: ControlOutcome;
  durationMs: number;
}

/**
 * Scans a bundle: runs every control of the catalog in the order of spec 6.6, then judges statuses, the level
 * reached and the risk score as DESIGN.md section 4 reads the spec. Never throws for a control's sake: a
 * control that throws is reported as `error` and the scan goes on.
 */
export async function scan(bundle: Bundle, options: ScanOptions = {}): Promise<Report> {
  const started = performance.now();
  const config = options.config ?? defaultConfig();
  const logger = options.logger ?? silentLogger;
  const required = (options.requiredLevel ?? config['min-level'] ?? null) as LevelOrNone | null;
  const vulnerabilities = options.vulnerabilities ?? createVulnerabilitySource(vulnerabilitySettings(process.env, config), logger);
  const ctx = createContext(bundle, config, logger, required ? (required as Level) : null, {
    vulnerabilities,
    workflowRepository: options.workflowRepository,
  });
  const registry = new Map((options.controls ?? CONTROLS).map((c) => [c.id, c]));

  const runs: Run[] = [];
  for (const id of RUN_ORDER) {
    runs.push(await runControl(CATALOG[id], registry.get(id), ctx));
  }
  return buildReport(bundle, ctx, config, required, runs, started, options.now?.() ?? new Date());
}

async function runControl(spec: ControlSpec, control: Control | undefined, ctx: ScanContext): Promise<Run> {
  const started = performance.now();
  let outcome: ControlOutcome;
  if (!control) {
    outcome = { kind: 'error', reason: `not implemented: mtf-action does not evaluate ${spec.id} yet`, findings: [] };
  } else {
    try {
      outcome = await control.check(ctx);
    } catch (e) {
      ctx.logger.debug(`${spec.id} threw: ${(e as Error).stack ?? String(e)}`);
      outcome = { kind: 'error', reason: (e as Error).message || String(e), findings: [] };
    }
  }
  ctx.logger.debug(`${spec.id} ${outcome.kind} in ${Math.round(performance.now() - started)} ms`);
  return { spec, outcome, durationMs: Math.round(performance.now() - started) };
}

/** A finding blocks at `level` when it is a BLOCK whose blocks_from is at or below it. */
function blocksAt(finding: FindingInput, spec: ControlSpec, level: number): boolean {
  return finding.action === 'BLOCK' && (finding.blocksFrom ?? spec.level) <= level;
}

function isGating(spec: ControlSpec, config: Config): boolean {
  return spec.gates === 'level' || config['gate-registry-operations'];
}

/** Level N is reached when every gating control required at N or below is pass or skip when judged at N. */
function holdsAt(runs: readonly Run[], config: Config, level: Level, errorsPass: boolean): boolean {
  return runs.every(({ spec, outcome }) => {
    if (!isGating(spec, config) || spec.level > level) return true;
    if (outcome.kind === 'error' && !errorsPass) return false;
    return !outcome.findings.some((f) => blocksAt(f, spec, level));
  });
}

function reachedLevel(runs: readonly Run[], config: Config, errorsPass: boolean): LevelOrNone {
  let reached: LevelOrNone = 0;
  for (const level of LEVELS) {
    if (!holdsAt(runs, config, level, errorsPass)) break;
    reached = level;
  }
  return reached;
}

function toFinding(spec: ControlSpec, input: FindingInput, judgedAt: number, seq: number): Finding {
  const blocksFrom = input.action === 'BLOCK' ? (input.blocksFrom ?? spec.level) : null;
  const action = blocksFrom === null ? input.action : blocksFrom <= judgedAt ? 'BLOCK' : (input.below ?? 'INFO');
  return {
    id: `${spec.id}-${String(seq).padStart(3, '0')}`,
    control: spec.id,
    rule: input.rule,
    severity: input.severity,
    action,
    blocks_from: blocksFrom as Level | null,
    title: input.title,
    description: input.description,
    file: input.file ?? null,
    line: input.line ?? null,
    remediation: input.remediation ?? spec.remediation,
  };
}

/** Findings in a stable order: file, line, rule, title; findings without a file first. */
function compareInputs(a: FindingInput, b: FindingInput): number {
  return (
    (a.file ?? '').localeCompare(b.file ?? '') ||
    (a.line ?? 0) - (b.line ?? 0) ||
    a.rule.localeCompare(b.rule) ||
    a.title.localeCompare(b.title)
  );
}

function buildReport(
  bundle: Bundle,
  ctx: ScanContext,
  config: Config,
  required: LevelOrNone | null,
  runs: readonly Run[],
  started: number,
  now: Date,
): Report {
  const level = reachedLevel(runs, config, false);
  const levelIfNoErrors = reachedLevel(runs, config, true);
  const domains: Report['domains'] = {};
  const allFindings: Finding[] = [];
  const findingsByRun = new Map<ControlId, { input: FindingInput; finding: Finding }[]>();

  for (const run of runs) {
    const { spec, outcome } = run;
    const judgedAt = Math.max(ctx.targetLevel, spec.level) as Level;
    const ordered = [...outcome.findings].sort(compareInputs);
    const pairs = ordered.map((input, i) => ({ input, finding: toFinding(spec, input, judgedAt, i + 1) }));
    findingsByRun.set(spec.id, pairs);
    const list = pairs.map((p) => p.finding);
    allFindings.push(...list);
    const result: ControlResult = {
      name: spec.name,
      level: spec.level,
      gates: isGating(spec, config) ? 'level' : 'opt-in',
      status:
        outcome.kind === 'error'
          ? 'error'
          : outcome.kind === 'skip'
            ? 'skip'
            : ordered.some((f) => blocksAt(f, spec, judgedAt))
              ? 'fail'
              : 'pass',
      judged_at: judgedAt,
      findings: list,
      duration_ms: run.durationMs,
    };
    if (outcome.kind === 'error') result.error = outcome.reason;
    if (outcome.kind === 'skip') result.skip_reason = outcome.reason;
    (domains[spec.domain] ??= { controls: {} }).controls[spec.id] = result;
  }

  const blockers: Blockers[] = LEVELS.filter((l) => l > level).map((l) => ({
    level: l,
    findings: runs
      .filter(({ spec }) => isGating(spec, config) && spec.level <= l)
      .flatMap(({ spec }) => findingsByRun.get(spec.id)!.filter((p) => blocksAt(p.input, spec, l)).map((p) => p.finding.id)),
    errors: runs
      .filter(({ spec, outcome }) => isGating(spec, config) && spec.level <= l && outcome.kind === 'error')
      .map(({ spec }) => spec.id),
  }));

  const results = Object.values(domains).flatMap((d) => Object.values(d!.controls));
  const manifest = ctx.manifestState.ok ? ctx.manifestState.manifest : null;
  const name = manifest && typeof manifest.data.name === 'string' && manifest.data.name !== '' ? manifest.data.name : null;
  const version = manifest && typeof manifest.data.version === 'string' ? semver.valid(manifest.data.version) : null;
  return {
    version: REPORT_VERSION,
    bundle: {
      name: name ?? basename(bundle.source.path).replace(/\.(mcpb|dxt|zip|tar\.gz|tgz)$/i, ''),
      version: version ?? '0.0.0',
      hash: bundle.sha256,
      path: bundle.source.path,
      format: bundle.source.format,
      packed: bundle.source.kind === 'directory',
      size: bundle.size,
      files: bundle.files.size,
      signed: bundle.signature !== undefined,
    },
    scan: {
      timestamp: now.toISOString(),
      scanner: SCANNER_NAME,
      scanner_version: SCANNER_VERSION,
      duration_ms: Math.round(performance.now() - started),
      offline: config.offline,
    },
    level_claimed: manifest?.declaredLevel ?? null,
    level_verified: level,
    compliance: {
      level,
      level_name: levelName(level),
      controls_passed: results.filter((r) => r.status === 'pass').length,
      controls_failed: results.filter((r) => r.status === 'fail').length,
      controls_total: results.filter((r) => r.status !== 'skip').length,
      target_level: ctx.targetLevel,
      required_level: required,
      degraded: levelIfNoErrors > level,
      blockers,
    },
    risk_score: riskScore(allFindings.map((f) => f.severity)),
    domains: Object.fromEntries(DOMAINS.filter((d) => domains[d]).map((d) => [d, domains[d]])),
    findings: allFindings,
  };
}

/** The highest severity among all findings; info counts as none (DESIGN.md section 4, "Risk score"). */
export function riskScore(severities: readonly Severity[]): Report['risk_score'] {
  const worst = [...severities].sort((a, b) => severityRank(a) - severityRank(b))[0];
  return !worst || worst === 'info' ? 'NONE' : (worst.toUpperCase() as Report['risk_score']);
}
