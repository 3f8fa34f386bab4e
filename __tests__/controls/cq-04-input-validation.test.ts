import { describe, expect, test } from '@jest/globals';
import { checkControl, serverBundle, summarize } from '../../__fixtures__/code.js';
import { cq04 } from '../../src/controls/code_quality/cq-04-input-validation.js';
import type { LevelOrNone } from '../../src/spec/levels.js';

async function scan(entry: string, source: string, level: LevelOrNone = 3) {
  return checkControl(cq04, serverBundle(entry, { [entry]: source }).bundle, level);
}

const FASTMCP = 'from mcp.server.fastmcp import FastMCP, Context\nfrom typing import Any\nmcp = FastMCP("x")\n';
const MCP_TS = 'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\nimport { z } from "zod";\nconst server = new McpServer({ name: "x", version: "1" });\n';

describe('CQ-04 Python (FastMCP typed parameters, low-level Server)', () => {
  test('typed parameters, a pydantic model and an injected Context pass', async () => {
    const source = `${FASTMCP}
@mcp.tool()
def get_weather(city: str, days: int = 3) -> str:
    """Weather."""
    return city

@mcp.tool()
async def create(note: NoteInput, ctx: Context) -> str:
    return "ok"

@mcp.tool()
def ping() -> str:
    return "pong"
`;
    const result = await scan('server.py', source, 4);
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([]);
  });

  test('an untyped dict warns at L3 and blocks at L4 (spec "What Does NOT Qualify")', async () => {
    const source = `${FASTMCP}
@mcp.tool()
def get_weather(input: dict) -> str:
    return input.get("location")
`;
    const atL3 = await scan('server.py', source, 3);
    expect(atL3.status).toBe('pass');
    expect(summarize(atL3)).toEqual(['no-validation@server.py:5 WARN']);
    const atL4 = await scan('server.py', source, 4);
    expect(atL4.status).toBe('fail');
    expect(summarize(atL4)).toEqual(['no-validation@server.py:5 BLOCK']);
  });

  test('some untyped parameters are partial validation: a WARN even at L4', async () => {
    const source = `${FASTMCP}
@mcp.tool(name="search")
def search(query: str, options: Any, limit=10) -> str:
    return query
`;
    const result = await scan('server.py', source, 4);
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'partial-validation', action: 'WARN', line: 5, description: expect.stringContaining('options, limit') })]);
  });

  test('a low-level call_tool handler is validated by the SDK unless validate_input=False', async () => {
    const validated = '@server.call_tool()\nasync def call_tool(name: str, arguments: dict):\n    return []\n';
    expect((await scan('server.py', validated, 4)).findings).toEqual([]);
    const off = '@server.call_tool(validate_input=False)\nasync def call_tool(name: str, arguments: dict):\n    return []\n';
    expect(summarize(await scan('server.py', off, 4))).toEqual(['no-validation@server.py:1 BLOCK']);
    const own = '@server.call_tool(validate_input=False)\nasync def call_tool(name, arguments):\n    args = WeatherArgs.model_validate(arguments)\n    return []\n';
    expect((await scan('server.py', own, 4)).findings).toEqual([]);
  });
});

describe('CQ-04 TypeScript/JavaScript (zod shapes, low-level CallTool handlers)', () => {
  test('registerTool with a zod inputSchema and tool() with a shape pass; a tool with no input needs none', async () => {
    const source = `${MCP_TS}
server.registerTool("a", { description: "A", inputSchema: { city: z.string() } }, async ({ city }) => ({ content: [] }));
server.tool("b", "B", { n: z.number().int() }, async ({ n }) => ({ content: [] }));
server.tool("c", "C", async () => ({ content: [] }));
server.tool("d", "D", { readOnlyHint: true }, async () => ({ content: [] }));
`;
    const result = await scan('index.ts', source, 4);
    expect(result.findings).toEqual([]);
  });

  test('a zod shape with z.any() is partial', async () => {
    const source = `${MCP_TS}\nserver.registerTool(\n  "a",\n  { inputSchema: { city: z.string(), extra: z.any().optional() } },\n  async () => ({ content: [] }),\n);\n`;
    expect(summarize(await scan('index.ts', source, 4))).toEqual(['partial-validation@index.ts:5 WARN']);
  });

  test('a low-level CallTool handler that parses with zod passes, through a helper function too', async () => {
    const direct = 'server.setRequestHandler(CallToolRequestSchema, async (req) => {\n  const args = Args.parse(req.params.arguments);\n  return run(args);\n});\n';
    expect((await scan('index.js', direct, 4)).findings).toEqual([]);
    const helper = 'async function handle(req) {\n  const args = Args.safeParse(req.params.arguments);\n}\nserver.setRequestHandler(CallToolRequestSchema, async (req) => handle(req));\n';
    expect((await scan('index.js', helper, 4)).findings).toEqual([]);
  });

  test('a low-level CallTool handler that validates nothing: none, or partial when the tools declare inputSchema', async () => {
    const none = 'server.setRequestHandler(CallToolRequestSchema, async (req) => {\n  return doThing(req.params.arguments.path);\n});\n';
    expect(summarize(await scan('index.js', none, 4))).toEqual(['no-validation@index.js:1 BLOCK']);
    const declared = `server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: "t", inputSchema: { type: "object" } }] }));\n${none}`;
    expect(summarize(await scan('index.js', declared, 4))).toEqual(['partial-validation@index.js:2 WARN']);
  });

  test('a suppression with a reason silences the finding', async () => {
    const source = '// nosec: the handler takes no arguments\nserver.setRequestHandler(CallToolRequestSchema, async () => ({ content: [] })); // nosec: takes no arguments\n';
    expect(summarize(await scan('index.js', source, 4))).toEqual(['no-validation@index.js:2 INFO']);
  });

  test('no tool handler at all is a skip', async () => {
    expect((await scan('index.js', 'console.log(1);\n', 3)).status).toBe('skip');
  });
});
