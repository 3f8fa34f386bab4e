import { describe, expect, test } from '@jest/globals';
import { checkControl, serverBundle, summarize, type Permissions } from '../../__fixtures__/code.js';
import { lineContaining } from '../../__fixtures__/scan.js';
import { cd02 } from '../../src/controls/capability_declaration/cd-02-permission-correlation.js';

async function scan(entry: string, source: string, permissions: Permissions | null = {}, manifest?: Record<string, unknown>) {
  const { bundle, manifestText } = serverBundle(entry, { [entry]: source }, { permissions, ...(manifest ? { manifest } : {}) });
  return { result: await checkControl(cd02, bundle, 2), manifestText };
}

describe('CD-02 permissions declared (MTF 3.5, 4.3.2)', () => {
  test('missing permissions block from L2, at the extension in manifest.json', async () => {
    const { result, manifestText } = await scan('server.py', 'print("hi")\n', null);
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([
      expect.objectContaining({ rule: 'permissions-missing', action: 'BLOCK', blocks_from: 2, file: 'manifest.json', line: lineContaining(manifestText, '"org.mpaktrust"') }),
    ]);
  });

  test('code within its declared permissions passes', async () => {
    const source = 'import os, httpx, subprocess\nTOKEN = os.environ["API_TOKEN"]\n\ndef tool(path):\n    httpx.get("https://api.example.com")\n    open(path).read()\n    subprocess.run(["git", "status"])\n';
    const { result } = await scan('server.py', source, { network: 'outbound', environment: 'read', filesystem: 'read', subprocess: 'restricted' });
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([]);
  });
});

describe('CD-02 severity by context (MTF 3.5 table)', () => {
  test.each([
    ['subprocess, any context: CRITICAL', 'server.py', 'import subprocess\ndef t():\n    subprocess.run(["ls"])\n', {}, 'undeclared-subprocess@server.py:3 BLOCK critical'],
    ['a shell under subprocess: restricted exceeds it: HIGH', 'index.js', "const { exec: run } = require('child_process');\nrun('ls');\n", { subprocess: 'restricted' }, 'exceeds-subprocess@index.js:2 BLOCK high'],
    ['native code: CRITICAL', 'server.py', 'import ctypes\nlib = ctypes.CDLL("libc.so.6")\n', {}, 'undeclared-native@server.py:2 BLOCK critical'],
    ['a native addon import: CRITICAL', 'index.js', "const addon = require('./build/addon.node');\n", {}, 'undeclared-native@index.js:1 BLOCK critical'],
    ['network at module load: HIGH', 'index.mjs', "await fetch('https://collect.example/boot');\n", {}, 'undeclared-network@index.mjs:1 BLOCK high'],
    ['network in a function main() runs at start-up: HIGH', 'server.py', 'import requests\ndef main():\n    requests.post("https://x.example", json={})\nmain()\n', {}, 'undeclared-network@server.py:3 BLOCK high'],
    ['network in a tool handler: MEDIUM', 'index.js', "server.tool('t', 'T', async () => {\n  await fetch(url);\n});\n", {}, 'undeclared-network@index.js:2 WARN medium'],
    ['an inbound server under network: outbound', 'index.js', "const http = require('http');\nhttp.createServer(handler).listen(8080);\n", { network: 'outbound' }, 'exceeds-network@index.js:2 BLOCK high'],
    ['FastMCP over streamable HTTP listens', 'server.py', 'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("x")\nmcp.run(transport="streamable-http")\n', { network: 'outbound' }, 'exceeds-network@server.py:3 BLOCK high'],
    ['a secret-pattern variable: HIGH', 'server.py', 'import os\nkey = os.getenv("AWS_SECRET_ACCESS_KEY")\n', {}, 'undeclared-environment@server.py:2 BLOCK high'],
    ['a *_TOKEN variable in JS: HIGH', 'index.js', 'const { GITHUB_TOKEN } = process.env;\n', {}, 'undeclared-environment@index.js:1 BLOCK high'],
    ['a general variable: LOW', 'index.js', 'const level = process.env.LOG_LEVEL;\n', {}, 'undeclared-environment@index.js:1 INFO low'],
    ['the whole environment: HIGH', 'index.js', 'const all = JSON.stringify(process.env);\n', { environment: 'none' }, 'undeclared-environment@index.js:1 BLOCK high'],
    ['writing NODE_OPTIONS under environment: read', 'index.js', "process.env.NODE_OPTIONS = '--require ./hook.js';\n", { environment: 'read' }, 'exceeds-environment@index.js:1 BLOCK high'],
    ['a sensitive path: HIGH', 'index.js', "const fs = require('fs');\nconst os = require('os');\nfs.readFileSync(`${os.homedir()}/.aws/credentials`);\n", {}, 'undeclared-filesystem@index.js:3 BLOCK high'],
    ['a sensitive path through pathlib: HIGH', 'server.py', 'from pathlib import Path\n(Path.home() / ".ssh" / "id_rsa").read_text()\n', {}, 'undeclared-filesystem@server.py:2 BLOCK high'],
    ['another path: MEDIUM', 'server.py', 'def t(p):\n    with open(p) as f:\n        return f.read()\n', {}, 'undeclared-filesystem@server.py:2 WARN medium'],
    ['fs loaded under a decoded name is still fs', 'index.js', 'const fs = require(String.fromCharCode(102, 115));\nfs.readFileSync(p);\n', {}, 'undeclared-filesystem@index.js:2 WARN medium'],
    ['a write under filesystem: read', 'index.js', "import { writeFile } from 'node:fs/promises';\nawait writeFile(out, data);\n", { filesystem: 'read' }, 'exceeds-filesystem@index.js:2 WARN medium'],
  ])('%s', async (_name, entry, source, permissions, expected) => {
    const { result } = await scan(entry, source, permissions);
    expect(result.findings.map((f) => `${f.rule}@${f.file}:${f.line} ${f.action} ${f.severity}`)).toEqual([expected]);
  });
});

describe('CD-02 and unreadable server code', () => {
  test('a server file that cannot be parsed is a WARN: its capabilities are unknown', async () => {
    const { result } = await scan('index.js', 'const a = 1;\nconst b = "unterminated;\n');
    expect(summarize(result)).toEqual(['not-analysed@index.js:2 WARN']);
  });
});

describe('CD-02 no false alarms', () => {
  test.each([
    ['urllib.parse', 'server.py', 'import urllib.parse\nq = urllib.parse.urlencode({"a": 1})\nurllib.parse.quote(x)\n'],
    ['regex.exec', 'index.js', 'const m = /(\\d+)/.exec(line);\nconst re = new RegExp("x");\nre.exec(y);\n'],
    ['process.versions and process.platform', 'index.js', 'console.log(process.versions.node, process.platform, process.argv[2]);\n'],
    ['the bundle\'s own files', 'index.mjs', "import { readFileSync } from 'node:fs';\nconst pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));\n"],
    ['__dirname paths', 'index.js', "const fs = require('fs');\nconst path = require('path');\nfs.readFileSync(path.join(__dirname, 'schema.json'));\n"],
    ['Path(__file__).parent', 'server.py', 'from pathlib import Path\n(Path(__file__).parent / "prompts.txt").read_text()\n'],
    ['a fetch of a relative or data: URL', 'index.js', "fetch('./local.json');\nfetch('data:text/plain,hi');\n"],
    ['env handed to a child process', 'index.js', "const { spawn } = require('child_process');\nspawn('git', ['status'], { env: { ...process.env, GIT_PAGER: 'cat' } });\n"],
    ['a local function named fetch', 'index.js', 'function fetch(x) { return x; }\nfetch("https://example.com");\n'],
  ])('%s', async (_name, entry, source) => {
    const { result } = await scan(entry, source, { subprocess: 'restricted' });
    expect(result.findings).toEqual([]);
  });
});

describe('CD-02 mcp_config enables no behaviour outside the permissions', () => {
  const config = (mcp_config: Record<string, unknown>) => ({ server: { type: 'node', entry_point: 'index.js', mcp_config } });

  test.each([
    ['a shell command line', { command: 'bash', args: ['-c', 'node ${__dirname}/index.js'] }, 'config-shell-command BLOCK high'],
    ['cmd /c', { command: 'cmd.exe', args: ['/c', 'node', '${__dirname}/index.js'] }, 'config-shell-command BLOCK high'],
    ['a shell running a bundled script', { command: 'sh', args: ['${__dirname}/start.sh'] }, 'config-shell-script WARN medium'],
    ['npx installing code at start', { command: 'npx', args: ['-y', 'some-mcp-server'] }, 'config-remote-code BLOCK high'],
    ['uvx', { command: 'uvx', args: ['mcp-server-fetch'] }, 'config-remote-code BLOCK high'],
    ['node -e', { command: 'node', args: ['-e', 'require("child_process").exec("id")'] }, 'config-inline-code BLOCK high'],
    ['a preload from outside the bundle', { command: 'node', args: ['--require', '/tmp/hook.js', '${__dirname}/index.js'] }, 'config-preload BLOCK high'],
    ['NODE_OPTIONS --require', { command: 'node', args: ['${__dirname}/index.js'], env: { NODE_OPTIONS: '--require /tmp/x.js' } }, 'config-env-preload BLOCK high'],
    ['LD_PRELOAD', { command: 'node', args: ['${__dirname}/index.js'], env: { LD_PRELOAD: '/tmp/libhook.so' } }, 'config-env-native BLOCK critical'],
    ['a proxy', { command: 'node', args: ['${__dirname}/index.js'], env: { HTTPS_PROXY: 'http://10.0.0.1:3128' } }, 'config-env-proxy WARN medium'],
    ['TLS verification off', { command: 'node', args: ['${__dirname}/index.js'], env: { NODE_TLS_REJECT_UNAUTHORIZED: '0' } }, 'config-env-tls-off BLOCK high'],
    ['deno --allow-run', { command: 'deno', args: ['run', '--allow-run', '${__dirname}/index.js'] }, 'config-deno-permission BLOCK critical'],
  ])('%s', async (_name, mcp, expected) => {
    const { result, manifestText } = await scan('index.js', 'console.log(1);\n', {}, config(mcp));
    expect(result.findings.map((f) => `${f.rule} ${f.action} ${f.severity}`)).toEqual([expected]);
    expect(result.findings[0]).toMatchObject({ file: 'manifest.json', line: expect.any(Number) });
    expect(result.findings[0]!.line).toBeGreaterThan(lineContaining(manifestText, '"mcp_config"') - 1);
  });

  test('a shell command line is allowed with subprocess: full; a plain node start is fine', async () => {
    const shell = await scan('index.js', 'console.log(1);\n', { subprocess: 'full' }, config({ command: 'bash', args: ['-c', 'exec node index.js'] }));
    expect(shell.result.findings).toEqual([]);
    const plain = await scan('index.js', 'console.log(1);\n', {}, config({ command: 'node', args: ['--enable-source-maps', '${__dirname}/index.js'], env: { LOG_LEVEL: 'debug' } }));
    expect(plain.result.findings).toEqual([]);
  });

  test('platform overrides are judged too', async () => {
    const { result } = await scan('index.js', 'console.log(1);\n', {}, config({ command: 'node', args: ['${__dirname}/index.js'], platform_overrides: { win32: { command: 'cmd', args: ['/c', 'node index.js'] } } }));
    expect(summarize(result)).toEqual([expect.stringMatching(/^config-shell-command@manifest\.json:\d+ BLOCK$/)]);
  });
});
