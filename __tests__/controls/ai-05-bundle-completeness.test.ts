import { describe, expect, test } from '@jest/globals';
import { checkControl, serverBundle, summarize } from '../../__fixtures__/code.js';
import type { FixtureFile } from '../../__fixtures__/bundle.js';
import { ai05 } from '../../src/controls/artifact_integrity/ai-05-bundle-completeness.js';

async function scan(entry: string, files: Record<string, FixtureFile>, manifest?: Record<string, unknown>) {
  const { bundle } = serverBundle(entry, files, manifest ? { manifest } : {});
  return checkControl(ai05, bundle, 2);
}

const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(56)]);

describe('AI-05 referenced files (DESIGN.md section 4)', () => {
  test('the entry point and what it imports are referenced; the spec\'s always-allowed files pass', async () => {
    const result = await scan('server/index.js', {
      'server/index.js': "import { a } from './lib/a.js';\nconst b = require('../shared/b');\nimport('./lazy.mjs');\n",
      'server/lib/a.js': "export * from './c';\n",
      'server/lib/c.ts': 'export const c = 1;\n',
      'shared/b/index.js': 'module.exports = {};\n',
      'server/lazy.mjs': 'export default 1;\n',
      'README.md': '# x\n',
      'LICENSE': 'MIT\n',
      'CHANGELOG.md': '',
      '.sigstore/bundle.json': '{}',
      'manifest.json.sig': '',
      'package.json': '{}',
      'package-lock.json': '{}',
      'sbom.cdx.json': '{}',
      'node_modules/zod/index.js': 'module.exports = {};\n',
      'node_modules/zod/install.sh': '#!/bin/sh\n',
    });
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('pass');
  });

  test('Python: modules resolved against the entry directory and relative imports, package __init__ files included', async () => {
    const result = await scan('src/app/server.py', {
      'src/app/server.py': 'from .tools import weather\nimport helpers\nfrom app.models import Model\n',
      'src/app/__init__.py': '',
      'src/app/tools/__init__.py': '',
      'src/app/tools/weather.py': 'from ..util import x\n',
      'src/app/util.py': '',
      'src/app/helpers.py': '',
      'src/app/models.py': '',
      'src/app/__pycache__/helpers.cpython-312.pyc': Buffer.from([0x6f, 0x0d, 0x0d, 0x0a]),
    });
    expect(result.findings).toEqual([]);
  });

  test('Python: a module run as a script keeps the __init__.py of its packages; other packages\' do not pass', async () => {
    const result = await scan('src/tz/clock/server.py', {
      'src/tz/clock/server.py': 'print(1)\n',
      'src/tz/clock/__init__.py': '"""Clock tools."""\n',
      'src/tz/__init__.py': '',
      'src/tz/clock/unused.py': '',
      'tools/__init__.py': '',
    });
    expect(summarize(result)).toEqual(['unreferenced-executable@src/tz/clock/unused.py:1 BLOCK', 'unreferenced-executable@tools/__init__.py:1 BLOCK']);
  });

  test('pip-tools\' requirements.in is a dependency declaration, like requirements.txt', async () => {
    const result = await scan('server.py', { 'server.py': 'import idna\n', 'requirements.in': 'idna\n', 'requirements-dev.in': 'pytest\n', 'requirements.txt': 'idna==3.13\n' });
    expect(result.findings).toEqual([]);
  });

  test('a file a shell entry script runs is referenced', async () => {
    const result = await scan('run.sh', { 'run.sh': '#!/bin/sh\nexec node "$(dirname "$0")/dist/main.js" "$@"\n', 'dist/main.js': 'console.log(1);\n' });
    expect(result.findings).toEqual([]);
  });

  test('a file spawned by a path next to the code is referenced', async () => {
    const result = await scan('index.js', {
      'index.js': "const { execFile } = require('child_process');\nconst path = require('path');\nexecFile(path.join(__dirname, 'bin', 'helper'));\n",
      'bin/helper': ELF,
    });
    expect(result.findings).toEqual([]);
  });
});

describe('AI-05 severity (MTF 3.2)', () => {
  test('an executable nothing references blocks, by extension or by content', async () => {
    const result = await scan('index.js', {
      'index.js': 'console.log(1);\n',
      'tools/cleanup.py': 'import os\n',
      'scripts/payload': ELF,
      'bin/run': '#!/usr/bin/env bash\ncurl x | sh\n',
      'lib/native.node': Buffer.from([0x00]),
      'helper.exe': Buffer.from('MZ'),
    });
    expect(result.status).toBe('fail');
    expect(summarize(result)).toEqual([
      'unreferenced-executable@bin/run:1 BLOCK',
      'unreferenced-executable@helper.exe:1 BLOCK',
      'unreferenced-executable@lib/native.node:1 BLOCK',
      'unreferenced-executable@scripts/payload:1 BLOCK',
      'unreferenced-executable@tools/cleanup.py:1 BLOCK',
    ]);
  });

  test('code hidden in tests/ blocks unless the entry point imports it', async () => {
    const hidden = await scan('server.py', { 'server.py': 'print(1)\n', 'tests/test_server.py': 'import os\n' });
    expect(summarize(hidden)).toEqual(['unreferenced-executable@tests/test_server.py:1 BLOCK']);
    const imported = await scan('server.py', { 'server.py': 'from tests import test_server\n', 'tests/test_server.py': 'import os\n' });
    expect(imported.findings).toEqual([]);
  });

  test('a file merely sitting in the entry point\'s folder is not referenced', async () => {
    const result = await scan('server/index.js', { 'server/index.js': '', 'server/old.js': '' });
    expect(summarize(result)).toEqual(['unreferenced-executable@server/old.js:1 BLOCK']);
  });

  test('an install hook outside dependencies always blocks, even when referenced', async () => {
    const result = await scan('index.js', { 'index.js': "require('./postinstall.js');\n", 'postinstall.js': '', 'node_modules/x/postinstall.js': '' });
    expect(summarize(result)).toEqual(['install-hook@postinstall.js:1 BLOCK']);
  });

  test('an unexpected non-executable file warns; data the code names, icons and screenshots do not', async () => {
    const result = await scan(
      'index.js',
      {
        'index.js': "const fs = require('fs');\nfs.readFileSync(process.env.CONFIG ?? 'config/defaults.yaml');\n",
        'config/defaults.yaml': 'a: 1\n',
        'icon.png': Buffer.from([0x89, 0x50]),
        'shots/one.png': Buffer.from([0x89, 0x50]),
        'notes/todo.txt': 'later\n',
        'tsconfig.json': '{}',
      },
      { icon: 'icon.png', screenshots: ['shots/one.png'] },
    );
    expect(result.status).toBe('pass');
    expect(summarize(result)).toEqual(['unexpected-file@notes/todo.txt: WARN', 'unexpected-file@tsconfig.json: WARN']);
  });

  test('compiled companions of referenced code pass', async () => {
    const result = await scan('dist/index.js', { 'dist/index.js': '', 'dist/index.js.map': '{}', 'dist/index.d.ts': 'export {};\n' });
    expect(result.findings).toEqual([]);
  });
});
