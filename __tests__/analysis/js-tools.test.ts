import { describe, expect, it } from '@jest/globals';
import { analyze } from '../../src/analysis/analyze.js';
import { silentLogger } from '../../src/logger.js';
import { makeBundle } from '../../__fixtures__/bundle.js';
import { findTools, readAnalysisFixture as readFixture } from '../../__fixtures__/tools.js';

describe('JavaScript and TypeScript tool registrations (CD-01)', () => {
  it('reads McpServer.tool and registerTool calls, single- and multi-line, with zod schemas', async () => {
    const facts = await analyze(makeBundle({ 'src/index.ts': readFixture('mcp-server.ts') }), silentLogger);
    expect(facts.problems).toEqual([]);
    expect(facts.tools).toEqual([
      { name: 'get_time', description: null, file: 'src/index.ts', line: 8, language: 'typescript', form: 'js-tool' },
      expect.objectContaining({ name: 'get_alerts', description: 'Get weather alerts for a state', line: 10, form: 'js-tool' }),
      expect.objectContaining({ name: 'get_forecast', description: 'Get weather forecast for a location', line: 20, form: 'js-tool' }),
      expect.objectContaining({ name: 'convert_units', description: 'Convert between Celsius and Fahrenheit', line: 27, form: 'js-register-tool' }),
      expect.objectContaining({ name: 'echo', description: null, line: 38, form: 'js-register-tool' }),
      expect.objectContaining({ name: null, description: 'Generated per name', line: 41, form: 'js-tool' }),
    ]);
  });

  it('reads the tool objects a low-level ListTools handler returns, inline and through constants', async () => {
    expect(await findTools({ 'server/index.js': readFixture('lowlevel-server.js') })).toEqual([
      { name: 'get_weather', description: 'Get current weather for a location', line: 9, form: 'js-list-tools' },
      { name: 'get_forecast', description: 'Get the 5-day forecast', line: 15, form: 'js-list-tools' },
      { name: 'send_email', description: 'Send an email message', line: 24, form: 'js-list-tools' },
      { name: null, description: null, line: 30, form: 'js-list-tools' },
    ]);
  });

  it('reads Object.values of a tool map and a handler declared as a function', async () => {
    const source = [
      'import { Server } from "@modelcontextprotocol/sdk/server/index.js";',
      'import { ListToolsRequestSchema, type Tool } from "@modelcontextprotocol/sdk/types.js";',
      '',
      'const SEARCH: Tool = { name: "search", description: "Search the index", inputSchema: { type: "object" } };',
      'const TOOL_MAP = {',
      '  search: SEARCH,',
      '  fetch: {',
      '    name: "fetch",',
      '    description: "Fetch a URL",',
      '  } satisfies Tool,',
      '  ...{ extra: { name: "extra", description: "From a spread" } },',
      '};',
      '',
      'async function listTools() {',
      '  return { tools: Object.values(TOOL_MAP) };',
      '}',
      '',
      'const server = new Server({ name: "search", version: "1.0.0" });',
      'server.setRequestHandler(ListToolsRequestSchema, listTools);',
    ].join('\n');
    expect(await findTools({ 'src/server.ts': source })).toEqual([
      { name: 'search', description: 'Search the index', line: 4, form: 'js-list-tools' },
      { name: 'fetch', description: 'Fetch a URL', line: 7, form: 'js-list-tools' },
      { name: 'extra', description: 'From a spread', line: 11, form: 'js-list-tools' },
    ]);
  });

  it('reads compiled CommonJS (tsc output) and a tools list extended at run time', async () => {
    const source = [
      '"use strict";',
      'const index_js_1 = require("@modelcontextprotocol/sdk/server/index.js");',
      'const types_js_1 = require("@modelcontextprotocol/sdk/types.js");',
      'const tools = [{ name: "ping", description: "Ping" }];',
      'tools.push(loadPluginTool());',
      'const server = new index_js_1.Server({ name: "p", version: "1" });',
      'server.setRequestHandler(types_js_1.ListToolsRequestSchema, async () => {',
      '  return { tools };',
      '});',
    ].join('\n');
    expect(await findTools({ 'dist/index.cjs': source })).toEqual([
      { name: 'ping', description: 'Ping', line: 4, form: 'js-list-tools' },
      { name: null, description: null, line: 8, form: 'js-list-tools' },
    ]);
  });

  it('reads a handler written as a method of an object literal', async () => {
    const source = [
      'const handlers = {',
      '  async listTools() {',
      '    return { tools: [{ name: "from_method", description: "A method handler" }] };',
      '  },',
      '};',
      'server.setRequestHandler(ListToolsRequestSchema, handlers.listTools);',
    ].join('\n');
    expect(await findTools({ 'index.js': source })).toEqual([
      { name: 'from_method', description: 'A method handler', line: 3, form: 'js-list-tools' },
    ]);
  });

  it('does not mistake a parameter or an inner variable for a same-named constant', async () => {
    const source = [
      'const tools = [{ name: "outer", description: "Not what the handler returns" }];',
      'function register(server, tools) {',
      '  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));',
      '}',
      'server.setRequestHandler(ListToolsRequestSchema, async () => {',
      '  const tools = await discover();',
      '  return { tools };',
      '});',
    ].join('\n');
    expect(await findTools({ 'index.js': source })).toEqual([
      { name: null, description: null, line: 3, form: 'js-list-tools' },
      { name: null, description: null, line: 7, form: 'js-list-tools' },
    ]);
  });

  it('does not report calls that only look like registrations', async () => {
    const source = [
      'const re = /tool/g;',
      're.exec("tool");',
      'toolbox.tool(makeName(), handler);',
      'cli.tool(config);',
      'ai.tool({ name: "x" });',
      'const s = "server.tool(\'in_a_string\', f)";',
      '/* server.tool("in_a_comment", f) */',
      'server.setRequestHandler(CallToolRequestSchema, async () => ({ tools: [{ name: "x" }] }));',
      'emitter.on("tool", () => {});',
      'value.toString("tool", f); value.constructor("tool", f); value.hasOwnProperty("tool", f);',
    ].join('\n');
    expect(await findTools({ 'index.js': source })).toEqual([]);
  });

  it('reports a computed name when the receiver or the file looks like MCP', async () => {
    const helper = [
      'export function registerAll(server, definitions) {',
      '  for (const d of definitions) server.tool(d.name, d.description, d.schema, d.handler);',
      '}',
    ].join('\n');
    const typed = [
      'import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";',
      'export const add = (app: McpServer, name: string) => app.registerTool(name, { description: "Added" }, run);',
    ].join('\n');
    const files = { 'src/register.js': helper, 'src/typed.ts': typed };
    const facts = await analyze(makeBundle(files), silentLogger);
    expect(facts.tools).toEqual([
      { name: null, description: null, file: 'src/register.js', line: 2, language: 'javascript', form: 'js-tool' },
      { name: null, description: 'Added', file: 'src/typed.ts', line: 2, language: 'typescript', form: 'js-register-tool' },
    ]);
  });

  it('reads JSX and TypeScript with decorators, and an extensionless node script', async () => {
    const tsx = 'export const View = () => <div>{server.tool("in_tsx", "From TSX", f)}</div>;\n';
    const decorated = '@Injectable()\nclass Tools {\n  constructor(private readonly server: McpServer) {\n    server.tool("decorated", f => f);\n  }\n}\n';
    const script = '#!/usr/bin/env node\nserver.tool("from_bin", "Bin script", run);\n';
    expect(await findTools({ 'src/view.tsx': tsx, 'src/tools.ts': decorated, 'bin/server': script })).toEqual([
      { name: 'from_bin', description: 'Bin script', line: 2, form: 'js-tool' },
      { name: 'decorated', description: null, line: 4, form: 'js-tool' },
      { name: 'in_tsx', description: 'From TSX', line: 1, form: 'js-tool' },
    ]);
  });

  it('does not parse the MCP SDK in node_modules, nor tests', async () => {
    const facts = await analyze(
      makeBundle({
        'server/index.js': 'server.tool("ping", "Ping", f);\n',
        'node_modules/@modelcontextprotocol/sdk/dist/esm/examples/server/simpleStreamableHttp.js': 'server.tool("greet", "Greet", f);\n',
        'server/index.test.js': 'server.tool("test_only", "Test", f);\n',
      }),
      silentLogger,
    );
    expect(facts.tools.map((tool) => tool.name)).toEqual(['ping']);
  });
});
