/** Longest justification kept from a `nosec:` comment. */
const MAX_REASON = 200;

/**
 * Reads a `nosec` marker in one comment's text (`# nosec: reason`, `// nosec: reason`, a block comment).
 * The justification is what follows `nosec:`; `nosec` without a colon and text (Bandit's bare `# nosec` or
 * `# nosec B602`) has none, which silences nothing (DESIGN.md section 4, "Suppressions"). A plain index scan:
 * no regular expression runs over comment text.
 */
export function readSuppression(comment: string): { reason: string | null } | null {
  const lowered = comment.toLowerCase();
  let at = -1;
  for (let from = 0; ; from = at + 5) {
    at = lowered.indexOf('nosec', from);
    if (at < 0) return null;
    const before = lowered.charCodeAt(at - 1);
    const after = lowered.charCodeAt(at + 5);
    if (!isWordCode(before) && !isWordCode(after)) break;
  }
  let i = at + 5;
  while (i < comment.length && (comment[i] === ' ' || comment[i] === '\t')) i++;
  if (comment[i] !== ':') return { reason: null };
  const reason = comment.slice(i + 1).trim().slice(0, MAX_REASON);
  return { reason: reason === '' ? null : reason };
}

function isWordCode(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}
