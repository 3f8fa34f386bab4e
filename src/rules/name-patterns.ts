import { distance } from 'fastest-levenshtein';
import { WELL_KNOWN_MCP_PACKAGES, WELL_KNOWN_SCOPES, WELL_KNOWN_SERVICES } from './well-known-names.js';

/**
 * The name analysis behind RG-02 (spec 3.7): lookalike characters, name similarity, version-like suffixes,
 * generic compounds and service-name compounds. Pure functions of the name; the control turns them into findings.
 *
 * Similarity follows the spec's Levenshtein distance <= 2 for names of 6 or more characters; for 4-5 characters
 * it is <= 1 and shorter names must match exactly (two edits turn any 3-letter name into hundreds of unrelated
 * ones). The whole name and its core (the name without `mcp`/`server` affixes) are compared, not every word of
 * it, which would flag ordinary words one letter from a brand (stack/slack).
 */

export interface ParsedName {
  scope: string | null;
  /** The name without its scope. */
  bare: string;
}

export function parseName(name: string): ParsedName {
  const match = /^@([^/]+)\/(.+)$/.exec(name);
  return match ? { scope: match[1]!, bare: match[2]! } : { scope: null, bare: name };
}

/** Letters of other scripts (and a few Latin ones) that look like an ASCII letter, lower case. */
const CONFUSABLES: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd',
  һ: 'h', ӏ: 'l', ԛ: 'q', ԝ: 'w', к: 'k', м: 'm', н: 'h', т: 't', ь: 'b', г: 'r', п: 'n', ӓ: 'a', ӧ: 'o',
  // Greek
  α: 'a', β: 'b', γ: 'y', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w',
  ϲ: 'c', ϳ: 'j', ς: 's',
  // Armenian
  օ: 'o', ս: 'u', հ: 'h', ո: 'n', ց: 'g', ք: 'p',
  // Latin letters that read as others
  ı: 'i', ɡ: 'g', ɑ: 'a', ʟ: 'l', ł: 'l', ø: 'o', đ: 'd', ħ: 'h', ŀ: 'l', ƅ: 'b', ɩ: 'i', ɪ: 'i', ʏ: 'y',
  ᴄ: 'c', ᴏ: 'o', ᴜ: 'u', ᴠ: 'v', ᴡ: 'w', ᴢ: 'z',
};

const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/gu;

/**
 * What a name looks like: compatibility forms folded (fullwidth, mathematical letters), accents dropped,
 * invisible characters removed and lookalike letters replaced by the ASCII letter they imitate.
 */
export function skeleton(text: string): string {
  const folded = text.normalize('NFKD').replace(/\p{M}/gu, '').replace(INVISIBLE, '').toLowerCase();
  return [...folded].map((c) => CONFUSABLES[c] ?? c).join('');
}

export interface Lookalike {
  character: string;
  codePoint: string;
  reads: string;
}

/** Characters that are not ASCII but read as ASCII (or as nothing, when invisible). */
export function lookalikes(name: string): Lookalike[] {
  const out: Lookalike[] = [];
  for (const c of new Set(name)) {
    if (c.charCodeAt(0) < 0x80) continue;
    const reads = skeleton(c);
    if (/^[a-z0-9]*$/.test(reads)) out.push({ character: c, codePoint: `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`, reads });
  }
  return out;
}

const SCRIPTS = ['Latin', 'Cyrillic', 'Greek', 'Armenian', 'Georgian', 'Cherokee', 'Han', 'Hiragana', 'Katakana', 'Hangul', 'Arabic', 'Hebrew'] as const;
const SCRIPT_PATTERNS = SCRIPTS.map((script) => ({ script, pattern: new RegExp(`^\\p{Script=${script}}$`, 'u') }));

/** The scripts the name's letters are written in. */
export function scriptsOf(name: string): string[] {
  const found = new Set<string>();
  for (const c of name) {
    if (!/^\p{L}$/u.test(c)) continue;
    found.add(SCRIPT_PATTERNS.find(({ pattern }) => pattern.test(c))?.script ?? 'Other');
  }
  return [...found];
}

const AFFIXES = new Set(['mcp', 'server', 'servers', 'srv', 'mcpserver']);

export function tokensOf(bare: string): string[] {
  return bare.split(/[-_.]+/).filter(Boolean);
}

/** The name without `mcp` and `server` words: `mcp-server-brave-search` -> `brave-search`. */
export function coreOf(bare: string): string {
  const core = tokensOf(bare).filter((t) => !AFFIXES.has(t));
  return core.length > 0 ? core.join('-') : bare;
}

/** Levenshtein distance allowed from a known name of this length (see the module comment). */
export function allowedDistance(known: string): number {
  return known.length >= 6 ? 2 : known.length >= 4 ? 1 : 0;
}

const KNOWN_PACKAGES = WELL_KNOWN_MCP_PACKAGES.map((full) => ({ full, ...parseName(full) }));
const KNOWN_CORES = new Set([...WELL_KNOWN_SERVICES, ...KNOWN_PACKAGES.map((p) => coreOf(p.bare)).filter((c) => c.length >= 4)]);

export interface Similarity {
  /** The known name it resembles (a package's full name, or a service). */
  known: string;
  distance: number;
}

/** The closest well-known package or service the name resembles without being it; null when none. */
export function similarKnownName(bare: string): Similarity | null {
  const core = coreOf(bare);
  if (KNOWN_CORES.has(core)) return null;
  let best: Similarity | null = null;
  const consider = (candidate: string, known: string, label: string) => {
    const d = distance(candidate, known);
    if (d > 0 && d <= allowedDistance(known) && (!best || d < best.distance)) best = { known: label, distance: d };
  };
  for (const known of KNOWN_PACKAGES) consider(bare, known.bare, known.full);
  for (const known of KNOWN_CORES) consider(core, known, known);
  return best;
}

/** A well-known package with the same unscoped name under another scope (or none). */
export function sameNameOtherScope(parsed: ParsedName): string | null {
  const hit = KNOWN_PACKAGES.find((p) => p.bare === parsed.bare && p.scope !== parsed.scope && p.scope !== null);
  return hit ? hit.full : null;
}

/** A well-known organization scope within the allowed distance of `scope`, not equal to it. */
export function similarScope(scope: string): Similarity | null {
  let best: Similarity | null = null;
  for (const known of WELL_KNOWN_SCOPES) {
    const d = distance(scope, known);
    if (d > 0 && d <= allowedDistance(known) && (!best || d < best.distance)) best = { known: `@${known}`, distance: d };
  }
  return best;
}

export function isWellKnownScope(scope: string): boolean {
  return WELL_KNOWN_SCOPES.includes(scope);
}

const VERSION_WORDS = new Set(['next', 'new', 'latest', 'ng', 'plus', 'pro', 'official', 'v2', 'v3', 'neo', 'ultra', 'x']);

/** `requests2`, `stripe-v2`, `github-next`: a known name with a suffix that reads as a newer version of it. */
export function versionLikeSuffix(bare: string): { known: string; suffix: string } | null {
  const tokens = tokensOf(coreOf(bare));
  if (tokens.length === 0) return null;
  const last = tokens[tokens.length - 1]!;
  if (tokens.length > 1 && (VERSION_WORDS.has(last) || /^v?\d+$/.test(last))) {
    const base = tokens.slice(0, -1).join('-');
    if (KNOWN_CORES.has(base)) return { known: base, suffix: `-${last}` };
  }
  const glued = /^([a-z][a-z-]*?[a-z])(\d+)$/.exec(tokens.join('-'));
  if (glued && KNOWN_CORES.has(glued[1]!) && !KNOWN_CORES.has(tokens.join('-'))) return { known: glued[1]!, suffix: glued[2]! };
  return null;
}

const GENERIC_PREFIXES = ['utils-', 'util-'];
const GENERIC_SUFFIXES = ['-tools', '-helper', '-helpers', '-utils'];
const FRAMEWORKS = new Set(['fastapi', 'flask', 'django', 'express', 'nestjs', 'nextjs', 'koa', 'hapi', 'fastify', 'langchain', 'llamaindex']);
const PLUGIN_WORDS = new Set(['middleware', 'plugin', 'extension', 'adapter', 'integration']);

/** Spec 3.7 "Generic utilities" (`utils-*`, `*-tools`, `*-helper`) and "Framework plugins" (`fastapi-*-middleware`). */
export function genericPattern(bare: string): string | null {
  const prefix = GENERIC_PREFIXES.find((p) => bare.startsWith(p) && bare.length > p.length);
  if (prefix) return `generic utility name (${prefix}*)`;
  const suffix = GENERIC_SUFFIXES.find((s) => bare.endsWith(s) && bare.length > s.length);
  if (suffix) return `generic utility name (*${suffix})`;
  const tokens = tokensOf(bare);
  if (tokens.length >= 3 && FRAMEWORKS.has(tokens[0]!) && PLUGIN_WORDS.has(tokens[tokens.length - 1]!)) {
    return `framework plugin name (${tokens[0]}-*-${tokens[tokens.length - 1]})`;
  }
  return null;
}

/** The services the name is built on: a word or run of up to three words that is a service name. */
export function servicesIn(bare: string): string[] {
  const tokens = tokensOf(bare);
  const found = new Set<string>();
  for (let size = 3; size >= 1; size--) {
    for (let i = 0; i + size <= tokens.length; i++) {
      const phrase = tokens.slice(i, i + size).join('-');
      if (WELL_KNOWN_SERVICES.includes(phrase) && ![...found].some((f) => f.includes(phrase))) found.add(phrase);
    }
  }
  return [...found];
}

const DISCLAIMER = /\b(?:not|isn't|isn’t)\s+(?:officially\s+)?(?:affiliated|associated|endorsed|sponsored)\b|\bunofficial\b|\bno affiliation\b|\bcommunity[- ]maintained\b/i;

/** "not affiliated with", "unofficial", "not endorsed by" ... (spec 3.7: "Affiliation disclaimer present"). */
export function hasAffiliationDisclaimer(text: string): boolean {
  return DISCLAIMER.test(text);
}
