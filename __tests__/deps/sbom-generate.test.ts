import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { makeBundle } from '../../__fixtures__/bundle.js';
import { collectDirectory } from '../../src/bundle/directory.js';
import { cycloneDxValidator } from '../../src/deps/sbom/cyclonedx-schemas.js';
import { GENERATED_SBOM_FILE, generateSbom, sbomOfFiles, withGeneratedSbom } from '../../src/deps/sbom/generate.js';
import { buildDependencyModel } from '../../src/deps/model.js';

const fixture = (name: string) => readFileSync(join(process.cwd(), '__tests__', 'fixtures', 'deps', name), 'utf8');

const LOCK = JSON.stringify(
  {
    name: 'weather',
    lockfileVersion: 3,
    packages: {
      '': { name: 'weather', dependencies: { '@modelcontextprotocol/sdk': '^1.12.0', gitdep: 'acme/gitdep#main' }, devDependencies: { jest: '^29' } },
      'node_modules/@modelcontextprotocol/sdk': {
        version: '1.12.1',
        resolved: 'https://registry.npmjs.org/@modelcontextprotocol/sdk/-/sdk-1.12.1.tgz',
        integrity: 'sha512-T4DKCUmqaS+W4fS/aZz6yYzYd05tEO/GIsyZNrDJKlfM+ojlsm/mUmw9D4Ooqxk/yAEM0ghtrsqy4n2A3dYBCw==',
        license: 'MIT',
      },
      'node_modules/gitdep': { version: '2.0.0', resolved: 'git+ssh://git@github.com/acme/gitdep.git#0123456789abcdef0123456789abcdef01234567' },
      'node_modules/jest': { version: '29.7.0', dev: true, integrity: 'sha512-NIy3oAFp9shda19hy4HK0HRTWKtPJmGdnvywu01nOqNC2vZg+Z+fvJDxpMQA88eb2I9EcafcdjYgsDthnYTvGw==' },
      'node_modules/dual': { version: '1.0.0', license: 'MIT OR Apache-2.0', integrity: 'sha512-aGVsbG8=' },
    },
  },
  null,
  2,
);

describe('generated CycloneDX 1.6 SBOM', () => {
  const bundle = makeBundle({ 'package-lock.json': LOCK, 'uv.lock': fixture('uv.lock') });
  const model = buildDependencyModel(bundle);
  const text = generateSbom(model, { name: '@acme/weather', version: '1.0.0' });
  const bom = JSON.parse(text) as {
    serialNumber: string;
    metadata: { component: { name: string }; properties: { name: string; value: string }[] };
    components: { 'bom-ref': string; group?: string; name: string; version?: string; purl: string; hashes?: { alg: string; content: string }[]; licenses?: unknown[]; externalReferences?: unknown[] }[];
    dependencies: { ref: string; dependsOn: string[] }[];
  };

  test('validates against the official CycloneDX 1.6 JSON schema', () => {
    const validate = cycloneDxValidator('1.6');
    expect(validate(bom)).toBe(true);
    expect(validate.errors ?? null).toBeNull();
  });

  test('is byte-identical across runs, with a serial number derived from the content', () => {
    expect(generateSbom(buildDependencyModel(bundle), { name: '@acme/weather', version: '1.0.0' })).toBe(text);
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const other = generateSbom(model, { name: '@acme/weather', version: '1.0.1' });
    expect(JSON.parse(other).serialNumber).not.toBe(bom.serialNumber);
    expect(text).not.toMatch(/timestamp/);
  });

  test('lists production dependencies sorted by bom-ref (the purl), without development ones', () => {
    const refs = bom.components.map((c) => c['bom-ref']);
    expect(refs).toEqual([...refs].sort());
    expect(bom.components.some((c) => c.name === 'jest' || c.name === 'pytest' || c.name === 'iniconfig')).toBe(false);
    expect(bom.components.some((c) => c.name === 'certifi')).toBe(true);
  });

  test('npm scope as group, SRI sha512 as SHA-512 hex, licenses as SPDX ids or an expression', () => {
    const sdk = bom.components.find((c) => c.name === 'sdk')!;
    expect(sdk).toMatchObject({
      group: '@modelcontextprotocol',
      version: '1.12.1',
      purl: 'pkg:npm/%40modelcontextprotocol/sdk@1.12.1',
      'bom-ref': 'pkg:npm/%40modelcontextprotocol/sdk@1.12.1',
      licenses: [{ license: { id: 'MIT' } }],
    });
    expect(sdk.hashes).toEqual([{ alg: 'SHA-512', content: Buffer.from('T4DKCUmqaS+W4fS/aZz6yYzYd05tEO/GIsyZNrDJKlfM+ojlsm/mUmw9D4Ooqxk/yAEM0ghtrsqy4n2A3dYBCw==', 'base64').toString('hex') }]);
    const dual = bom.components.find((c) => c.name === 'dual')!;
    expect(dual.licenses).toEqual([{ expression: 'MIT OR Apache-2.0' }]);
    expect(dual.hashes).toBeUndefined(); // a hash of the wrong length for its algorithm is not a hash
  });

  test('a git dependency keeps a purl that says where it comes from, and a vcs reference', () => {
    const git = bom.components.find((c) => c.name === 'gitdep')!;
    expect(git.purl).toBe(`pkg:npm/gitdep@2.0.0?vcs_url=${encodeURIComponent('git+ssh://git@github.com/acme/gitdep.git#0123456789abcdef0123456789abcdef01234567')}`);
    expect(git.externalReferences).toEqual([{ type: 'vcs', url: 'git+ssh://git@github.com/acme/gitdep.git#0123456789abcdef0123456789abcdef01234567' }]);
  });

  test('records each lockfile digest and the bundle\'s direct dependencies', () => {
    expect(bom.metadata.component.name).toBe('@acme/weather');
    expect(bom.metadata.properties.map((p) => p.name)).toEqual(['mtf:lockfile:package-lock.json', 'mtf:lockfile:uv.lock']);
    expect(bom.metadata.properties[0]!.value).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(bom.dependencies[0]!.dependsOn).toContain('pkg:npm/%40modelcontextprotocol/sdk@1.12.1');
    expect(bom.dependencies[0]!.dependsOn).toContain('pkg:pypi/httpx@0.28.1');
  });
});

describe('SBOM of a file set', () => {
  test('withGeneratedSbom adds sbom.cdx.json in path order, named after the manifest', () => {
    const bundle = makeBundle({ 'manifest.json': JSON.stringify({ name: '@acme/x', version: '2.0.0' }), 'uv.lock': fixture('uv.lock'), 'server.py': 'print(1)\n' });
    const files = withGeneratedSbom(bundle.files);
    expect([...files.keys()]).toEqual(['manifest.json', GENERATED_SBOM_FILE, 'server.py', 'uv.lock']);
    const sbom = JSON.parse(files.get(GENERATED_SBOM_FILE)!.data.toString('utf8'));
    expect(sbom.metadata.component).toMatchObject({ name: '@acme/x', version: '2.0.0' });
    // Regenerating over a set that already holds the SBOM gives the same file.
    expect(withGeneratedSbom(files).get(GENERATED_SBOM_FILE)!.data.equals(files.get(GENERATED_SBOM_FILE)!.data)).toBe(true);
  });

  test('examples/weather-server/sbom.cdx.json is what mtf sbom generates for the directory today', async () => {
    const files = await collectDirectory('examples/weather-server');
    expect(sbomOfFiles(files, 'weather-server')).toBe(readFileSync('examples/weather-server/sbom.cdx.json', 'utf8'));
  });
});
