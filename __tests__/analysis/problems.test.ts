import { describe, expect, it } from '@jest/globals';
import { analyze } from '../../src/analysis/analyze.js';
import { createFactSink } from '../../src/analysis/extractor.js';
import { analyzeSourceFile, MAX_PARSE_BYTES } from '../../src/analysis/file-pass.js';
import { silentLogger } from '../../src/logger.js';
import { makeBundle } from '../../__fixtures__/bundle.js';

const DEPTH = 100_000;
const TOOL_JS = 'server.tool("ping", "Ping", f);\n';
const TOOL_PY = '@mcp.tool()\ndef ping():\n    """Ping."""\n';

describe('files the pass cannot analyse', () => {
  it('reports a file over the size limit as too large, without parsing it', async () => {
    const big = TOOL_JS + `// ${'x'.repeat(MAX_PARSE_BYTES)}\n`;
    const facts = await analyze(makeBundle({ 'big.js': big, 'ok.js': TOOL_JS }), silentLogger);
    expect(facts.problems).toEqual([
      { file: 'big.js', line: null, kind: 'too-large', message: expect.stringContaining('parse limit') },
    ]);
    expect(facts.tools.map((tool) => tool.file)).toEqual(['ok.js']);
  });

  it('reports a syntax error Babel cannot recover from as unparsable, with its line', async () => {
    const broken = 'const a = 1;\n\nconst b = "unterminated;\nserver.tool("lost", "x", f);\n';
    const facts = await analyze(makeBundle({ 'broken.js': broken, 'ok.js': TOOL_JS }), silentLogger);
    expect(facts.problems).toEqual([{ file: 'broken.js', line: 3, kind: 'unparsable', message: 'Unterminated string constant.' }]);
    expect(facts.tools.map((tool) => tool.name)).toEqual(['ping']);
  });

  it('keeps the tree Babel recovers from a recoverable error', async () => {
    const recoverable = 'let a;\nlet a;\nserver.tool("kept", "Kept", f);\n';
    const facts = await analyze(makeBundle({ 'index.js': recoverable }), silentLogger);
    expect(facts.problems).toEqual([]);
    expect(facts.tools).toEqual([expect.objectContaining({ name: 'kept', line: 3 })]);
  });

  it('reports Python with no parsable statement as unparsable, and keeps partly broken Python', async () => {
    const garbage = Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x7b, 0x7b, 0x28, 0x0a]);
    const partly = 'x = 1\ndef broken(:\n    pass\n' + TOOL_PY;
    const facts = await analyze(makeBundle({ 'junk.py': garbage, 'partly.py': partly }), silentLogger);
    expect(facts.problems).toEqual([{ file: 'junk.py', line: 1, kind: 'unparsable', message: 'no Python statement could be parsed' }]);
    expect(facts.tools).toEqual([expect.objectContaining({ file: 'partly.py', name: 'ping', line: 4 })]);
  });

  it('reads invalid UTF-8 with replacement characters instead of giving up', async () => {
    const bytes = Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9, 0xff]), Buffer.from('\n' + TOOL_JS)]);
    const facts = await analyze(makeBundle({ 'index.js': bytes }), silentLogger);
    expect(facts.problems).toEqual([]);
    expect(facts.tools).toEqual([expect.objectContaining({ name: 'ping', line: 2 })]);
  });

  it('reports an expression nested too deeply for Babel as unparsable instead of overflowing the stack', async () => {
    const nested = `const x = ${'('.repeat(DEPTH)}1${')'.repeat(DEPTH)};\n`;
    const facts = await analyze(makeBundle({ 'nested.js': nested, 'ok.js': TOOL_JS }), silentLogger);
    expect(facts.problems).toEqual([{ file: 'nested.js', line: null, kind: 'unparsable', message: 'nested too deeply to parse' }]);
    expect(facts.tools.map((tool) => tool.name)).toEqual(['ping']);
  });

  it('walks a tree 100,000 levels deep without recursion', async () => {
    const chain = `server${'.next'.repeat(DEPTH)}.tool("deep_js", "Deep", f);\n`;
    const python = `x = ${'('.repeat(DEPTH)}1${')'.repeat(DEPTH)}\n${TOOL_PY}`;
    const facts = await analyze(makeBundle({ 'chain.js': chain, 'nested.py': python }), silentLogger);
    expect(facts.problems).toEqual([]);
    expect(facts.tools.map((tool) => [tool.file, tool.name, tool.line])).toEqual([
      ['chain.js', 'deep_js', 1],
      ['nested.py', 'ping', 2],
    ]);
  });

  it('reports Python files as an analysis error when the Python parser is unavailable', () => {
    const bundle = makeBundle({ 'main.py': TOOL_PY });
    const source = { path: 'main.py', language: 'python' as const, role: 'server' as const, reachable: false, parsed: true };
    const sink = createFactSink();
    const problem = analyzeSourceFile(bundle.files.get('main.py')!, source, { ok: false, message: 'wasm missing' }, sink);
    expect(problem).toEqual({ file: 'main.py', line: null, kind: 'analysis-error', message: 'the Python parser is unavailable: wasm missing' });
    expect(sink.tools).toEqual([]);
  });
});

describe('the per-file analysis budget', () => {
  it('keeps the first 50,000 call sites of a file and reports the file as truncated', async () => {
    const facts = await analyze(makeBundle({ 'calls.js': 'f();\n'.repeat(60_000), 'ok.js': TOOL_JS }), silentLogger);
    expect(facts.problems).toEqual([{ file: 'calls.js', line: null, kind: 'truncated', message: expect.stringContaining('50,000') }]);
    expect(facts.calls.filter((call) => call.file === 'calls.js')).toHaveLength(50_000);
    expect(facts.tools.map((tool) => tool.name)).toEqual(['ping']);
  });
});

describe('bounds on resolving tool lists', () => {
  it('follows a 100,000-link member chain in a tool list a few links only', async () => {
    const source = `server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [x${'.a'.repeat(DEPTH)}] }));\n`;
    const facts = await analyze(makeBundle({ 'index.js': source }), silentLogger);
    expect(facts.problems).toEqual([]);
    expect(facts.tools).toEqual([expect.objectContaining({ name: null, line: 1, form: 'js-list-tools' })]);
  });

  it('expands a list shared by many JavaScript handlers once', async () => {
    const tools = Array.from({ length: 2_000 }, (_, i) => `{ name: "t${i}" }`).join(', ');
    const handlers = 'server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOLS }));\n'.repeat(2_000);
    const facts = await analyze(makeBundle({ 'index.js': `const TOOLS = [${tools}];\n${handlers}` }), silentLogger);
    expect(facts.tools).toHaveLength(2_000);
    expect(facts.tools.every((tool) => tool.name !== null)).toBe(true);
  });

  it('stops expanding a JavaScript tool list past the work budget and says there may be more tools', async () => {
    const tools = '{ name: "t" },'.repeat(20_000);
    const source = `server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [${tools}] }));\n`;
    const facts = await analyze(makeBundle({ 'index.js': source }), silentLogger);
    expect(facts.tools.filter((tool) => tool.name === null)).toHaveLength(1);
    expect(facts.tools.length).toBeLessThan(10_001);
  });

  it('searches a list shared by many Python handlers once', async () => {
    const tools = Array.from({ length: 2_000 }, (_, i) => `Tool(name="t${i}")`).join(', ');
    const handler = (i: number) => `@server.list_tools()\nasync def list_${i}():\n    return TOOLS\n`;
    const source = `TOOLS = [${tools}]\n${Array.from({ length: 2_000 }, (_, i) => handler(i)).join('')}`;
    const facts = await analyze(makeBundle({ 'server.py': source }), silentLogger);
    expect(facts.problems).toEqual([]);
    expect(facts.tools).toHaveLength(2_000);
    expect(facts.tools.every((tool) => tool.name !== null)).toBe(true);
  });

  it('stops following a Python handler past the work budget and says there may be more tools', async () => {
    const source = `@server.list_tools()\nasync def list_tools():\n    return [${'Tool(),'.repeat(210_000)}]\n`;
    const facts = await analyze(makeBundle({ 'server.py': source }), silentLogger);
    // 210,000 call sites are also past the code facts' call budget: the file is reported as truncated.
    expect(facts.problems).toEqual([expect.objectContaining({ file: 'server.py', kind: 'truncated' })]);
    expect(facts.tools).toEqual([expect.objectContaining({ name: null, line: 1, form: 'python-list-tools' })]);
  });
});
