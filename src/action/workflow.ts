import * as github from '@actions/github';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';

/** What the action knows of the workflow run it is in. */
export interface Workflow {
  /** The checkout (GITHUB_WORKSPACE): repository paths are relative to it. */
  workspace: string;
  /** Private scratch space of the job (RUNNER_TEMP): packed bundles and the artifact's files go here. */
  runnerTemp: string;
  /** `https://github.com/owner/repo/blob/<commit>`: summary links to file and line; absent outside Actions. */
  linkBase?: string;
  repository?: { owner: string; repo: string };
  /** `https://github.com/owner/repo`: PR-01 warns when the manifest names another repository. */
  repositoryUrl?: string;
  /** The pull request this run is for, if any (pull_request and pull_request_target events). */
  pullRequest?: number;
  /** The job id (GITHUB_JOB), to tell artifacts of several jobs apart. */
  job?: string;
}

/**
 * Reads the run from the environment and the event payload. Links point at the pull request's head commit when
 * there is one (the code the author wrote), else at GITHUB_SHA.
 */
export function readWorkflow(env: NodeJS.ProcessEnv = process.env): Workflow {
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd());
  const runnerTemp = resolve(env.RUNNER_TEMP || tmpdir());
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const repository = owner && repo ? { owner, repo } : undefined;
  const pr = github.context.payload?.pull_request as { number?: number; head?: { sha?: string } } | undefined;
  const commit = pr?.head?.sha ?? env.GITHUB_SHA;
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const workflow: Workflow = { workspace, runnerTemp };
  if (repository) {
    workflow.repository = repository;
    workflow.repositoryUrl = `${server}/${repository.owner}/${repository.repo}`;
  }
  if (repository && commit && /^[0-9a-f]{40,64}$/.test(commit)) {
    workflow.linkBase = `${server}/${encodeURIComponent(repository.owner)}/${encodeURIComponent(repository.repo)}/blob/${commit}`;
  }
  if (typeof pr?.number === 'number') workflow.pullRequest = pr.number;
  if (env.GITHUB_JOB) workflow.job = env.GITHUB_JOB;
  return workflow;
}
