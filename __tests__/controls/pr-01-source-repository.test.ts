import { describe, expect, test } from '@jest/globals';
import { l2Manifest, makeBundle, manifestJson } from '../../__fixtures__/bundle.js';
import { lineContaining, resultOf, scanWith } from '../../__fixtures__/scan.js';
import { parseRepositoryUrl, pr01 } from '../../src/controls/provenance/pr-01-source-repository.js';
import type { LevelOrNone } from '../../src/spec/levels.js';

async function check(repository: unknown, options: { level?: LevelOrNone; workflowRepository?: string } = {}) {
  const text = manifestJson(l2Manifest({ repository }));
  const report = await scanWith(makeBundle({ 'manifest.json': text, 'server.py': '' }), [pr01], { requiredLevel: options.level ?? 2, workflowRepository: options.workflowRepository });
  return { result: resultOf(report, 'PR-01'), text };
}

const rules = (result: { findings: { rule: string; action: string }[] }) => result.findings.map((f) => `${f.rule}:${f.action}`);

describe('PR-01 severity table (spec 3.6)', () => {
  test.each(['https://github.com/acme/weather-server', 'https://gitlab.com/acme/sub/weather', 'https://bitbucket.org/acme/weather', 'https://codeberg.org/acme/weather', 'https://git.sr.ht/~acme/weather', 'https://sr.ht/~acme/weather', 'git+https://github.com/acme/weather-server.git'])(
    '%s on a recognized host passes without findings',
    async (url) => {
      const { result } = await check({ type: 'git', url });
      expect(result.status).toBe('pass');
      expect(result.findings).toEqual([]);
    },
  );

  test('a missing repository blocks from L2, at the top of the manifest', async () => {
    const { result } = await check(undefined);
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'repository-missing', action: 'BLOCK', blocks_from: 2, file: 'manifest.json', line: 1 })]);
  });

  test.each([
    ['not a URL', 'github.com/acme/weather'],
    ['a scheme that cannot address a repository', 'javascript:alert(1)'],
    ['a file URL', 'file:///home/acme/weather'],
    ['a recognized host without owner/repository', 'https://github.com/acme'],
    ['whitespace inside', 'https://github.com/acme/weather server'],
  ])('an invalid URL (%s) blocks at the url line', async (_, url) => {
    const { result, text } = await check({ type: 'git', url });
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'repository-invalid-url', action: 'BLOCK', line: lineContaining(text, '"url"') })]);
  });

  test('a repository without url blocks', async () => {
    const { result } = await check({ type: 'git' });
    expect(rules(result)).toEqual(['repository-invalid-url:BLOCK']);
  });

  test('plain http on a recognized host warns', async () => {
    const { result } = await check({ type: 'git', url: 'http://github.com/acme/weather' });
    expect(result.status).toBe('pass');
    expect(rules(result)).toEqual(['repository-not-https:WARN']);
  });

  test('git@host:org/repo is read as ssh: valid, not HTTPS', async () => {
    const { result } = await check({ type: 'git', url: 'git@github.com:acme/weather.git' });
    expect(rules(result)).toEqual(['repository-not-https:WARN']);
    expect(result.findings[0]!.description).toContain('scp-like');
  });

  test.each(['https://github.com.evil.example/acme/weather', 'https://github.com@evil.example/acme/weather', 'https://www.github.com/acme/weather', 'https://github.com:8443/acme/weather', 'https://git.example.org/acme/weather'])(
    '%s is on an unrecognized host: WARN (parsed, not matched by substring)',
    async (url) => {
      const { result } = await check({ type: 'git', url });
      expect(result.status).toBe('pass');
      expect(rules(result)).toContain('repository-unknown-host:WARN');
    },
  );

  test('credentials in the URL warn', async () => {
    const { result } = await check({ type: 'git', url: 'https://bot:hunter2@github.com/acme/weather' });
    expect(rules(result)).toEqual(['repository-url-credentials:WARN']);
  });

  test('from L3 an INFO says accessibility is not verified', async () => {
    const { result } = await check({ type: 'git', url: 'https://github.com/acme/weather-server' }, { level: 3 });
    expect(rules(result)).toEqual(['repository-access-not-verified:INFO']);
  });
});

describe('PR-01 in the action: the workflow repository', () => {
  test('the same repository (case, .git, git+ form aside) is fine', async () => {
    const { result } = await check({ type: 'git', url: 'git+https://github.com/Acme/Weather-Server.git' }, { workflowRepository: 'acme/weather-server' });
    expect(result.findings).toEqual([]);
  });

  test('another repository warns', async () => {
    const { result } = await check({ type: 'git', url: 'https://github.com/acme/weather-server' }, { workflowRepository: 'https://github.com/someone/fork' });
    expect(rules(result)).toEqual(['repository-differs-from-workflow:WARN']);
    expect(result.findings[0]!.description).toContain('this workflow runs in github.com/someone/fork');
  });

  test('another host warns', async () => {
    const { result } = await check({ type: 'git', url: 'https://gitlab.com/acme/weather-server' }, { workflowRepository: 'acme/weather-server' });
    expect(rules(result)).toEqual(['repository-differs-from-workflow:WARN']);
  });
});

test('parseRepositoryUrl names owner and repository', () => {
  expect(parseRepositoryUrl('git+https://github.com/acme/weather.git')).toMatchObject({ ok: true, host: 'github.com', owner: 'acme', name: 'weather', form: 'git+', recognized: true });
  expect(parseRepositoryUrl('git@gitlab.com:acme/weather.git')).toMatchObject({ ok: true, host: 'gitlab.com', owner: 'acme', name: 'weather', form: 'scp' });
  expect(parseRepositoryUrl('x'.repeat(3000))).toEqual({ ok: false, reason: 'is longer than 2048 characters' });
});
