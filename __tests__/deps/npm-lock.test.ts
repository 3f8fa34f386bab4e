import { describe, expect, test } from '@jest/globals';
import { makeBundle } from '../../__fixtures__/bundle.js';
import { lineContaining } from '../../__fixtures__/scan.js';
import { buildDependencyModel } from '../../src/deps/model.js';

const V3 = `{
  "name": "weather",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "weather",
      "version": "1.0.0",
      "dependencies": { "@modelcontextprotocol/sdk": "^1.12.0", "left": "npm:left-pad@1.3.0", "local": "file:../local" },
      "devDependencies": { "jest": "^29.7.0" }
    },
    "node_modules/@modelcontextprotocol/sdk": {
      "version": "1.12.1",
      "resolved": "https://registry.npmjs.org/@modelcontextprotocol/sdk/-/sdk-1.12.1.tgz",
      "integrity": "sha512-aaaa"
    },
    "node_modules/@modelcontextprotocol/sdk/node_modules/zod": {
      "version": "3.25.0",
      "integrity": "sha512-bbbb"
    },
    "node_modules/left": {
      "name": "left-pad",
      "version": "1.3.0",
      "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",
      "integrity": "sha512-cccc"
    },
    "node_modules/local": { "resolved": "../local", "link": true },
    "../local": { "version": "0.0.1" },
    "node_modules/gitdep": {
      "version": "2.0.0",
      "resolved": "git+ssh://git@github.com/acme/gitdep.git#0123456789abcdef0123456789abcdef01234567"
    },
    "node_modules/jest": { "version": "29.7.0", "dev": true, "integrity": "sha512-dddd" }
  }
}
`;

const V1 = `{
  "name": "old",
  "lockfileVersion": 1,
  "dependencies": {
    "express": {
      "version": "4.18.2",
      "resolved": "https://registry.npmjs.org/express/-/express-4.18.2.tgz",
      "integrity": "sha512-eeee",
      "dependencies": {
        "debug": { "version": "2.6.9", "integrity": "sha512-ffff" }
      }
    },
    "tarball": { "version": "https://example.com/tarball-1.0.0.tgz" }
  }
}
`;

describe('npm lockfiles in the dependency model', () => {
  test('package-lock.json v3: names, aliases, nesting, direct/dev, integrity, sources, purls and lines', () => {
    const model = buildDependencyModel(makeBundle({ 'package-lock.json': V3 }));
    expect(model.lockfiles).toEqual([{ file: 'package-lock.json', format: 'package-lock', ecosystem: 'npm', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    const byName = Object.fromEntries(model.dependencies.map((d) => [d.name, d]));
    expect(Object.keys(byName)).toEqual(['@modelcontextprotocol/sdk', 'gitdep', 'jest', 'left-pad', 'zod']);
    expect(byName['@modelcontextprotocol/sdk']).toMatchObject({
      version: '1.12.1',
      purl: 'pkg:npm/%40modelcontextprotocol/sdk@1.12.1',
      integrity: ['sha512-aaaa'],
      source: { kind: 'registry' },
      direct: true,
      dev: false,
      locations: [{ file: 'package-lock.json', line: lineContaining(V3, '"node_modules/@modelcontextprotocol/sdk"'), kind: 'lockfile' }],
    });
    expect(byName.zod).toMatchObject({ version: '3.25.0', direct: false, source: { kind: 'registry', url: null } });
    expect(byName['left-pad']).toMatchObject({ version: '1.3.0', direct: true, purl: 'pkg:npm/left-pad@1.3.0' });
    expect(byName.gitdep).toMatchObject({ purl: null, source: { kind: 'git', commit: '0123456789abcdef0123456789abcdef01234567' } });
    expect(byName.jest).toMatchObject({ dev: true, direct: true });
  });

  test('package-lock.json v1: the nested tree, and a tarball URL as the version', () => {
    const model = buildDependencyModel(makeBundle({ 'package-lock.json': V1 }));
    expect(model.dependencies.map((d) => [d.name, d.version, d.direct, d.source.kind])).toEqual([
      ['debug', '2.6.9', false, 'registry'],
      ['express', '4.18.2', true, 'registry'],
      ['tarball', 'https://example.com/tarball-1.0.0.tgz', true, 'url'],
    ]);
    expect(model.dependencies[0]!.locations[0]!.line).toBe(lineContaining(V1, '"debug"'));
  });

  test('npm\'s hidden lockfile counts; lockfiles inside dependency packages do not', () => {
    const model = buildDependencyModel(
      makeBundle({ 'node_modules/.package-lock.json': V3, 'node_modules/x/package-lock.json': V1 }),
    );
    expect(model.lockfiles.map((l) => [l.file, l.format])).toEqual([['node_modules/.package-lock.json', 'npm-hidden-lockfile']]);
  });

  test('the same package in two lockfiles is one dependency with both locations', () => {
    const model = buildDependencyModel(makeBundle({ 'package-lock.json': V3, 'node_modules/.package-lock.json': V3 }));
    const sdk = model.dependencies.find((d) => d.name === '@modelcontextprotocol/sdk')!;
    expect(sdk.locations.map((l) => l.file)).toEqual(['node_modules/.package-lock.json', 'package-lock.json']);
  });

  test('a lockfile that is not JSON is a problem, not a crash', () => {
    const model = buildDependencyModel(makeBundle({ 'package-lock.json': '{ nope' }));
    expect(model.dependencies).toEqual([]);
    expect(model.problems).toEqual([expect.objectContaining({ file: 'package-lock.json', message: expect.stringContaining('not valid JSON') })]);
  });
});
