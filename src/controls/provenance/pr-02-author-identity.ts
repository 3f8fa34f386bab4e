import { isObject, MANIFEST_FILE, type JsonPath, type Manifest } from '../../manifest/manifest.js';
import { findings, type Control, type FindingInput } from '../control.js';

/**
 * PR-02 Author Identity (MTF 3.6): the manifest names an `author` with a name and a valid email.
 *
 * | Finding                | Action      |
 * | Missing `author` field | BLOCK (L2+) |
 * | Missing email          | BLOCK (L2+) |
 * | Tier 3 identity at L3+ | BLOCK       |
 * | Single owner at L3+    | BLOCK       |
 *
 * A name is required too (the mcpb schema requires `author.name`), and an email that is not an address counts as
 * missing. Identity tiers (PK-01) and multi-owner registration are facts of the publisher's registry account: a
 * bundle cannot show them, so an INFO says they are not verified here rather than pretending to.
 */
export const pr02: Control = {
  id: 'PR-02',
  check(ctx) {
    const manifest = ctx.manifest();
    const author = manifest.data.author;
    if (author === undefined) {
      return findings([block('author-missing', 'Missing author', 'manifest.json has no "author": anonymous publishing leaves no one accountable for security disclosures (MTF 3.6 PR-02).', 1)]);
    }
    const { name, email, path } = readAuthor(author);
    const out: FindingInput[] = [];
    const line = (field: string) => manifest.lineOf(typeof author === 'string' ? ['author'] : ['author', field]);
    if (typeof author !== 'string' && !isObject(author)) {
      out.push(block('author-invalid', 'author is not an object', 'author must be an object with "name" and "email".', manifest.lineOf(['author'])));
      return findings(out);
    }
    if (!name) out.push(block('author-name-missing', 'Author has no name', 'author.name is missing or empty.', line('name')));
    if (email === null) {
      out.push(block('author-email-missing', 'Author has no email', `author${typeof author === 'string' ? ' (a string, which the mcpb schema does not allow)' : '.email'} gives no email: L2 requires one for security contact (Tier 3 identity, MTF 3.6).`, line('email')));
    } else if (!isValidEmail(email)) {
      out.push(block('author-email-invalid', 'Author email is not a valid address', `"${clip(email)}" is not an email address (local@domain.tld).`, line('email')));
    }
    out.push(registryFacts(manifest, path, ctx.targetLevel));
    return findings(out);
  },
};

function block(rule: string, title: string, description: string, line: number): FindingInput {
  return { rule, severity: 'medium', action: 'BLOCK', blocksFrom: 2, below: 'INFO', title, description, file: MANIFEST_FILE, line };
}

/** `author` as an object, or as npm's "Name <email> (url)" string (which the mcpb schema rejects; AI-01 says so). */
function readAuthor(author: unknown): { name: string | null; email: string | null; path: JsonPath } {
  if (typeof author === 'string') {
    const open = author.indexOf('<');
    const close = open >= 0 ? author.indexOf('>', open) : -1;
    const name = (open >= 0 ? author.slice(0, open) : author.replace(/\(.*$/, '')).trim();
    const email = open >= 0 && close > open ? author.slice(open + 1, close).trim() : null;
    return { name: name || null, email: email || null, path: ['author'] };
  }
  if (!isObject(author)) return { name: null, email: null, path: ['author'] };
  const name = typeof author.name === 'string' && author.name.trim() !== '' ? author.name.trim() : null;
  const email = typeof author.email === 'string' && author.email.trim() !== '' ? author.email.trim() : null;
  return { name, email, path: ['author'] };
}

function registryFacts(manifest: Manifest, path: JsonPath, targetLevel: number): FindingInput {
  const l3 = targetLevel >= 3 ? ' At L3 and above a registry also requires a Tier 1 or 2 identity and more than one owner.' : '';
  return {
    rule: 'identity-not-verified',
    severity: 'info',
    action: 'INFO',
    title: 'Publisher identity tier and owners are registry facts',
    description: `The identity tier of the publisher account (PK-01: OIDC, organizational SSO or verified email) and multi-owner registration are checked by the registry the bundle is published to; a bundle cannot show them, so this scanner does not verify them.${l3}`,
    file: MANIFEST_FILE,
    line: manifest.lineOf(path),
  };
}

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * A plain address check (RFC 5321 sizes, RFC 5322 dot-atom local part, a DNS domain with a TLD), with anchored,
 * non-nested patterns on length-capped parts, so no input makes it slow. IDN domains are checked in their
 * punycode form. Quoted local parts and IP-literal domains are refused: no publisher needs them.
 */
export function isValidEmail(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.lastIndexOf('@');
  if (at < 1 || at === value.length - 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64 || !LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  if (/[\s/\\?#@:[\]%]/.test(domain)) return false;
  let host: string;
  try {
    host = new URL(`http://${domain}`).hostname;
  } catch {
    return false;
  }
  const labels = host.split('.');
  return labels.length >= 2 && labels.every((label) => LABEL.test(label)) && TLD.test(labels[labels.length - 1]!);
}

function clip(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
