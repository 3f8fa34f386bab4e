import { explain } from '@renovatebot/pep440';

/**
 * PEP 508 dependency specifications as requirements files, pyproject.toml and Pipfile write them:
 * `name [extras] specifier ; marker` or `name [extras] @ url ; marker`. Only what the model needs is read
 * (name, specifier or URL, marker); the grammar is regular at that depth, so one bounded regex suffices.
 */
export interface Pep508 {
  name: string;
  extras: string[];
  /** The version specifier without spaces or parentheses: `==1.0`, `>=2,<3`, or '' for any version. */
  specifier: string;
  url: string | null;
  marker: string | null;
}

const SPEC = /^([A-Za-z0-9](?:[A-Za-z0-9._-]{0,200}[A-Za-z0-9])?)\s*(?:\[([^\]]{0,500})\])?\s*(?:@\s*(\S{1,4000})|([^;]{0,2000}))?\s*(?:;\s*(.{0,2000}))?$/s;

export function parsePep508(text: string): Pep508 | null {
  const match = SPEC.exec(text.trim());
  if (!match) return null;
  const [, name, extras, url, specifier, marker] = match;
  if (url === undefined && specifier !== undefined && /[^\s()<>=!~.*,0-9A-Za-z+-]/.test(specifier)) return null;
  return {
    name: name!,
    extras: extras ? extras.split(',').map((e) => e.trim()).filter(Boolean) : [],
    specifier: (specifier ?? '').replace(/[\s()]/g, ''),
    url: url ?? null,
    marker: marker?.trim() || null,
  };
}

/**
 * The exact version a specifier pins (`==1.2.3`, `===1.2.3`), or null for anything that admits more than one
 * version (ranges, `!=`, `~=`, wildcards `==1.2.*`, several clauses). PEP 440 parsing is @renovatebot/pep440's.
 */
export function exactPep440(specifier: string): string | null {
  const spec = specifier.replace(/[\s()]/g, '');
  const arbitrary = /^===([^,;]+)$/.exec(spec);
  if (arbitrary) return arbitrary[1]!;
  const equal = /^==([^,;*]+)$/.exec(spec);
  if (!equal) return null;
  const version = equal[1]!;
  return explain(version) === null ? null : version;
}
