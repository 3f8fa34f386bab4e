import { isObject, MANIFEST_FILE } from '../../manifest/manifest.js';
import { findings, type Control, type FindingInput } from '../control.js';

/**
 * PR-01 Source Repository (MTF 3.6): the manifest's `repository.url` is a valid URL of a repository on a
 * recognized host, parsed with the WHATWG URL parser (never by substring: `https://github.com.evil.example/x` and
 * `https://github.com@evil.example/x` are on evil.example).
 *
 * | Finding                                 | Action      |
 * | Missing `repository` field              | BLOCK (L2+) |
 * | Invalid URL format                      | BLOCK       |
 * | Non-HTTPS URL                           | WARN        |
 * | Unknown hosting platform                | WARN        |
 *
 * Forms npm writes are accepted: `git+https://host/org/repo.git` is read as its https URL; `git@host:org/repo`
 * (scp-like) and `git+ssh://` as ssh URLs, valid but not HTTPS (WARN). A scheme that cannot address a git
 * repository (file:, javascript:, ftp: ...) is invalid. In the action, a repository other than the workflow's
 * warns. "Private repo without attestation at L3+" needs the host's API: from L3 an INFO says it is not checked.
 */
export const pr01: Control = {
  id: 'PR-01',
  check(ctx) {
    const manifest = ctx.manifest();
    const repository = manifest.data.repository;
    if (repository === undefined) {
      return findings([
        {
          rule: 'repository-missing',
          severity: 'medium',
          action: 'BLOCK',
          blocksFrom: 2,
          below: 'INFO',
          title: 'Missing repository',
          description: 'manifest.json has no "repository": without its source a bundle cannot be audited, forked or independently verified (MTF 3.6 PR-01).',
          file: MANIFEST_FILE,
          line: 1,
        },
      ]);
    }
    const path = typeof repository === 'string' ? ['repository'] : ['repository', 'url'];
    const line = manifest.lineOf(path);
    const raw = typeof repository === 'string' ? repository : isObject(repository) ? repository.url : undefined;
    if (typeof raw !== 'string' || raw.trim() === '') {
      return findings([invalid('repository.url is missing or not a string.', line)]);
    }
    const parsed = parseRepositoryUrl(raw);
    if (!parsed.ok) return findings([invalid(`"${clip(raw)}" ${parsed.reason}.`, line)]);
    return findings([...urlFindings(parsed, raw, line), ...workflowFindings(parsed, ctx.workflowRepository, line), ...accessibility(ctx.targetLevel, line)]);
  },
};

/** Spec 3.6 "Recognized Hosting Platforms", exactly. */
export const RECOGNIZED_HOSTS = ['github.com', 'gitlab.com', 'bitbucket.org', 'codeberg.org', 'sr.ht', 'git.sr.ht'] as const;

const REPOSITORY_SCHEMES = ['https:', 'http:', 'ssh:', 'git:'];
const MAX_URL_LENGTH = 2048;

export type ParsedRepository =
  | { ok: true; url: URL; host: string; recognized: boolean; owner: string | null; name: string | null; form: 'url' | 'git+' | 'scp' }
  | { ok: false; reason: string };

export function parseRepositoryUrl(input: string): ParsedRepository {
  const text = input.trim();
  if (text.length > MAX_URL_LENGTH) return { ok: false, reason: `is longer than ${MAX_URL_LENGTH} characters` };
  if (/[\s\u0000-\u001f\u007f]/.test(text)) return { ok: false, reason: 'contains whitespace or control characters' };
  let form: 'url' | 'git+' | 'scp' = 'url';
  let candidate = text;
  const scp = /^([\w.-]+)@([\w.-]+):(?!\/\/)([^\\]+)$/.exec(text);
  if (scp) {
    candidate = `ssh://${scp[1]}@${scp[2]}/${scp[3]!.replace(/^\/+/, '')}`;
    form = 'scp';
  } else if (/^git\+(https?|ssh):\/\//i.test(text)) {
    candidate = text.slice(4);
    form = 'git+';
  }
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return { ok: false, reason: 'is not a valid URL' };
  }
  if (!REPOSITORY_SCHEMES.includes(url.protocol)) return { ok: false, reason: `uses the scheme "${url.protocol}", which cannot address a git repository` };
  if (url.hostname === '') return { ok: false, reason: 'names no host' };
  const host = url.hostname.toLowerCase();
  const recognized = url.port === '' && (RECOGNIZED_HOSTS as readonly string[]).includes(host);
  const segments = url.pathname.split('/').filter(Boolean).map(decodeSafely);
  if (recognized && segments.length < 2) return { ok: false, reason: `names ${host} but no repository (expected https://${host}/owner/repository)` };
  return {
    ok: true,
    url,
    host,
    recognized,
    owner: segments[0] ?? null,
    name: segments[1] ? segments[1].replace(/\.git$/i, '') : null,
    form,
  };
}

function urlFindings(parsed: Extract<ParsedRepository, { ok: true }>, raw: string, line: number): FindingInput[] {
  const out: FindingInput[] = [];
  if (parsed.url.protocol !== 'https:') {
    out.push({
      rule: 'repository-not-https',
      severity: 'low',
      action: 'WARN',
      title: 'Repository URL is not HTTPS',
      description: `"${clip(raw)}" is read as ${parsed.url.protocol.slice(0, -1)}${parsed.form === 'scp' ? ' (scp-like git@host:path)' : ''}; reviewers and clients fetch sources over HTTPS.`,
      file: MANIFEST_FILE,
      line,
      remediation: `Use the HTTPS URL, e.g. https://${parsed.host}/${parsed.owner ?? 'owner'}/${parsed.name ?? 'repository'}.`,
    });
  }
  if (!parsed.recognized) {
    out.push({
      rule: 'repository-unknown-host',
      severity: 'low',
      action: 'WARN',
      title: `Repository on an unrecognized host (${parsed.host}${parsed.url.port ? `:${parsed.url.port}` : ''})`,
      description: `MTF 3.6 recognizes ${RECOGNIZED_HOSTS.join(', ')}; "${clip(raw)}" is on ${parsed.host}${parsed.url.port ? ` port ${parsed.url.port}` : ''}.`,
      file: MANIFEST_FILE,
      line,
    });
  }
  if (parsed.url.password !== '' || (parsed.url.username !== '' && parsed.url.protocol.startsWith('http'))) {
    out.push({
      rule: 'repository-url-credentials',
      severity: 'medium',
      action: 'WARN',
      title: 'Repository URL carries credentials',
      description: 'The repository URL has a user name or password in it: a credential in the manifest is published with the bundle.',
      file: MANIFEST_FILE,
      line,
      remediation: 'Remove the user info from the URL and rotate the credential if it was real.',
    });
  }
  return out;
}

/** The action's WARN: the manifest names another repository than the one the workflow runs in. */
function workflowFindings(parsed: Extract<ParsedRepository, { ok: true }>, workflow: string | null, line: number): FindingInput[] {
  if (!workflow) return [];
  const expected = parseRepositoryUrl(/^[\w.-]+\/[\w.-]+$/.test(workflow) ? `https://github.com/${workflow}` : workflow);
  if (!expected.ok || !expected.owner || !expected.name) return [];
  const same =
    parsed.host === expected.host &&
    parsed.owner?.toLowerCase() === expected.owner.toLowerCase() &&
    parsed.name?.toLowerCase() === expected.name.toLowerCase();
  if (same) return [];
  const where = `${expected.host}/${expected.owner}/${expected.name}`;
  return [
    {
      rule: 'repository-differs-from-workflow',
      severity: 'low',
      action: 'WARN',
      title: 'Repository differs from the workflow\'s repository',
      description: `manifest.json names ${parsed.host}/${parsed.owner ?? ''}${parsed.name ? `/${parsed.name}` : ''}, but this workflow runs in ${where}: the bundle may be built from sources other than the ones it claims.`,
      file: MANIFEST_FILE,
      line,
    },
  ];
}

function accessibility(targetLevel: number, line: number): FindingInput[] {
  if (targetLevel < 3) return [];
  return [
    {
      rule: 'repository-access-not-verified',
      severity: 'info',
      action: 'INFO',
      title: 'Repository accessibility not verified',
      description: 'From L3 a private repository needs an attestation (MTF 3.6 PR-01). Whether the repository is public is a fact of its host that this scanner does not query; PR-03 checks the attestation.',
      file: MANIFEST_FILE,
      line,
    },
  ];
}

function invalid(description: string, line: number): FindingInput {
  return {
    rule: 'repository-invalid-url',
    severity: 'medium',
    action: 'BLOCK',
    title: 'Invalid repository URL',
    description: `repository.url ${description}`,
    file: MANIFEST_FILE,
    line,
  };
}

function decodeSafely(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

