import { describe, expect, test } from '@jest/globals';
import { checkControl, serverBundle, summarize } from '../../__fixtures__/code.js';
import { cq05 } from '../../src/controls/code_quality/cq-05-safe-execution.js';

async function scanPython(source: string, extra: Record<string, string> = {}) {
  const { bundle } = serverBundle('server.py', { 'server.py': source, ...extra });
  return checkControl(cq05, bundle, 3);
}

async function scanJs(source: string, name = 'index.js') {
  const { bundle } = serverBundle(name, { [name]: source });
  return checkControl(cq05, bundle, 3);
}

describe('CQ-05 Python table (MTF 3.4)', () => {
  test.each([
    ['subprocess.*(shell=True)', 'import subprocess\nsubprocess.run(cmd, shell=True)\n', 'subprocess-shell@server.py:2 BLOCK'],
    ['an aliased module', 'import subprocess as sp\nsp.check_output(cmd, shell=True)\n', 'subprocess-shell@server.py:2 BLOCK'],
    ['a multi-line call', 'from subprocess import Popen\n\nPopen(\n    cmd,\n    shell=True,\n)\n', 'subprocess-shell@server.py:3 BLOCK'],
    ['os.system', 'import os\nos.system("ls")\n', 'os-system@server.py:2 BLOCK'],
    ['os.system imported under another name', 'from os import system as run\nrun("ls " + x)\n', 'os-system@server.py:2 BLOCK'],
    ['os.popen', 'import os\nos.popen(cmd).read()\n', 'os-popen@server.py:2 BLOCK'],
    ['eval with external input', 'def f(expr):\n    return eval(expr)\n', 'python-eval@server.py:2 BLOCK'],
    ['exec with external input', 'def f(code):\n    exec(code)\n', 'python-exec@server.py:2 BLOCK'],
    ['pickle.loads', 'import pickle\npickle.loads(data)\n', 'pickle-load@server.py:2 BLOCK'],
    ['pickle.load through from-import', 'from pickle import load\nload(fh)\n', 'pickle-load@server.py:2 BLOCK'],
    ['yaml.load without Loader', 'import yaml\nyaml.load(text)\n', 'yaml-load@server.py:2 BLOCK'],
    ['yaml.load with an unsafe Loader', 'import yaml\nyaml.load(text, Loader=yaml.Loader)\n', 'yaml-load@server.py:2 BLOCK'],
  ])('%s blocks', async (_name, source, expected) => {
    const result = await scanPython(source);
    expect(result.status).toBe('fail');
    expect(summarize(result)).toEqual([expected]);
  });

  test.each([
    ['subprocess with an argument list', 'import subprocess\nsubprocess.run(["git", "status"], check=True)\n'],
    ['shell=False', 'import subprocess\nsubprocess.run(cmd, shell=False)\n'],
    ['yaml.load with SafeLoader', 'import yaml\nyaml.load(text, Loader=yaml.SafeLoader)\n'],
    ['yaml.load with CSafeLoader imported by name', 'from yaml import CSafeLoader, load\nload(text, CSafeLoader)\n'],
    ['yaml.safe_load', 'import yaml\nyaml.safe_load(text)\n'],
    ['eval of a constant', 'eval("1 + 1")\n'],
    ['ast.literal_eval', 'import ast\nast.literal_eval(text)\n'],
    ['a method named eval', 'model.eval()\nself.system(x)\n'],
    ['a local function named system', 'def system(x):\n    return x\nsystem("ls")\n'],
    ['json.loads', 'import json\njson.loads(data)\n'],
  ])('%s passes', async (_name, source) => {
    const result = await scanPython(source);
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([]);
  });
});

describe('CQ-05 JavaScript/TypeScript table (MTF 3.4)', () => {
  test.each([
    ['child_process.exec', "const cp = require('child_process');\ncp.exec('ls');\n", 'child-process-exec@index.js:2 BLOCK'],
    ['exec destructured with a rename', "const { exec: run } = require('node:child_process');\nrun(cmd);\n", 'child-process-exec@index.js:2 BLOCK'],
    ['execSync imported', "import { execSync } from 'child_process';\n\nexecSync(\n  `git ${args}`,\n);\n", 'child-process-exec-sync@index.js:3 BLOCK'],
    ['a promisified exec', "import { exec } from 'node:child_process';\nimport { promisify } from 'node:util';\nconst run = promisify(exec);\nawait run(cmd);\n", 'child-process-exec@index.js:4 BLOCK'],
    ['eval', 'eval(code);\n', 'js-eval@index.js:1 BLOCK'],
    ['globalThis.eval', 'globalThis["ev" + "al"](code);\n', 'js-eval@index.js:1 BLOCK'],
    ['new Function with external input', 'const f = new Function("a", body);\n', 'function-constructor@index.js:1 WARN'],
    ['setTimeout with a string', 'setTimeout("tick()", 100);\n', 'implicit-eval@index.js:1 WARN'],
    ['setInterval with a template', 'setInterval(`run(${n})`, 100);\n', 'implicit-eval@index.js:1 WARN'],
    ['a template literal in SQL', 'db.query(`SELECT * FROM users WHERE id = ${id}`);\n', 'sql-template@index.js:1 BLOCK'],
    ['innerHTML with external input', 'el.innerHTML = message;\n', 'inner-html@index.js:1 WARN'],
  ])('%s is reported', async (_name, source, expected) => {
    const result = await scanJs(source, source.includes('import ') ? 'index.mjs' : 'index.js');
    expect(summarize(result)).toEqual([expected.replace('index.js', source.includes('import ') ? 'index.mjs' : 'index.js')]);
    expect(result.status).toBe(expected.endsWith('BLOCK') ? 'fail' : 'pass');
  });

  test('TypeScript is read with the same rules', async () => {
    const source = "import { exec } from 'node:child_process';\nconst cmd: string = process.argv[2]!;\nexec(cmd as string);\n";
    const result = await scanJs(source, 'index.ts');
    expect(summarize(result)).toEqual(['child-process-exec@index.ts:3 BLOCK']);
  });

  test.each([
    ['execFile', "const { execFile } = require('child_process');\nexecFile('git', ['status']);\n"],
    ['regex.exec', 'const re = /a(b)/;\nre.exec(text);\nconst m = /x/g.exec(s);\n'],
    ['a local exec function', 'function exec(x) { return x; }\nexec("ls");\n'],
    ['new Function of constants', 'const f = new Function("a", "return a + 1");\n'],
    ['setTimeout with a function', 'setTimeout(() => tick(), 100);\n'],
    ['a sql tagged template', 'await sql`SELECT * FROM users WHERE id = ${id}`;\n'],
    ['a template that is not SQL', 'log(`selected ${n} items from the list`);\n'],
    ['SQL in a template whose substitution is a constant', 'const TABLE = "notes";\ndb.prepare(`SELECT * FROM ${TABLE} WHERE id = ?`).get(id);\n'],
    ['innerHTML with a constant', 'el.innerHTML = "<b>hi</b>";\n'],
    ['JSON.parse', 'JSON.parse(text);\n'],
  ])('%s passes', async (_name, source) => {
    const result = await scanJs(source);
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('pass');
  });
});

describe('CQ-05 suppressions (DESIGN.md section 4)', () => {
  test('a nosec with a reason on the line turns the finding into INFO', async () => {
    const result = await scanPython('import os\nos.system("reboot")  # nosec: the admin tool reboots by design\n');
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([
      expect.objectContaining({ rule: 'os-system', action: 'INFO', severity: 'info', line: 2, title: 'Suppressed: os.system()', description: expect.stringContaining('the admin tool reboots by design') }),
    ]);
  });

  test('a nosec on the last line of a multi-line call applies', async () => {
    const result = await scanJs("const cp = require('child_process');\ncp.exec(\n  cmd,\n); // nosec: command is a constant table entry\n");
    expect(summarize(result)).toEqual(['child-process-exec@index.js:2 INFO']);
  });

  test('a nosec without a reason silences nothing and adds a WARN', async () => {
    const result = await scanPython('import os\nos.system(cmd)  # nosec\n');
    expect(result.status).toBe('fail');
    expect(summarize(result)).toEqual(['os-system@server.py:2 BLOCK', 'suppression-without-reason@server.py:2 WARN']);
  });

  test('a nosec on another line does not apply', async () => {
    const result = await scanPython('# nosec: unrelated\nimport os\nos.system(cmd)\n');
    expect(summarize(result)).toEqual(['os-system@server.py:3 BLOCK']);
  });
});

describe('CQ-05 scope: server code only', () => {
  test('tests and dependencies are not judged, but a test file the entry point imports is server code', async () => {
    const { bundle } = serverBundle('server.py', {
      'server.py': 'from tests import helpers\n',
      'tests/helpers.py': 'import os\nos.system(cmd)\n',
      'tests/test_x.py': 'import os\nos.system(cmd)\n',
      'lib/python3.12/site-packages/pkg/__init__.py': 'import os\nos.system(cmd)\n',
      'lib/python3.12/site-packages/pkg-1.0.dist-info/RECORD': '',
    });
    const result = await checkControl(cq05, bundle, 3);
    expect(summarize(result)).toEqual(['os-system@tests/helpers.py:2 BLOCK']);
  });
});
