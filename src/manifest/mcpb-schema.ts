import { VERSIONED_MANIFEST_SCHEMAS } from '@anthropic-ai/mcpb/schemas';
import type { JsonPath } from './manifest.js';

/**
 * Validation against the MCPB schema of the manifest's own `manifest_version` (or legacy `dxt_version`), with
 * the strict per-version zod schemas that `mcpb validate` itself uses (npm package @anthropic-ai/mcpb).
 */

export type McpbVersion = keyof typeof VERSIONED_MANIFEST_SCHEMAS;
export const MCPB_VERSIONS = Object.keys(VERSIONED_MANIFEST_SCHEMAS) as McpbVersion[];
const NEWEST = MCPB_VERSIONS[MCPB_VERSIONS.length - 1]!;

export interface SchemaIssue {
  path: JsonPath;
  message: string;
  /** For an unrecognized key, the key itself (path is then the key's own path). */
  unrecognizedKey?: string;
  /** The field is absent where the schema requires it. */
  missing: boolean;
}

export type VersionChoice =
  | { kind: 'known'; version: McpbVersion; field: 'manifest_version' | 'dxt_version' }
  | { kind: 'newer'; version: McpbVersion; declared: string; field: 'manifest_version' | 'dxt_version' }
  | { kind: 'missing' }
  | { kind: 'unsupported'; declared: unknown; field: 'manifest_version' | 'dxt_version' };

/** Which schema judges the manifest: its own version; the newest known one for a newer version. */
export function chooseVersion(data: Record<string, unknown>): VersionChoice {
  const field = data.manifest_version !== undefined ? 'manifest_version' : data.dxt_version !== undefined ? 'dxt_version' : null;
  if (!field) return { kind: 'missing' };
  const declared = data[field];
  if (typeof declared === 'string' && (MCPB_VERSIONS as string[]).includes(declared)) {
    return { kind: 'known', version: declared as McpbVersion, field };
  }
  if (typeof declared === 'string' && /^\d+\.\d+$/.test(declared) && compareVersions(declared, NEWEST) > 0) {
    return { kind: 'newer', version: NEWEST, declared, field };
  }
  return { kind: 'unsupported', declared, field };
}

function compareVersions(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number) as [number, number];
  const [bm, bn] = b.split('.').map(Number) as [number, number];
  return am - bm || an - bn;
}

/** Schema issues for `data` under `version`; unrecognized keys are reported one per key at the key's path. */
export function validateMcpb(data: Record<string, unknown>, version: McpbVersion): SchemaIssue[] {
  const result = VERSIONED_MANIFEST_SCHEMAS[version].safeParse(data);
  if (result.success) return [];
  return result.error.issues.flatMap((issue): SchemaIssue[] => {
    const path = issue.path as JsonPath;
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: `unknown field "${key}" (not in the mcpb ${version} schema)`,
        unrecognizedKey: key,
        missing: false,
      }));
    }
    const missing = issue.code === 'invalid_type' && issue.received === 'undefined';
    return [{ path, message: missing ? 'required field is missing' : issue.message, missing }];
  });
}

export function formatPath(path: JsonPath): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : /^[A-Za-z_]\w*$/.test(part) ? (out ? `${out}.${part}` : part) : `${out}[${JSON.stringify(part)}]`),
    '',
  );
}
