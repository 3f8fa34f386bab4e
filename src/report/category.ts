/**
 * Code scanning categories (SARIF `runAutomationDetails.id`). GitHub keeps one set of alerts per category and,
 * since July 2025, rejects a file with two runs of the same category, so every bundle needs its own.
 */

/** A bundle name as a category segment: lowercase letters, digits, `.`, `_` and `-`; at most 80 characters. */
export function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
    .replace(/[-.]+$/, '');
  return s || 'bundle';
}

/**
 * One category per bundle, in order: `base/<bundle slug>` where `base` is the user's category (default `mtf`);
 * a single bundle with a user category keeps it as it is. Repeated names get `-2`, `-3` ... so that no two
 * runs share a category.
 */
export function assignCategories(bundleNames: readonly string[], userCategory?: string): string[] {
  const base = userCategory?.trim().replace(/\/+$/, '');
  const wanted = bundleNames.map((name) => (base && bundleNames.length === 1 ? base : `${base || 'mtf'}/${slug(name)}`));
  const used = new Set<string>();
  return wanted.map((category) => {
    let candidate = category;
    for (let n = 2; used.has(candidate); n++) candidate = `${category}-${n}`;
    used.add(candidate);
    return candidate;
  });
}
