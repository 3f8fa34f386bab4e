import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { l2Manifest, manifestJson } from '../__fixtures__/bundle.js';
import { mtf } from '../__fixtures__/cli.js';
import { cycloneDxValidator } from '../src/deps/sbom/cyclonedx-schemas.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mtf-sbom-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});


const REQUIREMENTS = 'idna==3.10 --hash=sha256:946d195a0d259cbba61165e88e65941f16e9b36ea6ddb97f00452bae8b1287d3\n';

describe('mtf sbom', () => {
  test('prints a schema-valid CycloneDX 1.6 SBOM of a directory; -o writes the same bytes; a scan then passes SC-01', async () => {
    const dir = join(work, 'server');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'manifest.json'), manifestJson(l2Manifest()));
    await writeFile(join(dir, 'requirements.txt'), REQUIREMENTS);
    const printed = await mtf('sbom', dir);
    expect(printed.code).toBe(0);
    const bom = JSON.parse(printed.stdout);
    expect(cycloneDxValidator('1.6')(bom)).toBe(true);
    expect(bom.metadata.component).toMatchObject({ name: '@acme/weather-server', version: '1.0.0' });
    expect(bom.components.map((c: { purl: string }) => c.purl)).toEqual(['pkg:pypi/idna@3.10']);

    const out = join(dir, 'sbom.cdx.json');
    expect((await mtf('sbom', dir, '-o', out)).code).toBe(0);
    expect(await readFile(out, 'utf8')).toBe(printed.stdout);
    // The SBOM in the directory does not change the SBOM of the directory.
    expect((await mtf('sbom', dir)).stdout).toBe(printed.stdout);

    const report = JSON.parse((await mtf('scan', dir, '--format', 'json', '--level', '0')).stdout);
    expect(report.domains.supply_chain.controls['SC-01']).toMatchObject({ status: 'pass', findings: [] });
  });

  test('a path that is not a bundle exits 2', async () => {
    const result = await mtf('sbom', join(work, 'missing'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('does not exist');
  });

  test('mtf sbom takes exactly one PATH', async () => {
    expect((await mtf('sbom')).code).toBe(2);
  });
});
