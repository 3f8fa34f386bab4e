import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Sarif from 'sarif';
import { hostileFindings, manifestProblems, manyFindings, type ScannedFixture } from '../../__fixtures__/reports.js';
import { multitoolIssues, sarifSchemaErrors } from '../../__fixtures__/sarif.js';
import type { RepositoryMap } from '../../src/report/locations.js';
import { GITHUB_SARIF_LIMITS, renderSarif, ruleId, sarifNotes, type SarifRunInput } from '../../src/report/sarif.js';
import { CATALOG } from '../../src/spec/catalog.js';

let problems: ScannedFixture;
let hostile: ScannedFixture;
let many: ScannedFixture;
let work: string;

beforeAll(async () => {
  [problems, hostile, many] = await Promise.all([manifestProblems(), hostileFindings(), manyFindings(10_000)]);
  work = await mkdtemp(join(tmpdir(), 'mtf-sarif-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function input(fixture: ScannedFixture, category = 'mtf/test', map: RepositoryMap = fixture.map): SarifRunInput {
  return { report: fixture.report, map, category };
}

function parse(text: string): Sarif.Log {
  return JSON.parse(text) as Sarif.Log;
}

describe('renderSarif', () => {
  test('one rule per control that produced findings, with the catalog text as help and a string security-severity', () => {
    const log = parse(renderSarif([input(problems)]).text);
    const run = log.runs[0]!;
    const rules = run.tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual(['MTF/AI-01', 'MTF/SC-03', 'MTF/CQ-05', 'MTF/CD-01']);
    const cq05 = rules.find((r) => r.id === 'MTF/CQ-05')!;
    expect(cq05).toMatchObject({
      name: 'SafeExecutionPatterns',
      shortDescription: { text: 'CQ-05 Safe Execution Patterns' },
      fullDescription: { text: CATALOG['CQ-05'].requirement },
      properties: { 'security-severity': '8.0', tags: ['security', 'mtf', 'code-quality', 'mtf-level-3', 'CQ-05'] },
    });
    expect(cq05.help!.markdown).toContain(CATALOG['CQ-05'].remediation);
    expect(cq05.help!.text).toContain('required from L3');
    for (const rule of rules) expect(rule.properties!['security-severity']).toMatch(/^\d+\.\d$/);
  });

  test('every result has a repository-relative location with a line; bundle-level findings point at the manifest', () => {
    const log = parse(renderSarif([input(problems)]).text);
    const results = log.runs[0]!.results!;
    expect(results).toHaveLength(problems.report.findings.length);
    for (const result of results) {
      const location = result.locations![0]!.physicalLocation!;
      expect(location.artifactLocation!.uri).toMatch(/^[^/]/);
      expect(location.region!.startLine).toBeGreaterThanOrEqual(1);
    }
    const shell = results.find((r) => r.ruleId === 'MTF/CQ-05')!;
    expect(shell).toMatchObject({
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'server.py' }, region: { startLine: 9 } } }],
    });
    const lockfile = results.find((r) => r.ruleId === 'MTF/SC-03')!;
    expect(lockfile.level).toBe('warning');
    expect(lockfile.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('manifest.json');
    expect(results.find((r) => r.ruleId === 'MTF/AI-01')!.locations![0]!.physicalLocation!.region!.startLine).toBe(4);
  });

  test('findings whose file is not in the checkout fall back to the bundle path, and say where they are', () => {
    const map: RepositoryMap = { files: new Map([['manifest.json', 'servers/weather/manifest.json']]), fallback: 'dist/weather.mcpb' };
    const results = parse(renderSarif([input(problems, 'mtf/x', map)]).text).runs[0]!.results!;
    const shell = results.find((r) => r.ruleId === 'MTF/CQ-05')!;
    expect(shell.locations![0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'dist/weather.mcpb' }, region: { startLine: 1 } });
    expect(shell.message.text).toContain('server.py:9 in the bundle; not found in the repository checkout');
    expect(results.find((r) => r.ruleId === 'MTF/AI-01')!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('servers/weather/manifest.json');
  });

  test('fingerprints are stable across renders, unique per result, and do not depend on the line', () => {
    const first = parse(renderSarif([input(problems)]).text).runs[0]!.results!.map((r) => r.partialFingerprints!.primaryLocationLineHash);
    const second = parse(renderSarif([input(problems)]).text).runs[0]!.results!.map((r) => r.partialFingerprints!.primaryLocationLineHash);
    expect(first).toEqual(second);
    expect(new Set(first).size).toBe(first.length);
    for (const hash of first) expect(hash).toMatch(/^[0-9a-f]{16}:\d+$/);
    const moved = structuredClone(problems.report);
    for (const f of moved.findings) if (f.line) f.line += 3;
    const afterMove = parse(renderSarif([{ ...input(problems), report: moved }]).text).runs[0]!.results!.map((r) => r.partialFingerprints!.primaryLocationLineHash);
    expect(afterMove).toEqual(first);
  });

  test('one run per bundle, each under its own category', () => {
    const log = parse(renderSarif([input(problems, 'mtf/acme-weather'), input(hostile, 'mtf/evil')]).text);
    expect(log.runs.map((r) => r.automationDetails!.id)).toEqual(['mtf/acme-weather/', 'mtf/evil/']);
  });

  test('hostile paths are percent-encoded relative URIs', () => {
    const results = parse(renderSarif([input(hostile)]).text).runs[0]!.results!;
    const uris = results.map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri!);
    expect(uris).toContain('src/%3Cb%3Ex%3C/b%3E%20%5Ba%5D(b)%20%40me%7Cpipe.js');
  });

  test('caps results per run at 5,000, keeping blocking and severe findings first, and says so', () => {
    const output = renderSarif([input(many)]);
    const run = parse(output.text).runs[0]!;
    expect(run.results).toHaveLength(GITHUB_SARIF_LIMITS.maxResultsPerRun);
    const blocking = many.report.findings.filter((f) => f.action === 'BLOCK').length;
    expect(run.results!.filter((r) => r.level === 'error')).toHaveLength(blocking);
    expect(output.runs[0]).toMatchObject({ results: 5_000, findings: 10_000 });
    expect(run.invocations![0]!.toolExecutionNotifications![0]!.message.text).toContain('5000 of 10000 findings are not in this SARIF run');
    expect(sarifNotes(output)[0]).toContain('5000 of 10000 findings are in the code scanning upload');
    expect(Buffer.byteLength(output.text)).toBeLessThan(GITHUB_SARIF_LIMITS.maxBytes);
  });

  test('fits a byte budget deterministically by keeping the same number of results in every run', () => {
    const limits = { ...GITHUB_SARIF_LIMITS, maxBytes: 400_000 };
    const a = renderSarif([input(many, 'a'), input(many, 'b')], limits);
    const b = renderSarif([input(many, 'a'), input(many, 'b')], limits);
    expect(a.text).toBe(b.text);
    expect(Buffer.byteLength(a.text)).toBeLessThanOrEqual(400_000);
    expect(a.runs[0]!.results).toBe(a.runs[1]!.results);
    expect(a.runs[0]!.results).toBeGreaterThan(100);
  });

  test('leaves out runs beyond 20 per file and names them', () => {
    const inputs = Array.from({ length: 22 }, (_, i) => input(problems, `mtf/b${i}`));
    const output = renderSarif(inputs);
    expect(parse(output.text).runs).toHaveLength(20);
    expect(output.omittedRuns).toEqual(['mtf/b20', 'mtf/b21']);
    expect(sarifNotes(output).at(-1)).toContain('2 bundles are not in the SARIF file');
  });

  test('rule ids are MTF/<control>', () => {
    expect(ruleId('CQ-05')).toBe('MTF/CQ-05');
  });

  test('matches the golden rendering of the manifest-problems fixture', () => {
    expect(parse(renderSarif([input(problems, 'mtf/acme-weather-server')]).text)).toMatchSnapshot();
  });
});

describe('SARIF validity', () => {
  test('every fixture log validates against the SARIF 2.1.0 schema', () => {
    for (const fixture of [problems, hostile, many]) {
      expect(sarifSchemaErrors(parse(renderSarif([input(fixture)]).text))).toEqual([]);
    }
    expect(sarifSchemaErrors(parse(renderSarif([input(problems, 'a'), input(hostile, 'b')]).text))).toEqual([]);
  });

  test('the SARIF Multitool reports no error under GitHub\'s ingestion rules (Sarif;Gh)', async () => {
    const files = [];
    for (const [name, inputs] of Object.entries({
      problems: [input(problems)],
      hostile: [input(hostile)],
      many: [input(many)],
      several: [input(problems, 'mtf/a'), input(hostile, 'mtf/b')],
      fallback: [input(problems, 'mtf/c', { files: new Map(), fallback: 'dist/weather.mcpb' })],
    })) {
      const file = join(work, `${name}.sarif`);
      await writeFile(file, renderSarif(inputs).text);
      files.push(file);
    }
    const issues = await multitoolIssues(files);
    expect(issues.filter((i) => i.level === 'error')).toEqual([]);
  }, 120_000);
});
