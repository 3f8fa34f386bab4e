import { labelOf } from '../../deps/coverage.js';
import type { Dependency } from '../../deps/types.js';
import type { FindingInput } from '../control.js';

/** Findings of one rule past this many are summarized in one. */
const MAX_PER_RULE = 25;

/**
 * One finding per dependency up to MAX_PER_RULE, then one more (at the first remaining one's location, with the
 * same rule and action) that names the rest: a bundle with a thousand unhashed entries gets a readable report.
 */
export function capped(deps: Dependency[], toFinding: (dep: Dependency) => FindingInput, summary: string): FindingInput[] {
  const shown = deps.slice(0, MAX_PER_RULE).map(toFinding);
  const rest = deps.slice(MAX_PER_RULE);
  if (rest.length === 0) return shown;
  const names = rest.slice(0, 50).map(labelOf).join(', ');
  return [
    ...shown,
    {
      ...toFinding(rest[0]!),
      title: `${rest.length} more ${summary}`,
      description: `Besides the ${MAX_PER_RULE} reported one by one: ${names}${rest.length > 50 ? ` and ${rest.length - 50} more` : ''}.`,
    },
  ];
}
