import { describe, expect, test } from '@jest/globals';
import { l2Manifest, makeBundle, manifestJson } from '../../__fixtures__/bundle.js';
import { lineContaining, resultOf, scanWith } from '../../__fixtures__/scan.js';
import { cd01 } from '../../src/controls/capability_declaration/cd-01-tool-declaration.js';
import type { LevelOrNone } from '../../src/spec/levels.js';

const FASTMCP_SERVER = `from mcp.server.fastmcp import FastMCP

mcp = FastMCP("weather")


@mcp.tool()
def get_weather(city: str) -> str:
    """Get current weather for a location"""
    return city


@mcp.tool(
    name="send_email",
    description="Send an email message",
)
def email(to: str, body: str) -> str:
    return to
`;

const TS_SERVER = `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

const server = new McpServer({ name: "weather", version: "1.0.0" });

server.tool("get_weather", "Get current weather for a location", { city: z.string() }, async ({ city }) => ({
  content: [{ type: "text", text: city }],
}));

server.registerTool(
  "send_email",
  { description: "Send an email message", inputSchema: { to: z.string() } },
  async ({ to }) => ({ content: [{ type: "text", text: to }] }),
);
`;

const tools = (...names: string[]) => names.map((name) => ({ name, description: `Does ${name}` }));

async function check(manifest: Record<string, unknown>, files: Record<string, string>, level?: LevelOrNone) {
  const text = manifestJson(manifest);
  const report = await scanWith(makeBundle({ 'manifest.json': text, ...files }), [cd01], { requiredLevel: level });
  return { result: resultOf(report, 'CD-01'), text };
}

const rules = (result: { findings: { rule: string; action: string }[] }) => result.findings.map((f) => `${f.rule}:${f.action}`);

describe('CD-01 declarations (severity table, spec 3.5)', () => {
  test('a manifest that declares every registered tool with a description passes at L2', async () => {
    const { result } = await check(l2Manifest({ tools: tools('get_weather', 'send_email') }), { 'server.py': FASTMCP_SERVER }, 2);
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([]);
  });

  test('a missing tools field blocks', async () => {
    const manifest = l2Manifest();
    delete manifest.tools;
    const { result } = await check(manifest, { 'server.py': '' }, 1);
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'tools-missing', action: 'BLOCK', file: 'manifest.json' })]);
  });

  test('a tool without a name blocks at the line of the declaration', async () => {
    const { result, text } = await check(l2Manifest({ tools: [{ description: 'Nameless' }] }), { 'server.py': '' }, 1);
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'tool-without-name', action: 'BLOCK', line: lineContaining(text, '"description": "Nameless"') - 1 })]);
  });

  test('a tool without a description warns at L1 and blocks from L2', async () => {
    const manifest = l2Manifest({ tools: [{ name: 'get_weather' }] });
    const atL1 = await check(manifest, { 'server.py': '' }, 1);
    expect(atL1.result.status).toBe('pass');
    expect(atL1.result.findings).toEqual([expect.objectContaining({ rule: 'tool-without-description', action: 'WARN', blocks_from: 2, line: lineContaining(atL1.text, '"name": "get_weather"') - 1 })]);
    const atL2 = await check(manifest, { 'server.py': '' }, 2);
    expect(atL2.result.status).toBe('fail');
    expect(rules(atL2.result)).toEqual(['tool-without-description:BLOCK']);
  });

  test('a whitespace-only description counts as missing', async () => {
    const { result } = await check(l2Manifest({ tools: [{ name: 'x', description: '   ' }] }), { 'server.py': '' }, 2);
    expect(rules(result)).toEqual(['tool-without-description:BLOCK']);
  });
});

describe('CD-01 implemented tools not in the manifest', () => {
  test('a FastMCP tool missing from the manifest warns at L1 and blocks from L2, at the registration line', async () => {
    const manifest = l2Manifest({ tools: tools('get_weather') });
    const atL1 = await check(manifest, { 'server.py': FASTMCP_SERVER }, 1);
    expect(atL1.result.status).toBe('pass');
    expect(atL1.result.findings).toEqual([
      expect.objectContaining({ rule: 'undeclared-tool', action: 'WARN', blocks_from: 2, file: 'server.py', line: lineContaining(FASTMCP_SERVER, '@mcp.tool(') + 6 }),
    ]);
    expect(atL1.result.findings[0]!.title).toContain('send_email');
    const atL2 = await check(manifest, { 'server.py': FASTMCP_SERVER }, 2);
    expect(atL2.result.status).toBe('fail');
  });

  test('TypeScript server.tool and server.registerTool registrations are compared with the manifest', async () => {
    const { result } = await check(l2Manifest({ tools: tools('send_email') }), { 'server/index.ts': TS_SERVER }, 2);
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([
      expect.objectContaining({ rule: 'undeclared-tool', action: 'BLOCK', file: 'server/index.ts', line: lineContaining(TS_SERVER, 'server.tool(') }),
    ]);
  });

  test('tools_generated: true turns undeclared tools into information', async () => {
    const { result } = await check(l2Manifest({ tools: tools('get_weather'), tools_generated: true }), { 'server.py': FASTMCP_SERVER }, 2);
    expect(result.status).toBe('pass');
    expect(rules(result)).toEqual(['undeclared-tool:INFO']);
  });

  test('a tool registered in a dependency directory is not the server\'s own', async () => {
    const { result } = await check(l2Manifest({ tools: tools('get_weather', 'send_email') }), {
      'server.py': FASTMCP_SERVER,
      'lib/site-packages/othermcp/server.py': FASTMCP_SERVER.replace('send_email', 'drop_tables'),
      'lib/site-packages/othermcp-1.0.dist-info/METADATA': 'Name: othermcp\n',
    }, 2);
    expect(result.status).toBe('pass');
  });

  test('a declared tool that the code never registers is reported as information', async () => {
    const { result } = await check(l2Manifest({ tools: tools('get_weather', 'send_email', 'delete_files') }), { 'server.py': FASTMCP_SERVER }, 2);
    expect(result.status).toBe('pass');
    expect(rules(result)).toEqual(['declared-tool-not-found:INFO']);
  });

  test('a tool whose name is computed at run time is reported as information, not compared', async () => {
    const code = `const NAME = process.env.TOOL;\nserver.tool(NAME, "Dynamic", async () => ({ content: [] }));\n`;
    const { result } = await check(l2Manifest({ tools: tools('get_weather') }), { 'index.js': code }, 2);
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'dynamic-tool-name', action: 'INFO', file: 'index.js', line: 2 })]);
  });
});
