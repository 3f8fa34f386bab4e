import { z } from 'zod';
import { requestJson, SourceError, type Deadline, type HttpPolicy } from './http.js';

/**
 * FIRST's EPSS API (https://api.first.org/data/v1/epss?cve=CVE-A,CVE-B): `data` lists {cve, epss, percentile, date}
 * with the numbers as decimal strings, for the CVEs that have a score. The `cve` parameter takes at most 2000
 * characters and a page holds 100 rows by default, so CVEs are asked for in chunks within both limits.
 */

export interface EpssScore {
  /** Probability of exploitation in the next 30 days, 0-1. */
  epss: number;
  percentile: number;
  date: string | null;
}

const MAX_PER_REQUEST = 100;
const MAX_PARAM_CHARS = 2000;
const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;

const probability = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1 || (typeof v === 'string' && v.trim() === '')) {
    ctx.addIssue({ code: 'custom', message: `not a probability: ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return n;
});

const EpssResponseSchema = z.object({
  data: z.array(z.object({ cve: z.string(), epss: probability, percentile: probability.optional(), date: z.string().optional() })),
});

export function isCveId(id: string): boolean {
  return CVE_ID.test(id);
}

/** EPSS scores of `cves`; a CVE EPSS has no score for is absent from the map. */
export async function fetchEpss(baseUrl: string, cves: readonly string[], policy: HttpPolicy, deadline: Deadline): Promise<Map<string, EpssScore>> {
  const scores = new Map<string, EpssScore>();
  for (const chunk of chunkCves(cves.filter(isCveId))) {
    const separator = baseUrl.includes('?') ? '&' : '?';
    const response = await requestJson({ source: 'EPSS', url: `${baseUrl}${separator}cve=${chunk.join(',')}` }, policy, deadline);
    const parsed = EpssResponseSchema.safeParse(response);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SourceError('EPSS', `unexpected response shape at ${issue?.path.join('.') || 'the top'}: ${issue?.message}`);
    }
    const asked = new Set(chunk);
    for (const row of parsed.data.data) {
      const cve = row.cve.toUpperCase();
      if (asked.has(cve)) scores.set(cve, { epss: row.epss, percentile: row.percentile ?? 0, date: row.date ?? null });
    }
  }
  return scores;
}

function chunkCves(cves: readonly string[]): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const cve of [...new Set(cves)].sort()) {
    const added = cve.length + (current.length > 0 ? 1 : 0);
    if (current.length === MAX_PER_REQUEST || length + added > MAX_PARAM_CHARS) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    length += cve.length + (current.length > 0 ? 1 : 0);
    current.push(cve);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
