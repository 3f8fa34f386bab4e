/**
 * Obvious placeholders and documented example credentials, which CQ-01 does not report. A real credential is
 * random: the chance that one contains a placeholder word, six equal characters in a row or a six-character
 * alphabet run is negligible, so these tests cost no real detection.
 */

/** Example values published in providers' own documentation. */
const DOCUMENTED_EXAMPLES: ReadonlySet<string> = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
  'sk_test_BQokikJOvBiI2HlWgH4olfQ2',
]);

const PLACEHOLDER_WORDS =
  /example|sample|placeholder|dummy|fake|redacted|changeme|change_me|your[_-]?(?:api|key|token|secret|pass)|insert|replace|xxxx|\*\*\*\*|\.\.\.|<[a-z_ -]{1,40}>|\$\{|\{\{|%\(|\$\(/i;

const TEMPLATE_REFERENCE = /^(?:\$[A-Za-z_]|%[A-Za-z_]+%$|process\.env|os\.environ|env\.|ENV\[)/;

/**
 * Placeholder words only, without the run tests: for encoded binary (a PEM key's base64 body), where runs of
 * `A` (zero bytes) are part of every real key; OpenSSH keys always hold a dozen.
 */
export function hasPlaceholderWords(value: string): boolean {
  return PLACEHOLDER_WORDS.test(value);
}

export function isPlaceholder(value: string): boolean {
  if (DOCUMENTED_EXAMPLES.has(value)) return true;
  if (PLACEHOLDER_WORDS.test(value) || TEMPLATE_REFERENCE.test(value)) return true;
  return hasRepeatedRun(value, 6) || hasSequentialRun(value, 6);
}

function hasRepeatedRun(value: string, length: number): boolean {
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    run = value[i] === value[i - 1] ? run + 1 : 1;
    if (run >= length) return true;
  }
  return false;
}

/** `123456`, `abcdef`, `FEDCBA`: consecutive code points, ascending or descending, of letters or digits. */
function hasSequentialRun(value: string, length: number): boolean {
  let up = 1;
  let down = 1;
  for (let i = 1; i < value.length; i++) {
    const step = value.charCodeAt(i) - value.charCodeAt(i - 1);
    const alnum = /[A-Za-z0-9]/.test(value[i]!) && /[A-Za-z0-9]/.test(value[i - 1]!);
    up = alnum && step === 1 ? up + 1 : 1;
    down = alnum && step === -1 ? down + 1 : 1;
    if (up >= length || down >= length) return true;
  }
  return false;
}
