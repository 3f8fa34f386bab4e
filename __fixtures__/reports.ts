import type { Bundle } from '../src/bundle/types.js';
import { findings, type Control, type FindingInput } from '../src/controls/control.js';
import { ai01 } from '../src/controls/artifact_integrity/ai-01-manifest-validation.js';
import { cd01 } from '../src/controls/capability_declaration/cd-01-tool-declaration.js';
import { evaluateGate, type Verdict } from '../src/policy.js';
import { bundleRelativeMap, type RepositoryMap } from '../src/report/locations.js';
import type { ControlId } from '../src/spec/catalog.js';
import type { LevelOrNone } from '../src/spec/levels.js';
import type { Report } from '../src/spec/report-schema.js';
import { l2Manifest, makeBundle, manifestJson } from './bundle.js';
import { scanWith } from './scan.js';

/** A scanned fixture: the bundle, its report, the gate's verdict and a map that keeps bundle paths. */
export interface ScannedFixture {
  bundle: Bundle;
  report: Report;
  verdict: Verdict;
  map: RepositoryMap;
}

const FIXED_TIME = () => new Date('2026-01-01T00:00:00.000Z');

/** Controls that report the given findings (for controls not built yet, or hostile and bulk findings). */
export function reportingControls(byId: Partial<Record<ControlId, FindingInput[] | { error: string }>>): Control[] {
  return Object.entries(byId).map(([id, outcome]) => ({
    id: id as ControlId,
    check: () => (Array.isArray(outcome) ? findings(outcome) : { kind: 'error', reason: outcome!.error, findings: [] }),
  }));
}

export async function scanFixture(bundle: Bundle, controls: readonly Control[], requiredLevel?: LevelOrNone): Promise<ScannedFixture> {
  const report = await scanWith(bundle, controls, { requiredLevel, now: FIXED_TIME });
  // Durations vary from run to run; renderers show none of them, snapshots must not either.
  for (const domain of Object.values(report.domains)) for (const result of Object.values(domain!.controls)) result.duration_ms = 0;
  report.scan.duration_ms = 0;
  return { bundle, report, verdict: evaluateGate(report, { 'fail-on': 'none' }), map: bundleRelativeMap(bundle.files.keys()) };
}

export const SERVER_PY = [
  'from mcp.server.fastmcp import FastMCP',
  'import subprocess',
  '',
  'mcp = FastMCP("weather")',
  '',
  '@mcp.tool()',
  'def get_weather(city: str) -> str:',
  '    """Current weather for a city"""',
  '    return subprocess.check_output("curl wttr.in/" + city, shell=True).decode()',
  '',
].join('\n');

/**
 * A bundle with manifest problems the real AI-01 and CD-01 controls find (an invalid version, a tool without a
 * description), plus CQ-05 and SC-03 findings standing in for controls built elsewhere, judged at L2.
 */
export async function manifestProblems(): Promise<ScannedFixture> {
  const bundle = makeBundle({
    'manifest.json': manifestJson(l2Manifest({ version: '1.0', tools: [{ name: 'get_weather' }] })),
    'server.py': SERVER_PY,
  });
  const controls = [
    ai01,
    cd01,
    ...reportingControls({
      'CQ-05': [
        {
          rule: 'shell-true',
          severity: 'high',
          action: 'BLOCK',
          title: 'subprocess with shell=True',
          description: 'A shell runs a command built from tool input.',
          file: 'server.py',
          line: 9,
        },
      ],
      'SC-03': [
        {
          rule: 'no-lockfile',
          severity: 'medium',
          action: 'BLOCK',
          blocksFrom: 3,
          below: 'WARN',
          title: 'No lockfile',
          description: 'Dependencies are declared without a lockfile.',
        },
      ],
      'SC-02': { error: 'vulnerability data unreachable' },
    }),
  ];
  return scanFixture(bundle, controls, 2);
}

/** Finding text written by an attacker: HTML, Markdown links and images, mentions, table breakers, newlines. */
export const HOSTILE_TEXT =
  '<img src=x onerror=alert(1)> <script>alert(1)</script> [click](https://evil.example) ![pixel](https://evil.example/p.png) ' +
  '@octocat @github/security www.evil.example https://evil.example/x | col | </details> ```code``` \n# Heading\n- item *bold* _em_ `tick` &amp; <!-- c -->';

/** A bundle whose file names and finding text are hostile, scanned with controls that echo them. */
export async function hostileFindings(): Promise<ScannedFixture> {
  const weird = 'src/<b>x</b> [a](b) @me|pipe.js';
  const bundle = makeBundle({
    'manifest.json': manifestJson(l2Manifest({ name: '@evil/<img src=x>', description: HOSTILE_TEXT })),
    [weird]: 'eval(x)\n',
    'server.py': SERVER_PY,
  });
  const controls = reportingControls({
    'CD-03': [
      { rule: 'injection', severity: 'critical', action: 'BLOCK', title: HOSTILE_TEXT, description: HOSTILE_TEXT, file: 'manifest.json', line: 5 },
    ],
    'CQ-02': [{ rule: 'obfuscated-eval', severity: 'critical', action: 'BLOCK', title: 'eval of decoded data', description: HOSTILE_TEXT, file: weird, line: 1 }],
    'PR-05': { error: `scorecard said: ${HOSTILE_TEXT}` },
  });
  return scanFixture(bundle, controls, 1);
}

/**
 * A bundle with `count` findings spread over many files, controls and severities (about a tenth blocking),
 * for the size limits of the summary and the SARIF log.
 */
export async function manyFindings(count: number): Promise<ScannedFixture> {
  const files: Record<string, string> = { 'manifest.json': manifestJson(l2Manifest()) };
  const ids: ControlId[] = ['CQ-01', 'CQ-03', 'CQ-05', 'SC-02', 'CD-02'];
  const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
  const byId: Partial<Record<ControlId, FindingInput[]>> = {};
  for (let i = 0; i < count; i++) {
    const file = `lib/module-${String(i % 500).padStart(3, '0')}/index.js`;
    files[file] ??= 'x\n'.repeat(50);
    (byId[ids[i % ids.length]!] ??= []).push({
      rule: `rule-${i % 7}`,
      severity: severities[i % severities.length]!,
      action: i % 10 === 0 ? 'BLOCK' : i % 3 === 0 ? 'INFO' : 'WARN',
      title: `Finding number ${i} in a long list of findings`,
      description: `Description ${i}: a sentence of ordinary length explaining the problem and what to do about it.`,
      file,
      line: 1 + (i % 50),
    });
  }
  return scanFixture(makeBundle(files), reportingControls(byId), 2);
}
