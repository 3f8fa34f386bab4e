import { describe, expect, test } from '@jest/globals';
import { l2Manifest, makeBundle, manifestJson } from '../__fixtures__/bundle.js';
import { resultOf, scanWith } from '../__fixtures__/scan.js';
import { error, findings, skip, type Control, type FindingInput } from '../src/controls/control.js';
import { riskScore } from '../src/engine.js';
import { CATALOG, RUN_ORDER, type ControlId } from '../src/spec/catalog.js';
import { defaultConfig } from '../src/spec/config-schema.js';
import type { Level, LevelOrNone } from '../src/spec/levels.js';

const bundle = (level?: Level) =>
  makeBundle({ 'manifest.json': manifestJson(l2Manifest(level ? {} : { _meta: undefined })), 'server.py': '' });

/** Every catalog control passes, except those given an outcome. */
function controls(outcomes: Partial<Record<ControlId, Control['check']>> = {}): Control[] {
  return RUN_ORDER.map((id) => ({ id, check: outcomes[id] ?? (() => findings([])) }));
}

const blockFrom = (blocksFrom?: Level, below?: 'WARN' | 'INFO'): FindingInput => ({
  rule: 'r',
  severity: 'high',
  action: 'BLOCK',
  blocksFrom,
  below,
  title: 't',
  description: 'd',
  file: 'manifest.json',
  line: 1,
});

async function levelOf(outcomes: Partial<Record<ControlId, Control['check']>>, requiredLevel?: LevelOrNone) {
  return scanWith(bundle(), controls(outcomes), { requiredLevel });
}

describe('levels (DESIGN.md section 4)', () => {
  test('a bundle whose every control passes reaches L4', async () => {
    const report = await levelOf({});
    expect(report.compliance).toMatchObject({ level: 4, level_name: 'Attested', degraded: false, blockers: [] });
    expect(report.risk_score).toBe('NONE');
  });

  test('a BLOCK in an L1 control holds the bundle at L0', async () => {
    const report = await levelOf({ 'CQ-01': () => findings([blockFrom()]) });
    expect(report.compliance.level).toBe(0);
    expect(report.compliance.blockers.map((b) => b.level)).toEqual([1, 2, 3, 4]);
    expect(report.compliance.blockers[0]!.findings).toEqual(['CQ-01-001']);
  });

  test('a BLOCK from L2 in an L1 control reaches L1 and stands in the way of L2', async () => {
    const report = await levelOf({ 'CD-01': () => findings([blockFrom(2, 'WARN')]) });
    expect(report.compliance.level).toBe(1);
    expect(report.compliance.blockers[0]).toEqual({ level: 2, findings: ['CD-01-001'], errors: [] });
  });

  test('an L3 control failing leaves L2', async () => {
    const report = await levelOf({ 'CQ-05': () => findings([blockFrom()]) });
    expect(report.compliance.level).toBe(2);
  });

  test('skip counts as passed for the level', async () => {
    const report = await levelOf({ 'SC-03': () => skip('no dependencies') });
    expect(report.compliance.level).toBe(4);
    expect(resultOf(report, 'SC-03')).toMatchObject({ status: 'skip', skip_reason: 'no dependencies' });
  });

  test('an error never counts as passed, and the report says degraded when it holds the level down', async () => {
    const report = await levelOf({ 'SC-02': () => error('OSV unreachable') });
    expect(report.compliance).toMatchObject({ level: 1, degraded: true });
    expect(report.compliance.blockers[0]).toEqual({ level: 2, findings: [], errors: ['SC-02'] });
    expect(resultOf(report, 'SC-02')).toMatchObject({ status: 'error', error: 'OSV unreachable' });
  });

  test('an error is not "degraded" when a failure holds the level lower anyway', async () => {
    const report = await levelOf({ 'SC-02': () => error('x'), 'AI-01': () => findings([blockFrom()]) });
    expect(report.compliance).toMatchObject({ level: 0, degraded: false });
  });

  test('a control that throws is reported as error with the message, and the scan goes on', async () => {
    const report = await levelOf({
      'CQ-03': () => {
        throw new Error('parser exploded');
      },
      'CQ-04': () => findings([blockFrom()]),
    });
    expect(resultOf(report, 'CQ-03')).toMatchObject({ status: 'error', error: 'parser exploded' });
    expect(resultOf(report, 'CQ-04').status).toBe('fail');
  });

  test('a control with no module is reported as error "not implemented", never pass or skip', async () => {
    const report = await scanWith(bundle(), []);
    for (const id of RUN_ORDER) {
      expect(resultOf(report, id)).toMatchObject({ status: 'error', error: expect.stringContaining('not implemented') });
    }
    expect(report.compliance).toMatchObject({ level: 0, degraded: true });
  });

  test('registry_operations controls gate nothing unless the config asks', async () => {
    const outcomes = { 'RG-02': () => findings([blockFrom()]) };
    const plain = await levelOf(outcomes);
    expect(plain.compliance.level).toBe(4);
    expect(resultOf(plain, 'RG-02')).toMatchObject({ status: 'fail', gates: 'opt-in' });
    const gated = await scanWith(bundle(), controls(outcomes), { config: { ...defaultConfig(), 'gate-registry-operations': true } });
    expect(gated.compliance.level).toBe(1);
    expect(resultOf(gated, 'RG-02').gates).toBe('level');
  });
});

describe('statuses are judged at max(target level, control level)', () => {
  const cd01 = { 'CD-01': () => findings([blockFrom(2, 'WARN')]) };

  test('the target is the manifest\'s declared level when the user requires none', async () => {
    const report = await scanWith(bundle(2), controls(cd01));
    expect(report.compliance.target_level).toBe(2);
    expect(report.level_claimed).toBe(2);
    expect(resultOf(report, 'CD-01')).toMatchObject({ status: 'fail', judged_at: 2 });
    expect(resultOf(report, 'CD-01').findings[0]).toMatchObject({ action: 'BLOCK', blocks_from: 2 });
  });

  test('a required level overrides the declared one', async () => {
    const report = await scanWith(bundle(2), controls(cd01), { requiredLevel: 1 });
    expect(report.compliance).toMatchObject({ target_level: 1, required_level: 1 });
    expect(resultOf(report, 'CD-01')).toMatchObject({ status: 'pass', judged_at: 1 });
    expect(resultOf(report, 'CD-01').findings[0]).toMatchObject({ action: 'WARN', blocks_from: 2 });
  });

  test('without a declared or required level the target is 1', async () => {
    const report = await scanWith(bundle(), controls(cd01));
    expect(report.compliance.target_level).toBe(1);
    expect(report.level_claimed).toBeNull();
  });

  test('a BLOCK below its level is INFO unless the control says WARN', async () => {
    const report = await scanWith(bundle(), controls({ 'AI-01': () => findings([blockFrom(2)]) }), { requiredLevel: 1 });
    expect(resultOf(report, 'AI-01').findings[0]!.action).toBe('INFO');
  });

  test('an L3 control is judged at L3 even when the target is lower', async () => {
    const report = await scanWith(bundle(), controls({ 'CQ-05': () => findings([blockFrom()]) }), { requiredLevel: 1 });
    expect(resultOf(report, 'CQ-05')).toMatchObject({ status: 'fail', judged_at: 3 });
  });
});

describe('report', () => {
  test('controls appear in their domains, findings in the flat list with ids, in run order', async () => {
    const report = await levelOf({ 'AI-01': () => findings([blockFrom(), { ...blockFrom(), line: 9, action: 'WARN', severity: 'medium' }]) });
    expect(Object.keys(report.domains)).toEqual(['artifact_integrity', 'supply_chain', 'code_quality', 'capability_declaration', 'provenance', 'registry_operations']);
    expect(report.findings.map((f) => [f.id, f.action, f.line])).toEqual([
      ['AI-01-001', 'BLOCK', 1],
      ['AI-01-002', 'WARN', 9],
    ]);
    expect(report.findings[0]!.remediation).toBe(CATALOG['AI-01'].remediation);
    expect(report.compliance.controls_total).toBe(RUN_ORDER.length);
    expect(report.compliance.controls_failed).toBe(1);
  });

  test('a bundle without a semver version still reports 0.0.0 and its archive name', async () => {
    const report = await scanWith(makeBundle({ 'manifest.json': '{"version": "one"}' }, { source: { kind: 'file', path: 'dist/odd.mcpb', format: 'zip' } }), []);
    expect(report.bundle).toMatchObject({ name: 'odd', version: '0.0.0' });
  });

  test('risk score is the highest severity; info counts as none', () => {
    expect(riskScore([])).toBe('NONE');
    expect(riskScore(['info', 'info'])).toBe('NONE');
    expect(riskScore(['low', 'critical', 'medium'])).toBe('CRITICAL');
    expect(riskScore(['medium', 'low'])).toBe('MEDIUM');
  });
});
