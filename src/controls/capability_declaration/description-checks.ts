import {
  HARMLESS_NAME_WORDS,
  NEUTRAL_NAME_WORDS,
  INJECTION_PHRASES,
  SENSITIVE_ACCESS,
  type InjectionCategory,
} from '../../rules/description-injection.js';
import { decodeTagRuns, findHiddenCharacters, mixedScriptWords, normalizeForMatching } from '../../text/normalize.js';

/** One problem found in one description. */
export interface DescriptionIssue {
  rule: string;
  category: InjectionCategory;
  title: string;
  detail: string;
}

/** Descriptions are a few hundred characters; past this only the start is checked (and that is reported). */
export const MAX_DESCRIPTION_CHARS = 64 * 1024;

/**
 * Checks one description (MTF 3.5 CD-03, "What CD-03 Detects"): hidden characters and look-alike letters on
 * the raw text, the phrase patterns on the normalized text and on anything hidden in it (tag-character
 * messages, base64, hex, \x / \u escapes, HTML entities, percent-encoding), and, for a tool, whether its
 * name and description disagree. `toolName` is null for prompts and schema properties.
 */
export function checkDescription(raw: string, toolName: string | null): DescriptionIssue[] {
  const text = raw.length > MAX_DESCRIPTION_CHARS ? raw.slice(0, MAX_DESCRIPTION_CHARS) : raw;
  const issues: DescriptionIssue[] = [];
  if (raw.length > MAX_DESCRIPTION_CHARS) {
    issues.push({
      rule: 'description-too-long',
      category: 'suspicious-phrasing',
      title: 'Unusually long description',
      detail: `${raw.length} characters; only the first ${MAX_DESCRIPTION_CHARS} were checked. A description this long is a place to hide instructions.`,
    });
  }
  issues.push(...hiddenCharacterIssues(text));
  const normalized = normalizeForMatching(text);
  issues.push(...phraseIssues(normalized, ''));
  for (const hidden of decodeTagRuns(text)) issues.push(...phraseIssues(normalizeForMatching(hidden), 'in hidden tag characters: '));
  issues.push(...encodedIssues(text));
  if (toolName !== null) issues.push(...mismatchIssues(toolName, normalized));
  return dedupe(issues);
}

function hiddenCharacterIssues(text: string): DescriptionIssue[] {
  const issues: DescriptionIssue[] = [];
  const hidden = findHiddenCharacters(text);
  if (hidden.length > 0) {
    const kinds = [...new Set(hidden.map((h) => h.kind))].join(', ');
    const points = [...new Set(hidden.map((h) => `U+${h.codePoint.toString(16).toUpperCase().padStart(4, '0')}`))].slice(0, 6).join(' ');
    const tags = decodeTagRuns(text);
    issues.push({
      rule: 'hidden-characters',
      category: 'hidden-characters',
      title: 'Invisible characters',
      detail: `${hidden.length} invisible character(s) (${kinds}: ${points})${tags.length > 0 ? `; the tag characters spell "${excerpt(tags.join(' '))}"` : ''}. A model reads what a reviewer cannot see.`,
    });
  }
  const mixed = mixedScriptWords(text);
  if (mixed.length > 0) {
    issues.push({
      rule: 'homoglyphs',
      category: 'hidden-characters',
      title: 'Look-alike letters from another script',
      detail: `Word(s) mixing Latin letters with Cyrillic, Greek or other look-alike letters: ${mixed.slice(0, 5).map((w) => `"${w}"`).join(', ')}. This hides words from reviewers and filters.`,
    });
  }
  return issues;
}

function phraseIssues(normalized: string, where: string): DescriptionIssue[] {
  const issues: DescriptionIssue[] = [];
  for (const phrase of INJECTION_PHRASES) {
    const match = phrase.pattern.exec(normalized);
    if (match) issues.push({ rule: phrase.id, category: phrase.category, title: phrase.title, detail: `${where}"${excerpt(match[0])}"` });
  }
  return issues;
}

interface Encoding {
  name: string;
  pattern: RegExp;
  decode: (encoded: string) => string | null;
  /** Escapes are never ordinary prose: decoded text blocks. Base64 can be example data: it warns unless it hides a phrase. */
  alwaysObfuscation: boolean;
}

const ENCODINGS: readonly Encoding[] = [
  { name: 'base64', pattern: /[A-Za-z0-9+/_-]{24,4096}={0,2}/g, decode: decodeBase64, alwaysObfuscation: false },
  { name: 'hex escapes', pattern: /(?:\\x[0-9A-Fa-f]{2}){6,1024}/g, decode: (s) => fromCodes(s.split('\\x').slice(1).map((h) => parseInt(h, 16))), alwaysObfuscation: true },
  { name: 'unicode escapes', pattern: /(?:\\u[0-9A-Fa-f]{4}){6,1024}/g, decode: (s) => fromCodes(s.split('\\u').slice(1).map((h) => parseInt(h, 16))), alwaysObfuscation: true },
  { name: 'HTML entities', pattern: /(?:&#(?:x[0-9A-Fa-f]{1,6}|[0-9]{1,7});){6,1024}/g, decode: decodeEntities, alwaysObfuscation: true },
  { name: 'percent-encoding', pattern: /(?:%[0-9A-Fa-f]{2}){6,1024}/g, decode: (s) => fromCodes(s.split('%').slice(1).map((h) => parseInt(h, 16))), alwaysObfuscation: true },
  { name: 'hex', pattern: /\b(?:[0-9A-Fa-f]{2}){16,2048}\b/g, decode: (s) => fromCodes(s.match(/../g)!.map((h) => parseInt(h, 16))), alwaysObfuscation: false },
];

function encodedIssues(text: string): DescriptionIssue[] {
  const issues: DescriptionIssue[] = [];
  for (const encoding of ENCODINGS) {
    for (const match of text.matchAll(encoding.pattern)) {
      const decoded = encoding.decode(match[0]);
      if (decoded === null || !isReadableText(decoded)) continue;
      const hidden = phraseIssues(normalizeForMatching(decoded), `in ${encoding.name}: `);
      if (hidden.length > 0) {
        issues.push(
          ...hidden.map((h) => ({ ...h, rule: `encoded-${h.rule}`, category: 'obfuscation' as const, title: `Encoded instructions: ${h.title.toLowerCase()}` })),
        );
      } else {
        issues.push({
          rule: `encoded-text`,
          category: encoding.alwaysObfuscation ? 'obfuscation' : 'suspicious-phrasing',
          title: `Text hidden in ${encoding.name}`,
          detail: `${encoding.name} that decodes to "${excerpt(decoded)}".`,
        });
      }
    }
  }
  return issues;
}

/** Decoded bytes that read as words: printable ASCII, mostly letters and spaces, at least three words. */
function isReadableText(decoded: string): boolean {
  if (decoded.length < 6 || /[^\x20-\x7e\t\r\n]/.test(decoded)) return false;
  const letters = (decoded.match(/[A-Za-z ]/g) ?? []).length;
  return letters / decoded.length >= 0.8 && (decoded.match(/[A-Za-z]{2,}/g) ?? []).length >= 3;
}

function decodeBase64(encoded: string): string | null {
  const standard = encoded.replace(/-/g, '+').replace(/_/g, '/');
  if (standard.replace(/=+$/, '').length % 4 === 1) return null;
  return Buffer.from(standard, 'base64').toString('latin1');
}

function decodeEntities(encoded: string): string | null {
  return fromCodes([...encoded.matchAll(/&#(x?)([0-9A-Fa-f]{1,7});/g)].map((m) => parseInt(m[2]!, m[1] ? 16 : 10)));
}

function fromCodes(codes: number[]): string | null {
  if (codes.some((c) => !Number.isFinite(c) || c < 0 || c > 0x10ffff)) return null;
  return String.fromCodePoint(...codes);
}

function mismatchIssues(toolName: string, normalized: string): DescriptionIssue[] {
  const words = toolName
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  // Only a name that is wholly about a harmless thing (MTF 3.5's `get_weather`): `add_attachment` is about attachments.
  if (!words.some((w) => HARMLESS_NAME_WORDS.has(w)) || !words.every((w) => HARMLESS_NAME_WORDS.has(w) || NEUTRAL_NAME_WORDS.has(w))) return [];
  const match = SENSITIVE_ACCESS.exec(normalized);
  if (!match) return [];
  return [
    {
      rule: 'semantic-mismatch',
      category: 'semantic-mismatch',
      title: 'Description does not match the tool name',
      detail: `"${toolName}" names a harmless tool, but its description talks about "${excerpt(match[0])}".`,
    },
  ];
}

function dedupe(issues: DescriptionIssue[]): DescriptionIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => !seen.has(i.rule) && seen.add(i.rule));
}

/** Attacker-written text shown in a finding: one line, printable, short. */
function excerpt(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`).replace(/\s+/g, ' ');
  return clean.length > 120 ? `${clean.slice(0, 120)}…` : clean;
}

