import { jest } from '@jest/globals';

/** A fake of @actions/github: the event payload and an Octokit that keeps issue comments in memory. */
export const context: { payload: Record<string, unknown> } = { payload: {} };

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: 'User' | 'Bot' };
}

export interface FakeGitHub {
  comments: FakeComment[];
  /** Login GET /user answers with; undefined answers 403 as it does for GITHUB_TOKEN. */
  me?: string;
  /** HTTP status every comment write fails with (403 for a fork's read-only token). */
  failWrites?: number;
}

export const state: FakeGitHub = { comments: [] };

function requestError(status: number): Error & { status: number } {
  return Object.assign(new Error(status === 403 ? 'Resource not accessible by integration' : `HTTP ${status}`), { status });
}

const author = () => ({ login: state.me ?? 'github-actions[bot]', type: state.me ? ('User' as const) : ('Bot' as const) });

export const octokit = {
  rest: {
    users: {
      getAuthenticated: jest.fn(async () => {
        if (state.me === undefined) throw requestError(403);
        return { data: { login: state.me } };
      }),
    },
    issues: {
      listComments: jest.fn(),
      createComment: jest.fn(async ({ body }: { body: string }) => {
        if (state.failWrites) throw requestError(state.failWrites);
        const comment = { id: 1000 + state.comments.length, body, user: author() };
        state.comments.push(comment);
        return { data: comment };
      }),
      updateComment: jest.fn(async ({ comment_id, body }: { comment_id: number; body: string }) => {
        if (state.failWrites) throw requestError(state.failWrites);
        const comment = state.comments.find((c) => c.id === comment_id)!;
        comment.body = body;
        return { data: comment };
      }),
    },
  },
  paginate: {
    iterator: jest.fn(async function* () {
      for (let i = 0; i < state.comments.length; i += 100) yield { data: state.comments.slice(i, i + 100) };
    }),
  },
};

export const getOctokit = jest.fn(() => octokit);

export function resetGitHub(overrides: Partial<FakeGitHub> = {}, payload: Record<string, unknown> = {}): void {
  state.comments = [];
  delete state.me;
  delete state.failWrites;
  Object.assign(state, overrides);
  context.payload = payload;
}
