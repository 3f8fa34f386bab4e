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
  /**
   * Whose code the file is. A file the entry point reaches through relative imports is `server` whatever its
   * path says (a `tests/` or `vendor/` path does not hide code the server runs).
   */
  role: FileRole;
  /** Reached from the manifest's execution targets through imports and path references (AI-05). */
  reachable: boolean;
  /**
   * Whether the pass parsed it: every server file is parsed; dependency and test files only when the text
   * prefilter finds a token the malware detectors look for (see prefilter.ts).
   */
  parsed: boolean;
}

/**
 * A file the pass could not analyse; it still gets the text-level scans (secrets, malware).
 * `too-large`: over the parse size cap. `unparsable`: no usable syntax tree (syntax error, nesting too deep).
 * `timeout`: the parser ran out of its time budget. `truncated`: parsed, but the analysis budget ran out
 * (its facts so far are kept). `analysis-error`: the scanner failed, not the file (e.g. the Python parser
 * could not be loaded).
 */
export interface AnalysisProblem {
  file: string;
  line: number | null;
  kind: 'too-large' | 'unparsable' | 'timeout' | 'truncated' | 'analysis-error';
  message: string;
}

export interface Facts {
  /**
   * Every JavaScript, TypeScript and Python source file of the bundle with its role, in path order. Files that
   * could not be parsed are listed in `problems`.
   */
  files: SourceFile[];
  /** Tool registrations found in server code (role `server`), in file and line order. */
  tools: ToolRegistration[];
  /** Tool handlers of server code and how they validate their input (CQ-04). */
  handlers: ToolHandler[];
  /** Every parsed file's static imports and path references, resolved to bundle files where they name one. */
  imports: ImportFact[];
  /** Call sites of every parsed file, callee resolved through imports and aliases. */
  calls: CallFact[];
  /**
   * String literals and strings built from pieces (templates, concatenation, formatting) of server files.
   * Python strings are kept when a check can read them (SQL keywords, short file names, bind-all and
   * temporary-directory paths): materialising every string node of the parser costs more than the parse.
   */
  strings: StringFact[];
  /** What the code does to the system: network, filesystem, subprocess, native code, environment (CD-02). */
  capabilities: CapabilityUse[];
  /** Assignments of non-literal values to `innerHTML` / `outerHTML` (CQ-05). */
  htmlWrites: HtmlWrite[];
  /** `# nosec` / `// nosec` comments, one per line that has one. */
  suppressions: Suppression[];
  /** The files the manifest executes (entry point, mcp_config targets) that exist in the bundle. */
  entryPoints: string[];
  /** Bundle paths reachable from the entry points (any file type), in path order (AI-05 "referenced"). */
  reachable: string[];
  problems: AnalysisProblem[];
}

/** Whether code runs while the server loads and starts (`init`) or later, inside handlers (`runtime`). */
export type ExecutionContext = 'init' | 'runtime';

/** The syntactic shape of a value as written. */
export type ValueKind =
  | 'literal'
  | 'template'
  | 'concatenation'
  | 'identifier'
  | 'member'
  | 'call'
  | 'object'
  | 'array'
  | 'function'
  | 'other';

/** A decoding a value went through on its way to where it is used (obfuscation, CQ-02). */
export type Decoding = 'base64' | 'hex' | 'zlib' | 'charcode' | 'escape' | 'marshal' | 'rot13' | 'reverse';

/**
 * Where data in a value may come from, following same-file assignments. `env-all`: the whole environment;
 * `home`: the home directory path; `home-file`: contents or listing of something under it; `sensitive-file`:
 * contents of a credential file or directory (`~/.ssh`, `~/.aws`, `/etc/shadow` ...); `file`: other file
 * contents; `socket`: a network socket object; `network`: a response received over the network.
 */
export type ValueOrigin = 'env' | 'env-all' | 'home' | 'home-file' | 'sensitive-file' | 'file' | 'socket' | 'network';

/** One value at a call site (argument, keyword argument, receiver) as far as the file shows it. */
export interface ValueFact {
  kind: ValueKind;
  /** The value when the code spells it statically: a string, number, boolean or null. */
  value?: string | number | boolean | null;
  /** Identifiers and members: the dotted name, canonical when it resolves (`process.env`); calls: the callee's. */
  name?: string;
  /**
   * An approximation of the path or URL the value spells: `~` the home directory, `{here}` the directory of the
   * file itself, `{cwd}`, `{tmp}`, `*` an unknown piece. Absent when nothing of it is static.
   */
  path?: string;
  /** Object literals (Python dicts): their statically named properties. */
  properties?: Record<string, ValueFact>;
  /** Array literals (Python lists and tuples): their first elements. */
  elements?: ValueFact[];
  origins?: ValueOrigin[];
  decoded?: Decoding[];
  /** A string literal written mostly in escapes (`"\x65\x76\x61\x6c"`). */
  escaped?: boolean;
  /**
   * A choice between constant strings (`win ? "cmd.exe" : "/bin/sh"`, Python `a if c else b`, directly or through
   * a name bound once to it): each of them, where `value` can hold only one.
   */
  alternatives?: string[];
}

export interface CallFact {
  file: string;
  /** 1-based line where the call starts, and where it ends (multi-line calls). */
  line: number;
  endLine: number;
  language: Language;
  role: FileRole;
  /**
   * The callee's canonical dotted name, resolved through imports, requires, destructuring and aliases:
   * `child_process.exec`, `subprocess.run`, `os.system`, `yaml.load`, `eval`, `fetch`. A call on the result
   * of another call or `new` ends in `()`: `socket.socket().connect`, `express().listen`. null when the callee
   * is a value of the program's own (a parameter, a local function, `regex.exec`).
   */
  callee: string | null;
  /** The callee as written (`run`, `cp.exec`, `this.client.get`), shortened. */
  written: string;
  /** `new X(...)`. */
  isNew: boolean;
  /** A tagged template (`` sql`...` ``, `` $`...` ``): the template is the one argument. */
  tagged?: boolean;
  args: ValueFact[];
  /** For a method called on an instance (`Path(p).read_text()`, `client.post(...)`), the instance. */
  receiver?: ValueFact;
  /** Python keyword arguments by name. */
  keywords: Record<string, ValueFact>;
  /** The call passes `*args` / `**kwargs` / `...spread`: arguments may be missing from `args`/`keywords`. */
  spread: boolean;
  context: ExecutionContext;
  /** The enclosing function, numbered per file (0: module level): calls with the same number share a body. */
  scope: number;
}

export type ImportKind =
  | 'import'
  | 'require'
  | 'dynamic-import'
  | 'export-from'
  | 'python-import'
  | 'python-from'
  | 'python-dynamic'
  | 'path-reference';

export interface ImportFact {
  file: string;
  line: number;
  language: Language;
  kind: ImportKind;
  /** As written: `./util.js`, `node:child_process`, `pkg.sub`, `.models` (Python relative: leading dots). */
  specifier: string;
  /** Python `from X import a, b`: the names imported (a submodule may be among them). */
  names?: string[];
  /**
   * The local names it binds and what each stands for: `*` the module itself (`import * as cp`,
   * `const cp = require(...)`, `import subprocess as sp`), `default`, or the imported member (`exec` for
   * `const { exec: run } = require("child_process")`, `system` for `from os import system as s`).
   */
  aliases?: Record<string, string>;
  /** The bundle files it resolves to (a Python import may run several `__init__.py` files); empty when none. */
  resolved: string[];
}

export interface StringFact {
  file: string;
  line: number;
  language: Language;
  /**
   * `literal`: written as one constant. `template`: JS template literal or Python f-string with substitutions.
   * `concatenation`: `+` with a non-constant part. `format`: Python `%` or `.format(...)`. `regex`: a JS
   * regular expression literal (the text is its pattern).
   */
  kind: 'literal' | 'template' | 'concatenation' | 'format' | 'regex';
  /** The static text; substitutions and non-constant parts as `{}`. At most MAX_STRING_FACT characters. */
  text: string;
  /** Tagged templates: the tag as written (`sql`, `SQL`, `db.sql`). */
  tag?: string;
}

export type Capability = 'network' | 'filesystem' | 'subprocess' | 'native' | 'environment';

/**
 * One use of a system capability. `access` by capability: network `outbound` | `inbound`; filesystem
 * `read` | `write`; subprocess `exec` (a program with arguments) | `shell` (a shell command line); native
 * `load`; environment `read` | `write` | `all` (the whole environment).
 */
export interface CapabilityUse {
  capability: Capability;
  access: string;
  /** The API, canonical (`fs.writeFileSync`, `requests.post`, `process.env`). */
  api: string;
  /** What it is applied to, when the code spells it: env variable name, path approximation, URL, command. */
  target: string | null;
  file: string;
  line: number;
  language: Language;
  role: FileRole;
  context: ExecutionContext;
}

export interface HtmlWrite {
  file: string;
  line: number;
  property: 'innerHTML' | 'outerHTML';
  value: ValueFact;
}

export interface Suppression {
  file: string;
  line: number;
  /** The justification after `nosec:`; null when there is none (which silences nothing, DESIGN.md section 4). */
  reason: string | null;
}

/**
 * How a tool handler's input is validated (CQ-04). `schema`: a typed schema the SDK or the handler enforces
 * (zod shape, pydantic, typed FastMCP parameters, an enforced JSON Schema). `partial`: some input is untyped
 * (`z.any()`, an unannotated parameter, an `inputSchema` the low-level SDK does not enforce). `none`: no
 * validation found. `no-input`: the tool takes no input. `unknown`: the registration could not be read.
 */
export type ValidationKind = 'schema' | 'partial' | 'none' | 'no-input' | 'unknown';

export interface ToolHandler {
  file: string;
  line: number;
  language: Language;
  /** The tool's name when one handler serves one tool; null for a low-level CallTool handler. */
  tool: string | null;
  form: ToolForm | 'js-call-tool' | 'python-call-tool';
  validation: ValidationKind;
  /** How it validates or why not, for the finding: `zod shape`, `typed parameters`, `untyped: city, days`. */
  detail: string;
}
