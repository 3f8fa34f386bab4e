import { describe, expect, it } from '@jest/globals';
import { createFileClassifier, detectLanguage } from '../../src/analysis/scope.js';

describe('file roles (MTF 3.4 CQ-03 "Exclusions")', () => {
  const bundlePaths = [
    'server/lib/requests/__init__.py',
    'server/lib/requests-2.32.3.dist-info/METADATA',
    'app/lib64/python3.12/site.py',
    'dist/lib/index.js',
  ];
  const classify = createFileClassifier(bundlePaths);

  it.each([
    ['server/index.js', 'server'],
    ['server/main.py', 'server'],
    ['src/inspector.py', 'server'],
    ['src/latest.ts', 'server'],
    ['src/attestation.js', 'server'],
    ['src/contest_entry.py', 'server'],
    ['src/testing_utils.py', 'server'],
    ['src/specification.ts', 'server'],
    ['dist/lib/index.js', 'server'],
    ['lib/helpers.js', 'server'],
    ['node_modules/@modelcontextprotocol/sdk/dist/esm/server/mcp.js', 'dependency'],
    ['server/node_modules/zod/index.cjs', 'dependency'],
    ['deps/requests/api.py', 'dependency'],
    ['vendor/left-pad/index.js', 'dependency'],
    ['lib/python3.11/site-packages/httpx/_client.py', 'dependency'],
    ['usr/lib/python3/dist-packages/yaml/__init__.py', 'dependency'],
    ['.venv/bin/activate_this.py', 'dependency'],
    ['venv/lib/python3.12/site-packages/mcp/server/fastmcp/server.py', 'dependency'],
    ['__pypackages__/3.12/lib/anyio/__init__.py', 'dependency'],
    ['bower_components/jquery/jquery.js', 'dependency'],
    ['server/lib/requests/__init__.py', 'dependency'],
    ['app/lib64/python3.12/site.py', 'dependency'],
    ['node_modules/foo/test/index.test.js', 'dependency'],
    ['tests/test_server.py', 'test'],
    ['server/test_tools.py', 'test'],
    ['server/tools_test.py', 'test'],
    ['conftest.py', 'test'],
    ['src/index.test.ts', 'test'],
    ['src/index.spec.mjs', 'test'],
    ['src/App.test.tsx', 'test'],
    ['src/__tests__/tools.ts', 'test'],
    ['test/helpers.js', 'test'],
    ['spec/server_spec.js', 'test'],
    ['specs/tools.js', 'test'],
    ['cmd/server_test.go', 'test'],
  ])('classifies %s as %s', (path, role) => {
    expect(classify(path).role).toBe(role);
  });

  it('treats lib/ as vendored only when it holds a Python install', () => {
    const withoutMarkers = createFileClassifier(['server/lib/requests/__init__.py']);
    expect(withoutMarkers('server/lib/requests/__init__.py').role).toBe('server');
  });
});

describe('source languages', () => {
  it.each([
    ['a.js', 'javascript'],
    ['a.mjs', 'javascript'],
    ['a.cjs', 'javascript'],
    ['a.jsx', 'javascript'],
    ['a.ts', 'typescript'],
    ['a.mts', 'typescript'],
    ['a.cts', 'typescript'],
    ['a.tsx', 'typescript'],
    ['A.JS', 'javascript'],
    ['a.py', 'python'],
    ['a.pyw', 'python'],
    ['a.d.ts', null],
    ['types/index.d.mts', null],
    ['a.json', null],
    ['README.md', null],
    ['a.pyc', null],
    ['a.constructor', null],
    ['a.__proto__', null],
    ['a.toString', null],
  ])('reads %s as %s', (path, language) => {
    expect(detectLanguage(path, Buffer.from('x = 1\n'))).toBe(language);
  });

  it.each([
    ['#!/usr/bin/env node\nconsole.log(1)\n', 'javascript'],
    ['#!/usr/bin/node --no-warnings\n', 'javascript'],
    ['#!/usr/bin/env -S node --experimental-vm-modules\n', 'javascript'],
    ['#!/usr/bin/env python3\nprint(1)\n', 'python'],
    ['#!/usr/local/bin/python3.12\r\n', 'python'],
    ['#!/usr/bin/env PYTHONUNBUFFERED=1 python\n', 'python'],
    ['#!/usr/bin/env tsx\n', 'typescript'],
    ['#!/bin/sh\nexec node server.js\n', null],
    ['console.log(1)\n', null],
  ])('reads an extensionless file starting %j by its shebang', (content, language) => {
    expect(detectLanguage('bin/server', Buffer.from(content))).toBe(language);
  });

  it('does not read shebangs of files that have an extension', () => {
    expect(detectLanguage('bin/server.sh', Buffer.from('#!/usr/bin/env node\n'))).toBeNull();
  });
});
