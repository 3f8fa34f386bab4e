import { z } from 'zod';
import type { Ecosystem } from '../deps/types.js';
import { requestJson, SourceError, type Deadline, type HttpPolicy } from './http.js';

/**
 * The OSV API (https://google.github.io/osv.dev/api/): POST /v1/querybatch answers, per query and in query order,
 * only the ids and modified times of the vulnerabilities affecting a package version (at most 1000 queries per
 * batch; a query with more results carries a `next_page_token`), and GET /v1/vulns/{id} answers the full record.
 */

/** A package version to look up, named as OSV names it. */
export interface Component {
  ecosystem: Ecosystem;
  name: string;
  version: string;
}

/** OSV caps a batch at 1000 queries. */
export const OSV_MAX_BATCH = 1000;
/** A query paging further than this is treated as a broken answer rather than silently truncated. */
const MAX_PAGES = 20;

const SeveritySchema = z.object({ type: z.string(), score: z.string() });

const AffectedSchema = z.object({
  package: z.object({ ecosystem: z.string(), name: z.string(), purl: z.string().optional() }).optional(),
  severity: z.array(SeveritySchema).optional(),
  ranges: z.array(z.object({ type: z.string(), events: z.array(z.record(z.string(), z.string())).optional() })).optional(),
  versions: z.array(z.string()).optional(),
  ecosystem_specific: z.unknown().optional(),
  database_specific: z.unknown().optional(),
});

/** The parts of an OSV record (schema 1.x) the scanner reads; other fields are ignored. */
export const OsvRecordSchema = z.object({
  id: z.string().min(1),
  modified: z.string().min(1),
  withdrawn: z.string().optional(),
  aliases: z.array(z.string()).optional().nullable(),
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: z.array(SeveritySchema).optional().nullable(),
  affected: z.array(AffectedSchema).optional().nullable(),
  database_specific: z.unknown().optional(),
});
export type OsvRecord = z.infer<typeof OsvRecordSchema>;
export type OsvAffected = z.infer<typeof AffectedSchema>;

const BatchResponseSchema = z.object({
  results: z.array(
    z.object({
      vulns: z.array(z.object({ id: z.string().min(1), modified: z.string().min(1) })).optional().nullable(),
      next_page_token: z.string().optional().nullable(),
    }),
  ),
});

export interface VulnRef {
  id: string;
  modified: string;
}

export class OsvClient {
  constructor(
    private readonly baseUrl: string,
    private readonly policy: HttpPolicy,
    private readonly batchSize: number = OSV_MAX_BATCH,
  ) {}

  /** The vulnerabilities of every component, index-aligned with `components`, every page followed. */
  async queryBatch(components: readonly Component[], deadline: Deadline): Promise<VulnRef[][]> {
    const results: VulnRef[][] = components.map(() => []);
    const size = Math.max(1, Math.min(this.batchSize, OSV_MAX_BATCH));
    let pending = components.map((component, index) => ({ index, component, pageToken: undefined as string | undefined, pages: 0 }));
    while (pending.length > 0) {
      const next: typeof pending = [];
      for (let start = 0; start < pending.length; start += size) {
        const chunk = pending.slice(start, start + size);
        const response = await requestJson(
          { source: 'OSV', url: `${this.baseUrl}/v1/querybatch`, method: 'POST', body: { queries: chunk.map((q) => toQuery(q.component, q.pageToken)) } },
          this.policy,
          deadline,
        );
        const parsed = BatchResponseSchema.safeParse(response);
        if (!parsed.success) throw new SourceError('OSV', `/v1/querybatch answered an unexpected shape: ${parsed.error.issues[0]?.message}`);
        if (parsed.data.results.length !== chunk.length) {
          throw new SourceError('OSV', `/v1/querybatch answered ${parsed.data.results.length} results for ${chunk.length} queries`);
        }
        parsed.data.results.forEach((result, i) => {
          const query = chunk[i]!;
          results[query.index]!.push(...(result.vulns ?? []));
          if (result.next_page_token) {
            if (query.pages + 1 >= MAX_PAGES) {
              throw new SourceError('OSV', `${query.component.name}@${query.component.version} pages past ${MAX_PAGES} pages of results`);
            }
            next.push({ ...query, pageToken: result.next_page_token, pages: query.pages + 1 });
          }
        });
      }
      pending = next;
    }
    return results.map(dedupeRefs);
  }

  /** The full record of one vulnerability. */
  async fetchRecord(id: string, deadline: Deadline): Promise<OsvRecord> {
    const response = await requestJson({ source: 'OSV', url: `${this.baseUrl}/v1/vulns/${encodeURIComponent(id)}` }, this.policy, deadline);
    return parseRecord(response, id);
  }
}

export function parseRecord(value: unknown, id: string): OsvRecord {
  const parsed = OsvRecordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SourceError('OSV', `record ${id} has an unexpected shape at ${issue?.path.join('.') || 'the top'}: ${issue?.message}`);
  }
  if (parsed.data.id !== id) throw new SourceError('OSV', `asked for record ${id}, got ${parsed.data.id}`);
  return parsed.data;
}

/**
 * One OSV query. Go versions are queried without the `v` that go.mod writes, as OSV's Go records spell them.
 */
function toQuery(component: Component, pageToken: string | undefined): object {
  const version = component.ecosystem === 'Go' ? component.version.replace(/^v(?=\d)/, '') : component.version;
  return { package: { ecosystem: component.ecosystem, name: component.name }, version, ...(pageToken ? { page_token: pageToken } : {}) };
}

function dedupeRefs(refs: VulnRef[]): VulnRef[] {
  const byId = new Map<string, VulnRef>();
  for (const ref of refs) if (!byId.has(ref.id)) byId.set(ref.id, ref);
  return [...byId.values()];
}
