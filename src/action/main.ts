import * as core from '@actions/core';
import { loadConfig } from '../config/load.js';
import { withGeneratedSbom } from '../deps/sbom/generate.js';
import type { Logger } from '../logger.js';
import { assignCategories } from '../report/category.js';
import { annotateFindings } from './annotations.js';
import { artifactName, uploadResults } from './artifact.js';
import { commentOnPullRequest } from './comment.js';
import { readInputs } from './inputs.js';
import { locateTargets } from './locate.js';
import { failBelowGate, setOutputs } from './outputs.js';
import { artifactFolderNames, writeResults, type NamedScan } from './results.js';
import { scanBundles } from './scan-bundle.js';
import { prepareVulnCacheDir, restoreVulnCache, saveVulnCache } from './vuln-cache.js';
import { composeJobSummary, failureSummary, writeJobSummary } from './summary.js';
import { readWorkflow } from './workflow.js';

const actionsLogger: Logger = { debug: core.debug, info: core.info, warn: core.warning };

/**
 * The action: locate (or pack) the bundles, scan each, write the reports and the SARIF log, show the results
 * (job summary, annotations, PR comment, artifact), set the outputs, and fail the job when a bundle is below
 * the gate. Showing is fail-soft; only bad inputs, unreadable bundles and the gate fail the job.
 */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const workflow = readWorkflow();
    const config = await loadConfig(inputs.config, {
      'min-level': inputs['min-level'],
      'fail-on': inputs['fail-on'],
      offline: inputs.offline,
    });

    const targets = await locateTargets(inputs, process.cwd());
    const cacheDir = config.offline ? null : prepareVulnCacheDir();
    const restoredCache = cacheDir ? await restoreVulnCache(cacheDir) : undefined;
    const prepare = inputs.sbom === 'generate' ? withGeneratedSbom : undefined;
    const { scanned, unreadable } = await scanBundles(targets, config, workflow, actionsLogger, prepare);
    if (cacheDir) await saveVulnCache(cacheDir, restoredCache);
    const categories = assignCategories(scanned.map((s) => s.report.bundle.name), inputs.category);
    const names = artifactFolderNames(categories);
    const scans: NamedScan[] = scanned.map((s, i) => ({ ...s, category: categories[i]!, name: names[i]! }));

    const written = await writeResults(scans, { reportFile: inputs['report-file'], sarifFile: inputs['sarif-file'] }, workflow);
    // The artifact goes first, so that the summary only points at it when it was uploaded.
    const artifact = artifactName(categories, workflow);
    const uploaded = inputs['upload-artifact'] && (await uploadResults(artifact, written.artifactFiles, written.artifactRoot)) !== undefined;
    const fullNote = uploaded
      ? `This summary is shortened to fit GitHub's limits: the artifact \`${artifact}\` holds the full summary (summary.md) and the JSON report of each bundle.`
      : `This summary is shortened to fit GitHub's limits: the JSON report (\`report-file\`) lists every finding.`;

    if (inputs.summary) await writeJobSummary(composeJobSummary(scans, workflow, written.sarifNotes, fullNote, unreadable));
    if (inputs.annotations) annotateFindings(scans);
    await commentOnPullRequest(scans, { mode: inputs.comment, token: inputs.token, workflow, notes: written.sarifNotes, fullNote });

    setOutputs(scans, written, unreadable);
    failBelowGate(scans, unreadable);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (process.env.GITHUB_STEP_SUMMARY) await writeJobSummary(failureSummary(message));
    core.setFailed(message);
  }
}
