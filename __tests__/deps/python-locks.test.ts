import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { makeBundle } from '../../__fixtures__/bundle.js';
import { lineContaining } from '../../__fixtures__/scan.js';
import { buildDependencyModel } from '../../src/deps/model.js';
import type { Dependency } from '../../src/deps/types.js';

const fixture = (name: string) => readFileSync(join(process.cwd(), '__tests__', 'fixtures', 'deps', name), 'utf8');

function byName(deps: Dependency[]): Record<string, Dependency> {
  return Object.fromEntries(deps.map((d) => [d.name, d]));
}

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('requirements files', () => {
  const files = {
    'requirements.txt': fixture('requirements.txt'),
    'requirements-base.txt': fixture('requirements-base.txt'),
    'constraints.txt': fixture('constraints.txt'),
    'requirements-dev.txt': fixture('requirements-dev.txt'),
  };
  const text = files['requirements.txt'];
  const model = buildDependencyModel(makeBundle(files));
  const deps = byName(model.dependencies);

  test('pins with hashes on continuation lines, located at the requirement line', () => {
    expect(deps.anyio).toMatchObject({
      ecosystem: 'PyPI',
      version: '4.9.0',
      purl: 'pkg:pypi/anyio@4.9.0',
      integrity: ['sha256:673c0c244e15788651a4ff38710fea9675823028a6f08a5eda409e0c9840a028', 'sha256:9f76d541cad6e36af7beb62e978876f3b41e3e04f2c1fbf0884604c0a9c4d93c'],
      locations: [{ file: 'requirements.txt', line: lineContaining(text, 'anyio==4.9.0'), kind: 'lockfile' }],
    });
  });

  test("pip-compile's `# via` tells direct from transitive; extras and markers do not hide the pin", () => {
    expect(deps.anyio).toMatchObject({ direct: false });
    expect(deps.mcp).toMatchObject({ version: '1.9.4', direct: true, integrity: [expect.stringMatching(/^sha256:7fcf/)] });
    expect(deps.httpx).toMatchObject({ version: null, purl: null, direct: false });
  });

  test('-r includes are read as requirements, -c constraints pin what they constrain', () => {
    expect(deps.certifi).toMatchObject({ version: '2025.4.26', locations: [{ file: 'requirements-base.txt', line: 1 }] });
    expect(deps.sniffio).toMatchObject({ version: '1.3.1', integrity: ['sha256:2f6da418d1f1e0fddd844478f41680e794e6051915791a034ff65e5f100525a2'] });
    expect(model.lockfiles.map((l) => l.file)).toEqual(['requirements-base.txt', 'requirements-dev.txt', 'requirements.txt']);
  });

  test('VCS, URL and local requirements keep their source; a dev requirements file is dev', () => {
    expect(deps['acme-tools']).toMatchObject({ source: { kind: 'git', commit: SHA }, purl: null });
    expect(deps.branchy).toMatchObject({ source: { kind: 'git' }, version: null });
    expect(deps.branchy!.source.commit).toBeUndefined();
    expect(deps.wheelie).toMatchObject({
      version: '1.0.0',
      source: { kind: 'url' },
      integrity: ['sha256:abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789'],
    });
    expect(deps['./local_pkg']).toMatchObject({ source: { kind: 'path', url: './local_pkg' } });
    expect(deps.pytest).toMatchObject({ dev: true });
  });

  test('index options are registry declarations at their lines', () => {
    expect(model.registries).toEqual([
      { ecosystem: 'PyPI', url: 'https://pypi.org/simple', kind: 'index', file: 'requirements.txt', line: lineContaining(text, '--index-url') },
      { ecosystem: 'PyPI', url: 'https://pypi.internal.example/simple', kind: 'extra-index', file: 'requirements.txt', line: lineContaining(text, '--extra-index-url') },
    ]);
  });

  test('an include that the bundle does not hold is a problem at the -r line', () => {
    const broken = buildDependencyModel(makeBundle({ 'requirements.txt': 'flask==3.0.0\n-r missing.txt\n' }));
    expect(broken.problems).toEqual([{ file: 'requirements.txt', line: 2, message: 'includes missing.txt, which the bundle does not contain' }]);
  });

  test('includes that loop are read once', () => {
    const loop = buildDependencyModel(makeBundle({ 'requirements.txt': '-r requirements-b.txt\na==1.0\n', 'requirements-b.txt': '-r requirements.txt\nb==2.0\n' }));
    expect(loop.dependencies.map((d) => d.name)).toEqual(['a', 'b']);
  });
});

describe('poetry.lock', () => {
  test('2.x: files hashes, legacy and git sources, dev from the pyproject groups through the graph', () => {
    const lock = fixture('poetry.lock');
    const model = buildDependencyModel(makeBundle({ 'poetry.lock': lock, 'pyproject.toml': fixture('pyproject-poetry.toml') }));
    expect(model.problems).toEqual([]);
    const deps = byName(model.dependencies);
    expect(deps.anyio).toMatchObject({
      version: '4.9.0',
      integrity: ['sha256:9f76d541cad6e36af7beb62e978876f3b41e3e04f2c1fbf0884604c0a9c4d93c', 'sha256:673c0c244e15788651a4ff38710fea9675823028a6f08a5eda409e0c9840a028'],
      direct: true,
      dev: false,
    });
    expect(deps.anyio!.locations[0]).toEqual({ file: 'poetry.lock', line: lineContaining(lock, 'name = "anyio"') - 1, kind: 'lockfile' });
    expect(deps.idna).toMatchObject({ direct: false, dev: false });
    expect(deps['internal-sdk']).toMatchObject({ source: { kind: 'registry', url: 'https://pypi.internal.example/simple' } });
    expect(deps['weather-utils']).toMatchObject({ source: { kind: 'git', commit: '89abcdef0123456789abcdef0123456789abcdef' } });
    expect(deps.pytest).toMatchObject({ direct: true, dev: true });
    expect(deps.iniconfig).toMatchObject({ direct: false, dev: true });
    expect(model.registries).toMatchObject([{ url: 'https://pypi.internal.example/simple', kind: 'extra-index', file: 'pyproject.toml' }]);
  });

  test('1.1: category and [metadata.files]', () => {
    const model = buildDependencyModel(makeBundle({ 'poetry.lock': fixture('poetry-1.1.lock') }));
    expect(model.dependencies.map((d) => [d.name, d.dev, d.integrity.length])).toEqual([
      ['black', true, 0],
      ['requests', false, 1],
    ]);
  });
});

describe('uv.lock', () => {
  test('registry and git sources, sdist and wheel hashes, forked versions, the virtual root and its dev group', () => {
    const lock = fixture('uv.lock');
    const model = buildDependencyModel(makeBundle({ 'uv.lock': lock }));
    expect(model.problems).toEqual([]);
    expect(model.dependencies.map((d) => `${d.name}@${d.version}`)).toEqual([
      'certifi@2025.4.26',
      'httpx@0.28.1',
      'iniconfig@2.1.0',
      'numpy@1.26.4',
      'numpy@2.2.6',
      'pytest@8.3.5',
      'weather-utils@0.1.0',
    ]);
    const [certifi, httpx, iniconfig, numpy1, numpy2, pytest, utils] = model.dependencies as [Dependency, Dependency, Dependency, Dependency, Dependency, Dependency, Dependency];
    expect(certifi).toMatchObject({ source: { kind: 'registry', url: 'https://pypi.org/simple' }, integrity: [expect.stringMatching(/^sha256:0a81/), expect.stringMatching(/^sha256:3035/)], direct: false, dev: false });
    expect(certifi.locations[0]!.line).toBe(lineContaining(lock, 'name = "certifi"') - 1);
    expect(httpx).toMatchObject({ direct: true, dev: false });
    expect(numpy2).toMatchObject({ direct: true });
    expect(numpy1).toMatchObject({ direct: false });
    expect(pytest).toMatchObject({ direct: true, dev: true });
    expect(iniconfig).toMatchObject({ dev: true });
    expect(utils).toMatchObject({ source: { kind: 'git', commit: '89abcdef0123456789abcdef0123456789abcdef' }, integrity: [], purl: null });
  });
});

describe('Pipfile.lock', () => {
  test('default and develop, index names resolved to URLs, git refs, the project itself left out', () => {
    const lock = fixture('Pipfile.lock');
    const model = buildDependencyModel(makeBundle({ 'Pipfile.lock': lock, Pipfile: fixture('Pipfile') }));
    const deps = byName(model.dependencies);
    expect(Object.keys(deps).sort()).toEqual(['certifi', 'internal-sdk', 'pytest', 'weather-utils']);
    expect(deps.certifi).toMatchObject({ version: '2025.4.26', integrity: [expect.any(String), expect.any(String)], direct: false, dev: false, source: { url: 'https://pypi.org/simple' } });
    expect(deps.certifi!.locations[0]!.line).toBe(lineContaining(lock, '"certifi": {'));
    expect(deps['internal-sdk']).toMatchObject({ direct: true, source: { kind: 'registry', url: 'https://pypi.internal.example/simple' } });
    expect(deps['weather-utils']).toMatchObject({ source: { kind: 'git', commit: '89abcdef0123456789abcdef0123456789abcdef' } });
    expect(deps.pytest).toMatchObject({ dev: true, direct: true });
    expect(model.registries.map((r) => [r.url, r.kind, r.file])).toEqual([
      ['https://pypi.org/simple', 'index', 'Pipfile'],
      ['https://pypi.org/simple', 'index', 'Pipfile.lock'],
      ['https://pypi.internal.example/simple', 'extra-index', 'Pipfile.lock'],
    ]);
  });
});

describe('pyproject.toml declarations', () => {
  test('PEP 621, extras, PEP 735 groups; exact pins and ranges; names compare normalized against a lockfile', () => {
    const pyproject = `[project]
name = "weather"
version = "1.0.0"
dependencies = [
  "mcp==1.9.4",
  "Typing_Extensions>=4.12",
  "acme-utils @ git+https://github.com/acme/utils@main",
]

[project.optional-dependencies]
test = ["pytest>=8"]
cli = ["typer==0.16.0"]

[dependency-groups]
lint = ["ruff==0.11.0"]
`;
    const model = buildDependencyModel(makeBundle({ 'pyproject.toml': pyproject, 'requirements.txt': 'typing-extensions==4.14.0\n' }));
    const deps = byName(model.dependencies);
    expect(deps.mcp).toMatchObject({ version: '1.9.4', purl: 'pkg:pypi/mcp@1.9.4', direct: true, dev: false, locations: [{ file: 'pyproject.toml', line: 5, kind: 'declaration' }] });
    expect(deps['typing-extensions']!.locations.map((l) => [l.file, l.kind])).toEqual([
      ['requirements.txt', 'lockfile'],
      ['pyproject.toml', 'declaration'],
    ]);
    expect(deps['acme-utils']).toMatchObject({ version: null, source: { kind: 'git' } });
    expect(deps.pytest).toMatchObject({ version: null, dev: true });
    expect(deps.typer).toMatchObject({ version: '0.16.0', dev: false });
    expect(deps.ruff).toMatchObject({ dev: true });
  });

  test('a TOML syntax error is a problem', () => {
    const model = buildDependencyModel(makeBundle({ 'pyproject.toml': '[project\nname = 1\n' }));
    expect(model.problems).toEqual([expect.objectContaining({ file: 'pyproject.toml', message: expect.stringContaining('not valid TOML') })]);
  });
});
