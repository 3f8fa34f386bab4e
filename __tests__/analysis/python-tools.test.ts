import { describe, expect, it } from '@jest/globals';
import { analyze } from '../../src/analysis/analyze.js';
import { silentLogger } from '../../src/logger.js';
import { makeBundle } from '../../__fixtures__/bundle.js';
import { findTools, readAnalysisFixture as readFixture } from '../../__fixtures__/tools.js';

describe('Python tool registrations (CD-01)', () => {
  it('reads FastMCP decorators with and without parentheses, name overrides and docstrings', async () => {
    const facts = await analyze(makeBundle({ 'server/main.py': readFixture('fastmcp_weather.py') }), silentLogger);
    expect(facts.problems).toEqual([]);
    expect(facts.tools).toEqual([
      {
        name: 'get_alerts',
        description: 'Get weather alerts for a US state.\n\nArgs:\n    state: Two-letter US state code (e.g. CA, NY)',
        file: 'server/main.py',
        line: 10,
        language: 'python',
        form: 'python-decorator',
      },
      expect.objectContaining({ name: 'get_forecast', description: 'Get the weather forecast for a location.', line: 22 }),
      expect.objectContaining({ name: 'convert_units', description: 'Convert between Celsius and Fahrenheit', line: 28 }),
      expect.objectContaining({ name: 'air_quality', description: 'Get the air quality index for a city', line: 34 }),
      expect.objectContaining({ name: 'sunrise', description: 'Sunrise time (local, \\n not an escape).', line: 45 }),
      expect.objectContaining({ name: 'moon_phase', description: null, line: 52 }),
      expect.objectContaining({ name: null, description: 'Tide tables.', line: 58, form: 'python-decorator' }),
    ]);
  });

  it('reads Tool(...) calls in a list_tools handler and the module-level lists it returns', async () => {
    expect(await findTools({ 'server.py': readFixture('lowlevel_server.py') })).toEqual([
      { name: 'search_notes', description: 'Search notes by keyword', line: 9, form: 'python-list-tools' },
      { name: 'count_notes', description: 'Count the notes', line: 15, form: 'python-list-tools' },
      { name: 'add_note', description: 'Add a new note', line: 23, form: 'python-list-tools' },
      { name: 'delete_note', description: 'Delete a note', line: 32, form: 'python-list-tools' },
      { name: null, description: null, line: 36, form: 'python-list-tools' },
    ]);
  });

  it('reads add_tool with the registered function as the default name and docstring', async () => {
    const source = [
      'from mcp.server.fastmcp import FastMCP',
      'mcp = FastMCP("files")',
      '',
      'mcp.add_tool(read_file)',
      'mcp.add_tool(tools.write_file, name="write", description="Write a file")',
      'mcp.add_tool(',
      '    make_handler(),',
      '    name="dynamic_handler",',
      ')',
      'mcp.tool(name="list_dir")(list_directory)',
      '',
      'def read_file(path: str) -> str:',
      '    """Read a UTF-8 text file."""',
      '    return open(path).read()',
      '',
      'def list_directory(path: str) -> list[str]:',
      '    """List a directory."""',
      '    return []',
    ].join('\n');
    expect(await findTools({ 'server.py': source })).toEqual([
      { name: 'read_file', description: 'Read a UTF-8 text file.', line: 4, form: 'python-add-tool' },
      { name: 'write', description: 'Write a file', line: 5, form: 'python-add-tool' },
      { name: 'dynamic_handler', description: null, line: 6, form: 'python-add-tool' },
      { name: 'list_dir', description: 'List a directory.', line: 10, form: 'python-decorator' },
    ]);
  });

  it('reports a list_tools handler whose tools cannot be read as one tool with a null name', async () => {
    const source = [
      'from mcp.server.lowlevel import Server',
      'from .catalog import load_tools',
      'server = Server("x")',
      '',
      '@server.list_tools()',
      'async def list_tools():',
      '    return load_tools()',
    ].join('\n');
    expect(await findTools({ 'server.py': source })).toEqual([
      { name: null, description: null, line: 5, form: 'python-list-tools' },
    ]);
  });

  it('follows names from a handler nested in a factory function', async () => {
    const source = [
      'def create_server():',
      '    server = Server("x")',
      '    tools = [types.Tool(name="ping", description="Ping", inputSchema={})]',
      '',
      '    @server.list_tools()',
      '    async def list_tools():',
      '        return tools',
      '',
      '    return server',
    ].join('\n');
    expect(await findTools({ 'server.py': source })).toEqual([
      { name: 'ping', description: 'Ping', line: 3, form: 'python-list-tools' },
    ]);
  });

  it("takes a decorated tool's docstring from the function it decorates, not a namesake", async () => {
    const source = [
      'def ping():',
      '    """The module-level ping, not a tool."""',
      '',
      'def register(app):',
      '    @app.tool',
      '    def ping():',
      '        """Ping the server."""',
    ].join('\n');
    expect(await findTools({ 'server.py': source })).toEqual([
      { name: 'ping', description: 'Ping the server.', line: 5, form: 'python-decorator' },
    ]);
  });

  it('decodes string literals as Python does', async () => {
    const source = [
      '@mcp.tool(name=u"caf\\u00e9", description="tab\\there \\x41\\101 \\N{BULLET} \\q")',
      'def a(): pass',
      '@mcp.tool(name=b"bytes")',
      'def b(): pass',
      '@mcp.tool(description=f"{{literal}} braces")',
      'def c(): pass',
      '@mcp.tool',
      'def e():',
      '    f"An f-string is not a docstring"',
      '@mcp.tool',
      'def d():',
      '\t"""',
      '\tIndented with tabs.',
      '\t    Deeper.',
      '\t"""',
    ].join('\r\n');
    expect(await findTools({ 'server.py': source })).toEqual([
      { name: 'café', description: 'tab\there AA \\N{BULLET} \\q', line: 1, form: 'python-decorator' },
      { name: null, description: null, line: 3, form: 'python-decorator' },
      { name: 'c', description: '{literal} braces', line: 5, form: 'python-decorator' },
      { name: 'e', description: null, line: 7, form: 'python-decorator' },
      { name: 'd', description: 'Indented with tabs.\n    Deeper.', line: 10, form: 'python-decorator' },
    ]);
  });

  it('reads Python from an extensionless file with a python shebang', async () => {
    const source = '#!/usr/bin/env python3\n@mcp.tool()\ndef ping():\n    """Ping."""\n';
    const facts = await analyze(makeBundle({ 'bin/weather': { data: source, mode: 0o755 } }), silentLogger);
    expect(facts.files).toEqual([{ path: 'bin/weather', language: 'python', role: 'server', reachable: false, parsed: true }]);
    expect(facts.tools).toEqual([expect.objectContaining({ name: 'ping', line: 2, language: 'python' })]);
  });

  it('does not parse tests or vendored packages, such as the MCP SDK itself', async () => {
    const sdk = '@mcp.tool()\ndef sdk_example(): pass\n';
    const facts = await analyze(
      makeBundle({
        'server/main.py': '@mcp.tool()\ndef ping(): pass\n',
        'server/lib/mcp/server/fastmcp/server.py': sdk,
        'server/lib/mcp-1.9.0.dist-info/METADATA': 'Name: mcp\n',
        'server/.venv/lib/python3.12/site-packages/mcp/example.py': sdk,
        'tests/test_main.py': sdk,
      }),
      silentLogger,
    );
    expect(facts.tools.map((tool) => tool.name)).toEqual(['ping']);
    expect(facts.files.map((file) => [file.path, file.role])).toEqual([
      ['server/.venv/lib/python3.12/site-packages/mcp/example.py', 'dependency'],
      ['server/lib/mcp/server/fastmcp/server.py', 'dependency'],
      ['server/main.py', 'server'],
      ['tests/test_main.py', 'test'],
    ]);
  });
});
