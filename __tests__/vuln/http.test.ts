import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_HTTP_POLICY, Deadline, parseRetryAfter, requestJson, SourceError } from '../../src/vuln/http.js';

let server: Server;
let url: string;
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: 'x'.repeat(10_000) }));
    } else if (req.url === '/big-stream') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data": "');
      res.write('y'.repeat(10_000));
      res.end('"}');
    } else if (req.url === '/stall') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data": ');
    } else if (req.url === '/retry-after-long') {
      res.writeHead(503, { 'retry-after': '3600' });
      res.end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok": true}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const policy = { ...DEFAULT_HTTP_POLICY, requestTimeoutMs: 500, backoffBaseMs: 10, maxBackoffMs: 100, maxResponseBytes: 1_000 };

describe('requestJson', () => {
  test('parses a JSON answer', async () => {
    await expect(requestJson({ source: 'T', url: `${url}/ok` }, policy, new Deadline(1_000))).resolves.toEqual({ ok: true });
  });

  test('refuses a body over the cap, by Content-Length or while streaming, without retrying', async () => {
    hits = 0;
    await expect(requestJson({ source: 'T', url: `${url}/big` }, policy, new Deadline(1_000))).rejects.toThrow(/larger than the 1000-byte cap/);
    await expect(requestJson({ source: 'T', url: `${url}/big-stream` }, policy, new Deadline(1_000))).rejects.toThrow(/larger than the 1000-byte cap/);
    expect(hits).toBe(2);
  });

  test('a Retry-After longer than the cap waits only the cap; a wait past the deadline gives up at once', async () => {
    hits = 0;
    const started = performance.now();
    const error = await requestJson({ source: 'T', url: `${url}/retry-after-long` }, { ...policy, maxBackoffMs: 5_000 }, new Deadline(1_000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toMatch(/^T: http:\/\/127\.0\.0\.1:\d+\/retry-after-long: HTTP 503/);
    expect(hits).toBe(1);
    expect(performance.now() - started).toBeLessThan(900);
  });

  test('a body that stalls after the headers times out, and is retried within the deadline', async () => {
    hits = 0;
    const started = performance.now();
    await expect(requestJson({ source: 'T', url: `${url}/stall` }, { ...policy, requestTimeoutMs: 150, maxAttempts: 2 }, new Deadline(2_000))).rejects.toThrow(/no complete answer within 150 ms/);
    expect(hits).toBe(2);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  test('an expired deadline starts no request', async () => {
    hits = 0;
    await expect(requestJson({ source: 'T', url: `${url}/ok` }, policy, new Deadline(0))).rejects.toThrow(/no attempt made \(deadline of 0 s reached\)/);
    expect(hits).toBe(0);
  });
});

describe('parseRetryAfter (RFC 9110 10.2.3)', () => {
  test('reads delta-seconds and HTTP dates; ignores anything else', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
