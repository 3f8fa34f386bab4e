import { KeywordIndex } from '../text/keyword-index.js';
import type { ScanUnit } from '../text/scan-units.js';
import { MALWARE_SIGNATURES } from './malware.js';
import { SECRET_RULES } from './secrets.js';

/**
 * One keyword index over every text rule of CQ-01 and CQ-02, so that each file is searched for keywords once
 * per scan and both controls share the result.
 */
export const TEXT_RULE_KEYWORDS = new KeywordIndex([
  ...SECRET_RULES.flatMap((r) => r.keywords),
  ...MALWARE_SIGNATURES.flatMap((s) => [...s.keywords, ...(s.keywordsAlso ?? [])]),
]);

const found = new WeakMap<ScanUnit, ReadonlySet<string>>();

/** The rule keywords present in a unit, computed once per unit (whole files keep one unit per scan). */
export function keywordsIn(unit: ScanUnit): ReadonlySet<string> {
  let keywords = found.get(unit);
  if (!keywords) {
    keywords = TEXT_RULE_KEYWORDS.find(unit.bytes);
    found.set(unit, keywords);
  }
  return keywords;
}
