import * as core from '@actions/core';
import * as github from '@actions/github';
import type { CommentMode } from './inputs.js';
import type { NamedScan } from './results.js';
import { bundleMarkdown } from './summary.js';
import type { Workflow } from './workflow.js';

/** GitHub refuses a comment body over 65,536 characters; bytes are at least characters, so this fits. */
export const COMMENT_BYTES = 60_000;

/** Pages of 100 comments read while looking for our own; a pull request with more gets a new comment. */
const MAX_COMMENT_PAGES = 30;

type Octokit = ReturnType<typeof github.getOctokit>;

/** The hidden first line that marks a bundle's comment; categories are reduced to characters safe in HTML comments. */
export function commentMarker(category: string): string {
  return `<!-- mtf-action:${category.replace(/[^A-Za-z0-9._/@-]/g, '_')} -->`;
}

export interface CommentOptions {
  mode: CommentMode;
  token: string | undefined;
  workflow: Workflow;
  notes: readonly string[];
  fullNote: string;
}

/**
 * Keeps one sticky comment per bundle on the pull request: found by its hidden marker among the comments this
 * token's identity wrote, updated in place, never duplicated. `on-failure` creates a comment only for a failing
 * bundle but still updates an existing one (so a fixed bundle does not leave a stale failure behind). Without
 * the permission to comment (a pull request from a fork gets a read-only token) it says so in a notice: the
 * comment is a convenience, never a reason to fail the job.
 */
export async function commentOnPullRequest(scans: readonly NamedScan[], options: CommentOptions): Promise<void> {
  const { mode, token, workflow } = options;
  if (mode === 'never') return;
  if (workflow.pullRequest === undefined || !workflow.repository) {
    core.info('MTF: not a pull request run; no comment posted.');
    return;
  }
  if (!token) {
    core.notice('MTF: PR comment skipped: no token (set the `token` input).');
    return;
  }
  const target = { ...workflow.repository, issue_number: workflow.pullRequest };
  try {
    const octokit = github.getOctokit(token);
    const existing = await findOwnComments(octokit, target);
    for (const scan of scans) {
      const marker = commentMarker(scan.category);
      const id = existing.get(marker);
      if (id === undefined && (mode === 'on-failure' && scan.verdict.passed)) continue;
      const body = `${marker}\n${bundleMarkdown(scan, workflow, options.notes, COMMENT_BYTES - marker.length - 1, options.fullNote)}`;
      if (id !== undefined) {
        await octokit.rest.issues.updateComment({ owner: target.owner, repo: target.repo, comment_id: id, body });
      } else {
        await octokit.rest.issues.createComment({ ...target, body });
      }
    }
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status === 403 || status === 404) {
      core.notice(
        'MTF: PR comment skipped: the token may not write to this pull request (a pull request from a fork gets a read-only token; ' +
          'otherwise grant `pull-requests: write`). The job summary has the results.',
      );
    } else {
      core.warning(`MTF: PR comment failed: ${(e as Error).message ?? String(e)}`);
    }
  }
}

/**
 * Our earlier comments by marker. Only comments by this token's identity count, so that someone who pastes a
 * marker into their own comment cannot have the results shown under their name. GITHUB_TOKEN and app tokens
 * cannot ask who they are (GET /user answers 403): then comments by bots count.
 */
async function findOwnComments(octokit: Octokit, target: { owner: string; repo: string; issue_number: number }): Promise<Map<string, number>> {
  const me = await octokit.rest.users.getAuthenticated().then(
    (r) => r.data.login,
    () => undefined,
  );
  const found = new Map<string, number>();
  let pages = 0;
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, { ...target, per_page: 100 })) {
    for (const comment of page.data) {
      const mine = me !== undefined ? comment.user?.login === me : comment.user?.type === 'Bot';
      const marker = comment.body?.split('\n', 1)[0];
      if (mine && marker?.startsWith('<!-- mtf-action:') && !found.has(marker)) found.set(marker, comment.id);
    }
    if (++pages >= MAX_COMMENT_PAGES) break;
  }
  return found;
}
