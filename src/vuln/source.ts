import type { Logger } from '../logger.js';
import type { Config } from '../spec/config-schema.js';
import { cacheDirFromEnv, VulnCache } from './cache.js';
import { fetchEpss, isCveId, type EpssScore } from './epss.js';
import { DEFAULT_HTTP_POLICY, Deadline, SourceError, type HttpPolicy } from './http.js';
import { fetchKev, isKevCatalog, type KevCatalog, type KevEntry } from './kev.js';
import { OSV_MAX_BATCH, OsvClient, parseRecord, type Component, type OsvRecord, type VulnRef } from './osv.js';

/**
 * Where SC-02 gets its data: OSV for the vulnerabilities of each component, EPSS and CISA KEV for the CVEs among
 * their ids and aliases, through the cache. Endpoints come from MTF_OSV_API / MTF_EPSS_API / MTF_KEV_URL
 * (DESIGN.md section 3), so mirrors, air-gapped setups and tests can point elsewhere.
 */

export const DEFAULT_ENDPOINTS = {
  osvApi: 'https://api.osv.dev',
  epssApi: 'https://api.first.org/data/v1/epss',
  kevUrl: 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
} as const;

export interface VulnerabilitySettings {
  osvApi: string;
  epssApi: string;
  kevUrl: string;
  /** Budget for one lookup, all requests and waits included; past it the lookup fails. */
  deadlineMs: number;
  http: HttpPolicy;
  /** Queries per /v1/querybatch request (OSV allows 1000). */
  batchSize: number;
  /** Record fetches in flight at once. */
  concurrency: number;
  epssTtlMs: number;
  kevTtlMs: number;
  cacheDir: string | null;
}

export interface ComponentVulnerabilities {
  component: Component;
  /** Full OSV records affecting the component, withdrawn ones left out. */
  records: OsvRecord[];
}

export interface VulnerabilityData {
  /** Index-aligned with the components asked for. */
  components: ComponentVulnerabilities[];
  /** EPSS scores by CVE id; a CVE without a score is absent. */
  epss: ReadonlyMap<string, EpssScore>;
  /** KEV entries by CVE id. */
  kev: ReadonlyMap<string, KevEntry>;
  /** Enrichment sources that could not be reached (EPSS, KEV): decisions that need them are incomplete. */
  unavailable: string[];
  stats: { components: number; records: number; recordsFromCache: number; cves: number; epssFromCache: number; kevFromCache: boolean };
}

export interface VulnerabilitySource {
  /** The endpoints, for messages and the report. */
  readonly description: string;
  /** Throws SourceError when OSV cannot answer for every component within the deadline. */
  lookup(components: readonly Component[]): Promise<VulnerabilityData>;
}

const HOUR = 3_600_000;

export function createVulnerabilitySource(settings: VulnerabilitySettings, logger: Logger): VulnerabilitySource {
  const osv = new OsvClient(settings.osvApi, settings.http, settings.batchSize);
  const cache = new VulnCache(settings.cacheDir, logger);
  return {
    description: `OSV ${settings.osvApi}, EPSS ${settings.epssApi}, CISA KEV ${settings.kevUrl}`,
    async lookup(components) {
      const deadline = new Deadline(settings.deadlineMs);
      const refs = await osv.queryBatch(components, deadline);
      const { records, fromCache } = await loadRecords(refs.flat(), osv, cache, deadline, settings.concurrency);
      const perComponent = components.map((component, i) => ({
        component,
        records: refs[i]!.map((ref) => records.get(ref.id)).filter((r): r is OsvRecord => r !== undefined && !r.withdrawn),
      }));
      const cves = [...new Set(perComponent.flatMap((c) => c.records.flatMap(cveIdsOf)))].sort();
      const unavailable: string[] = [];
      const epss = await loadEpss(cves, settings, cache, deadline, unavailable);
      const kev = cves.length === 0
        ? { catalog: new Map<string, KevEntry>(), fromCache: false }
        : await loadKev(settings, cache, deadline).catch((e: unknown) => {
            unavailable.push(describe(e, 'CISA KEV'));
            return { catalog: new Map<string, KevEntry>(), fromCache: false };
          });
      logger.debug(`SC-02: ${components.length} components, ${records.size} OSV records (${fromCache} cached), ${cves.length} CVEs`);
      return {
        components: perComponent,
        epss: epss.scores,
        kev: kev.catalog,
        unavailable,
        stats: {
          components: components.length,
          records: records.size,
          recordsFromCache: fromCache,
          cves: cves.length,
          epssFromCache: epss.fromCache,
          kevFromCache: kev.fromCache,
        },
      };
    },
  };
}

/** Every CVE id a record is known by: its own id when it is one, and its aliases. */
export function cveIdsOf(record: OsvRecord): string[] {
  return [record.id, ...(record.aliases ?? [])].map((id) => id.toUpperCase()).filter(isCveId);
}

async function loadRecords(
  refs: readonly VulnRef[],
  osv: OsvClient,
  cache: VulnCache,
  deadline: Deadline,
  concurrency: number,
): Promise<{ records: Map<string, OsvRecord>; fromCache: number }> {
  const unique = new Map<string, VulnRef>();
  for (const ref of refs) if (!unique.has(ref.id)) unique.set(ref.id, ref);
  const records = new Map<string, OsvRecord>();
  let fromCache = 0;
  await forEachLimited([...unique.values()], concurrency, async (ref) => {
    const cached = await cache.readRecord(ref.id, ref.modified);
    if (cached !== null) {
      try {
        records.set(ref.id, parseRecord(cached, ref.id));
        fromCache++;
        return;
      } catch {
        // A corrupt entry is a miss.
      }
    }
    const record = await osv.fetchRecord(ref.id, deadline);
    records.set(ref.id, record);
    await cache.writeRecord(ref.id, ref.modified, record);
  });
  return { records, fromCache };
}

async function loadEpss(
  cves: readonly string[],
  settings: VulnerabilitySettings,
  cache: VulnCache,
  deadline: Deadline,
  unavailable: string[],
): Promise<{ scores: Map<string, EpssScore>; fromCache: number }> {
  const scores = new Map<string, EpssScore>();
  const missing: string[] = [];
  let fromCache = 0;
  for (const cve of cves) {
    const cached = await cache.readFresh('epss', cve, settings.epssTtlMs);
    if (cached === undefined) {
      missing.push(cve);
      continue;
    }
    fromCache++;
    if (isEpssScore(cached)) scores.set(cve, cached);
  }
  if (missing.length === 0) return { scores, fromCache };
  let fetched: Map<string, EpssScore>;
  try {
    fetched = await fetchEpss(settings.epssApi, missing, settings.http, deadline);
  } catch (e) {
    unavailable.push(describe(e, 'EPSS'));
    return { scores, fromCache };
  }
  for (const cve of missing) {
    const score = fetched.get(cve) ?? null;
    if (score) scores.set(cve, score);
    await cache.writeFresh('epss', cve, score);
  }
  return { scores, fromCache };
}

async function loadKev(settings: VulnerabilitySettings, cache: VulnCache, deadline: Deadline): Promise<{ catalog: Map<string, KevEntry>; fromCache: boolean }> {
  const cached = await cache.readFresh('kev', settings.kevUrl, settings.kevTtlMs);
  if (isKevCatalog(cached)) return { catalog: new Map(Object.entries(cached.entries)), fromCache: true };
  const catalog: KevCatalog = await fetchKev(settings.kevUrl, settings.http, deadline);
  await cache.writeFresh('kev', settings.kevUrl, catalog);
  return { catalog: new Map(Object.entries(catalog.entries)), fromCache: false };
}

function isEpssScore(value: unknown): value is EpssScore {
  return typeof value === 'object' && value !== null && typeof (value as EpssScore).epss === 'number' && Number.isFinite((value as EpssScore).epss);
}

/** Runs `fn` over `items` with at most `limit` in flight; the first failure rejects once the others settle. */
async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure;
}

function describe(e: unknown, source: string): string {
  return e instanceof SourceError ? e.message : `${source}: ${(e as Error)?.message ?? String(e)}`;
}

/** Settings from the environment (endpoints, cache location) and the config (time budget, retries). */
export function vulnerabilitySettings(env: Readonly<Record<string, string | undefined>>, config: Config): VulnerabilitySettings {
  const v = config.vulnerabilities;
  return {
    osvApi: trimSlash(env.MTF_OSV_API?.trim() || DEFAULT_ENDPOINTS.osvApi),
    epssApi: env.MTF_EPSS_API?.trim() || DEFAULT_ENDPOINTS.epssApi,
    kevUrl: env.MTF_KEV_URL?.trim() || DEFAULT_ENDPOINTS.kevUrl,
    deadlineMs: v['timeout-seconds'] * 1000,
    http: { ...DEFAULT_HTTP_POLICY, requestTimeoutMs: v['request-timeout-seconds'] * 1000, maxAttempts: v['max-attempts'] },
    batchSize: OSV_MAX_BATCH,
    concurrency: 8,
    epssTtlMs: 24 * HOUR,
    kevTtlMs: 6 * HOUR,
    cacheDir: cacheDirFromEnv(env),
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
