import { afterAll, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '../__fixtures__/core.js';

jest.unstable_mockModule('@actions/core', () => core);
const { run } = await import('../src/action/main.js');

let work: string;
const example = join(process.cwd(), 'examples', 'weather-server.mcpb');

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mtf-action-'));
  process.env.RUNNER_TEMP = work;
});
afterAll(async () => {
  delete process.env.RUNNER_TEMP;
  await rm(work, { recursive: true, force: true });
});
beforeEach(() => {
  jest.clearAllMocks();
});

describe('the action', () => {
  test('scans a bundle, writes the report and sets every output', async () => {
    const reportFile = join(work, 'report.json');
    core.useInputs({ bundle: example, 'min-level': '0', 'report-file': reportFile });
    await run();
    expect(core.setFailed).not.toHaveBeenCalled();
    const report = JSON.parse(await readFile(reportFile, 'utf8'));
    expect(core.outputs()).toEqual({
      level: report.compliance.level,
      'level-name': report.compliance.level_name,
      passed: true,
      'risk-score': report.risk_score,
      'report-file': reportFile,
      'bundle-path': example,
      'bundle-sha256': report.bundle.hash,
      findings: report.findings.length,
    });
    expect(report.bundle.hash).toMatch(/^[a-f0-9]{64}$/);
  });

  test('packs a directory, writes the .mcpb to the runner temp dir and reports its path and digest', async () => {
    core.useInputs({ directory: 'examples/weather-server', 'min-level': '0', 'report-file': join(work, 'dir-report.json') });
    await run();
    const out = core.outputs();
    expect(out['bundle-path']).toMatch(new RegExp(`^${work}/mtf/.+\\.mcpb$`));
    const packed = await readFile(out['bundle-path'] as string);
    expect(Buffer.compare(packed, await readFile(example))).toBe(0);
    expect(out['bundle-sha256']).toBe(JSON.parse(await readFile(join(work, 'dir-report.json'), 'utf8')).bundle.hash);
  });

  test('fails the job below min-level with a one-line reason', async () => {
    core.useInputs({ bundle: example, 'min-level': '1', 'report-file': join(work, 'r.json') });
    await run();
    expect(core.setFailed).toHaveBeenCalledTimes(1);
    expect(core.setFailed.mock.calls[0]![0]).toMatch(/^reached L\d, required L1: /);
    expect(core.outputs().passed).toBe(false);
  });

  test.each([
    [{}, 'set exactly one of the inputs "bundle" and "directory"'],
    [{ bundle: 'a.mcpb', directory: '.' }, 'set exactly one of the inputs "bundle" and "directory"'],
    [{ bundle: 'a.mcpb', 'min-level': 'high' }, 'min-level: must be 0, 1, 2, 3 or 4'],
    [{ bundle: 'a.mcpb', 'fail-on': 'severe' }, 'fail-on:'],
  ])('rejects invalid inputs %j naming the input', async (inputs, message) => {
    core.useInputs(inputs);
    await run();
    expect(core.setFailed).toHaveBeenCalledWith(expect.stringContaining(message));
  });

  test('a hostile or unreadable bundle fails the step with the intake message', async () => {
    const bad = join(work, 'bad.mcpb');
    await writeFile(bad, 'not a zip');
    core.useInputs({ bundle: bad });
    await run();
    expect(core.setFailed).toHaveBeenCalledWith(expect.stringContaining('is not a bundle archive'));
    expect(core.setOutput).not.toHaveBeenCalled();
  });
});
