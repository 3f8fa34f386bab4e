import { describe, expect, test } from '@jest/globals';
import { makeBundle } from '../../__fixtures__/bundle.js';
import { buildDependencyModel } from '../../src/deps/model.js';

const HIDDEN = JSON.stringify(
  {
    name: 'weather',
    lockfileVersion: 3,
    requires: true,
    packages: {
      'node_modules/zod': { version: '3.25.76', resolved: 'https://registry.npmjs.org/zod/-/zod-3.25.76.tgz', integrity: 'sha512-zodzod==', license: 'MIT' },
      'node_modules/left': { name: 'left-pad', version: '1.3.0', resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz', integrity: 'sha512-left==' },
    },
  },
  null,
  2,
);

describe('vendored packages', () => {
  test('node_modules package.json files: name, version, license; merged with the hidden lockfile entry', () => {
    const model = buildDependencyModel(
      makeBundle({
        'package.json': JSON.stringify({ name: 'weather', dependencies: { zod: '^3.25.0', left: 'npm:left-pad@1.3.0' } }),
        'node_modules/.package-lock.json': HIDDEN,
        'node_modules/zod/package.json': JSON.stringify({ name: 'zod', version: '3.25.76', license: 'MIT' }),
        'node_modules/zod/lib/package.json': JSON.stringify({ type: 'module' }),
        'node_modules/left/package.json': JSON.stringify({ name: 'left-pad', version: '1.3.0', license: { type: 'WTFPL' } }),
        'node_modules/@scope/extra/package.json': JSON.stringify({ name: '@scope/extra', version: '0.1.0', _resolved: 'https://registry.npmjs.org/@scope/extra/-/extra-0.1.0.tgz', _integrity: 'sha512-extra==' }),
      }),
    );
    expect(model.vendored.map((v) => [v.path, v.name, v.version, v.licenses])).toEqual([
      ['node_modules/@scope/extra', '@scope/extra', '0.1.0', []],
      ['node_modules/left', 'left-pad', '1.3.0', ['WTFPL']],
      ['node_modules/zod', 'zod', '3.25.76', ['MIT']],
    ]);
    const zod = model.dependencies.find((d) => d.name === 'zod')!;
    expect(zod).toMatchObject({ direct: true, licenses: ['MIT'], integrity: ['sha512-zodzod=='] });
    expect(zod.locations.map((l) => [l.kind, l.file])).toEqual([
      ['lockfile', 'node_modules/.package-lock.json'],
      ['declaration', 'package.json'],
      ['vendored', 'node_modules/zod/package.json'],
    ]);
    expect(model.dependencies.find((d) => d.name === 'left-pad')).toMatchObject({ direct: true, licenses: ['WTFPL'] });
    expect(model.dependencies.find((d) => d.name === '@scope/extra')).toMatchObject({
      purl: 'pkg:npm/%40scope/extra@0.1.0',
      source: { kind: 'registry' },
      integrity: ['sha512-extra=='],
      locations: [{ kind: 'vendored' }],
    });
  });

  test('Python dist-info: METADATA name, version and license, RECORD entries, PEP 610 direct_url.json', () => {
    const model = buildDependencyModel(
      makeBundle({
        'lib/requests-2.32.3.dist-info/METADATA': 'Metadata-Version: 2.1\nName: requests\nVersion: 2.32.3\nLicense: Apache-2.0\nClassifier: License :: OSI Approved :: Apache Software License\n\nLong description\nName: not-a-header\n',
        'lib/requests-2.32.3.dist-info/RECORD': 'requests/__init__.py,sha256=AAAA,4985\n"requests/odd,name.py",sha256=BBBB,10\nrequests-2.32.3.dist-info/RECORD,,\n',
        'lib/acme_utils-0.1.0.dist-info/METADATA': 'Metadata-Version: 2.4\nName: acme_utils\nVersion: 0.1.0\nLicense-Expression: MIT OR Apache-2.0\n',
        'lib/acme_utils-0.1.0.dist-info/direct_url.json': JSON.stringify({ url: 'https://github.com/acme/utils.git', vcs_info: { vcs: 'git', commit_id: '0123456789abcdef0123456789abcdef01234567', requested_revision: 'main' } }),
      }),
    );
    expect(model.vendored).toMatchObject([
      { ecosystem: 'PyPI', name: 'acme_utils', version: '0.1.0', licenses: ['MIT OR Apache-2.0'], source: { kind: 'git', commit: '0123456789abcdef0123456789abcdef01234567' } },
      {
        name: 'requests',
        version: '2.32.3',
        path: 'lib/requests-2.32.3.dist-info',
        licenses: ['Apache-2.0'],
        source: null,
        record: {
          file: 'lib/requests-2.32.3.dist-info/RECORD',
          entries: [
            { path: 'requests/__init__.py', hash: 'sha256=AAAA', line: 1 },
            { path: 'requests/odd,name.py', hash: 'sha256=BBBB', line: 2 },
            { path: 'requests-2.32.3.dist-info/RECORD', hash: null, line: 3 },
          ],
        },
      },
    ]);
    expect(model.dependencies.find((d) => d.name === 'requests')).toMatchObject({ purl: 'pkg:pypi/requests@2.32.3', source: { kind: 'unknown' } });
  });

  test('lockfiles and manifests inside installed packages are theirs, not the bundle\'s', () => {
    const model = buildDependencyModel(
      makeBundle({
        'node_modules/x/package.json': JSON.stringify({ name: 'x', version: '1.0.0', dependencies: { y: '^1' } }),
        'node_modules/x/package-lock.json': '{}',
        'lib/python3.12/site-packages/z/requirements.txt': 'flask>=2\n',
      }),
    );
    expect(model.lockfiles).toEqual([]);
    expect(model.declarations).toEqual([]);
    expect(model.dependencies.map((d) => d.name)).toEqual(['x']);
  });
});

describe('package.json declarations', () => {
  test('exact versions, ranges, tags, aliases, git and file specs; workspace links skipped', () => {
    const text = JSON.stringify(
      {
        dependencies: { a: '1.2.3', b: '^2.0.0', c: 'latest', d: 'npm:real-d@4.0.0', e: 'acme/e#main', f: 'file:../f', g: 'workspace:*' },
        devDependencies: { jest: '29.7.0' },
      },
      null,
      2,
    );
    const model = buildDependencyModel(makeBundle({ 'package.json': text }));
    expect(model.declarations.map((d) => [d.name, d.spec, d.version ?? null, d.source?.kind ?? null, d.dev, d.line])).toEqual([
      ['a', '1.2.3', '1.2.3', null, false, 3],
      ['b', '^2.0.0', null, null, false, 4],
      ['c', 'latest', null, null, false, 5],
      ['real-d', 'npm:real-d@4.0.0', '4.0.0', null, false, 6],
      ['e', 'acme/e#main', null, 'git', false, 7],
      ['f', 'file:../f', null, 'path', false, 8],
      ['jest', '29.7.0', '29.7.0', null, true, 12],
    ]);
    expect(model.dependencies.find((d) => d.name === 'a')).toMatchObject({ version: '1.2.3', purl: 'pkg:npm/a@1.2.3', direct: true, locations: [{ kind: 'declaration', line: 3 }] });
  });
});
