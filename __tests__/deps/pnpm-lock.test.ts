import { describe, expect, test } from '@jest/globals';
import { makeBundle } from '../../__fixtures__/bundle.js';
import { lineContaining } from '../../__fixtures__/scan.js';
import { buildDependencyModel } from '../../src/deps/model.js';
import type { Dependency } from '../../src/deps/types.js';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

const V9 = `lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    dependencies:
      '@modelcontextprotocol/sdk':
        specifier: ^1.12.0
        version: 1.12.1
      string-width-cjs:
        specifier: npm:string-width@^4.2.0
        version: string-width@4.2.3
      gitpkg:
        specifier: github:acme/gitpkg#main
        version: https://codeload.github.com/acme/gitpkg/tar.gz/${SHA}
      local-tools:
        specifier: file:../local-tools
        version: file:../local-tools
    devDependencies:
      typescript:
        specifier: ^5.9.0
        version: 5.9.3

  packages/shared:
    dependencies:
      zod:
        specifier: ^3.25.0
        version: 3.25.76

packages:

  '@modelcontextprotocol/sdk@1.12.1':
    resolution: {integrity: sha512-sdkSdkSdk==}
    engines: {node: '>=18'}

  ansi-regex@5.0.1:
    resolution: {integrity: sha512-ansiAnsi==}
    engines: {node: '>=8'}

  gitpkg@https://codeload.github.com/acme/gitpkg/tar.gz/${SHA}:
    resolution: {tarball: https://codeload.github.com/acme/gitpkg/tar.gz/${SHA}}
    version: 2.0.0

  local-tools@file:../local-tools:
    resolution: {directory: ../local-tools, type: directory}

  string-width@4.2.3:
    resolution: {integrity: sha512-swSw==}
    engines: {node: '>=8'}

  strip-ansi@6.0.1:
    resolution: {integrity: sha512-stripStrip==}

  typescript@5.9.3:
    resolution: {integrity: sha512-tsTs==}
    hasBin: true

  zod@3.25.76:
    resolution: {integrity: sha512-zodZod==}

snapshots:

  '@modelcontextprotocol/sdk@1.12.1':
    dependencies:
      zod: 3.25.76

  ansi-regex@5.0.1: {}

  gitpkg@https://codeload.github.com/acme/gitpkg/tar.gz/${SHA}: {}

  local-tools@file:../local-tools: {}

  string-width@4.2.3:
    dependencies:
      strip-ansi: 6.0.1

  strip-ansi@6.0.1:
    dependencies:
      ansi-regex: 5.0.1

  typescript@5.9.3: {}

  zod@3.25.76: {}
`;

const V6 = `lockfileVersion: '6.0'

settings:
  autoInstallPeers: true

dependencies:
  express:
    specifier: ^4.18.2
    version: 4.18.2

devDependencies:
  jest:
    specifier: ^29.7.0
    version: 29.7.0(@types/node@20.19.25)

packages:

  /express@4.18.2:
    resolution: {integrity: sha512-expressExpress==}
    engines: {node: '>= 0.10.0'}
    dependencies:
      accepts: 1.3.8
    dev: false

  /accepts@1.3.8:
    resolution: {integrity: sha512-acceptsAccepts==}
    dev: false

  /jest@29.7.0(@types/node@20.19.25):
    resolution: {integrity: sha512-jestJest==}
    dev: true

  /private-pkg@1.0.0:
    resolution: {integrity: sha512-priv==, tarball: https://npm.internal.example/private-pkg/-/private-pkg-1.0.0.tgz}
    dev: false
`;

const V54 = `lockfileVersion: 5.4

specifiers:
  lodash: ^4.17.21
  '@types/lodash': ^4.14.0

dependencies:
  lodash: 4.17.21

devDependencies:
  '@types/lodash': 4.14.202

packages:

  /lodash/4.17.21:
    resolution: {integrity: sha512-lodashLodash==}
    dev: false

  /@types/lodash/4.14.202:
    resolution: {integrity: sha512-typesTypes==}
    dev: true

  /react-dom/18.2.0_react@18.2.0:
    resolution: {integrity: sha512-reactDom==}
    dev: false
`;

function byName(deps: Dependency[]): Record<string, Dependency> {
  return Object.fromEntries(deps.map((d) => [d.name, d]));
}

describe('pnpm-lock.yaml', () => {
  test('9.0: importers give direct deps, snapshots the graph; aliases, git, directories, dev by reachability, lines', () => {
    const model = buildDependencyModel(makeBundle({ 'pnpm-lock.yaml': V9 }));
    expect(model.problems).toEqual([]);
    expect(model.lockfiles).toMatchObject([{ file: 'pnpm-lock.yaml', format: 'pnpm-lock', ecosystem: 'npm' }]);
    const deps = byName(model.dependencies);
    expect(Object.keys(deps).sort()).toEqual(['@modelcontextprotocol/sdk', 'ansi-regex', 'gitpkg', 'local-tools', 'string-width', 'strip-ansi', 'typescript', 'zod']);
    expect(deps['@modelcontextprotocol/sdk']).toMatchObject({
      version: '1.12.1',
      purl: 'pkg:npm/%40modelcontextprotocol/sdk@1.12.1',
      integrity: ['sha512-sdkSdkSdk=='],
      source: { kind: 'registry', url: null },
      direct: true,
      dev: false,
      locations: [{ file: 'pnpm-lock.yaml', line: lineContaining(V9, "'@modelcontextprotocol/sdk@1.12.1':"), kind: 'lockfile' }],
    });
    // The alias string-width-cjs installs string-width: the package is what is locked.
    expect(deps['string-width']).toMatchObject({ version: '4.2.3', direct: true, dev: false });
    expect(deps['strip-ansi']).toMatchObject({ direct: false, dev: false });
    expect(deps['ansi-regex']).toMatchObject({ direct: false, dev: false });
    expect(deps.gitpkg).toMatchObject({ version: '2.0.0', purl: null, source: { kind: 'git', commit: SHA } });
    expect(deps['local-tools']).toMatchObject({ version: null, source: { kind: 'path', url: '../local-tools' } });
    expect(deps.typescript).toMatchObject({ direct: true, dev: true });
    // zod is declared by the workspace package packages/shared, and reached from the SDK.
    expect(deps.zod).toMatchObject({ direct: true, dev: false });
  });

  test('6.0: /name@version keys, peer suffixes, dev flags, tarballs on another registry', () => {
    const model = buildDependencyModel(makeBundle({ 'pnpm-lock.yaml': V6 }));
    const deps = byName(model.dependencies);
    expect(deps.express).toMatchObject({ version: '4.18.2', direct: true, dev: false });
    expect(deps.accepts).toMatchObject({ direct: false, dev: false });
    expect(deps.jest).toMatchObject({ version: '29.7.0', direct: true, dev: true });
    expect(deps['private-pkg']).toMatchObject({
      source: { kind: 'registry', url: 'https://npm.internal.example/private-pkg/-/private-pkg-1.0.0.tgz' },
      locations: [{ line: lineContaining(V6, '/private-pkg@1.0.0:') }],
    });
  });

  test('5.4: /name/version keys with peer suffixes', () => {
    const model = buildDependencyModel(makeBundle({ 'pnpm-lock.yaml': V54 }));
    expect(model.dependencies.map((d) => [d.name, d.version, d.direct, d.dev])).toEqual([
      ['@types/lodash', '4.14.202', true, true],
      ['lodash', '4.17.21', true, false],
      ['react-dom', '18.2.0', false, false],
    ]);
  });

  test('an unknown lockfileVersion or broken YAML is a problem, never a crash', () => {
    expect(buildDependencyModel(makeBundle({ 'pnpm-lock.yaml': "lockfileVersion: '3'\n" })).problems).toEqual([
      expect.objectContaining({ file: 'pnpm-lock.yaml', message: expect.stringContaining('unsupported pnpm lockfileVersion') }),
    ]);
    expect(buildDependencyModel(makeBundle({ 'pnpm-lock.yaml': 'packages: [\n' })).problems[0]!.message).toContain('not valid YAML');
    const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`;
    expect(buildDependencyModel(makeBundle({ 'pnpm-lock.yaml': bomb })).problems[0]!.message).toMatch(/not usable YAML|alias/i);
  });
});
