import { describe, expect, test } from '@jest/globals';
import { makeBundle } from '../../__fixtures__/bundle.js';
import { analyze } from '../../src/analysis/analyze.js';
import type { EntryPoints } from '../../src/analysis/entry-points.js';
import type { Facts } from '../../src/analysis/types.js';
import { silentLogger } from '../../src/logger.js';

async function factsOf(files: Record<string, string>, entries: string[] = []): Promise<Facts> {
  const entryPoints: EntryPoints = { files: entries, pythonRoots: [...new Set(['', 'src', ...entries.map((e) => e.split('/').slice(0, -1).join('/'))])] };
  return analyze(makeBundle(files), silentLogger, entryPoints);
}

const callees = (facts: Facts) => facts.calls.map((call) => `${call.line}:${call.callee}`);

describe('callees resolved through imports and aliases (JavaScript/TypeScript)', () => {
  test('require, destructuring with rename, nested destructuring, member aliases, promisify', async () => {
    const facts = await factsOf({
      'index.js': [
        "const cp = require('node:child_process');",
        "const { exec: run, spawn } = require('child_process');",
        "const { promises: { readFile } } = require('fs');",
        'const ex = cp.execSync;',
        "const util = require('util');",
        'const execP = util.promisify(cp.exec);',
        'cp.exec(a); run(b); spawn(c); readFile(d); ex(e); execP(f);',
        "require('child_process')['exec'](g);",
      ].join('\n'),
    });
    expect(callees(facts).filter((c) => !c.endsWith(':require') && !c.endsWith('util.promisify'))).toEqual([
      '7:child_process.exec',
      '7:child_process.exec',
      '7:child_process.spawn',
      '7:fs.readFile',
      '7:child_process.execSync',
      '7:child_process.exec',
      '8:child_process.exec',
    ]);
  });

  test('ES imports (default, namespace, named with rename), dynamic import, TypeScript import = require', async () => {
    const facts = await factsOf({
      'index.ts': [
        "import fs from 'node:fs/promises';",
        "import * as os from 'os';",
        "import { execFile as ef } from 'child_process';",
        "import cp = require('child_process');",
        "const { exec } = await import('node:child_process');",
        'fs.writeFile(p, d); os.homedir(); ef(x); cp.fork(y); exec(z);',
      ].join('\n'),
    });
    expect(callees(facts).filter((c) => !c.endsWith(':import'))).toEqual([
      '6:fs.writeFile',
      '6:os.homedir',
      '6:child_process.execFile',
      '6:child_process.fork',
      '6:child_process.exec',
    ]);
  });

  test('import facts record the local names they bind', async () => {
    const facts = await factsOf({
      'index.mjs': "import cp, { exec as run } from 'child_process';\nimport * as fs from 'fs';\nconst { spawn: sp, execFile } = require('node:child_process');\nconst os = require('os');\n",
      'server.py': 'import subprocess as sp, os.path\nfrom os import system as s, popen\n',
    });
    expect(facts.imports.map((i) => [i.specifier, i.aliases])).toEqual([
      ['child_process', { cp: 'default', run: 'exec' }],
      ['fs', { fs: '*' }],
      ['node:child_process', { sp: 'spawn', execFile: 'execFile' }],
      ['os', { os: '*' }],
      ['subprocess', { sp: '*' }],
      ['os.path', { os: '*' }],
      ['os', { s: 'system', popen: 'popen' }],
    ]);
  });

  test('the program\'s own values are not library calls', async () => {
    const facts = await factsOf({
      'index.js': 'const re = /x/;\nre.exec(s);\nfunction exec(a) {}\nexec(1);\nfunction f(cp) { cp.exec(2); }\nthis.eval(3);\n',
    });
    expect(facts.calls.map((call) => call.callee)).toEqual([null, null, null, null]);
  });

  test('globals through globalThis, computed static keys and the comma idiom', async () => {
    const facts = await factsOf({ 'index.js': 'globalThis.eval(a);\nwindow["ev" + "al"](b);\n(0, eval)(c);\n' });
    expect(callees(facts)).toEqual(['1:eval', '2:eval', '3:eval']);
  });
});

describe('callees resolved through imports and aliases (Python)', () => {
  test('import as, from-import as, dotted imports, star imports, getattr and __import__', async () => {
    const facts = await factsOf({
      'server.py': [
        'import subprocess as sp',
        'from os import system as run, popen',
        'import os.path',
        'from subprocess import *',
        'sp.run(a); run(b); popen(c); os.path.join(d); check_output(e)',
        'getattr(os, "system")(f)',
        '__import__("subprocess").call(g)',
      ].join('\n'),
    });
    expect(callees(facts)).toEqual([
      '5:subprocess.run',
      '5:os.system',
      '5:os.popen',
      '5:os.path.join',
      '5:subprocess.check_output',
      '6:os.system',
      '6:getattr',
      '7:subprocess.call',
      '7:__import__',
    ]);
  });

  test('with-as, walrus and instances resolve to the class or function that made them', async () => {
    const facts = await factsOf({
      'server.py': 'import httpx, socket\nwith httpx.Client() as c:\n    c.post(u)\nif (s := socket.socket()):\n    s.connect(addr)\n',
    });
    expect(callees(facts)).toEqual(['2:httpx.Client', '3:httpx.Client().post', '4:socket.socket', '5:socket.socket().connect']);
  });

  test('keyword arguments and argument kinds', async () => {
    const facts = await factsOf({ 'server.py': 'import subprocess\nsubprocess.run(f"ls {d}", shell=True, cwd=root)\n' });
    const call = facts.calls.find((c) => c.callee === 'subprocess.run')!;
    expect(call.args).toEqual([expect.objectContaining({ kind: 'template', path: 'ls *' })]);
    expect(call.keywords.shell).toEqual(expect.objectContaining({ kind: 'literal', value: true }));
    expect(call.keywords.cwd).toEqual(expect.objectContaining({ kind: 'identifier', name: 'root' }));
  });
});

describe('init and runtime contexts (MTF 3.5 CD-02 "Initialization (import/startup)")', () => {
  test('JavaScript: module level, IIFEs, promise callbacks and functions called at load are init; handlers are runtime', async () => {
    const facts = await factsOf({
      'index.js': [
        'fetch(a);',
        '(async () => { fetch(b); })();',
        'Promise.resolve().then(() => fetch(c));',
        'function main() { fetch(d); helper(); }',
        'function helper() { fetch(e); }',
        "server.tool('t', async () => { fetch(f); });",
        "app.get('/', (req, res) => fetch(g));",
        'main();',
        'class Client { constructor() { fetch(h); } get() { fetch(i); } }',
        'const client = new Client();',
      ].join('\n'),
    });
    expect(facts.calls.filter((c) => c.callee === 'fetch').map((c) => `${c.line}:${c.context}`)).toEqual([
      '1:init', '2:init', '3:init', '4:init', '5:init', '6:runtime', '7:runtime', '9:init', '9:runtime',
    ]);
  });

  test('Python: module level, main() and asyncio.run(main()) are init; tools and other functions are runtime', async () => {
    const facts = await factsOf({
      'server.py': [
        'import asyncio, httpx',
        'httpx.get(a)',
        'async def main():',
        '    httpx.get(b)',
        '@mcp.tool()',
        'def tool():',
        '    httpx.get(c)',
        '@app.on_event("startup")',
        'def boot():',
        '    httpx.get(d)',
        'class Client:',
        '    def __init__(self):',
        '        httpx.get(e)',
        'client = Client()',
        'if __name__ == "__main__":',
        '    asyncio.run(main())',
      ].join('\n'),
    });
    expect(facts.calls.filter((c) => c.callee === 'httpx.get').map((c) => `${c.line}:${c.context}`)).toEqual(['2:init', '4:init', '7:runtime', '10:init', '13:init']);
  });
});

describe('environment, strings and suppressions', () => {
  test('JavaScript environment reads, writes, whole-environment reads and aliases', async () => {
    const facts = await factsOf({
      'index.js': [
        'const a = process.env.API_KEY;',
        "const b = process.env['DB_URL'];",
        'const c = process.env[name];',
        'process.env.MODE = "x";',
        'const { HOME, ...rest } = process.env;',
        'const { env } = process;',
        'const d = env.TOKEN;',
        'send(process.env);',
        "spawn('x', [], { env: process.env });",
        'console.log(process.versions.node);',
      ].join('\n'),
    });
    const env = facts.capabilities.filter((c) => c.capability === 'environment').map((c) => `${c.line}:${c.access}:${c.target}`);
    expect(env).toEqual(['1:read:API_KEY', '2:read:DB_URL', '3:read:null', '4:write:MODE', '5:read:HOME', '5:all:null', '7:read:TOKEN', '8:all:null']);
  });

  test('Python environment reads and writes', async () => {
    const facts = await factsOf({ 'server.py': 'import os\nfrom os import environ\na = os.environ["A"]\nb = os.getenv("B")\nc = environ.get("C")\nos.environ["D"] = "1"\ndel os.environ["E"]\nx = dict(os.environ)\n' });
    const env = facts.capabilities.filter((c) => c.capability === 'environment').map((c) => `${c.line}:${c.access}:${c.target}`);
    expect(env).toEqual(['3:read:A', '4:read:B', '5:read:C', '6:write:D', '7:write:E', '8:all:null']);
  });

  test('strings record how they are built (Python keeps those the checks read: SQL, file names, bind-all, /tmp)', async () => {
    const facts = await factsOf({
      'index.js': 'const a = "plain";\nconst b = `SELECT ${x}`;\nconst c = "DELETE FROM t WHERE id=" + id;\nconst d = sql`SELECT ${y}`;\n',
      'server.py': 'a = "plain words"\nb = f"SELECT {x}"\nc = "SELECT * FROM t WHERE id=%s" % i\nd = "DELETE FROM {}".format(y)\ne = "UPDATE t SET a=" + z\nf = "data.json"\n',
    });
    expect(facts.strings.map((s) => `${s.file}:${s.line}:${s.kind}:${s.text}${s.tag ? `:${s.tag}` : ''}`)).toEqual([
      'index.js:1:literal:plain',
      'index.js:2:template:SELECT {}',
      'index.js:3:concatenation:DELETE FROM t WHERE id={}',
      'index.js:3:literal:DELETE FROM t WHERE id=',
      'index.js:4:template:SELECT {}:sql',
      'server.py:2:template:SELECT {}',
      'server.py:3:format:SELECT * FROM t WHERE id=%s',
      'server.py:4:format:DELETE FROM {}',
      'server.py:5:concatenation:UPDATE t SET a=',
      'server.py:6:literal:data.json',
    ]);
  });

  test('a JavaScript template whose substitutions are all constants is a literal with their values', async () => {
    const facts = await factsOf({
      'index.js': 'const TABLE = "notes";\nconst LIMIT = 50;\nlet table = "a";\ntable = "b";\nconst q1 = `SELECT * FROM ${TABLE} LIMIT ${LIMIT}`;\nconst q2 = `SELECT * FROM ${table}`;\nconst q3 = `SELECT * FROM t WHERE id = ${id}`;\n',
    });
    expect(facts.strings.filter((s) => s.text.startsWith('SELECT')).map((s) => `${s.line}:${s.kind}:${s.text}`)).toEqual([
      '5:literal:SELECT * FROM notes LIMIT 50',
      '6:template:SELECT * FROM {}',
      '7:template:SELECT * FROM t WHERE id = {}',
    ]);
  });

  test('nosec comments come from the parse, per line, with or without a reason', async () => {
    const facts = await factsOf({
      'index.js': 'a(); // nosec: reviewed\nb(); /* nosec */\nconst s = "// nosec: not a comment";\n// nosecurity is not a marker\n',
      'server.py': 'a()  # nosec: reviewed\nb()  # nosec B602\ns = "# nosec: a string"\n',
    });
    expect(facts.suppressions).toEqual([
      { file: 'index.js', line: 1, reason: 'reviewed' },
      { file: 'index.js', line: 2, reason: null },
      { file: 'server.py', line: 1, reason: 'reviewed' },
      { file: 'server.py', line: 2, reason: null },
    ]);
  });

  test('paths are approximated through joins, home directories and the file\'s own directory', async () => {
    const facts = await factsOf({
      'src/index.mjs': "import { join, dirname } from 'node:path';\nimport { homedir } from 'node:os';\nimport { fileURLToPath } from 'node:url';\nconst here = dirname(fileURLToPath(import.meta.url));\nopen(join(homedir(), '.ssh', 'id_rsa'));\nopen(join(here, '..', 'data.json'));\nopen(`${process.env.HOME}/.aws/credentials`);\n",
    });
    expect(facts.calls.filter((c) => c.callee === 'open').map((c) => c.args[0]!.path)).toEqual(['~/.ssh/id_rsa', '{here}/../data.json', '~/.aws/credentials']);
  });
});

describe('reachability from the entry points and parsing each file once', () => {
  test('JS relative imports with extension and index resolution, and TypeScript\'s .js-for-.ts', async () => {
    const facts = await factsOf(
      {
        'src/index.ts': "import { a } from './a.js';\nimport b from './b';\nexport * from './dir';\nimport z from 'zod';\n",
        'src/a.ts': "import './b';\n",
        'src/b.mjs': '',
        'src/dir/index.js': '',
        'src/unused.ts': '',
      },
      ['src/index.ts'],
    );
    expect(facts.reachable).toEqual(['src/a.ts', 'src/b.mjs', 'src/dir/index.js', 'src/index.ts']);
    expect(facts.imports.map((i) => `${i.file}:${i.specifier}->${i.resolved.join(',')}`)).toEqual([
      'src/a.ts:./b->src/b.mjs',
      'src/index.ts:./a.js->src/a.ts',
      'src/index.ts:./b->src/b.mjs',
      'src/index.ts:./dir->src/dir/index.js',
      'src/index.ts:zod->',
    ]);
  });

  test('a file reached from the entry point is server code, whatever its path; packages stay dependencies', async () => {
    const facts = await factsOf(
      {
        'server.py': 'from tests import helpers\nfrom . import vendor_shim\nimport requests\n',
        'tests/helpers.py': '',
        'vendor_shim.py': 'from .vendor import evil\n',
        'vendor/evil.py': '',
        'lib/python3.12/site-packages/requests/__init__.py': '',
        'lib/python3.12/site-packages/requests-2.32.dist-info/RECORD': '',
      },
      ['server.py'],
    );
    const roles = Object.fromEntries(facts.files.map((f) => [f.path, `${f.role}${f.reachable ? ' reachable' : ''}`]));
    expect(roles).toEqual({
      'lib/python3.12/site-packages/requests/__init__.py': 'dependency',
      'server.py': 'server reachable',
      'tests/helpers.py': 'server reachable',
      'vendor/evil.py': 'server reachable',
      'vendor_shim.py': 'server reachable',
    });
  });

  test('a file imported from several places is parsed once', async () => {
    const facts = await factsOf(
      { 'a.js': "require('./shared');\nrequire('./b');\n", 'b.js': "require('./shared');\n", 'shared.js': 'eval(x);\n' },
      ['a.js'],
    );
    expect(facts.calls.filter((c) => c.callee === 'eval')).toHaveLength(1);
  });
});
