import { DefaultArtifactClient, GHESNotSupportedError } from '@actions/artifact';
import * as core from '@actions/core';
import { createHash } from 'node:crypto';
import { slug } from '../report/category.js';
import type { Workflow } from './workflow.js';

/**
 * The artifact's name, unique within a workflow run as artifact names must be. One bundle: its category as a
 * name (`mtf-acme-weather` for `mtf/acme-weather`; `mtf-` prefixed to a category without it), so a matrix job
 * per bundle gets a distinct name; several bundles: the job id and a digest of their categories.
 */
export function artifactName(categories: readonly string[], workflow: Workflow): string {
  if (categories.length === 1) {
    const name = slug(categories[0]!);
    return name.startsWith('mtf') ? name : `mtf-${name}`;
  }
  const digest = createHash('sha256').update(categories.join('\n')).digest('hex').slice(0, 8);
  return `mtf-${slug(workflow.job ?? 'results')}-${categories.length}-bundles-${digest}`;
}

/**
 * Uploads the staged results as one artifact. Fail-soft: where the artifact service is unavailable (GitHub
 * Enterprise Server, a run outside Actions) or the upload fails, a warning says so and the job goes on.
 * Returns the artifact id (0 when the service gave none) when it was uploaded, undefined when it was not.
 */
export async function uploadResults(name: string, files: string[], root: string): Promise<number | undefined> {
  try {
    const { id } = await new DefaultArtifactClient().uploadArtifact(name, files, root);
    core.info(`MTF: uploaded artifact ${name}${id === undefined ? '' : ` (id ${id})`}`);
    return id ?? 0;
  } catch (e) {
    const why = e instanceof GHESNotSupportedError ? 'the artifact service is not available on GitHub Enterprise Server' : (e as Error).message;
    core.warning(`MTF: artifact upload skipped: ${why}. The report and SARIF files are still in the workspace.`);
    return undefined;
  }
}
