import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { toIntakeLimits } from '../bundle/limits.js';
import { openBundle } from '../bundle/open.js';
import type { PrepareFiles } from '../bundle/pack.js';
import { IntakeError, type Bundle } from '../bundle/types.js';
import { scan } from '../engine.js';
import type { Logger } from '../logger.js';
import { evaluateGate, type Verdict } from '../policy.js';
import type { RepositoryMap } from '../report/locations.js';
import { renderText } from '../report/text.js';
import { buildRepositoryMap } from '../report/repository-map.js';
import type { Config } from '../spec/config-schema.js';
import type { Report } from '../spec/report-schema.js';
import type { Unreadable } from './outputs.js';
import type { Workflow } from './workflow.js';

/** One bundle's scan and everything the views need of it; the bundle's files are not kept. */
export interface BundleScan {
  report: Report;
  verdict: Verdict;
  map: RepositoryMap;
  /** Absolute path of the archive scanned: the file given, or the .mcpb the action packed. */
  bundlePath: string;
  /** True when the action packed the bundle from a directory (then the .mcpb goes into the artifact). */
  packed: boolean;
}

/**
 * Opens (or packs, letting `prepare` amend the packed files) one bundle, scans it, judges it against the gate and
 * maps its findings to the checkout.
 */
export async function scanBundle(path: string, config: Config, workflow: Workflow, logger: Logger, prepare?: PrepareFiles): Promise<BundleScan> {
  const bundle = await openBundle(path, toIntakeLimits(config.limits), prepare);
  const bundlePath = bundle.packed ? await writePacked(bundle, workflow.runnerTemp) : resolve(bundle.source.path);
  const report = await scan(bundle, { config, logger, workflowRepository: workflow.repositoryUrl });
  const verdict = evaluateGate(report, config);
  const map = await buildRepositoryMap(bundle, report, workflow.workspace);
  return { report, verdict, map, bundlePath, packed: bundle.packed !== undefined };
}

/**
 * Scans each target in turn, logging the terminal view of each verdict. A lone bundle that cannot be read fails
 * the step (IntakeError thrown); among several, it is set aside as unreadable so that it does not hide the
 * verdicts on the others, unless none could be read.
 */
export async function scanBundles(
  targets: readonly string[],
  config: Config,
  workflow: Workflow,
  logger: Logger,
  prepare?: PrepareFiles,
): Promise<{ scanned: BundleScan[]; unreadable: Unreadable[] }> {
  const scanned: BundleScan[] = [];
  const unreadable: Unreadable[] = [];
  for (const target of targets) {
    try {
      const result = await scanBundle(target, config, workflow, logger, prepare);
      logger.info(renderText(result.report, result.verdict, { color: true }));
      scanned.push(result);
    } catch (e) {
      if (targets.length === 1 || !(e instanceof IntakeError)) throw e;
      unreadable.push({ path: target, reason: e.message });
      logger.warn(`${target}: ${e.message}`);
    }
  }
  if (scanned.length === 0) throw new IntakeError(unreadable.map((u) => `${u.path}: ${u.reason}`).join('\n'));
  return { scanned, unreadable };
}

/** A packed directory is written to the runner's temp dir (outside the checkout) so later steps can use it. */
async function writePacked(bundle: Bundle, runnerTemp: string): Promise<string> {
  const dir = join(runnerTemp, 'mtf');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `bundle-${bundle.sha256.slice(0, 12)}.mcpb`);
  await writeFile(file, bundle.packed!);
  return file;
}
