import * as core from '@actions/core';
import { writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { openBundle } from '../bundle/open.js';
import type { Bundle } from '../bundle/types.js';
import { toIntakeLimits } from '../bundle/limits.js';
import { loadConfig } from '../config/load.js';
import { scan } from '../engine.js';
import type { Logger } from '../logger.js';
import { evaluateGate } from '../policy.js';
import { renderJson } from '../report/json.js';
import { renderText } from '../report/text.js';
import type { Report } from '../spec/report-schema.js';
import { readInputs } from './inputs.js';

const actionsLogger: Logger = { debug: core.debug, info: core.info, warn: core.warning };

/** The action: locate or pack the bundle, scan it, write the report, set outputs, fail below the gate. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const config = await loadConfig(inputs.config, {
      'min-level': inputs['min-level'],
      'fail-on': inputs['fail-on'],
      offline: inputs.offline,
    });
    const limits = toIntakeLimits(config.limits);
    const bundle = await openBundle((inputs.bundle ?? inputs.directory)!, limits);
    const bundlePath = bundle.packed ? await writePacked(bundle) : resolve(bundle.source.path);
    const report = await scan(bundle, { config, logger: actionsLogger });
    const verdict = evaluateGate(report, config);
    const reportFile = resolve(inputs['report-file']);
    await mkdir(dirname(reportFile), { recursive: true });
    await writeFile(reportFile, renderJson(report));
    core.info(renderText(report, verdict, { color: true }));
    setOutputs(report, verdict.passed, reportFile, bundlePath);
    if (!verdict.passed) core.setFailed(verdict.reasons.join('; '));
  } catch (e) {
    core.setFailed(e instanceof Error ? e.message : String(e));
  }
}

/** A packed directory is written to the runner's temp dir (outside the checkout) so later steps can use it. */
async function writePacked(bundle: Bundle): Promise<string> {
  const dir = join(process.env.RUNNER_TEMP || tmpdir(), 'mtf');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `bundle-${bundle.sha256.slice(0, 12)}.mcpb`);
  await writeFile(file, bundle.packed!);
  return file;
}

function setOutputs(report: Report, passed: boolean, reportFile: string, bundlePath: string): void {
  core.setOutput('level', report.compliance.level);
  core.setOutput('level-name', report.compliance.level_name);
  core.setOutput('passed', passed);
  core.setOutput('risk-score', report.risk_score);
  core.setOutput('report-file', reportFile);
  core.setOutput('bundle-path', bundlePath);
  core.setOutput('bundle-sha256', report.bundle.hash);
  core.setOutput('findings', report.findings.length);
}
