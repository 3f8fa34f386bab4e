import type { DependencySource } from './types.js';

/** Where a dependency comes from, read from the references lockfiles and manifests write. */

const FULL_COMMIT = /^[0-9a-f]{40}$/i;

/** npm-style git references: `git+https://`, `git+ssh://`, `git://`, `github:x/y`, and the `x/y#ref` shorthand. */
const GIT_PREFIX = /^(?:git\+[a-z]+:|git:\/\/|github:|gitlab:|bitbucket:|gist:)/i;

/**
 * A git source, with `commit` when the reference pins a full commit hash: `...#<sha>` (npm, Cargo, uv),
 * `...@<sha>` (pip), `#commit=<sha>` (yarn berry), `?rev=<sha>` (Cargo, uv).
 */
export function gitSource(url: string): DependencySource {
  const fragment = url.includes('#') ? url.slice(url.lastIndexOf('#') + 1) : '';
  const candidates = [
    fragment,
    /(?:^|&)commit=([0-9a-f]{40})(?:&|$)/i.exec(fragment)?.[1],
    /[?&]rev=([0-9a-f]{40})(?:[&#]|$)/i.exec(url)?.[1],
    /\.git@([0-9a-f]{40})(?:[#?]|$)/i.exec(url)?.[1],
    /@([0-9a-f]{40})(?:[#?]|$)/i.exec(url.replace(/^[^:]+:\/\/[^/]*@/, ''))?.[1],
  ];
  const commit = candidates.find((c): c is string => typeof c === 'string' && FULL_COMMIT.test(c));
  return commit ? { kind: 'git', url, commit: commit.toLowerCase() } : { kind: 'git', url };
}

/** GitHub's codeload tarball of one commit, as pnpm and yarn write git dependencies: pinned like a git commit. */
const CODELOAD = /^https:\/\/codeload\.github\.com\/[^/]+\/[^/]+\/tar\.gz\/([0-9a-f]{40})$/i;

/**
 * Classifies a reference as written in a lockfile or a manifest: a git reference, a local path, a URL
 * (the caller decides whether a URL is its registry), or unknown.
 */
export function classifyReference(ref: string, options: { shorthand?: boolean } = {}): DependencySource {
  const value = ref.trim();
  if (GIT_PREFIX.test(value) || /^(?:https?|ssh):\/\/.+\.git(?:[#@?].*)?$/i.test(value)) return gitSource(value);
  if (options.shorthand && /^[\w-]+\/[\w.-]+(?:#.*)?$/.test(value)) return gitSource(value);
  const codeload = CODELOAD.exec(value);
  if (codeload) return { kind: 'git', url: value, commit: codeload[1]!.toLowerCase() };
  if (/^(?:file|link|portal):/i.test(value) || /^(?:\.{1,2}\/|\/|~\/|[A-Za-z]:[\\/])/.test(value)) return { kind: 'path', url: value };
  if (/^https?:\/\//i.test(value)) return { kind: 'url', url: value };
  return { kind: 'unknown', url: value === '' ? null : value };
}

/** npm registries serve tarballs at `<registry>/<name>/-/<bare-name>-<version>.tgz`. */
export function isNpmRegistryTarball(url: string): boolean {
  return /^https?:\/\/[^/]+\/.*\/-\/[^/]+\.tgz(?:[?#].*)?$/i.test(url);
}

/** The lowercase host of a URL (without port or credentials), or null when it is not a URL. */
export function hostOf(url: string): string | null {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(url);
  return match && match[1] !== '' ? match[1]!.toLowerCase() : null;
}

/** The path of a `file:` reference, without the scheme. */
export function localPathOf(ref: string): string {
  return ref.replace(/^(?:file|link|portal):(?:\/\/)?/i, '');
}
