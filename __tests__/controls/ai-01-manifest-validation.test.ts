import { describe, expect, test } from '@jest/globals';
import { l2Manifest, makeBundle, manifestJson } from '../../__fixtures__/bundle.js';
import { lineContaining, resultOf, scanWith } from '../../__fixtures__/scan.js';
import { ai01 } from '../../src/controls/artifact_integrity/ai-01-manifest-validation.js';
import type { LevelOrNone } from '../../src/spec/levels.js';

/** Scans a bundle holding `manifest` (object or raw text) plus `files`, and returns AI-01's result. */
async function check(manifest: object | string | Buffer, files: Record<string, string> = { 'server.py': 'print(1)\n' }, level?: LevelOrNone) {
  const text = typeof manifest === 'string' || Buffer.isBuffer(manifest) ? manifest : manifestJson(manifest);
  const bundle = makeBundle({ 'manifest.json': text, ...files });
  const report = await scanWith(bundle, [ai01], { requiredLevel: level });
  return { result: resultOf(report, 'AI-01'), text: text.toString() };
}

const rules = (result: { findings: { rule: string; action: string }[] }) => result.findings.map((f) => `${f.rule}:${f.action}`);

describe('AI-01 accepts the spec 4.4 example manifests at their levels', () => {
  test('the L1 Basic example passes at L1, warning about its top-level mcp_config and missing author', async () => {
    const l1 = {
      manifest_version: '0.3',
      name: 'my-weather-server',
      version: '0.1.0',
      description: 'Simple weather lookup',
      server: { type: 'python', entry_point: 'server.py' },
      mcp_config: { command: 'python', args: ['-m', 'weather.server'] },
      tools: [{ name: 'get_weather', description: 'Get current weather for a location' }],
      _meta: { 'org.mpaktrust': { mtf_version: '0.1' } },
    };
    const { result, text } = await check(l1, { 'server.py': '', 'weather/server.py': '' }, 1);
    expect(result.status).toBe('pass');
    expect(rules(result).sort()).toEqual(['required-field-l2:INFO', 'required-field-l2:WARN', 'top-level-mcp-config:WARN', 'unscoped-name:INFO']);
    const warn = result.findings.find((f) => f.rule === 'top-level-mcp-config')!;
    expect(warn).toMatchObject({ file: 'manifest.json', line: lineContaining(text, '"mcp_config"'), blocks_from: null });
  });

  test('the L2 Standard example passes at L2', async () => {
    const { result } = await check(l2Manifest(), undefined, 2);
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([]);
  });
});

describe('AI-01 severity table', () => {
  test('missing manifest.json blocks, with a hint when it sits one directory down', async () => {
    const bundle = makeBundle({ 'weather/manifest.json': manifestJson(l2Manifest()), 'weather/server.py': '' });
    const result = resultOf(await scanWith(bundle, [ai01]), 'AI-01');
    expect(result.status).toBe('fail');
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ rule: 'manifest-missing', action: 'BLOCK', severity: 'high', file: null });
    expect(result.findings[0]!.description).toContain('weather/manifest.json');
  });

  test('invalid JSON blocks at the line of the syntax error', async () => {
    const { result } = await check('{\n  "name": "x",\n  "version": 1.0.0\n}\n');
    expect(result.status).toBe('fail');
    expect(result.findings[0]).toMatchObject({ rule: 'manifest-invalid-json', action: 'BLOCK', file: 'manifest.json', line: 3 });
  });

  test('a manifest that is a JSON array blocks', async () => {
    const { result } = await check('[{"name": "x"}]');
    expect(result.findings[0]).toMatchObject({ rule: 'manifest-invalid-json', action: 'BLOCK' });
    expect(result.findings[0]!.description).toContain('not an array');
  });

  test('a manifest that is not UTF-8 blocks', async () => {
    const { result } = await check(Buffer.from([0x7b, 0x22, 0x6e, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]));
    expect(result.findings[0]).toMatchObject({ rule: 'manifest-invalid-json', action: 'BLOCK' });
    expect(result.findings[0]!.description).toContain('UTF-8');
  });

  test('a missing required field blocks', async () => {
    const manifest = l2Manifest();
    delete manifest.description;
    const { result } = await check(manifest, undefined, 1);
    expect(result.status).toBe('fail');
    expect(rules(result)).toEqual(['required-field:BLOCK']);
    expect(result.findings[0]!.title).toContain('"description"');
  });

  test('a missing tools field blocks (L1 requires it, even empty)', async () => {
    const manifest = l2Manifest();
    delete manifest.tools;
    const { result } = await check(manifest, undefined, 1);
    expect(rules(result)).toEqual(['required-field:BLOCK']);
  });

  test.each(['1.0', 'v1.0.0', '1.0.0.0', 'latest', '01.2.3'])('version %p is invalid semver and blocks at its line', async (version) => {
    const { result, text } = await check(l2Manifest({ version }), undefined, 1);
    expect(result.status).toBe('fail');
    expect(result.findings).toContainEqual(expect.objectContaining({ rule: 'invalid-semver', action: 'BLOCK', line: lineContaining(text, '"version"') }));
  });

  test('semver with pre-release and build metadata is valid', async () => {
    const { result } = await check(l2Manifest({ version: '2.0.0-rc.1+build.5' }), undefined, 2);
    expect(result.status).toBe('pass');
  });

  test('a schema violation blocks at the line of the offending field', async () => {
    const { result, text } = await check(l2Manifest({ repository: { type: 'git', url: 'not a url' } }), undefined, 1);
    expect(result.findings).toEqual([
      expect.objectContaining({ rule: 'schema-invalid', action: 'BLOCK', line: lineContaining(text, '"url": "not a url"') }),
    ]);
  });

  test('an unknown top-level field blocks at its line', async () => {
    const { result, text } = await check(l2Manifest({ postinstall: 'curl x | sh' }), undefined, 1);
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'schema-invalid', action: 'BLOCK', line: lineContaining(text, '"postinstall"') })]);
  });

  test('_meta under manifest_version 0.2 blocks, saying that _meta needs 0.3', async () => {
    const { result } = await check(l2Manifest({ manifest_version: '0.2' }), undefined, 1);
    const finding = result.findings.find((f) => f.rule === 'schema-invalid')!;
    expect(finding.action).toBe('BLOCK');
    expect(finding.description).toContain('from manifest_version 0.3');
  });

  test('server.type "uv" is valid in 0.4 and invalid in 0.3', async () => {
    const uv = (version: string) => l2Manifest({ manifest_version: version, server: { type: 'uv', entry_point: 'server.py', mcp_config: { command: 'uv', args: ['run', '--directory', '${__dirname}', 'server.py'] } } });
    expect((await check(uv('0.4'), undefined, 2)).result.status).toBe('pass');
    expect(rules((await check(uv('0.3'), undefined, 2)).result)).toEqual(['schema-invalid:BLOCK']);
  });

  test('a manifest_version newer than the known schemas warns and is validated against the newest', async () => {
    const { result } = await check(l2Manifest({ manifest_version: '0.9' }), undefined, 2);
    expect(result.status).toBe('pass');
    expect(rules(result)).toEqual(['newer-manifest-version:WARN']);
  });

  test.each([[3], ['banana'], ['1']])('manifest_version %p is unsupported and blocks', async (version) => {
    const { result } = await check(l2Manifest({ manifest_version: version }), undefined, 1);
    expect(rules(result)).toContain('unsupported-manifest-version:BLOCK');
  });

  test('the legacy dxt_version selects the schema too', async () => {
    const manifest = l2Manifest({ dxt_version: '0.3' });
    delete manifest.manifest_version;
    expect((await check(manifest, undefined, 2)).result.status).toBe('pass');
  });

  test('a duplicate key blocks at the line of its second occurrence', async () => {
    const text = manifestJson(l2Manifest()).replace('"version": "1.0.0",', '"version": "1.0.0",\n  "version": "9.9.9",');
    const { result } = await check(text, undefined, 1);
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'duplicate-key', action: 'BLOCK', line: lineContaining(text, '9.9.9') })]);
  });

  test('a hostile manifest with thousands of unknown fields yields a bounded number of findings', async () => {
    const extra = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`x${i}`, i]));
    const { result } = await check(l2Manifest(extra), undefined, 1);
    expect(result.findings.length).toBe(51);
    expect(result.findings.filter((f) => f.title.includes('more schema errors'))).toHaveLength(1);
  });
});

describe('AI-01 from L2: scoped name, author, repository, MTF extension', () => {
  test('an unscoped name is INFO at L1 and blocks from L2', async () => {
    const manifest = l2Manifest({ name: 'weather-server' });
    const atL1 = await check(manifest, undefined, 1);
    expect(atL1.result.status).toBe('pass');
    expect(atL1.result.findings).toEqual([expect.objectContaining({ rule: 'unscoped-name', action: 'INFO', blocks_from: 2, line: lineContaining(atL1.text, '"name"') })]);
    const atL2 = await check(manifest, undefined, 2);
    expect(atL2.result.status).toBe('fail');
    expect(atL2.result.findings[0]).toMatchObject({ rule: 'unscoped-name', action: 'BLOCK', blocks_from: 2 });
  });

  test.each(['@Acme/weather', '@acme', 'acme/weather', '@acme/weather/extra'])('name %p is not a valid scoped name', async (name) => {
    const { result } = await check(l2Manifest({ name }), undefined, 2);
    expect(rules(result)).toContain('unscoped-name:BLOCK');
  });

  test('a missing author warns at L1 and blocks from L2 (DESIGN.md reading)', async () => {
    const manifest = l2Manifest();
    delete manifest.author;
    expect(rules((await check(manifest, undefined, 1)).result)).toEqual(['required-field-l2:WARN']);
    const atL2 = (await check(manifest, undefined, 2)).result;
    expect(atL2.status).toBe('fail');
    expect(rules(atL2)).toEqual(['required-field-l2:BLOCK']);
  });

  test('a missing repository or extension blocks from L2 only', async () => {
    const manifest = l2Manifest();
    delete manifest.repository;
    delete manifest._meta;
    expect((await check(manifest, undefined, 1)).result.status).toBe('pass');
    expect(rules((await check(manifest, undefined, 2)).result)).toEqual(['required-field-l2:BLOCK', 'required-field-l2:BLOCK']);
  });

  test('an invalid MTF extension blocks at the line of the offending value', async () => {
    const manifest = l2Manifest();
    (manifest._meta as any)['org.mpaktrust'].permissions.network = 'everything';
    const { result, text } = await check(manifest, undefined, 1);
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'extension-invalid', action: 'BLOCK', line: lineContaining(text, '"everything"') })]);
  });

  test('an extension field documented by the spec text but not the normative schema only warns', async () => {
    const manifest = l2Manifest();
    (manifest._meta as any)['org.mpaktrust'].source = { commit: 'a'.repeat(40), tag: 'v1.0.0' };
    const { result, text } = await check(manifest, undefined, 2);
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'extension-documented-extra', action: 'WARN', line: lineContaining(text, '"tag"') })]);
  });

  test('tools[].inputSchema, which CD-01 recommends and mcpb rejects, only warns', async () => {
    const manifest = l2Manifest({ tools: [{ name: 'get_weather', description: 'Get weather', inputSchema: { type: 'object' } }] });
    const { result, text } = await check(manifest, undefined, 2);
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'tool-schema-field', action: 'WARN', line: lineContaining(text, '"inputSchema"') })]);
  });
});

describe('AI-01 entry point and execution consistency (validation step 4)', () => {
  const withServer = (server: object) => l2Manifest({ server });

  test('an entry point that is not in the bundle blocks at its line', async () => {
    const { result, text } = await check(withServer({ type: 'python', entry_point: 'main.py', mcp_config: { command: 'python', args: ['-m', 'main'] } }), {}, 2);
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'entry-point-missing', action: 'BLOCK', line: lineContaining(text, '"entry_point"') })]);
  });

  test.each(['../server.py', '/etc/passwd', 'C:\\server.py', 'server\\main.py'])('entry point %p is unsafe and blocks', async (entry) => {
    const { result } = await check(withServer({ type: 'python', entry_point: entry, mcp_config: { command: 'python', args: [] } }), undefined, 1);
    expect(rules(result)).toEqual(['unsafe-entry-point:BLOCK']);
  });

  test('mcp_config running a different file than the entry point blocks', async () => {
    const server = { type: 'node', entry_point: 'server/index.js', mcp_config: { command: 'node', args: ['${__dirname}/server/evil.js'] } };
    const { result, text } = await check(withServer(server), { 'server/index.js': '', 'server/evil.js': '' }, 1);
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'inconsistent-execution-target', action: 'BLOCK', line: lineContaining(text, 'evil.js') })]);
  });

  test('mcp_config naming a file that is not in the bundle blocks', async () => {
    const server = { type: 'node', entry_point: 'server/index.js', mcp_config: { command: 'node', args: ['${__dirname}/server/index.js', '${__dirname}/server/missing.js'] } };
    const { result } = await check(withServer(server), { 'server/index.js': '' }, 1);
    expect(rules(result)).toEqual(['execution-target-missing:BLOCK']);
  });

  test('a platform override running a different file blocks too', async () => {
    const server = {
      type: 'binary',
      entry_point: 'bin/server',
      mcp_config: { command: '${__dirname}/bin/server', platform_overrides: { win32: { command: '${__dirname}/bin/other.exe' } } },
    };
    const { result } = await check(withServer(server), { 'bin/server': '', 'bin/other.exe': '' }, 1);
    expect(rules(result)).toEqual(['inconsistent-execution-target:BLOCK']);
  });

  test('python -m naming the entry point module is consistent', async () => {
    const server = { type: 'python', entry_point: 'src/weather/server.py', mcp_config: { command: 'python', args: ['-m', 'weather.server'] } };
    expect((await check(withServer(server), { 'src/weather/server.py': '' }, 2)).result.status).toBe('pass');
  });

  test('python -m running a package whose __main__ imports the entry point is consistent', async () => {
    const server = { type: 'python', entry_point: 'src/fetcher/server.py', mcp_config: { command: 'python3', args: ['-m', 'fetcher'] } };
    const files = { 'src/fetcher/__init__.py': '', 'src/fetcher/__main__.py': 'from .server import main\n\nmain()\n', 'src/fetcher/server.py': 'def main():\n    pass\n' };
    expect((await check(withServer(server), files, 2)).result.findings).toEqual([]);
  });

  test('python -m running a package whose __main__ does not import the entry point is inconsistent', async () => {
    const server = { type: 'python', entry_point: 'src/fetcher/server.py', mcp_config: { command: 'python3', args: ['-m', 'fetcher'] } };
    const files = { 'src/fetcher/__init__.py': '', 'src/fetcher/__main__.py': 'from .other import run\n\nrun()\n', 'src/fetcher/other.py': '', 'src/fetcher/server.py': '' };
    const { result, text } = await check(withServer(server), files, 1);
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'inconsistent-execution-target', action: 'BLOCK', line: lineContaining(text, '"fetcher"') })]);
  });

  test('python -m naming another module is inconsistent', async () => {
    const server = { type: 'python', entry_point: 'weather/server.py', mcp_config: { command: 'python', args: ['-m', 'weather.backdoor'] } };
    const { result } = await check(withServer(server), { 'weather/server.py': '', 'weather/backdoor.py': '' }, 1);
    expect(rules(result)).toEqual(['inconsistent-execution-target:BLOCK']);
  });

  test('an mcp_config that names no bundle file (npx, uvx) is not judged', async () => {
    const server = { type: 'node', entry_point: 'index.js', mcp_config: { command: 'npx', args: ['-y', '@acme/weather'] } };
    expect((await check(withServer(server), { 'index.js': '' }, 2)).result.status).toBe('pass');
  });
});
