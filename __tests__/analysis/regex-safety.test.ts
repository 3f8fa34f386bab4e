import { describe, expect, test } from '@jest/globals';
import { makeBundle } from '../../__fixtures__/bundle.js';
import { checkControl, serverBundle } from '../../__fixtures__/code.js';
import { analyze } from '../../src/analysis/analyze.js';
import { isSecretEnvName, isSensitivePath } from '../../src/analysis/apis.js';
import { isEscapeHeavy, joinPaths } from '../../src/analysis/approx.js';
import { needsMalwareParse } from '../../src/analysis/prefilter.js';
import { shellScriptReferences } from '../../src/analysis/resolve.js';
import { readSuppression } from '../../src/analysis/suppressions.js';
import type { CallFact } from '../../src/analysis/types.js';
import { ai05 } from '../../src/controls/artifact_integrity/ai-05-bundle-completeness.js';
import { cd02 } from '../../src/controls/capability_declaration/cd-02-permission-correlation.js';
import { looksLikeSql } from '../../src/controls/code_quality/code-findings.js';
import { detectCodeMalware } from '../../src/controls/code_quality/malware-code.js';
import { isUnsafeRegex } from '../../src/controls/code_quality/unsafe-regex.js';
import { silentLogger } from '../../src/logger.js';

/**
 * Every pattern match that runs on bundle content, fed input built to make a backtracking or rescanning
 * matcher go quadratic or exponential. Linear code finishes these in milliseconds; a quadratic one would
 * need about 10^10 steps and hit the timeout.
 */
const N = 200_000;
const TIMEOUT = 5_000;

describe('pattern matching on hostile input stays linear', () => {
  test('SQL detection', () => {
    expect(looksLikeSql('select '.repeat(N / 7))).toBe(false);
    expect(looksLikeSql(`update ${' '.repeat(N)}x`)).toBe(false);
    expect(looksLikeSql(`insert${' '.repeat(N)}x`)).toBe(false);
    expect(looksLikeSql(`${'select x '.repeat(N / 9)}from t`)).toBe(true);
  }, TIMEOUT);

  test('nosec comments', () => {
    expect(readSuppression('nosecx'.repeat(N / 6))).toBeNull();
    expect(readSuppression(`nosec${' '.repeat(N)}`)).toEqual({ reason: null });
    expect(readSuppression(`nosec:${' '.repeat(N)}why`)).toEqual({ reason: 'why' });
  }, TIMEOUT);

  test('the unsafe-regex check', () => {
    expect(isUnsafeRegex('{'.repeat(N))).toBe(false);
    expect(isUnsafeRegex(`${'{1'.repeat(N / 2)}}`)).toBe(false);
    expect(isUnsafeRegex('(?<'.repeat(N / 3))).toBe(false);
    expect(isUnsafeRegex('('.repeat(N))).toBe(false);
    expect(isUnsafeRegex(`${'('.repeat(N / 2)}a+${')'.repeat(N / 2)}+`)).toBe(true);
    expect(isUnsafeRegex('[\\'.repeat(N / 2))).toBe(false);
  }, TIMEOUT);

  test('escape-heavy literals, paths and names', () => {
    expect(isEscapeHeavy(`"${'\\u{'.repeat(N / 3)}"`)).toBe(false);
    expect(isEscapeHeavy(`"${'\\x41'.repeat(N / 4)}"`)).toBe(true);
    expect(joinPaths(['a/'.repeat(N / 2), '../'.repeat(N / 3)], false).length).toBeGreaterThan(0);
    expect(isSensitivePath(`~/${'./'.repeat(N / 2)}`)).toBe(false);
    expect(isSecretEnvName(`${'A_'.repeat(N / 2)}X`)).toBe(false);
  }, TIMEOUT);

  test('shell script references', () => {
    const files = new Set(['dist/main.js']);
    expect(shellScriptReferences('run.sh', `${'$'.repeat(N)} ./dist/main.js`, files)).toEqual(['dist/main.js']);
    expect(shellScriptReferences('run.sh', `\${${'a'.repeat(N)}`, files)).toEqual([]);
  }, TIMEOUT);

  test('the dependency prefilter', () => {
    const data = Buffer.from(`eval(${'\\x4'.repeat(N / 3)}`);
    expect(needsMalwareParse('node_modules/x/index.js', data, 'javascript')).toBe(false);
    expect(needsMalwareParse(`node_modules/${'install'.repeat(N / 7)}/x.js`, Buffer.from(''), 'javascript')).toBe(false);
    const quotes = Buffer.from(`eval('${'eval("'.repeat(N / 6)}${'a'.repeat(N)} atob(`);
    expect(needsMalwareParse('node_modules/x/q.js', quotes, 'javascript')).toBe(true);
    expect(needsMalwareParse('node_modules/x/s.js', Buffer.from(`${'eval( '.repeat(N / 6)}`), 'javascript')).toBe(false);
  }, TIMEOUT);

  test('command lines in subprocess calls', () => {
    const call: CallFact = {
      file: 'x.js', line: 1, endLine: 1, language: 'javascript', role: 'dependency', callee: 'child_process.exec', written: 'exec',
      isNew: false, args: [{ kind: 'literal', value: `curl ${'| '.repeat(N / 2)}x nc ${'-x '.repeat(N / 3)}` }], keywords: {}, spread: false, context: 'init', scope: 0,
    };
    expect(detectCodeMalware({ files: [], tools: [], handlers: [], imports: [], calls: [call], strings: [], capabilities: [], htmlWrites: [], suppressions: [], entryPoints: [], reachable: [], problems: [] })).toEqual([]);
  }, TIMEOUT);

  test('a whole server file built to be slow: long strings, long concatenations, deep nesting', async () => {
    const js = [
      `const q = \`${'select '.repeat(N / 7)}\${x}\`;`,
      `const c = ${'"a" + x + '.repeat(2_000)}"b";`,
      `const re = /${'(a|'.repeat(1_000)}b${')*'.repeat(1_000)}/;`,
      `eval(${'('.repeat(200)}x${')'.repeat(200)}, ${'a.'.repeat(5_000)}b);`,
    ].join('\n');
    const python = `q = f"${'select '.repeat(N / 7)}{x}"\nc = ${'"a" + x + '.repeat(2_000)}"b"\n`;
    const facts = await analyze(makeBundle({ 'index.js': js, 'server.py': python }), silentLogger);
    expect(facts.problems).toEqual([]);
    expect(facts.calls.some((call) => call.callee === 'eval')).toBe(true);
  }, 20_000);

  test('manifest values and file names', async () => {
    const long = 'x'.repeat(N);
    const { bundle } = serverBundle(
      'index.js',
      { 'index.js': '', [`${'a.so.1'.repeat(2_000)}x`]: '', [`requirements${'.a'.repeat(2_000)}`]: '' },
      { manifest: { server: { type: 'node', entry_point: 'index.js', mcp_config: { command: `/${'/'.repeat(N)}node`, args: ['-' + long, '${__dirname}/index.js'], env: { NODE_OPTIONS: `${' --require'.repeat(N / 10)}`, [`${long}_PROXY`]: long } } } } },
    );
    expect((await checkControl(cd02, bundle, 2)).status).toBeDefined();
    expect((await checkControl(ai05, bundle, 2)).status).toBeDefined();
  }, 20_000);
});
