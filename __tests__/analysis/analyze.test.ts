import { describe, expect, it } from '@jest/globals';
import { analyze } from '../../src/analysis/analyze.js';
import { silentLogger } from '../../src/logger.js';
import { makeBundle } from '../../__fixtures__/bundle.js';

describe('the analysis pass', () => {
  it('lists every source file with its role in path order, and parses only server files', async () => {
    const facts = await analyze(
      makeBundle({
        'server/main.py': '@mcp.tool\ndef ping(): pass\n',
        'server/index.js': 'server.tool("pong", "Pong", f);\n',
        'server/types.d.ts': 'export declare const x: number;\n',
        'tests/test_main.py': '@mcp.tool\ndef test_only(): pass\n',
        'node_modules/sdk/index.js': 'server.tool("sdk_example", "", f);\n',
        'manifest.json': '{"name": "x"}\n',
        'README.md': 'server.tool("doc", "", f)\n',
      }),
      silentLogger,
    );
    expect(facts.files).toEqual([
      { path: 'node_modules/sdk/index.js', language: 'javascript', role: 'dependency', reachable: false, parsed: false },
      { path: 'server/index.js', language: 'javascript', role: 'server', reachable: false, parsed: true },
      { path: 'server/main.py', language: 'python', role: 'server', reachable: false, parsed: true },
      { path: 'tests/test_main.py', language: 'python', role: 'test', reachable: false, parsed: false },
    ]);
    expect(facts.tools.map((tool) => tool.name)).toEqual(['pong', 'ping']);
    expect(facts.problems).toEqual([]);
  });

  it('sorts tools by file, then line', async () => {
    const facts = await analyze(
      makeBundle({
        'b.js': 'server.tool("b2", "", f);\n\nserver.tool("b1", "", f);\n',
        'a.py': '\n@mcp.tool\ndef a(): pass\n',
        'A.js': 'server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [T2, T1] }));\nconst T1 = { name: "t1" };\nconst T2 = { name: "t2" };\n',
      }),
      silentLogger,
    );
    expect(facts.tools.map((tool) => [tool.file, tool.line, tool.name])).toEqual([
      ['A.js', 2, 't1'],
      ['A.js', 3, 't2'],
      ['a.py', 2, 'a'],
      ['b.js', 1, 'b2'],
      ['b.js', 3, 'b1'],
    ]);
  });
});
