/**
 * Text normalization for CD-03 (MTF 3.5 "Hidden instructions", "Obfuscation"): what a description says once
 * the tricks that hide words from a reader or a pattern are undone, and which tricks were used.
 */

/** A character a reader cannot see but a model reads (or that reorders what a reader sees). */
export interface HiddenCharacter {
  codePoint: number;
  kind: 'zero-width' | 'bidi-control' | 'tag' | 'invisible';
  /** Index in the original text. */
  index: number;
}

const ZERO_WIDTH = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x180e]);
const BIDI = new Set([0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c]);
/** Soft hyphen, invisible math operators, Hangul fillers, Mongolian variation selectors, combining grapheme joiner. */
const OTHER_INVISIBLE = new Set([0x00ad, 0x2061, 0x2062, 0x2063, 0x2064, 0x115f, 0x1160, 0x3164, 0xffa0, 0x034f, 0x180b, 0x180c, 0x180d]);

function hiddenKind(codePoint: number): HiddenCharacter['kind'] | null {
  if (ZERO_WIDTH.has(codePoint)) return 'zero-width';
  if (BIDI.has(codePoint)) return 'bidi-control';
  if (codePoint >= 0xe0000 && codePoint <= 0xe007f) return 'tag';
  if (OTHER_INVISIBLE.has(codePoint)) return 'invisible';
  return null;
}

/** Every hidden character of a text. A byte-order mark at the very start is ignored (editors write it). */
export function findHiddenCharacters(text: string): HiddenCharacter[] {
  const found: HiddenCharacter[] = [];
  let index = 0;
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    const kind = hiddenKind(codePoint);
    if (kind && !(index === 0 && codePoint === 0xfeff)) found.push({ codePoint, kind, index });
    index += char.length;
  }
  return found;
}

/**
 * Unicode tag characters (U+E0020-U+E007E) mirror printable ASCII: a tag run is an invisible ASCII message
 * ("ASCII smuggling"). Returns the hidden messages, each decoded.
 */
export function decodeTagRuns(text: string): string[] {
  const runs: string[] = [];
  let current = '';
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    if (codePoint >= 0xe0020 && codePoint <= 0xe007e) current += String.fromCharCode(codePoint - 0xe0000);
    else if (current) {
      runs.push(current);
      current = '';
    }
  }
  if (current) runs.push(current);
  return runs;
}

/**
 * Letters from other scripts that look like Latin ones (Cyrillic, Greek, and a few others), mapped to the
 * Latin letter they imitate, so that "іgnore" with a Cyrillic і reads as "ignore" to the patterns.
 */
const CONFUSABLES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
    і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l', ɡ: 'g', ɑ: 'a', ο: 'o', α: 'a',
    ε: 'e', ι: 'i', κ: 'k', ν: 'v', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ϲ: 'c', ԍ: 'g',
    А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', І: 'I', Ј: 'J',
    Ѕ: 'S', Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T',
    Υ: 'Y', Χ: 'X',
  }),
);

/**
 * The text patterns are matched against: NFKC (fullwidth and stylised letters become plain ones), hidden
 * characters removed (a zero-width space cannot split a phrase), look-alike letters replaced by the Latin
 * ones they imitate, whitespace collapsed, lower case.
 */
export function normalizeForMatching(text: string): string {
  let out = '';
  for (const char of text.normalize('NFKC')) {
    if (hiddenKind(char.codePointAt(0)!)) continue;
    out += CONFUSABLES.get(char) ?? char;
  }
  return out.replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * Words that mix Latin letters with letters of another script (Cyrillic, Greek, Armenian, Cherokee): the
 * homoglyph trick. Text written wholly in another script is not flagged, nor are digits or punctuation.
 */
export function mixedScriptWords(text: string): string[] {
  const words = text.normalize('NFKC').match(/[\p{L}\p{M}]+/gu) ?? [];
  return words.filter((word) => /\p{Script=Latin}/u.test(word) && /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}\p{Script=Cherokee}]/u.test(word));
}
