import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_HTTP_POLICY } from '../src/vuln/http.js';
import type { VulnerabilitySettings } from '../src/vuln/source.js';

/**
 * A loopback OSV + EPSS + CISA KEV server for tests, answering in the public services' shapes from fixture data:
 * POST /v1/querybatch (ids and modified only, `{}` for a query without results, `next_page_token` paging),
 * GET /v1/vulns/{id}, GET /epss?cve=A,B (numbers as decimal strings), GET /kev.json. Faults per endpoint make it
 * answer 5xx/429, slowly, with malformed JSON, or not at all.
 */

export type Endpoint = 'querybatch' | 'vulns' | 'epss' | 'kev';

export interface Fault {
  /** Answer with this status (and a small JSON error body). */
  status?: number;
  retryAfter?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Answer 200 with this body instead of the real one. */
  body?: string;
  /** Apply to the first N requests only; every request when unset. */
  times?: number;
}

export interface FixtureRecord {
  id: string;
  modified?: string;
  aliases?: string[];
  summary?: string;
  severity?: { type: string; score: string }[];
  database_specific?: Record<string, unknown>;
  affected: {
    package: { ecosystem: string; name: string };
    versions?: string[];
    ranges?: { type: string; events: Record<string, string>[] }[];
    severity?: { type: string; score: string }[];
  }[];
  withdrawn?: string;
}

export interface FixtureData {
  records: FixtureRecord[];
  /** EPSS probability by CVE id. */
  epss?: Record<string, number>;
  /** CVE ids listed in KEV. */
  kev?: string[];
}

export interface LoggedRequest {
  endpoint: Endpoint | 'other';
  method: string;
  url: string;
  body: unknown;
}

export interface VulnServer {
  url: string;
  requests: LoggedRequest[];
  faults: Partial<Record<Endpoint, Fault>>;
  /** Vulnerabilities per page of a querybatch result; unlimited when unset. */
  pageSize?: number;
  data: FixtureData;
  /** Settings pointing at this server, with small timeouts and a fresh cache directory. */
  settings(overrides?: Partial<VulnerabilitySettings>): VulnerabilitySettings;
  count(endpoint: Endpoint): number;
  close(): Promise<void>;
}

/** A record affecting `versions` of an npm package, in the OSV schema. */
export function npmRecord(record: Omit<FixtureRecord, 'affected'> & { name: string; versions: string[]; fixed?: string }): FixtureRecord {
  const { name, versions, fixed, ...rest } = record;
  return {
    modified: '2026-01-15T10:00:00Z',
    ...rest,
    affected: [
      {
        package: { ecosystem: 'npm', name },
        versions,
        ...(fixed ? { ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }] } : {}),
      },
    ],
  };
}

export async function startVulnServer(data: FixtureData): Promise<VulnServer> {
  const cacheDirs: string[] = [];
  const state: VulnServer = {
    url: '',
    requests: [],
    faults: {},
    data,
    settings(overrides = {}) {
      const cacheDir = mkdtempSync(join(tmpdir(), 'mtf-vuln-cache-test-'));
      cacheDirs.push(cacheDir);
      return {
        osvApi: state.url,
        epssApi: `${state.url}/epss`,
        kevUrl: `${state.url}/kev.json`,
        deadlineMs: 5_000,
        http: { ...DEFAULT_HTTP_POLICY, requestTimeoutMs: 1_000, maxAttempts: 3, backoffBaseMs: 10, maxBackoffMs: 50 },
        batchSize: 1000,
        concurrency: 4,
        epssTtlMs: 3_600_000,
        kevTtlMs: 3_600_000,
        cacheDir,
        ...overrides,
      };
    },
    count(endpoint) {
      return state.requests.filter((r) => r.endpoint === endpoint).length;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const dir of cacheDirs) rmSync(dir, { recursive: true, force: true });
    },
  };
  const server: Server = createServer((req, res) => {
    void handle(state, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

async function handle(state: VulnServer, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', state.url);
  const text = await readBody(req);
  const endpoint = endpointOf(req.method ?? 'GET', url.pathname);
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // logged as text
  }
  state.requests.push({ endpoint, method: req.method ?? 'GET', url: url.pathname + url.search, body });
  if (endpoint === 'other') return send(res, 404, { code: 5, message: 'Not Found' });

  const fault = state.faults[endpoint];
  const seen = state.requests.filter((r) => r.endpoint === endpoint).length;
  if (fault && (fault.times === undefined || seen <= fault.times)) {
    if (fault.delayMs) await delay(fault.delayMs, res);
    if (res.destroyed) return;
    if (fault.status) {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) });
      res.end(JSON.stringify({ code: fault.status, message: 'fixture fault' }));
      return;
    }
    if (fault.body !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(fault.body);
      return;
    }
  }
  switch (endpoint) {
    case 'querybatch':
      return send(res, 200, queryBatch(state, body));
    case 'vulns': {
      const id = decodeURIComponent(url.pathname.slice('/v1/vulns/'.length));
      const record = state.data.records.find((r) => r.id === id);
      return record ? send(res, 200, withDefaults(record)) : send(res, 404, { code: 5, message: 'Bug not found.' });
    }
    case 'epss':
      return send(res, 200, epss(state, url.searchParams.get('cve') ?? ''));
    case 'kev':
      return send(res, 200, kev(state));
  }
}

function endpointOf(method: string, path: string): Endpoint | 'other' {
  if (method === 'POST' && path === '/v1/querybatch') return 'querybatch';
  if (method === 'GET' && path.startsWith('/v1/vulns/')) return 'vulns';
  if (method === 'GET' && path === '/epss') return 'epss';
  if (method === 'GET' && path === '/kev.json') return 'kev';
  return 'other';
}

interface Query {
  package?: { ecosystem?: string; name?: string };
  version?: string;
  page_token?: string;
}

function queryBatch(state: VulnServer, body: unknown): object {
  const queries = ((body as { queries?: Query[] })?.queries ?? []) as Query[];
  return {
    results: queries.map((q) => {
      const hits = state.data.records
        .filter((r) => r.affected.some((a) => a.package.ecosystem === q.package?.ecosystem && sameName(a.package.ecosystem, a.package.name, q.package?.name) && (a.versions ?? []).includes(q.version ?? '')))
        .map((r) => ({ id: r.id, modified: withDefaults(r).modified }));
      const offset = q.page_token ? Number(Buffer.from(q.page_token, 'base64').toString()) : 0;
      const size = state.pageSize ?? hits.length;
      const page = hits.slice(offset, offset + size);
      if (page.length === 0) return {};
      const next = offset + size < hits.length ? { next_page_token: Buffer.from(String(offset + size)).toString('base64') } : {};
      return { vulns: page, ...next };
    }),
  };
}

/** OSV compares PyPI names normalized (PEP 503); other ecosystems as written. */
function sameName(ecosystem: string, a: string, b: string | undefined): boolean {
  const pep503 = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');
  return ecosystem === 'PyPI' ? pep503(a) === pep503(b ?? '') : a === b;
}

function withDefaults(record: FixtureRecord): FixtureRecord & { modified: string } {
  return { modified: '2026-01-15T10:00:00Z', ...record };
}

function epss(state: VulnServer, param: string): object {
  const asked = param.split(',').filter(Boolean);
  const data = asked
    .filter((cve) => state.data.epss?.[cve] !== undefined)
    .map((cve) => ({ cve, epss: state.data.epss![cve]!.toFixed(9), percentile: '0.500000000', date: '2026-02-01' }));
  return { status: 'OK', 'status-code': 200, version: '1.0', access: 'public', total: data.length, offset: 0, limit: 100, data };
}

function kev(state: VulnServer): object {
  const vulnerabilities = (state.data.kev ?? []).map((cveID) => ({
    cveID,
    vendorProject: 'Fixture',
    product: 'fixture-product',
    vulnerabilityName: `Fixture vulnerability ${cveID}`,
    dateAdded: '2026-01-20',
    shortDescription: 'A fixture entry.',
    requiredAction: 'Apply updates per vendor instructions.',
    dueDate: '2026-02-10',
    knownRansomwareCampaignUse: 'Unknown',
    notes: '',
    cwes: ['CWE-20'],
  }));
  return { title: 'CISA Catalog of Known Exploited Vulnerabilities', catalogVersion: '2026.01.20', dateReleased: '2026-01-20T12:00:00.000Z', count: vulnerabilities.length, vulnerabilities };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Waits `ms`, or less when the client goes away, so a closed server leaves no timer behind. */
function delay(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    res.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
