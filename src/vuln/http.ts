/**
 * JSON over HTTP for the vulnerability sources, with Node's built-in fetch: a timeout per request, bounded
 * retries with exponential backoff on network errors, 429 and 5xx (honouring Retry-After within a cap), a cap on
 * the response size, and one overall deadline so that a slow or failing server ends the scan in bounded time.
 */

export interface HttpPolicy {
  /** Longest one request (headers and body) may take, in ms. */
  requestTimeoutMs: number;
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** First retry delay in ms; doubled per attempt, with jitter. */
  backoffBaseMs: number;
  /** Longest wait between attempts in ms, whatever Retry-After asks for. */
  maxBackoffMs: number;
  /** Largest response body accepted, in bytes. */
  maxResponseBytes: number;
}

export const DEFAULT_HTTP_POLICY: Readonly<HttpPolicy> = Object.freeze({
  requestTimeoutMs: 30_000,
  maxAttempts: 3,
  backoffBaseMs: 500,
  maxBackoffMs: 10_000,
  // OSV answers at most 32 MiB over HTTP/1.1; the KEV feed is a few MiB.
  maxResponseBytes: 32 * 1024 * 1024,
});

/** A point in time (performance.now() clock) after which no request is started or waited for. */
export class Deadline {
  private readonly at: number;
  constructor(readonly budgetMs: number) {
    this.at = performance.now() + budgetMs;
  }
  remainingMs(): number {
    return Math.max(0, this.at - performance.now());
  }
  expired(): boolean {
    return this.remainingMs() <= 0;
  }
}

/** A vulnerability data source could not be reached or answered something unusable. */
export class SourceError extends Error {
  override name = 'SourceError';
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
  }
}

export interface JsonRequest {
  source: string;
  url: string;
  method?: 'GET' | 'POST';
  body?: unknown;
}

const RETRYABLE_STATUS = (status: number) => status === 429 || status >= 500;

/** Fetches `url` and parses its JSON body; throws SourceError when every attempt failed or the deadline passed. */
export async function requestJson(request: JsonRequest, policy: HttpPolicy, deadline: Deadline): Promise<unknown> {
  const { source, url } = request;
  let lastProblem = 'no attempt made';
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    const remaining = deadline.remainingMs();
    if (remaining <= 0) break;
    const outcome = await attemptOnce(request, Math.min(policy.requestTimeoutMs, remaining), policy.maxResponseBytes);
    if (outcome.kind === 'ok') return parseJson(source, url, outcome.text);
    lastProblem = outcome.problem;
    if (!outcome.retryable || attempt === policy.maxAttempts) break;
    const wait = retryDelay(attempt, outcome.retryAfterMs, policy);
    if (wait >= deadline.remainingMs()) break;
    await sleep(wait);
  }
  const expired = deadline.expired() ? ` (deadline of ${Math.round(deadline.budgetMs / 1000)} s reached)` : '';
  throw new SourceError(source, `${describeUrl(url)}: ${lastProblem}${expired}`);
}

type Attempt =
  | { kind: 'ok'; text: string }
  | { kind: 'failed'; problem: string; retryable: boolean; retryAfterMs?: number };

async function attemptOnce(request: JsonRequest, timeoutMs: number, maxBytes: number): Promise<Attempt> {
  const signal = AbortSignal.timeout(Math.max(1, Math.floor(timeoutMs)));
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method ?? 'GET',
      headers: { accept: 'application/json', ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal,
      redirect: 'follow',
    });
  } catch (e) {
    return { kind: 'failed', problem: describeFetchError(e, timeoutMs), retryable: true };
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return {
      kind: 'failed',
      problem: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      retryable: RETRYABLE_STATUS(response.status),
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    };
  }
  try {
    return { kind: 'ok', text: await readCapped(response, maxBytes) };
  } catch (e) {
    if (e instanceof TooLargeError) return { kind: 'failed', problem: e.message, retryable: false };
    return { kind: 'failed', problem: describeFetchError(e, timeoutMs), retryable: true };
  }
}

class TooLargeError extends Error {}

/** Reads the body, refusing more than `maxBytes` (checked on Content-Length first, then while streaming). */
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new TooLargeError(`response of ${declared} bytes is larger than the ${maxBytes}-byte cap`);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new TooLargeError(`response larger than the ${maxBytes}-byte cap`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

function parseJson(source: string, url: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SourceError(source, `${describeUrl(url)}: response is not valid JSON (${(e as Error).message})`);
  }
}

function retryDelay(attempt: number, retryAfterMs: number | undefined, policy: HttpPolicy): number {
  const backoff = policy.backoffBaseMs * 2 ** (attempt - 1);
  const jittered = backoff * (0.5 + Math.random() / 2);
  return Math.min(retryAfterMs ?? jittered, policy.maxBackoffMs);
}

/** Retry-After in delta-seconds or as an HTTP date (RFC 9110 10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function describeFetchError(e: unknown, timeoutMs: number): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `no complete answer within ${Math.round(timeoutMs)} ms`;
  const cause = err?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return err?.message ?? String(e);
}

/** The URL without its query string, which can be long (EPSS) and says nothing about the failure. */
function describeUrl(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? url : `${url.slice(0, at)}?…`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
