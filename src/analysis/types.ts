/**
 * Facts the analysis pass extracts from the bundle's source files, parsed once per scan and shared by every
 * control. Controls never parse or walk files themselves.
 */

export type Language = 'javascript' | 'typescript' | 'python';

/**
 * Whose code a file is. `server`: the bundle's own code. `dependency`: vendored third-party code
 * (node_modules/, site-packages/, ...). `test`: test code. CQ-03/04/05 and CD-02 judge `server` files only;
 * CQ-01/CQ-02 judge every file (DESIGN.md section 4, "Scope of code analysis").
 */
export type FileRole = 'server' | 'dependency' | 'test';

/** How a tool registration was written (the official MCP SDKs' forms). */
export type ToolForm =
  /** Python FastMCP: `@mcp.tool()`, `@mcp.tool`, `@server.tool(name="x")`, and applied as `mcp.tool()(fn)`. */
  | 'python-decorator'
  /** Python FastMCP: `mcp.add_tool(fn, name="x")`. */
  | 'python-add-tool'
  /** Python low-level Server: `types.Tool(name="x", ...)` returned from a `@server.list_tools()` handler. */
  | 'python-list-tools'
  /** TypeScript/JavaScript McpServer: `server.tool("x", ...)`. */
  | 'js-tool'
  /** TypeScript/JavaScript McpServer: `server.registerTool("x", {...}, handler)`. */
  | 'js-register-tool'
  /** TypeScript/JavaScript low-level Server: `{ name: "x", ... }` returned from the ListTools request handler. */
  | 'js-list-tools';

export interface ToolRegistration {
  /**
   * The tool name as written; null when the code computes it at run time. For the list forms, null also
   * stands for list entries that cannot be read statically (an imported list, a `.map(...)`): one
   * registration where they are, meaning "there may be tools here we cannot name".
   */
  name: string | null;
  /** The description as written in code (argument, `description=` keyword, docstring), if any. */
  description: string | null;
  file: string;
  /**
   * 1-based line where the registration begins: the `@` of the decorator, the method name of a
   * `.tool(`/`.registerTool(`/`.add_tool(` call, the `Tool(` call or `{` of a tool object in a tool list.
   */
  line: number;
  language: Language;
  form: ToolForm;
}

export interface SourceFile {
  path: string;
  language: Language;
  role: FileRole;
}

/**
 * A file the pass could not analyse; it still gets the text-level scans (secrets, malware).
 * `too-large`: over the parse size cap. `unparsable`: no usable syntax tree (syntax error, nesting too deep).
 * `timeout`: the parser ran out of its time budget. `analysis-error`: the scanner failed, not the file
 * (e.g. the Python parser could not be loaded).
 */
export interface AnalysisProblem {
  file: string;
  line: number | null;
  kind: 'too-large' | 'unparsable' | 'timeout' | 'analysis-error';
  message: string;
}

export interface Facts {
  /**
   * Every JavaScript, TypeScript and Python source file of the bundle with its role, in path order. Only
   * `server` files are parsed; files that could not be are listed in `problems`.
   */
  files: SourceFile[];
  /** Tool registrations found in server code (role `server`), in file and line order. */
  tools: ToolRegistration[];
  problems: AnalysisProblem[];
}
