import { MANIFEST_FILE } from '../../manifest/manifest.js';
import { isWellKnownScope, parseName } from '../../rules/name-patterns.js';
import { findings, skip, type Control, type FindingInput } from '../control.js';

/**
 * RG-01 Namespace Governance (MTF 3.7), what a CI can check of it: an L2+ package uses a scoped name
 * (`@scope/package-name`, npm's rules: lower case, URL-safe, at most 214 characters). Whether the publisher owns
 * a reserved namespace is the registry's to verify; for a well-known organization's scope an INFO says so.
 * Similar scopes go to RG-02. Reported in `registry_operations`, gating nothing unless the config asks.
 *
 * | Finding                                        | Action |
 * | Unscoped name at L2+                           | BLOCK  |
 * | Publication to reserved namespace by non-owner | BLOCK (registry; INFO here) |
 */
export const rg01: Control = {
  id: 'RG-01',
  check(ctx) {
    const manifest = ctx.manifest();
    const name = manifest.data.name;
    if (typeof name !== 'string' || name.trim() === '') return skip('the manifest has no name (AI-01 reports it)');
    const line = manifest.lineOf(['name']);
    const finding = (rule: string, title: string, description: string, extra: Partial<FindingInput> = {}): FindingInput => ({
      rule,
      severity: 'medium',
      action: 'BLOCK',
      title,
      description,
      file: MANIFEST_FILE,
      line,
      ...extra,
    });
    if (name.length > MAX_NAME_LENGTH) {
      return findings([finding('name-too-long', 'Name too long', `The name is ${name.length} characters; package names are at most ${MAX_NAME_LENGTH}.`)]);
    }
    if (!name.startsWith('@')) {
      return findings([finding('unscoped-name', 'Unscoped name', `"${name}" has no scope; from L2 a package uses a scoped name (@scope/package-name) that establishes who owns it.`)]);
    }
    if (!SCOPED_NAME.test(name)) {
      return findings([
        finding('invalid-scoped-name', 'Invalid scoped name', `"${name}" is not a valid @scope/package-name: both parts are lower-case letters, digits, "-", "." or "_", starting with a letter or digit.`),
      ]);
    }
    const { scope } = parseName(name);
    if (scope && isWellKnownScope(scope)) {
      return findings([
        finding('reserved-namespace', `Scope @${scope} belongs to a known organization`, `@${scope} is a namespace a registry reserves for its verified owner; publishing under it requires proof of ownership (domain, GitHub organization or trademark), which this scanner cannot check.`, {
          severity: 'info',
          action: 'INFO',
        }),
      ]);
    }
    return findings([]);
  },
};

const MAX_NAME_LENGTH = 214;
const SCOPED_NAME = /^@[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/;
