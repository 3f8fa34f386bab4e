import type { KeywordIndex } from './keyword-index.js';
import type { ScanUnit } from './scan-units.js';

/** The shape every text rule shares (secret rules, malware signatures). */
export interface PatternRule {
  id: string;
  /** Literal strings of which one must occur for the pattern to run; empty: always run. */
  keywords: readonly string[];
  /** A second prefilter: one of these must occur as well. */
  keywordsAlso?: readonly string[];
  /** A global (`g`) regex, linear on any input. */
  pattern: RegExp;
  /** Only files whose bundle path matches. */
  paths?: RegExp;
}

export interface PatternMatch<R extends PatternRule> {
  rule: R;
  match: RegExpExecArray;
}

/**
 * Raw matches examined per rule in one unit. Real files have a handful; a hostile file made of millions of
 * candidates stops here, so the work per file stays bounded whatever the input.
 */
export const MAX_MATCHES_PER_RULE = 5_000;

/**
 * Runs the rules that apply to a unit (path filter, keyword prefilter) and returns their matches in rule
 * order, skipping matches the previous window of the same file already covered.
 */
export function matchPatterns<R extends PatternRule>(
  unit: ScanUnit,
  rules: readonly R[],
  index: KeywordIndex,
  found: ReadonlySet<string>,
): PatternMatch<R>[] {
  const out: PatternMatch<R>[] = [];
  for (const rule of rules) {
    if (rule.paths && !rule.paths.test(unit.path)) continue;
    if (rule.keywords.length > 0 && (found.size === 0 || !index.anyOf(found, rule.keywords))) continue;
    if (rule.keywordsAlso && !index.anyOf(found, rule.keywordsAlso)) continue;
    const pattern = new RegExp(rule.pattern);
    let examined = 0;
    for (let m = pattern.exec(unit.text); m !== null && examined < MAX_MATCHES_PER_RULE; m = pattern.exec(unit.text)) {
      examined++;
      if (m[0].length === 0) pattern.lastIndex++;
      if (m.index >= unit.reportFrom) out.push({ rule, match: m });
    }
  }
  return out;
}
