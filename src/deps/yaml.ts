import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import type { FileText } from '../text/file-text.js';
import { firstLine } from './common.js';

/** A YAML lockfile (pnpm-lock.yaml, yarn berry's yarn.lock), parsed once with the `yaml` package. */
export interface YamlLockfile {
  data: Record<string, unknown>;
  /** Line of a key of a top-level mapping (`lineOf('packages', 'express@4.18.2')`), or of a top-level key. */
  lineOf(section: string | null, key: string): number | null;
}

/** Alias expansion is capped: a lockfile never needs aliases, a hostile one uses them to explode in memory. */
const MAX_ALIAS_COUNT = 100;

export function parseYamlLockfile(text: FileText): { ok: true; value: YamlLockfile } | { ok: false; message: string } {
  let doc: Document;
  try {
    doc = parseDocument(text.text, { uniqueKeys: false, prettyErrors: false });
  } catch (e) {
    return { ok: false, message: `not valid YAML: ${firstLine((e as Error).message)}` };
  }
  if (doc.errors.length > 0) return { ok: false, message: `not valid YAML: ${firstLine(doc.errors[0]!.message)}` };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    return { ok: false, message: `not usable YAML: ${firstLine((e as Error).message)}` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, message: 'not a YAML mapping' };
  const cache = new Map<string, Map<string, number>>();
  const linesOfMap = (section: string | null): Map<string, number> => {
    const cacheKey = section ?? '\0';
    let lines = cache.get(cacheKey);
    if (!lines) {
      lines = new Map();
      const node = section === null ? doc.contents : doc.get(section, true);
      if (isMap(node)) {
        for (const pair of node.items) {
          const key = pair.key;
          if (isScalar(key) && key.range) lines.set(String(key.value), text.lines.lineAt(key.range[0]));
        }
      }
      cache.set(cacheKey, lines);
    }
    return lines;
  };
  return {
    ok: true,
    value: { data: data as Record<string, unknown>, lineOf: (section, key) => linesOfMap(section).get(key) ?? null },
  };
}
