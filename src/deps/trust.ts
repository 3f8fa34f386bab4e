import { hostOf } from './sources.js';
import type { Ecosystem } from './types.js';

/**
 * MTF 3.3 SC-05 "Approved Registries", by host. Read with the aliases that serve the same content:
 * registry.yarnpkg.com is Yarn's front for registry.npmjs.org (yarn v1 writes it in every `resolved`),
 * pypi.python.org is PyPI's old name (it redirects to pypi.org), and crates.io serves its index at
 * index.crates.io (sparse), github.com/rust-lang/crates.io-index (git) and its files at static.crates.io.
 */
const APPROVED_HOSTS: Record<Ecosystem, readonly string[]> = {
  npm: ['registry.npmjs.org', 'registry.yarnpkg.com'],
  PyPI: ['pypi.org', 'files.pythonhosted.org', 'pypi.python.org'],
  'crates.io': ['crates.io', 'index.crates.io', 'static.crates.io'],
  Go: ['proxy.golang.org', 'sum.golang.org'],
};

const APPROVED_PREFIXES: Record<Ecosystem, readonly string[]> = {
  npm: [],
  PyPI: [],
  'crates.io': ['https://github.com/rust-lang/crates.io-index'],
  Go: [],
};

export function approvedRegistries(ecosystem: Ecosystem): readonly string[] {
  return APPROVED_HOSTS[ecosystem];
}

/** Whether a URL is one of the ecosystem's approved registries (HTTPS only: a plain-HTTP mirror is not). */
export function isApprovedRegistryUrl(ecosystem: Ecosystem, url: string): boolean {
  if (APPROVED_PREFIXES[ecosystem].some((prefix) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}.git`))) return true;
  const host = hostOf(url);
  return host !== null && /^https:\/\//i.test(url) && APPROVED_HOSTS[ecosystem].includes(host);
}

/**
 * Whether the config's organizational allow-list (`allowed-sources`) names a source. An entry is a host
 * (`npm.internal.example`, or `*.internal.example` for its subdomains) or a prefix of the reference
 * (`https://internal.example/pypi/`, `git+https://github.com/acme/`, `file:../shared/`), matched at a path
 * boundary so that `https://a.example/x` does not allow `https://a.example/xy`.
 */
export function isAllowListed(reference: string, allowList: readonly string[]): boolean {
  const host = hostOf(reference.replace(/^git\+/, ''));
  return allowList.some((entry) => {
    if (/^[a-z0-9*][a-z0-9.*-]*$/i.test(entry) && !entry.includes('/')) {
      if (host === null) return false;
      const pattern = entry.toLowerCase();
      return pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern;
    }
    if (reference === entry) return true;
    if (!reference.startsWith(entry)) return false;
    return /[/:@#?]$/.test(entry) || /^[/?#@:]/.test(reference.slice(entry.length));
  });
}
