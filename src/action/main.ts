import * as core from '@actions/core';
import { IntakeError } from '../bundle/types.js';
import { loadConfig } from '../config/load.js';
import type { Logger } from '../logger.js';
import { assignCategories } from '../report/category.js';
import { renderText } from '../report/text.js';
import { annotateFindings } from './annotations.js';
import { artifactName, uploadResults } from './artifact.js';
import { commentOnPullRequest } from './comment.js';
import { readInputs } from './inputs.js';
import { locateTargets } from './locate.js';
import { failBelowGate, setOutputs, type Unreadable } from './outputs.js';
import { artifactFolderNames, writeResults, type NamedScan } from './results.js';
import { scanBundle, type BundleScan } from './scan-bundle.js';
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
    const scanned: BundleScan[] = [];
    const unreadable: Unreadable[] = [];
    for (const target of targets) {
      try {
        const result = await scanBundle(target, config, workflow, actionsLogger);
        core.info(renderText(result.report, result.verdict, { color: true }));
        scanned.push(result);
      } catch (e) {
        // One unreadable bundle among several must not hide the verdicts on the others.
        if (targets.length === 1 || !(e instanceof IntakeError)) throw e;
        unreadable.push({ path: target, reason: e.message });
        core.error(`${target}: ${e.message}`);
      }
    }
    if (scanned.length === 0) throw new IntakeError(unreadable.map((u) => u.reason).join('\n'));
    const categories = assignCategories(scanned.map((s) => s.report.bundle.name), inputs.category);
    const names = artifactFolderNames(categories);
    const scans: NamedScan[] = scanned.map((s, i) => ({ ...s, category: categories[i]!, name: names[i]! }));

    const written = await writeResults(scans, { reportFile: inputs['report-file'], sarifFile: inputs['sarif-file'] }, workflow);
    const artifact = artifactName(categories, workflow);
    const fullNote = inputs['upload-artifact']
      ? `This summary is shortened to fit GitHub's limits: the artifact \`${artifact}\` holds the full summary (summary.md) and the JSON report of each bundle.`
      : `This summary is shortened to fit GitHub's limits: the JSON report (\`report-file\`) lists every finding.`;

    if (inputs.summary) await writeJobSummary(composeJobSummary(scans, workflow, written.sarifNotes, fullNote, unreadable));
    if (inputs.annotations) annotateFindings(scans);
    await commentOnPullRequest(scans, { mode: inputs.comment, token: inputs.token, workflow, notes: written.sarifNotes, fullNote });
    if (inputs['upload-artifact']) await uploadResults(artifact, written.artifactFiles, written.artifactRoot);

    setOutputs(scans, written, unreadable);
    failBelowGate(scans, unreadable);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (process.env.GITHUB_STEP_SUMMARY) await writeJobSummary(failureSummary(message));
    core.setFailed(message);
  }
}
