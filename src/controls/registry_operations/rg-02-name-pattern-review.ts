import { MANIFEST_FILE, type Manifest } from '../../manifest/manifest.js';
import {
  genericPattern,
  hasAffiliationDisclaimer,
  lookalikes,
  parseName,
  sameNameOtherScope,
  scriptsOf,
  servicesIn,
  similarKnownName,
  similarScope,
  skeleton,
  versionLikeSuffix,
} from '../../rules/name-patterns.js';
import { SERVICE_OWNERS } from '../../rules/well-known-names.js';
import { findings, skip, type Control, type FindingInput } from '../control.js';

/**
 * RG-02 Name Pattern Review (MTF 3.7): the name patterns a registry sends to enhanced review, as findings for the
 * reviewer. Reported in `registry_operations`, gating nothing unless the config asks.
 *
 * | Finding                                           | Action      |
 * | Scope mimicry (CRITICAL)                          | BLOCK       |
 * | Homoglyph in name                                 | BLOCK       |
 * | High-risk pattern + new account + no verification | BLOCK       |
 * | High-risk pattern + verified publisher            | WARN, allow |
 * | Service name without affiliation disclaimer       | BLOCK       |
 *
 * The publisher's account age and identity tier are registry facts this scanner cannot see, so a high-risk
 * pattern (similar name, version-like suffix, generic compound, framework plugin) is reported as the BLOCK that
 * holds until the registry's enhanced review lets it proceed. Names are compared by their skeleton (lookalike
 * characters folded), so a homoglyph cannot also dodge the similarity checks.
 */
export const rg02: Control = {
  id: 'RG-02',
  check(ctx) {
    const manifest = ctx.manifest();
    const name = manifest.data.name;
    if (typeof name !== 'string' || name.trim() === '') return skip('the manifest has no name (AI-01 reports it)');
    const line = manifest.lineOf(['name']);
    const raw = parseName(name.slice(0, 256));
    const folded = parseName(skeleton(name.slice(0, 256)));
    const out: FindingInput[] = [...characterFindings(name, line)];
    const review = (rule: string, severity: 'critical' | 'high', title: string, description: string): FindingInput => ({
      rule,
      severity,
      action: 'BLOCK',
      title,
      description: `${description} ${ENHANCED_REVIEW}`,
      file: MANIFEST_FILE,
      line,
    });

    if (folded.scope) {
      const scope = similarScope(folded.scope);
      if (scope) out.push(review('scope-mimicry', 'critical', `Scope @${raw.scope} resembles ${scope.known}`, `The scope is ${scope.distance} edit${scope.distance === 1 ? '' : 's'} from the known organization ${scope.known} (Levenshtein distance).`));
    }
    const similar = similarKnownName(folded.bare);
    if (similar) {
      out.push(review('similar-name', 'high', `Name resembles ${similar.known}`, `"${raw.bare}" is ${similar.distance} edit${similar.distance === 1 ? '' : 's'} from the well-known ${similar.known} (Levenshtein distance): a typosquatting pattern.`));
    }
    const collision = sameNameOtherScope(folded);
    if (collision) {
      out.push(review('same-name-other-scope', 'high', `Same name as ${collision}`, `"${name}" reuses the name of the well-known ${collision} under another scope: users and LLMs asking for one may get the other.`));
    }
    const version = versionLikeSuffix(folded.bare);
    if (version) {
      out.push(review('version-like-suffix', 'high', `Version-like suffix on ${version.known}`, `"${raw.bare}" is the known name ${version.known} with the suffix "${version.suffix}", which reads as a newer release of it.`));
    }
    const generic = genericPattern(folded.bare);
    if (generic) out.push(review('generic-compound', 'high', `High-risk name pattern: ${generic}`, `"${raw.bare}" follows a ${generic} pattern, a low-effort squatting and LLM-hallucination target.`));
    out.push(...serviceFindings(manifest, raw.scope, folded.bare, line));
    return findings(out);
  },
};

const ENHANCED_REVIEW =
  'A registry lets it proceed after enhanced review (publisher account older than 30 days, a Tier 1/2 identity, or operator approval; MTF 3.7 RG-02), which this scanner cannot see.';

function characterFindings(name: string, line: number): FindingInput[] {
  const found = lookalikes(name);
  if (found.length > 0) {
    const list = found.map((l) => (l.reads ? `"${l.character}" (${l.codePoint}) reads as "${l.reads}"` : `an invisible ${l.codePoint}`)).join(', ');
    return [
      {
        rule: 'homoglyph',
        severity: 'critical',
        action: 'BLOCK',
        title: `Homoglyph in name: "${name}" reads as "${skeleton(name)}"`,
        description: `The name contains characters that imitate ASCII letters: ${list}.`,
        file: MANIFEST_FILE,
        line,
      },
    ];
  }
  const scripts = scriptsOf(name);
  if (scripts.length > 1) {
    return [
      {
        rule: 'mixed-script',
        severity: 'critical',
        action: 'BLOCK',
        title: `Name mixes scripts (${scripts.join(', ')})`,
        description: `"${name}" is written in more than one script, the mark of a name built to look like another.`,
        file: MANIFEST_FILE,
        line,
      },
    ];
  }
  return [];
}

/** Spec 3.7 "Service name compounds" (`stripe-*`, `github-*`): an affiliation disclaimer is required. */
function serviceFindings(manifest: Manifest, scope: string | null, bare: string, line: number): FindingInput[] {
  const text = [manifest.data.description, manifest.data.long_description].filter((t): t is string => typeof t === 'string').join('\n').slice(0, 20_000);
  const disclaimed = hasAffiliationDisclaimer(text);
  return servicesIn(bare)
    .filter((service) => scope === null || (scope !== service && !(SERVICE_OWNERS[service] ?? []).includes(scope)))
    .map((service) =>
      disclaimed
        ? {
            rule: 'service-name-disclaimed',
            severity: 'info',
            action: 'INFO',
            title: `Service name "${service}" with an affiliation disclaimer`,
            description: `The name is built on the service name "${service}"; the description states the (lack of) affiliation, as spec 3.7 requires.`,
            file: MANIFEST_FILE,
            line,
          }
        : {
            rule: 'service-name-without-disclaimer',
            severity: 'high',
            action: 'BLOCK',
            title: `Service name "${service}" without an affiliation disclaimer`,
            description: `The name is built on the service name "${service}", but neither description nor long_description says whether the package is affiliated with it (e.g. "not affiliated with ${service}", "unofficial"): a plausible name an LLM may suggest for the official one.`,
            file: MANIFEST_FILE,
            line,
            remediation: `Add "Unofficial; not affiliated with ${service}." to the description, or publish under the service owner's scope.`,
          },
    );
}
