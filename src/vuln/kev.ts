import { z } from 'zod';
import { isCveId } from './epss.js';
import { requestJson, SourceError, type Deadline, type HttpPolicy } from './http.js';

/**
 * CISA's Known Exploited Vulnerabilities catalog, one JSON feed: {catalogVersion, dateReleased, count,
 * vulnerabilities: [{cveID, vendorProject, product, vulnerabilityName, dateAdded, dueDate,
 * knownRansomwareCampaignUse: "Known" | "Unknown", ...}]}. Only what a finding shows is kept.
 */

export interface KevEntry {
  dateAdded: string | null;
  name: string | null;
  ransomware: boolean;
}

export interface KevCatalog {
  version: string | null;
  entries: Record<string, KevEntry>;
}

const KevFeedSchema = z.object({
  catalogVersion: z.string().optional(),
  vulnerabilities: z.array(
    z.object({
      cveID: z.string(),
      dateAdded: z.string().optional(),
      vulnerabilityName: z.string().optional(),
      knownRansomwareCampaignUse: z.string().optional(),
    }),
  ),
});

export async function fetchKev(url: string, policy: HttpPolicy, deadline: Deadline): Promise<KevCatalog> {
  const parsed = KevFeedSchema.safeParse(await requestJson({ source: 'CISA KEV', url }, policy, deadline));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SourceError('CISA KEV', `unexpected feed shape at ${issue?.path.join('.') || 'the top'}: ${issue?.message}`);
  }
  const entries: Record<string, KevEntry> = {};
  for (const v of parsed.data.vulnerabilities) {
    const cve = v.cveID.toUpperCase();
    if (!isCveId(cve)) continue;
    entries[cve] = {
      dateAdded: v.dateAdded ?? null,
      name: v.vulnerabilityName ?? null,
      ransomware: v.knownRansomwareCampaignUse === 'Known',
    };
  }
  return { version: parsed.data.catalogVersion ?? null, entries };
}

/** A catalog read back from the cache, checked like a fresh one. */
export function isKevCatalog(value: unknown): value is KevCatalog {
  if (typeof value !== 'object' || value === null) return false;
  const entries = (value as KevCatalog).entries;
  return typeof entries === 'object' && entries !== null && !Array.isArray(entries);
}
