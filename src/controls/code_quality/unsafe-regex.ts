/**
 * Whether a JavaScript regular expression pattern can backtrack catastrophically, as eslint-plugin-security's
 * detect-unsafe-regex judges it (through safe-regex): a repeated group that itself contains a repetition,
 * i.e. a star height above one (`(a+)+`, `(\w*\s?)*`, `(a|b+){2,}`). Only repetitions that can match more
 * than once count (`?` and `{0,1}` do not), which spares the `(a?)*`-style patterns safe-regex also flags.
 * A single linear scan over the pattern (escapes, classes and groups tracked by hand); a pattern is data here,
 * never compiled.
 */
export function isUnsafeRegex(pattern: string): boolean {
  // For each open group: whether it contains an unbounded repetition so far.
  const groups: boolean[] = [false];
  let i = 0;
  /** The construct just closed, waiting for a quantifier: null, an atom, or a group (with its content flag). */
  let previous: { group: boolean; repeats: boolean } | null = null;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      previous = { group: false, repeats: false };
      i += 2;
      continue;
    }
    if (c === '[') {
      i = skipClass(pattern, i);
      previous = { group: false, repeats: false };
      continue;
    }
    if (c === '(') {
      groups.push(false);
      i++;
      if (pattern[i] === '?') {
        // (?:  (?=  (?!  (?<=  (?<!  (?<name>
        i++;
        if (pattern[i] === '<' && pattern[i + 1] !== '=' && pattern[i + 1] !== '!') {
          // A group name: letters and digits up to `>` (looked for over a short window only).
          let end = i + 1;
          while (end < pattern.length && end - i < MAX_GROUP_NAME && pattern[end] !== '>') end++;
          i = pattern[end] === '>' ? end + 1 : i + 1;
        } else {
          i += pattern[i] === '<' ? 2 : 1;
        }
      }
      previous = null;
      continue;
    }
    if (c === ')') {
      const repeats = groups.length > 1 ? groups.pop()! : false;
      // `((a+))+`: the repetition inside counts for every enclosing group.
      if (repeats) groups[groups.length - 1] = true;
      previous = { group: true, repeats };
      i++;
      continue;
    }
    const quantifier = readQuantifier(pattern, i);
    if (quantifier) {
      if (previous?.group && previous.repeats && quantifier.unbounded) return true;
      if (quantifier.unbounded) groups[groups.length - 1] = true;
      previous = null;
      i = quantifier.end;
      continue;
    }
    if (c === '|') {
      previous = null;
      i++;
      continue;
    }
    previous = { group: false, repeats: false };
    i++;
  }
  return false;
}

/** The end of a character class starting at `start` (`[`), escapes and a leading `]` included. */
const MAX_GROUP_NAME = 64;
const MAX_DIGITS = 9;

function readDigits(pattern: string, start: number): { end: number; value: number } {
  let end = start;
  while (end < pattern.length && end - start < MAX_DIGITS && pattern[end]! >= '0' && pattern[end]! <= '9') end++;
  return { end, value: end > start ? Number(pattern.slice(start, end)) : 0 };
}

function skipClass(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` (and a lazy `?` after it) at `i`; `unbounded` when it can repeat. */
function readQuantifier(pattern: string, i: number): { end: number; unbounded: boolean } | null {
  const c = pattern[i];
  let end: number;
  let unbounded: boolean;
  if (c === '*' || c === '+') {
    end = i + 1;
    unbounded = true;
  } else if (c === '?') {
    end = i + 1;
    unbounded = false;
  } else if (c === '{') {
    // `{n}`, `{n,}`, `{n,m}` read digit by digit: a `{` that is not a quantifier costs a few steps only.
    const min = readDigits(pattern, i + 1);
    if (min.end === i + 1) return null;
    if (pattern[min.end] === '}') {
      unbounded = min.value > 1;
      end = min.end + 1;
    } else if (pattern[min.end] === ',') {
      const max = readDigits(pattern, min.end + 1);
      if (pattern[max.end] !== '}') return null;
      unbounded = max.end === min.end + 1 || max.value > 1;
      end = max.end + 1;
    } else {
      return null;
    }
  } else {
    return null;
  }
  if (pattern[end] === '?') end++;
  return { end, unbounded };
}
