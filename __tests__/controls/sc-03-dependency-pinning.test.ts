import { describe, expect, test } from '@jest/globals';
import { makeBundle, type FixtureFile } from '../../__fixtures__/bundle.js';
import { lineContaining, resultOf, scanWith } from '../../__fixtures__/scan.js';
import { sc03 } from '../../src/controls/supply_chain/sc-03-dependency-pinning.js';

async function sc03Of(files: Record<string, FixtureFile>, requiredLevel: 0 | 1 | 2 | 3 | 4 = 2) {
  const report = await scanWith(makeBundle(files), [sc03], { requiredLevel });
  return resultOf(report, 'SC-03');
}

const HASH = 'sha256:2f6da418d1f1e0fddd844478f41680e794e6051915791a034ff65e5f100525a2';

const LOCK_V3 = JSON.stringify(
  {
    name: 'weather',
    lockfileVersion: 3,
    packages: {
      '': { dependencies: { zod: '^3.25.0', left: '^1.3.0' } },
      'node_modules/zod': { version: '3.25.76', resolved: 'https://registry.npmjs.org/zod/-/zod-3.25.76.tgz', integrity: 'sha512-zod==' },
      'node_modules/left': { version: '1.3.0', resolved: 'https://registry.npmjs.org/left/-/left-1.3.0.tgz' },
    },
  },
  null,
  2,
);

describe('SC-03 Dependency Pinning', () => {
  test('a bundle with no dependencies at all is not applicable', async () => {
    const result = await sc03Of({ 'server.py': 'print(1)\n', 'pyproject.toml': '[project]\nname = "x"\nversion = "1"\n' });
    expect(result).toMatchObject({ status: 'skip', skip_reason: 'The bundle declares, locks and vendors no dependencies.' });
  });

  test('development dependencies only: not applicable', async () => {
    const result = await sc03Of({ 'package.json': JSON.stringify({ devDependencies: { typescript: '^5' } }) });
    expect(result.status).toBe('skip');
  });

  test('a manifest with dependencies and no lockfile blocks at its first dependency', async () => {
    const pyproject = '[project]\nname = "weather"\nversion = "1.0.0"\ndependencies = [\n  "mcp==1.9.4",\n  "httpx>=0.27",\n]\n';
    const result = await sc03Of({ 'pyproject.toml': pyproject });
    expect(result.status).toBe('fail');
    expect(result.findings).toMatchObject([
      { rule: 'lockfile-missing', action: 'BLOCK', severity: 'high', file: 'pyproject.toml', line: lineContaining(pyproject, 'mcp==1.9.4'), description: expect.stringContaining('(1 without an exact version)') },
    ]);
  });

  test('go.mod without go.sum is a missing lockfile even though go.mod versions are exact', async () => {
    const result = await sc03Of({ 'go.mod': 'module x\n\ngo 1.23\n\nrequire github.com/google/uuid v1.6.0\n' });
    expect(result.findings).toMatchObject([{ rule: 'lockfile-missing', file: 'go.mod', line: 5, description: expect.stringContaining('go.sum') }]);
  });

  test('pinned with hashes passes; ranges in the manifest are fine when the lockfile pins them', async () => {
    const result = await sc03Of({ 'package.json': JSON.stringify({ dependencies: { zod: '^3.25.0' } }), 'package-lock.json': LOCK_V3.replace('"resolved": "https://registry.npmjs.org/left/-/left-1.3.0.tgz"', '"resolved": "https://registry.npmjs.org/left/-/left-1.3.0.tgz", "integrity": "sha512-l=="') });
    expect(result).toMatchObject({ status: 'pass', findings: [] });
  });

  test('a missing integrity hash warns at L2 and blocks from L3, at the lockfile line', async () => {
    const at2 = await sc03Of({ 'package-lock.json': LOCK_V3 }, 2);
    expect(at2.status).toBe('pass');
    expect(at2.findings).toMatchObject([{ rule: 'integrity-missing', action: 'WARN', blocks_from: 3, file: 'package-lock.json', line: lineContaining(LOCK_V3, '"node_modules/left"') }]);
    const at3 = await sc03Of({ 'package-lock.json': LOCK_V3 }, 3);
    expect(at3.status).toBe('fail');
    expect(at3.findings).toMatchObject([{ rule: 'integrity-missing', action: 'BLOCK' }]);
  });

  test('requirements: a range blocks; a pin without --hash is a missing integrity', async () => {
    const requirements = `mcp==1.9.4 --hash=${HASH}\nhttpx>=0.27\nanyio==4.9.0\n`;
    const result = await sc03Of({ 'requirements.txt': requirements });
    expect(result.status).toBe('fail');
    expect(result.findings.map((f) => [f.rule, f.action, f.line])).toEqual([
      ['version-not-pinned', 'BLOCK', 2],
      ['integrity-missing', 'WARN', 3],
    ]);
  });

  test('a git reference without a commit hash blocks; one pinned to a commit passes', async () => {
    const requirements = `tools @ git+https://github.com/acme/tools.git@main\npinned @ git+https://github.com/acme/pinned.git@0123456789abcdef0123456789abcdef01234567\n`;
    const result = await sc03Of({ 'requirements.txt': requirements });
    expect(result.findings).toMatchObject([{ rule: 'git-ref-not-pinned', action: 'BLOCK', line: 1, description: expect.stringContaining('github.com/acme/tools.git@main') }]);
  });

  test('`latest` in package.json that the lockfile does not lock is unpinned', async () => {
    const pkg = JSON.stringify({ dependencies: { zod: '^3.25.0', chalk: 'latest' } }, null, 2);
    const lock = LOCK_V3.replace('"integrity": "sha512-zod=="', '"integrity": "sha512-zod=="').replace(/"node_modules\/left": \{[^}]*\}/, '"node_modules/left": { "version": "1.3.0", "integrity": "sha512-l==" }');
    const result = await sc03Of({ 'package.json': pkg, 'package-lock.json': lock });
    expect(result.findings).toMatchObject([{ rule: 'version-not-pinned', action: 'BLOCK', file: 'package.json', line: lineContaining(pkg, '"chalk"') }]);
  });

  test('a lockfile that cannot be parsed blocks', async () => {
    const result = await sc03Of({ 'poetry.lock': '[[package]\nname = "x"\n' });
    expect(result.findings).toMatchObject([{ rule: 'lockfile-unreadable', action: 'BLOCK', file: 'poetry.lock' }]);
  });

  test('a lockfile version the SBOM contradicts warns at the lockfile line', async () => {
    const sbom = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [{ type: 'library', name: 'zod', version: '3.24.0', purl: 'pkg:npm/zod@3.24.0' }] });
    const result = await sc03Of({ 'package-lock.json': LOCK_V3, 'sbom.json': sbom });
    expect(result.findings.find((f) => f.rule === 'sbom-version-mismatch')).toMatchObject({ action: 'WARN', title: 'zod: lockfile 3.25.76, SBOM 3.24.0', file: 'package-lock.json', line: lineContaining(LOCK_V3, '"node_modules/zod"') });
  });

  test('a thousand unhashed entries give 25 findings and one that counts the rest', async () => {
    const packages: Record<string, object> = { '': {} };
    for (let i = 0; i < 1000; i++) packages[`node_modules/p${String(i).padStart(4, '0')}`] = { version: '1.0.0' };
    const result = await sc03Of({ 'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages }) });
    expect(result.findings).toHaveLength(26);
    expect(result.findings.filter((f) => f.title === '975 more dependencies have no integrity hash')).toMatchObject([{ rule: 'integrity-missing', action: 'WARN' }]);
  });
});
