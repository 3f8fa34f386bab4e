import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { l2Manifest, makeBundle, manifestJson } from '../../__fixtures__/bundle.js';
import { FIXTURE_DATA } from '../../__fixtures__/vuln-fixtures.js';
import { startVulnServer, type VulnServer } from '../../__fixtures__/vuln-server.js';
import { createContext, type ScanContext } from '../../src/context.js';
import { sc02 } from '../../src/controls/supply_chain/sc-02-vulnerability-scanning.js';
import type { Dependency, DependencyModel } from '../../src/deps/types.js';
import { silentLogger } from '../../src/logger.js';
import { defaultConfig } from '../../src/spec/config-schema.js';
import { createVulnerabilitySource } from '../../src/vuln/source.js';

/**
 * SC-02 reads the dependency model through its contract (src/deps/types.ts), whatever ecosystem filled it; these
 * models are built directly, as the PyPI, Go and crates.io lockfile readers will build them.
 */

let server: VulnServer;
beforeAll(async () => {
  server = await startVulnServer(FIXTURE_DATA);
});
afterAll(async () => {
  await server.close();
});

function dependency(overrides: Partial<Dependency> & Pick<Dependency, 'ecosystem' | 'name' | 'version'>): Dependency {
  return {
    purl: null,
    integrity: [],
    source: { kind: 'registry', url: null },
    direct: true,
    dev: false,
    locations: [{ file: 'uv.lock', line: 12, kind: 'lockfile' }],
    ...overrides,
  };
}

function contextWith(model: DependencyModel): ScanContext {
  const bundle = makeBundle({ 'manifest.json': manifestJson(l2Manifest()), 'server.py': '' });
  const ctx = createContext(bundle, defaultConfig(), silentLogger, 2, { vulnerabilities: createVulnerabilitySource(server.settings(), silentLogger) });
  return { ...ctx, dependencies: () => model };
}

test('PyPI, Go and crates.io components are queried by their OSV ecosystem names, findings at their lockfile lines', async () => {
  const model: DependencyModel = {
    dependencies: [
      dependency({ ecosystem: 'PyPI', name: 'Fixture_Lib', version: '2.1.0' }),
      dependency({ ecosystem: 'Go', name: 'example.com/fixture/mod', version: 'v1.4.0', locations: [{ file: 'go.sum', line: 3, kind: 'lockfile' }] }),
      dependency({ ecosystem: 'crates.io', name: 'serde', version: '1.0.200', locations: [{ file: 'Cargo.lock', line: 40, kind: 'lockfile' }] }),
      dependency({ ecosystem: 'PyPI', name: 'pinned', version: '3.0.0', source: { kind: 'unknown', url: null }, locations: [{ file: 'requirements.txt', line: 2, kind: 'lockfile' }] }),
      dependency({ ecosystem: 'PyPI', name: 'requests', version: null, locations: [{ file: 'requirements.txt', line: 1, kind: 'declaration' }] }),
      dependency({ ecosystem: 'PyPI', name: 'vendored', version: '0.1.0', source: { kind: 'git', url: 'git+https://github.com/acme/vendored@abc' } }),
    ],
    lockfiles: [],
    declarations: [],
    vendored: [],
    registries: [],
    problems: [{ file: 'poetry.lock', line: 7, message: 'not valid TOML' }],
  };
  const outcome = await sc02.check(contextWith(model));
  const queries = (server.requests.find((r) => r.endpoint === 'querybatch')!.body as { queries: object[] }).queries;
  expect(queries).toEqual([
    { package: { ecosystem: 'PyPI', name: 'Fixture_Lib' }, version: '2.1.0' },
    { package: { ecosystem: 'Go', name: 'example.com/fixture/mod' }, version: '1.4.0' },
    { package: { ecosystem: 'crates.io', name: 'serde' }, version: '1.0.200' },
    { package: { ecosystem: 'PyPI', name: 'pinned' }, version: '3.0.0' },
  ]);
  expect(outcome.kind).toBe('findings');
  expect(outcome.findings.map((f) => [f.rule, f.action, f.file, f.line])).toEqual([
    ['dependencies-unreadable', 'WARN', 'poetry.lock', 7],
    ['unpinned-not-scanned', 'WARN', 'requirements.txt', 1],
    ['non-registry-not-scanned', 'WARN', 'uv.lock', 12],
    ['blocking-vulnerability', 'BLOCK', 'uv.lock', 12],
    ['medium-severity', 'WARN', 'go.sum', 3],
  ]);
  expect(outcome.findings[3]!.title).toBe('CVE-2026-10020 in Fixture_Lib@2.1.0 (CVSS 9.8)');
});
