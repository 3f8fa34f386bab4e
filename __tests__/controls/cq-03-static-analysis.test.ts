import { describe, expect, test } from '@jest/globals';
import { checkControl, serverBundle, summarize } from '../../__fixtures__/code.js';
import { MAX_PARSE_BYTES } from '../../src/analysis/file-pass.js';
import { mapRating, type Rating } from '../../src/controls/code_quality/code-findings.js';
import type { Severity } from '../../src/spec/levels.js';
import { cq03 } from '../../src/controls/code_quality/cq-03-static-analysis.js';

async function scanPython(source: string) {
  return checkControl(cq03, serverBundle('server.py', { 'server.py': source }).bundle, 2);
}

async function scanJs(source: string, name = 'index.js') {
  return checkControl(cq03, serverBundle(name, { [name]: source }).bundle, 2);
}

describe('the CQ-03 severity mapping (MTF 3.4)', () => {
  test.each([
    ['HIGH', 'HIGH', 'high'],
    ['HIGH', 'MEDIUM', 'medium'],
    ['MEDIUM', 'HIGH', 'medium'],
    ['MEDIUM', 'MEDIUM', 'low'],
    ['LOW', 'HIGH', 'info'],
    ['LOW', 'LOW', 'info'],
    ['HIGH', 'LOW', 'low'],
    ['MEDIUM', 'LOW', 'info'],
  ] satisfies [Rating, Rating, Severity][])('%s severity, %s confidence is %s', (severity, confidence, expected) => {
    expect(mapRating(severity, confidence)).toBe(expected);
  });
});

describe('CQ-03 Bandit checks (Python)', () => {
  test.each([
    ['B602 shell=True with a computed command', 'import subprocess\nsubprocess.call("ls " + d, shell=True)\n', 'B602-subprocess_popen_with_shell_equals_true@server.py:2 BLOCK'],
    ['B602 with a literal command is LOW', 'import subprocess\nsubprocess.call("ls", shell=True)\n', 'B602-subprocess_popen_with_shell_equals_true@server.py:2 INFO'],
    ['B605 os.system with a computed command', 'from os import system\nsystem(f"ping {host}")\n', 'B605-start_process_with_a_shell@server.py:2 BLOCK'],
    ['B604 shell=True on another function', 'helper.run(cmd, shell=True)\n', 'B604-any_other_function_with_shell_equals_true@server.py:1 INFO'],
    ['B307 eval', 'eval(expr)\n', 'B307-eval@server.py:1 WARN'],
    ['B102 exec', 'exec(code)\n', 'B102-exec_used@server.py:1 WARN'],
    ['B301 pickle', 'import pickle\npickle.loads(blob)\n', 'B301-pickle@server.py:2 WARN'],
    ['B302 marshal', 'import marshal\nmarshal.loads(blob)\n', 'B302-marshal@server.py:2 WARN'],
    ['B506 yaml.load', 'import yaml\nyaml.load(doc)\n', 'B506-yaml_load@server.py:2 WARN'],
    ['B501 verify=False', 'import requests\nrequests.get(url, verify=False)\n', 'B501-request_with_no_cert_validation@server.py:2 BLOCK'],
    ['B501 on an httpx client', 'import httpx\nhttpx.AsyncClient(verify=False)\n', 'B501-request_with_no_cert_validation@server.py:2 BLOCK'],
    ['B323 unverified context', 'import ssl\nctx = ssl._create_unverified_context()\n', 'B323-unverified_context@server.py:2 WARN'],
    ['B502 a bad TLS version', 'import ssl\nssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_TLSv1)\n', 'B502-ssl_with_bad_version@server.py:2 BLOCK'],
    ['B104 bind all interfaces', 'HOST = "0.0.0.0"\n', 'B104-hardcoded_bind_all_interfaces@server.py:1 INFO'],
    ['B108 a temp directory', 'path = "/tmp/cache.db"\n', 'B108-hardcoded_tmp_directory@server.py:1 INFO'],
    ['B306 mktemp', 'import tempfile\nname = tempfile.mktemp()\n', 'B306-mktemp_q@server.py:2 WARN'],
    ['B324 a weak hash', 'import hashlib\ndigest = hashlib.md5(data).hexdigest()\n', 'B324-hashlib@server.py:2 BLOCK'],
    ['B324 through hashlib.new', 'import hashlib\nhashlib.new("sha1", data)\n', 'B324-hashlib@server.py:2 BLOCK'],
    ['B303 another library\'s MD5', 'from Crypto.Hash import MD5\nMD5.new(data)\n', 'B303-md5@server.py:2 WARN'],
    ['B313 an XML parser', 'import xml.etree.ElementTree as ET\nET.fromstring(body)\n', 'B313-xml_bad_parsers@server.py:2 WARN'],
    ['B201 Flask debug', 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n', 'B201-flask_debug_true@server.py:3 WARN'],
    ['B310 urlopen', 'import urllib.request\nurllib.request.urlopen(url)\n', 'B310-urllib_urlopen@server.py:2 WARN'],
    ['B608 a query executed from an f-string', 'cur.execute(f"SELECT * FROM t WHERE id = {i}")\n', 'B608-hardcoded_sql_expressions@server.py:1 INFO'],
    ['B608 a query built with %', 'q = "DELETE FROM t WHERE id = %s" % i\n', 'B608-hardcoded_sql_expressions@server.py:1 INFO'],
  ])('%s', async (_name, source, expected) => {
    const result = await scanPython(source);
    expect(summarize(result)).toEqual([expected]);
    expect(result.status).toBe(expected.endsWith('BLOCK') ? 'fail' : 'pass');
  });

  test.each([
    ['shell=False', 'import subprocess\nsubprocess.run(["ls", d], shell=False)\n'],
    ['a weak hash not used for security', 'import hashlib\nhashlib.md5(data, usedforsecurity=False)\n'],
    ['sha256', 'import hashlib\nhashlib.sha256(data)\n'],
    ['yaml.safe_load', 'import yaml\nyaml.safe_load(doc)\n'],
    ['verify=True', 'import requests\nrequests.get(url, verify=True, timeout=5)\n'],
    ['a parameterized query', 'cur.execute("SELECT * FROM t WHERE id = ?", (i,))\n'],
    ['a docstring that mentions /tmp', 'def f():\n    """Writes to /tmp."""\n'],
    ['urlopen of a fixed https URL', 'import urllib.request\nurllib.request.urlopen("https://example.com/data.json")\n'],
    ['urllib.parse', 'import urllib.parse\nurllib.parse.urlencode(params)\n'],
  ])('%s passes without findings', async (_name, source) => {
    const result = await scanPython(source);
    expect(result.findings).toEqual([]);
  });
});

describe('CQ-03 eslint-plugin-security rules (JavaScript/TypeScript)', () => {
  test.each([
    ['detect-eval-with-expression', 'eval(userCode);\n', 'detect-eval-with-expression@index.js:1 BLOCK'],
    ['detect-child-process with a computed command', "const { exec } = require('child_process');\nexec(`git log ${ref}`);\n", 'detect-child-process@index.js:1 INFO|detect-child-process@index.js:2 BLOCK'],
    ['spawn with shell: true and computed arguments', "const cp = require('child_process');\ncp.spawn(cmd, args, {\n  shell: true,\n});\n", 'detect-child-process@index.js:1 INFO|detect-child-process@index.js:2 BLOCK'],
    ['new Function of computed code', 'const f = new Function(src);\n', 'detect-function-constructor@index.js:1 BLOCK'],
    ['vm.runInNewContext', "import vm from 'node:vm';\nvm.runInNewContext(code, {});\n", 'detect-vm-code@index.js:2 BLOCK'],
    ['detect-non-literal-fs-filename', "import { readFile } from 'node:fs/promises';\nawait readFile(userPath, 'utf8');\n", 'detect-non-literal-fs-filename@index.js:2 INFO'],
    ['detect-non-literal-require', 'const plugin = require(name);\n', 'detect-non-literal-require@index.js:1 INFO'],
    ['detect-unsafe-regex in a literal', 'const re = /^(a+)+$/;\n', 'detect-unsafe-regex@index.js:1 INFO'],
    ['detect-unsafe-regex in new RegExp', 'const re = new RegExp("(\\\\w+\\\\s?)*$");\n', 'detect-unsafe-regex@index.js:1 INFO'],
    ['detect-non-literal-regexp', 'const re = new RegExp(input);\n', 'detect-non-literal-regexp@index.js:1 INFO'],
    ['detect-pseudoRandomBytes', "const crypto = require('crypto');\ncrypto.pseudoRandomBytes(16);\n", 'detect-pseudoRandomBytes@index.js:2 INFO'],
    ['rejectUnauthorized: false', "import https from 'node:https';\nhttps.request(url, { rejectUnauthorized: false });\n", 'tls-verification-disabled@index.js:2 BLOCK'],
    ['NODE_TLS_REJECT_UNAUTHORIZED set in code', "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';\n", 'tls-verification-disabled@index.js:1 BLOCK'],
  ])('%s', async (_name, source, expected) => {
    const name = source.includes('import ') ? 'index.mjs' : 'index.js';
    const result = await scanJs(source, name);
    expect(summarize(result)).toEqual(expected.replaceAll('index.js', name).split('|'));
  });

  test('TypeScript gets the same rules', async () => {
    const result = await scanJs("import { exec } from 'child_process';\nexport function run(cmd: string): void {\n  exec(cmd);\n}\n", 'tool.ts');
    expect(summarize(result)).toEqual(['detect-child-process@tool.ts:1 INFO', 'detect-child-process@tool.ts:3 BLOCK']);
  });

  test.each([
    ['eval of a literal', 'eval("2 + 2");\n'],
    ['exec of a literal command', "const { exec } = require('child_process');\nexec('git status');\n"],
    ['readFile of a path next to the code', "const fs = require('fs');\nconst path = require('path');\nfs.readFileSync(path.join(__dirname, 'schema.json'));\n"],
    ['a regex without nested repetition', 'const re = /^[a-z]+-[a-z0-9]*(?:\.[a-z]{2,})?$/;\n'],
    ['regex.exec', 'const m = /(\\d+)/.exec(text);\n'],
  ])('%s has no blocking finding', async (_name, source) => {
    const result = await scanJs(source);
    expect(result.status).toBe('pass');
    expect(result.findings.filter((f) => f.action !== 'INFO' || f.rule !== 'detect-child-process')).toEqual([]);
  });
});

describe('CQ-03 suppressions and unanalysable files', () => {
  test('nosec with a reason silences a finding; a bare nosec anywhere warns', async () => {
    const result = await scanPython('eval(expr)  # nosec: expr comes from our own config file\nx = 1  # nosec\n');
    expect(summarize(result)).toEqual(['B307-eval@server.py:1 INFO', 'suppression-without-reason@server.py:2 WARN']);
  });

  test('// nosec in JavaScript, on the line of a multi-line call', async () => {
    const result = await scanJs('eval(\n  code, // nosec: code is generated by our build\n);\n');
    expect(summarize(result)).toEqual(['detect-eval-with-expression@index.js:1 INFO']);
  });

  test('a server file too large to parse is a WARN, not a silent pass', async () => {
    const big = `// ${'x'.repeat(MAX_PARSE_BYTES)}\n`;
    const result = await checkControl(cq03, serverBundle('index.js', { 'index.js': 'require("./big.js");\n', 'big.js': big }).bundle, 2);
    expect(summarize(result)).toEqual(['not-analysed@big.js: WARN']);
  });

  test('a syntax error is a WARN with its line', async () => {
    const result = await scanJs('const a = 1;\nconst b = "unterminated;\n');
    expect(summarize(result)).toEqual(['not-analysed@index.js:2 WARN']);
  });

  test('a bundle without server source code skips', async () => {
    const result = await checkControl(cq03, serverBundle('server', { server: Buffer.from([0x7f, 0x45, 0x4c, 0x46]) }).bundle, 2);
    expect(result.status).toBe('skip');
  });
});
