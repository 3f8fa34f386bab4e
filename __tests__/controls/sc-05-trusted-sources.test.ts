import { describe, expect, test } from '@jest/globals';
import { makeBundle, type FixtureFile } from '../../__fixtures__/bundle.js';
import { lineContaining, resultOf, scanWith } from '../../__fixtures__/scan.js';
import { sc05 } from '../../src/controls/supply_chain/sc-05-trusted-sources.js';
import { defaultConfig } from '../../src/spec/config-schema.js';

async function sc05Of(files: Record<string, FixtureFile>, allowed: string[] = []) {
  const report = await scanWith(makeBundle(files), [sc05], { requiredLevel: 3, config: { ...defaultConfig(), 'allowed-sources': allowed } });
  return resultOf(report, 'SC-05');
}

const SHA = '0123456789abcdef0123456789abcdef01234567';

function lock(packages: Record<string, object>): string {
  return JSON.stringify({ lockfileVersion: 3, packages: { '': {}, ...packages } }, null, 2);
}

describe('SC-05 Trusted Sources', () => {
  test('the approved registries pass (yarn\'s registry.yarnpkg.com front, PyPI files, crates.io index)', async () => {
    const result = await sc05Of({
      'package-lock.json': lock({ 'node_modules/zod': { version: '3.25.76', resolved: 'https://registry.npmjs.org/zod/-/zod-3.25.76.tgz' } }),
      'yarn.lock': '# yarn lockfile v1\n\nms@^2.1.3:\n  version "2.1.3"\n  resolved "https://registry.yarnpkg.com/ms/-/ms-2.1.3.tgz#574c8138ce1d2b5861f0b44579dbadd60c6615b2"\n',
      'requirements.txt': 'wheelie @ https://files.pythonhosted.org/packages/aa/bb/wheelie-1.0.0-py3-none-any.whl\n',
      'Cargo.lock': 'version = 4\n\n[[package]]\nname = "serde"\nversion = "1.0.219"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n',
    });
    expect(result).toMatchObject({ status: 'pass', findings: [] });
  });

  test('a resolved URL on another registry blocks unless the allow-list names it', async () => {
    const text = lock({ 'node_modules/internal': { version: '1.0.0', resolved: 'https://npm.internal.example/internal/-/internal-1.0.0.tgz' } });
    const blocked = await sc05Of({ 'package-lock.json': text });
    expect(blocked.status).toBe('fail');
    expect(blocked.findings).toMatchObject([{ rule: 'unapproved-registry', action: 'BLOCK', file: 'package-lock.json', line: lineContaining(text, '"node_modules/internal"') }]);
    expect((await sc05Of({ 'package-lock.json': text }, ['npm.internal.example'])).findings).toEqual([]);
    expect((await sc05Of({ 'package-lock.json': text }, ['https://npm.internal.example/'])).findings).toEqual([]);
    expect((await sc05Of({ 'package-lock.json': text }, ['https://npm.internal.ex'])).status).toBe('fail');
  });

  test('an --extra-index-url or registry= that is not approved blocks at its line', async () => {
    const requirements = '--extra-index-url https://pypi.internal.example/simple\nidna==3.10\n';
    const result = await sc05Of({ 'requirements.txt': requirements, '.npmrc': 'registry=https://registry.npmjs.org/\n@acme:registry=https://npm.acme.example/\n' });
    expect(result.findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      ['unapproved-index', '.npmrc', 2],
      ['unapproved-index', 'requirements.txt', 1],
    ]);
    expect((await sc05Of({ 'requirements.txt': requirements }, ['*.internal.example'])).findings).toEqual([]);
  });

  test('git dependencies block without attestation, even pinned; the allow-list can name the repository', async () => {
    const text = lock({ 'node_modules/gitdep': { version: '2.0.0', resolved: `git+ssh://git@github.com/acme/gitdep.git#${SHA}` } });
    const result = await sc05Of({ 'package-lock.json': text });
    expect(result.findings).toMatchObject([{ rule: 'git-without-attestation', action: 'BLOCK', severity: 'high' }]);
    expect((await sc05Of({ 'package-lock.json': text }, ['git+ssh://git@github.com/acme/'])).findings).toEqual([]);
  });

  test('direct tarballs block; local paths block outside the bundle and pass inside it', async () => {
    const result = await sc05Of({
      'requirements.txt': 'pkg @ https://github.com/acme/pkg/archive/v1.0.tar.gz\n./vendor/ours\n../outside\n',
    });
    expect(result.findings.map((f) => [f.rule, f.line])).toEqual([
      ['direct-tarball', 1],
      ['local-path', 3],
    ]);
    expect((await sc05Of({ 'requirements.txt': '../outside\n' }, ['file:../outside'])).findings).toEqual([]);
  });

  test('a vendored package whose source nothing records warns for manual review', async () => {
    const result = await sc05Of({ 'lib/six-1.16.0.dist-info/METADATA': 'Name: six\nVersion: 1.16.0\n' });
    expect(result).toMatchObject({ status: 'pass', findings: [{ rule: 'unknown-source', action: 'WARN', file: 'lib/six-1.16.0.dist-info/METADATA' }] });
  });

  test('plain HTTP to an approved host is not the approved registry', async () => {
    const text = lock({ 'node_modules/zod': { version: '3.25.76', resolved: 'http://registry.npmjs.org/zod/-/zod-3.25.76.tgz' } });
    expect((await sc05Of({ 'package-lock.json': text })).findings).toMatchObject([{ rule: 'unapproved-registry' }]);
  });
});
