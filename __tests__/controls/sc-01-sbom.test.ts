import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { makeBundle, type FixtureFile } from '../../__fixtures__/bundle.js';
import { lineContaining, resultOf, scanWith } from '../../__fixtures__/scan.js';
import { sc01 } from '../../src/controls/supply_chain/sc-01-sbom.js';
import { buildDependencyModel } from '../../src/deps/model.js';
import { generateSbom } from '../../src/deps/sbom/generate.js';

const UV_LOCK = readFileSync(join(process.cwd(), '__tests__', 'fixtures', 'deps', 'uv.lock'), 'utf8');

async function sc01Of(files: Record<string, FixtureFile>, requiredLevel: 0 | 1 | 2 | 3 | 4 = 1) {
  const report = await scanWith(makeBundle(files), [sc01], { requiredLevel });
  return resultOf(report, 'SC-01');
}

function cyclonedx(version: string, components: object[], extra: object = {}): string {
  return `${JSON.stringify({ bomFormat: 'CycloneDX', specVersion: version, version: 1, components, ...extra }, null, 2)}\n`;
}

const SPDX = {
  spdxVersion: 'SPDX-2.3',
  dataLicense: 'CC0-1.0',
  SPDXID: 'SPDXRef-DOCUMENT',
  name: 'weather',
  documentNamespace: 'https://acme.example/spdx/weather-1.0.0',
  creationInfo: { created: '2025-06-01T00:00:00Z', creators: ['Tool: syft-1.0.0'] },
  documentDescribes: ['SPDXRef-root'],
  packages: [
    { SPDXID: 'SPDXRef-root', name: 'weather', downloadLocation: 'NOASSERTION' },
    { SPDXID: 'SPDXRef-certifi', name: 'certifi', versionInfo: '2025.4.26', downloadLocation: 'NOASSERTION', externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:pypi/certifi@2025.4.26' }] },
  ],
};

describe('SC-01 SBOM Generation', () => {
  test('no SBOM blocks at L1', async () => {
    const result = await sc01Of({ 'server.py': 'print(1)\n' });
    expect(result.status).toBe('fail');
    expect(result.findings).toMatchObject([{ rule: 'sbom-missing', action: 'BLOCK', severity: 'high', blocks_from: 1 }]);
  });

  test('an SBOM generated from the bundle\'s lockfile passes', async () => {
    const model = buildDependencyModel(makeBundle({ 'uv.lock': UV_LOCK }));
    const result = await sc01Of({ 'uv.lock': UV_LOCK, 'sbom.cdx.json': generateSbom(model, { name: 'x', version: '1.0.0' }) });
    expect(result).toMatchObject({ status: 'pass', findings: [] });
  });

  test('CycloneDX below 1.4 is an invalid format, at the specVersion line', async () => {
    const text = cyclonedx('1.3', []);
    const result = await sc01Of({ 'sbom.json': text });
    expect(result.status).toBe('fail');
    expect(result.findings).toMatchObject([{ rule: 'sbom-invalid-format', action: 'BLOCK', file: 'sbom.json', line: lineContaining(text, '"specVersion"') }]);
  });

  test('a schema violation blocks, at the line of the offending value', async () => {
    const text = cyclonedx('1.5', [{ type: 'librarry', name: 'x', version: '1', purl: 'pkg:npm/x@1' }]);
    const result = await sc01Of({ 'sbom.cdx.json': text });
    expect(result.status).toBe('fail');
    expect(result.findings[0]).toMatchObject({ rule: 'sbom-schema-invalid', action: 'BLOCK', file: 'sbom.cdx.json', line: lineContaining(text, '"librarry"') });
    expect(result.findings[0]!.description).toContain('/components/0/type');
  });

  test('not JSON, or JSON that is neither CycloneDX nor SPDX, is an invalid format', async () => {
    expect((await sc01Of({ 'sbom.json': '<bom/>' })).findings).toMatchObject([{ rule: 'sbom-invalid-format', action: 'BLOCK' }]);
    expect((await sc01Of({ 'sbom.json': '{"hello": 1}' })).findings).toMatchObject([{ rule: 'sbom-invalid-format', action: 'BLOCK', line: 1 }]);
  });

  test('components without version or purl warn, at their line; the control passes', async () => {
    const text = cyclonedx('1.6', [
      { type: 'library', name: 'left-pad', version: '1.3.0' },
      { type: 'file', name: 'server.py' },
    ]);
    const result = await sc01Of({ 'sbom.cdx.json': text });
    expect(result.status).toBe('pass');
    expect(result.findings).toMatchObject([{ rule: 'component-missing-fields', action: 'WARN', title: '"left-pad" has no purl', line: lineContaining(text, '"left-pad"') - 2 }]);
  });

  test('dependencies the SBOM does not list warn, with the list', async () => {
    const text = cyclonedx('1.6', [{ type: 'library', name: 'httpx', version: '0.28.1', purl: 'pkg:pypi/httpx@0.28.1' }]);
    const result = await sc01Of({ 'uv.lock': UV_LOCK, 'sbom.cdx.json': text });
    expect(result.status).toBe('pass');
    const incomplete = result.findings.find((f) => f.rule === 'sbom-incomplete')!;
    expect(incomplete).toMatchObject({ action: 'WARN', file: 'sbom.cdx.json' });
    expect(incomplete.description).toContain('certifi@2025.4.26, numpy@1.26.4, numpy@2.2.6, weather-utils@0.1.0');
    expect(incomplete.description).not.toContain('pytest');
  });

  test('an SBOM whose recorded lockfile digest no longer matches is older than the lockfile', async () => {
    const model = buildDependencyModel(makeBundle({ 'uv.lock': UV_LOCK }));
    const sbom = generateSbom(model, { name: 'x', version: '1.0.0' });
    const changed = UV_LOCK.replace('revision = 2', 'revision = 3');
    const result = await sc01Of({ 'uv.lock': changed, 'sbom.cdx.json': sbom });
    expect(result.findings).toMatchObject([{ rule: 'sbom-older-than-lockfile', action: 'WARN', description: expect.stringContaining('uv.lock changed since the SBOM recorded its digest') }]);
  });

  test('an SBOM listing a locked package at another version is older than the lockfile', async () => {
    const text = cyclonedx('1.6', [{ type: 'library', name: 'httpx', version: '0.27.0', purl: 'pkg:pypi/httpx@0.27.0' }]);
    const result = await sc01Of({ 'uv.lock': UV_LOCK, 'sbom.cdx.json': text });
    expect(result.findings.find((f) => f.rule === 'sbom-older-than-lockfile')?.description).toContain('httpx@0.28.1');
  });

  test('SPDX 2.3 JSON is validated; the package the document describes is not a component', async () => {
    const result = await sc01Of({ 'sbom.spdx.json': JSON.stringify(SPDX, null, 2) });
    expect(result).toMatchObject({ status: 'pass', findings: [] });
    const bad = await sc01Of({ 'sbom.spdx.json': JSON.stringify({ ...SPDX, dataLicense: 'MIT' }, null, 2) });
    expect(bad.findings).toMatchObject([{ rule: 'sbom-schema-invalid', action: 'BLOCK', description: expect.stringContaining('/dataLicense') }]);
    const old = await sc01Of({ 'sbom.spdx.json': JSON.stringify({ ...SPDX, spdxVersion: 'SPDX-2.2' }) });
    expect(old.findings).toMatchObject([{ rule: 'sbom-invalid-format', action: 'BLOCK' }]);
  });

  test('CycloneDX 1.7 is accepted with an INFO note', async () => {
    const result = await sc01Of({ 'sbom.json': cyclonedx('1.7', []) });
    expect(result).toMatchObject({ status: 'pass', findings: [{ rule: 'sbom-version-note', action: 'INFO', severity: 'info' }] });
  });

  test('development-only packages in the SBOM are an INFO', async () => {
    const text = cyclonedx('1.6', [{ type: 'library', name: 'pytest', version: '8.3.5', purl: 'pkg:pypi/pytest@8.3.5' }]);
    const result = await sc01Of({ 'uv.lock': UV_LOCK, 'sbom.cdx.json': text });
    expect(result.findings.find((f) => f.rule === 'sbom-lists-dev-dependencies')).toMatchObject({ action: 'INFO', description: expect.stringContaining('pytest@8.3.5') });
  });

  test('an SBOM inside node_modules is a dependency\'s, not the bundle\'s', async () => {
    const result = await sc01Of({ 'node_modules/x/sbom.json': cyclonedx('1.6', []) });
    expect(result.findings).toMatchObject([{ rule: 'sbom-missing' }]);
  });
});
