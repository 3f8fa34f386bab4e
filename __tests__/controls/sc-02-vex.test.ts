import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { lineContaining, resultOf, scanWith } from '../../__fixtures__/scan.js';
import { bundleWithLock, FIXTURE_DATA } from '../../__fixtures__/vuln-fixtures.js';
import { startVulnServer, type VulnServer } from '../../__fixtures__/vuln-server.js';
import { sc02 } from '../../src/controls/supply_chain/sc-02-vulnerability-scanning.js';
import { silentLogger } from '../../src/logger.js';
import type { LevelOrNone } from '../../src/spec/levels.js';
import { createVulnerabilitySource } from '../../src/vuln/source.js';

/** OpenVEX statements applied by SC-02 (spec 3.3 "VEX Statement Handling", 5.4; DESIGN.md section 4 "VEX"). */

let server: VulnServer;
beforeAll(async () => {
  server = await startVulnServer(FIXTURE_DATA);
});
afterAll(async () => {
  await server.close();
});

function vexDocument(statements: object[], timestamp = '2026-02-06T12:00:00Z'): string {
  return `${JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'https://acme.example/vex/1', author: 'mcp@acme.com', timestamp, version: 1, statements }, null, 2)}\n`;
}

const statement = (vulnerability: string, product: string, status: string, extra: object = {}) => ({
  vulnerability: { name: vulnerability },
  products: [{ '@id': product }],
  status,
  ...extra,
});

async function scanWithVex(vexFiles: Record<string, string>, packages = [{ name: 'crit-pkg', version: '1.0.0' }], level: LevelOrNone = 2) {
  const { bundle } = bundleWithLock(packages, vexFiles);
  const vulnerabilities = createVulnerabilitySource(server.settings(), silentLogger);
  const report = await scanWith(bundle, [sc02], { requiredLevel: level, vulnerabilities });
  return resultOf(report, 'SC-02');
}

describe('not_affected', () => {
  test('with a justification, the vulnerability is skipped below L3 and still blocks from L3', async () => {
    const vex = vexDocument([statement('CVE-2026-10001', 'pkg:npm/crit-pkg@1.0.0', 'not_affected', { justification: 'vulnerable_code_not_in_execute_path', impact_statement: 'We never call the parser.' })]);
    const result = await scanWithVex({ 'vex.json': vex });
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([
      expect.objectContaining({
        rule: 'vex-not-affected',
        severity: 'info',
        action: 'INFO',
        blocks_from: 3,
        file: 'package-lock.json',
        title: 'CVE-2026-10001 in crit-pkg@1.0.0 (CVSS 9.8): not affected (vulnerable_code_not_in_execute_path)',
        description: expect.stringContaining(`VEX statement at vex.json line ${lineContaining(vex, '"vulnerability"') - 1}`),
      }),
    ]);
    expect(result.findings[0]!.description).toContain('Impact statement: "We never call the parser."');
  });

  test('without a justification it warns at the statement and does not skip', async () => {
    const vex = vexDocument([statement('CVE-2026-10001', 'pkg:npm/crit-pkg', 'not_affected', { impact_statement: 'trust us' })]);
    const result = await scanWithVex({ 'vex.json': vex });
    expect(result.status).toBe('fail');
    expect(result.findings.map((f) => `${f.rule}:${f.action}`)).toEqual(['blocking-vulnerability:BLOCK', 'vex-missing-justification:WARN']);
    expect(result.findings[1]).toMatchObject({ file: 'vex.json', line: lineContaining(vex, '"vulnerability"') - 1 });
  });

  test('a justification that is not an OpenVEX value counts as none', async () => {
    const vex = vexDocument([statement('CVE-2026-10001', 'pkg:npm/crit-pkg', 'not_affected', { justification: 'we_checked' })]);
    const result = await scanWithVex({ 'vex.json': vex });
    expect(result.status).toBe('fail');
    expect(result.findings[1]).toMatchObject({ rule: 'vex-missing-justification', description: expect.stringContaining('"we_checked", which is not an OpenVEX justification') });
  });

  test('matches by alias (a GHSA id), by a versionless purl, and from .vex/*.json', async () => {
    const vex = vexDocument([statement('GHSA-crit-0001-aaaa', 'pkg:npm/crit-pkg', 'not_affected', { justification: 'component_not_present' })]);
    const result = await scanWithVex({ '.vex/crit.json': vex });
    expect(result.status).toBe('pass');
    expect(result.findings[0]).toMatchObject({ rule: 'vex-not-affected' });
  });

  test('a statement about the bundle itself (its name as a purl) covers its dependencies', async () => {
    const vex = vexDocument([statement('CVE-2026-10001', 'pkg:npm/%40acme/weather-server@1.0.0', 'not_affected', { justification: 'vulnerable_code_not_present' })]);
    const result = await scanWithVex({ 'vex.json': vex });
    expect(result.status).toBe('pass');
  });

  test('a product purl naming another version of the dependency does not match', async () => {
    const vex = vexDocument([statement('CVE-2026-10001', 'pkg:npm/crit-pkg@0.9.0', 'not_affected', { justification: 'component_not_present' })]);
    const result = await scanWithVex({ 'vex.json': vex });
    expect(result.status).toBe('fail');
    expect(result.findings.map((f) => f.rule)).toEqual(['blocking-vulnerability', 'vex-unmatched']);
  });

  test('the latest statement wins', async () => {
    const vex = vexDocument([
      { ...statement('CVE-2026-10001', 'pkg:npm/crit-pkg', 'not_affected', { justification: 'component_not_present' }), timestamp: '2026-02-01T00:00:00Z' },
      { ...statement('CVE-2026-10001', 'pkg:npm/crit-pkg', 'affected', { action_statement: 'Upgrade to 1.0.1' }), timestamp: '2026-02-03T00:00:00Z' },
    ]);
    const result = await scanWithVex({ 'vex.json': vex });
    expect(result.status).toBe('fail');
    expect(result.findings.find((f) => f.rule === 'blocking-vulnerability')!.description).toContain('confirms it is affected: "Upgrade to 1.0.1"');
  });
});

describe('fixed', () => {
  test('skips the vulnerability when the statement names the bundled version', async () => {
    const vex = vexDocument([statement('CVE-2026-10001', 'pkg:npm/crit-pkg@1.0.0', 'fixed')]);
    const result = await scanWithVex({ 'vex.json': vex });
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'vex-fixed', action: 'INFO', blocks_from: 3 })]);
  });

  test('warns and does not skip when no bundled version is named', async () => {
    const vex = vexDocument([statement('CVE-2026-10001', 'pkg:npm/crit-pkg', 'fixed')]);
    const result = await scanWithVex({ 'vex.json': vex });
    expect(result.status).toBe('fail');
    expect(result.findings.map((f) => `${f.rule}:${f.action}`)).toEqual(['blocking-vulnerability:BLOCK', 'vex-fixed-not-bundled:WARN']);
  });
});

describe('under_investigation', () => {
  test('a blocking vulnerability under investigation warns and does not block below L3', async () => {
    const vex = vexDocument([statement('CVE-2026-10001', 'pkg:npm/crit-pkg', 'under_investigation')]);
    const result = await scanWithVex({ 'vex.json': vex });
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'vex-under-investigation', action: 'WARN', severity: 'critical', blocks_from: 3 })]);
  });
});

describe('from L3 (DESIGN.md: an unsigned VEX document does not count; AI-03 coverage is not verified)', () => {
  test('VEX is ignored with a WARN and the vulnerability blocks', async () => {
    const vex = vexDocument([statement('CVE-2026-10001', 'pkg:npm/crit-pkg@1.0.0', 'not_affected', { justification: 'component_not_present' })]);
    const result = await scanWithVex({ 'vex.json': vex }, undefined, 3);
    expect(result.status).toBe('fail');
    expect(result.findings.map((f) => `${f.rule}:${f.action}`)).toEqual(['blocking-vulnerability:BLOCK', 'vex-unsigned-ignored:WARN']);
  });
});

describe('documents that cannot be applied', () => {
  test('invalid JSON, a non-OpenVEX document and a bad statement are WARN findings, never a crash', async () => {
    const badStatus = vexDocument([statement('CVE-2026-10001', 'pkg:npm/crit-pkg', 'maybe')]);
    const result = await scanWithVex({ 'vex.json': '{ not json', '.vex/other.json': '{"statements": []}', '.vex/status.json': badStatus });
    expect(result.status).toBe('fail');
    expect(result.findings.filter((f) => f.rule === 'vex-invalid').map((f) => [f.file, f.description.replace(/:.*$/s, '')])).toEqual([
      ['.vex/other.json', '.vex/other.json'],
      ['.vex/status.json', '.vex/status.json'],
      ['vex.json', 'vex.json'],
    ]);
    expect(result.findings.find((f) => f.file === '.vex/status.json')!.description).toContain('has status "maybe"');
  });
});
