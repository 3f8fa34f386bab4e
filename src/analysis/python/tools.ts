import type { FileInput } from '../extractor.js';
import type { ToolForm, ToolHandler, ToolRegistration } from '../types.js';
import type { PythonNode } from './parser.js';
import { readDocstring, readPythonConstantString } from './strings.js';
import type { PythonExtractorFactory } from './walk.js';

/** Module-level names followed from a list_tools handler (`return TOOLS`, `TOOLS = [WEATHER]`, ...). */
const MAX_REFERENCE_HOPS = 8;
/** Nodes the list_tools handlers of one file may look at; many handlers sharing one big list cost no more. */
const MAX_RESOLVE_NODES = 200_000;
/** Enclosing blocks (functions, classes, `if`s, up to the module) searched for the names a handler uses. */
const MAX_ENCLOSING_BLOCKS = 64;
/** Longest `a.b.c` receiver chain accepted before `.tool`. */
const MAX_CHAIN_LENGTH = 32;

interface Arguments {
  positional: PythonNode[];
  keywords: Map<string, PythonNode>;
}

/** A registration whose defaults come from a function that may be defined further down the file. */
interface PendingTool {
  at: PythonNode;
  form: ToolForm;
  /** The name given in the call; undefined when it defaults to the function's name. */
  name: string | null | undefined;
  /** The description given in the call; undefined when it defaults to the function's docstring. */
  description: string | null | undefined;
  /** The function registered, as written (`fn`, `module.fn`), when it is a name. */
  functionName: string | null;
  /** The decorated definition itself; otherwise `functionName` is looked up once the file is walked. */
  definition?: PythonNode;
}

/**
 * Tool registrations in Python, in the forms of the official SDK and FastMCP:
 *
 * - `@<x>.tool`, `@<x>.tool()`, `@<x>.tool("name")`, `@<x>.tool(name=..., description=...)` on a function,
 *   where `<x>` is a name or `a.b` chain (a bare `@tool`, as in LangChain, is not MCP). The name defaults to
 *   the function's, the description to its docstring. Also applied directly: `mcp.tool(name="x")(fn)`.
 * - `<x>.add_tool(fn, name=..., description=...)`, defaults from `fn` when it is a name defined in the file.
 * - Low-level Server: every `Tool(...)` / `types.Tool(...)` call in a function decorated with
 *   `@<x>.list_tools()`, or in the assignments and functions of enclosing blocks it refers to
 *   (`return TOOLS`). A handler in which none can be found is reported as one tool with a null name.
 *
 * Names and descriptions are read as the code spells them: constant strings (literals, `+` of them, joins), or a
 * module-level name assigned one once (`NOTE = "..." + "..."`, `description=NOTE`); anything else is null.
 */
export const createPythonToolExtractor: PythonExtractorFactory = (file) => {
  const pending: PendingTool[] = [];
  const listToolsHandlers: { decorator: PythonNode; definition: PythonNode }[] = [];
  const callToolHandlers: { decorator: PythonNode; definition: PythonNode; validates: boolean }[] = [];
  const functions = new Map<string, PythonNode[]>();
  // Module-level `NAME = <expr>` so far, by name; null once a name is assigned twice (no single value).
  const constants = new Map<string, PythonNode | null>();
  /** A name or description as the code spells it: a constant string, or a module constant holding one. */
  const readText = (node: PythonNode): string | null => {
    if (node.type === 'identifier') {
      const value = constants.get(node.text);
      return value ? readPythonConstantString(value, file.text) : null;
    }
    return readPythonConstantString(node, file.text);
  };

  const readDecorator = (decorator: PythonNode, definition: PythonNode) => {
    const expression = decorator.namedChildren.find((child) => child?.type !== 'comment');
    if (!expression) return;
    const call = expression.type === 'call' ? expression : null;
    const method = readMethod(call ? call.childForFieldName('function') : expression);
    if (method?.name === 'tool') {
      const args = call ? readArguments(call) : { positional: [], keywords: new Map() };
      pending.push({
        at: decorator,
        form: 'python-decorator',
        ...readNameAndDescription(args, readText),
        functionName: definitionName(definition),
        definition,
      });
    } else if (method?.name === 'list_tools') {
      listToolsHandlers.push({ decorator, definition });
    } else if (method?.name === 'call_tool') {
      // The SDK validates arguments against the tool's inputSchema unless told not to.
      const validateInput = call ? readArguments(call).keywords.get('validate_input') : undefined;
      callToolHandlers.push({ decorator, definition, validates: validateInput?.type !== 'false' });
    }
  };

  const readCall = (call: PythonNode) => {
    const callee = call.childForFieldName('function');
    const method = readMethod(callee);
    if (method?.name === 'add_tool') {
      const args = readArguments(call);
      pending.push({
        at: method.attribute,
        form: 'python-add-tool',
        ...readNameAndDescription({ ...args, positional: [] }, readText),
        functionName: readReferenceName(args.positional[0]),
      });
      return;
    }
    // `mcp.tool(...)(fn)`: the decorator applied by hand.
    const inner = callee?.type === 'call' ? readMethod(callee.childForFieldName('function')) : null;
    if (inner?.name === 'tool' && callee) {
      const registered = readArguments(call).positional[0];
      if (!registered) return;
      pending.push({
        at: inner.attribute,
        form: 'python-decorator',
        ...readNameAndDescription(readArguments(callee), readText),
        functionName: readReferenceName(registered),
      });
    }
  };

  return {
    enter: {
      decorated_definition(node) {
        const definition = node.childForFieldName('definition');
        if (definition?.type !== 'function_definition') return;
        for (const decorator of node.namedChildren) {
          if (decorator?.type === 'decorator') readDecorator(decorator, definition);
        }
      },
      function_definition(node) {
        const name = definitionName(node);
        if (name === null) return;
        const list = functions.get(name);
        if (list) list.push(node);
        else functions.set(name, [node]);
      },
      call: readCall,
      assignment(node) {
        if (node.parent?.type !== 'expression_statement' || node.parent.parent?.type !== 'module') return;
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.type !== 'identifier') return;
        constants.set(left.text, constants.has(left.text) || !right ? null : right);
      },
    },
    finish(sink) {
      const out = new RegistrationList(file, sink.tools);
      const handlerAt = (node: PythonNode): Pick<ToolHandler, 'file' | 'line' | 'language'> => ({
        file: file.source.path,
        line: file.lines.lineAt(node.startIndex),
        language: file.source.language,
      });
      for (const tool of pending) {
        const name = tool.name === undefined ? tool.functionName : tool.name;
        const definition =
          tool.definition ?? (tool.functionName === null ? null : findFunction(functions, tool.functionName));
        const description = tool.description === undefined ? (definition ? readDocstring(definition, file.text) : null) : tool.description;
        if (out.add(tool.at, name, description, tool.form)) {
          sink.handlers.push({ ...handlerAt(tool.at), tool: name, form: tool.form, ...readParameterTypes(definition) });
        }
      }
      for (const handler of callToolHandlers) sink.handlers.push({ ...handlerAt(handler.decorator), tool: null, form: 'python-call-tool', ...readCallToolValidation(handler) });
      const resolver = new ListToolsResolver(out, readText);
      for (const handler of listToolsHandlers) resolver.read(handler);
    },
  };
};

/**
 * Reports the `Tool(...)` calls list_tools handlers can reach: in their bodies, and in the definitions of
 * the names they use, transitively up to MAX_REFERENCE_HOPS. A handler where none is found, or where the
 * file's budget ran out, is also reported as one tool with a null name: there may be tools we cannot name.
 * Each scope is searched once per file, however many handlers share it.
 */
class ListToolsResolver {
  private nodesLeft = MAX_RESOLVE_NODES;
  private readonly blockIndexes = new Map<number, Map<string, PythonNode>>();
  private readonly namesByScope = new Map<number, string[]>();
  private readonly toolCountByScope = new Map<number, number>();

  constructor(
    private readonly out: RegistrationList,
    private readonly readText: (node: PythonNode) => string | null,
  ) {}

  read(handler: { decorator: PythonNode; definition: PythonNode }): void {
    const definitions = indexEnclosingDefinitions(handler.definition, this.blockIndexes);
    const scopes = [handler.definition];
    const followed = new Set<string>();
    let complete = true;
    let frontier = [handler.definition];
    for (let hop = 0; complete && hop < MAX_REFERENCE_HOPS && frontier.length > 0; hop++) {
      const next: PythonNode[] = [];
      for (const scope of frontier) {
        const names = this.readNames(scope);
        if (!(complete = names !== null)) break;
        for (const name of names) {
          if (followed.has(name)) continue;
          followed.add(name);
          const definition = definitions.get(name);
          if (definition && !scopes.includes(definition)) {
            scopes.push(definition);
            next.push(definition);
          }
        }
      }
      frontier = next;
    }
    let found = false;
    for (const scope of scopes) {
      const count = complete ? this.reportToolCalls(scope) : null;
      if (count === null) {
        complete = false;
        break;
      }
      found ||= count > 0;
    }
    if (!found || !complete) this.out.add(handler.decorator, null, null, 'python-list-tools');
  }

  /** The distinct identifiers a scope uses; null when the budget does not cover reading them. */
  private readNames(scope: PythonNode): string[] | null {
    let names = this.namesByScope.get(scope.id);
    if (!names) {
      const identifiers = scope.descendantsOfType('identifier');
      if (!this.spend(identifiers.length)) return null;
      names = [...new Set(identifiers.map((identifier) => identifier?.text ?? ''))];
      this.namesByScope.set(scope.id, names);
    }
    return names;
  }

  /** Reports a scope's `Tool(...)` calls and returns how many; null when the budget does not cover them. */
  private reportToolCalls(scope: PythonNode): number | null {
    const known = this.toolCountByScope.get(scope.id);
    if (known !== undefined) return known;
    const calls = scope.descendantsOfType('call');
    if (!this.spend(calls.length)) return null;
    let count = 0;
    for (const call of calls) {
      if (!call || !isToolConstructor(call.childForFieldName('function'))) continue;
      count++;
      const { keywords } = readArguments(call);
      const name = keywords.get('name');
      const description = keywords.get('description');
      this.out.add(
        call,
        name ? this.readText(name) : null,
        description ? this.readText(description) : null,
        'python-list-tools',
      );
    }
    this.toolCountByScope.set(scope.id, count);
    return count;
  }

  private spend(nodes: number): boolean {
    this.nodesLeft -= nodes;
    return this.nodesLeft >= 0;
  }
}

/**
 * The assignments (`TOOLS = [...]`, `TOOLS: list[Tool] = [...]`) and function definitions visible from a
 * handler: those of each enclosing block up to the module, by name. An inner block's name hides an outer
 * one; within a block the later statement wins, as after the block has run. Blocks are indexed once per file.
 */
function indexEnclosingDefinitions(
  handler: PythonNode,
  blockIndexes: Map<number, Map<string, PythonNode>>,
): Map<string, PythonNode> {
  const names = new Map<string, PythonNode>();
  let levels = 0;
  for (let node = handler.parent; node && levels < MAX_ENCLOSING_BLOCKS; node = node.parent) {
    if (node.type !== 'block' && node.type !== 'module') continue;
    levels++;
    let level = blockIndexes.get(node.id);
    if (!level) {
      level = new Map<string, PythonNode>();
      for (const statement of node.namedChildren) {
        const name = statement ? readDefinedName(statement) : null;
        if (name) level.set(name, statement!);
      }
      blockIndexes.set(node.id, level);
    }
    for (const [name, statement] of level) if (!names.has(name)) names.set(name, statement);
  }
  return names;
}

function readDefinedName(statement: PythonNode): string | null {
  if (statement.type === 'expression_statement') {
    const assignment = statement.namedChildren[0];
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
    return left?.type === 'identifier' ? left.text : null;
  }
  if (statement.type === 'function_definition') return definitionName(statement);
  if (statement.type === 'decorated_definition') {
    const definition = statement.childForFieldName('definition');
    return definition ? definitionName(definition) : null;
  }
  return null;
}

/** `Tool(...)`, `types.Tool(...)`, `mcp.types.Tool(...)`. */
function isToolConstructor(callee: PythonNode | null): boolean {
  if (callee?.type === 'identifier') return callee.text === 'Tool';
  return readMethod(callee)?.name === 'Tool';
}

/** `<name or a.b chain>.<method>`: the method name and its identifier node; null for anything else. */
function readMethod(node: PythonNode | null | undefined): { name: string; attribute: PythonNode } | null {
  if (node?.type !== 'attribute') return null;
  const attribute = node.childForFieldName('attribute');
  let object = node.childForFieldName('object');
  for (let length = 0; object?.type === 'attribute'; length++) {
    if (length >= MAX_CHAIN_LENGTH) return null;
    object = object.childForFieldName('object');
  }
  if (object?.type !== 'identifier' || !attribute) return null;
  return { name: attribute.text, attribute };
}

function readArguments(call: PythonNode): Arguments {
  const args: Arguments = { positional: [], keywords: new Map() };
  const list = call.childForFieldName('arguments');
  if (list?.type !== 'argument_list') return args;
  for (const child of list.namedChildren) {
    if (!child || child.type === 'comment') continue;
    if (child.type === 'keyword_argument') {
      const name = child.childForFieldName('name');
      const value = child.childForFieldName('value');
      if (name && value) args.keywords.set(name.text, value);
    } else if (child.type !== 'list_splat' && child.type !== 'dictionary_splat') {
      args.positional.push(child);
    }
  }
  return args;
}

/**
 * `name=` or the first positional argument, and `description=`, as FastMCP reads them. undefined: not
 * given (the function supplies it); null: given but not a literal. `description=None` means not given.
 */
function readNameAndDescription(
  args: Arguments,
  readText: (node: PythonNode) => string | null,
): { name: string | null | undefined; description: string | null | undefined } {
  const nameNode = args.keywords.get('name') ?? args.positional[0];
  const descriptionNode = args.keywords.get('description');
  return {
    name: nameNode ? readText(nameNode) : undefined,
    description: descriptionNode && descriptionNode.type !== 'none' ? readText(descriptionNode) : undefined,
  };
}

function definitionName(definition: PythonNode): string | null {
  return definition.childForFieldName('name')?.text ?? null;
}

/** The name a function reference goes by: `fn` or the last part of `module.fn`. */
function readReferenceName(node: PythonNode | undefined): string | null {
  if (node?.type === 'identifier') return node.text;
  if (node?.type === 'attribute') return node.childForFieldName('attribute')?.text ?? null;
  return null;
}

/** The module-level definition of a function name if there is one, else the last one in the file. */
function findFunction(functions: Map<string, PythonNode[]>, name: string): PythonNode | null {
  const list = functions.get(name);
  if (!list) return null;
  const atModuleLevel = list.filter((definition) => {
    const parent = definition.parent?.type === 'decorated_definition' ? definition.parent.parent : definition.parent;
    return parent?.type === 'module';
  });
  return atModuleLevel[atModuleLevel.length - 1] ?? list[list.length - 1]!;
}

/** Appends registrations for one file, each node once. */
class RegistrationList {
  private readonly seen = new Set<number>();

  constructor(
    private readonly file: FileInput,
    private readonly tools: ToolRegistration[],
  ) {}

  /** Adds a registration; false when this node was already reported. */
  add(at: PythonNode, name: string | null, description: string | null, form: ToolForm): boolean {
    if (this.seen.has(at.id)) return false;
    this.seen.add(at.id);
    this.tools.push({
      name,
      description,
      file: this.file.source.path,
      line: this.file.lines.lineAt(at.startIndex),
      language: this.file.source.language,
      form,
    });
    return true;
  }
}

/**
 * Annotations FastMCP cannot validate against: `Any`, a bare `dict`/`object`, `dict[str, Any]` (MTF 3.4
 * CQ-04 "What Does NOT Qualify": an untyped dict). Compared without spaces.
 */
const UNTYPED_ANNOTATIONS: ReadonlySet<string> = new Set([
  'Any', 'typing.Any', 'object', 'dict', 'Dict', 'typing.Dict', 'Mapping', 'typing.Mapping', 'dict[str,Any]',
  'Dict[str,Any]', 'dict[str,typing.Any]', 'Dict[str,typing.Any]', 'Mapping[str,Any]', 'Optional[Any]', 'Any|None',
  'dict|None', 'Optional[dict]', 'Optional[Dict]', 'Optional[dict[str,Any]]', 'dict[str,Any]|None', 'JSON', 'Json',
]);

/**
 * How a FastMCP tool function's parameters type its input (FastMCP builds a pydantic model from them and
 * validates every call): every parameter annotated with a real type is a schema; unannotated or `Any`/`dict`
 * ones are untyped. `ctx: Context` is injected, not input; `self`/`cls` are not input either.
 */
function readParameterTypes(definition: PythonNode | null): Pick<ToolHandler, 'validation' | 'detail'> {
  if (!definition) return { validation: 'unknown', detail: 'the registered function is not defined in this file' };
  const typed: string[] = [];
  const untyped: string[] = [];
  for (const parameter of definition.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!parameter || parameter.type === 'comment' || parameter.type === 'keyword_separator' || parameter.type === 'positional_separator') continue;
    const annotation = parameter.childForFieldName('type')?.text.replace(/\s+/g, '') ?? null;
    const nameNode = parameter.type === 'identifier' ? parameter : (parameter.childForFieldName('name') ?? parameter.namedChildren.find((child) => child?.type === 'identifier' || child?.type === 'list_splat_pattern' || child?.type === 'dictionary_splat_pattern'));
    const name = nameNode?.text ?? parameter.text;
    if (name === 'self' || name === 'cls') continue;
    if (annotation !== null && /(?:^|[.\[|])Context\b/.test(annotation)) continue;
    if (annotation === null || UNTYPED_ANNOTATIONS.has(annotation)) untyped.push(name);
    else typed.push(name);
  }
  if (typed.length === 0 && untyped.length === 0) return { validation: 'no-input', detail: 'the tool takes no parameters' };
  if (untyped.length === 0) return { validation: 'schema', detail: 'typed parameters (FastMCP validates them with pydantic)' };
  if (typed.length === 0) return { validation: 'none', detail: `no parameter is typed: ${untyped.join(', ')}` };
  return { validation: 'partial', detail: `untyped parameters: ${untyped.join(', ')}` };
}

/** Calls that validate a dict against a model or schema in a call_tool handler that turned SDK validation off. */
const PYTHON_VALIDATORS = /(?:^|\.)(?:model_validate|model_validate_json|parse_obj|parse_raw|validate_python|validate_json|validate|TypeAdapter)$/;

function readCallToolValidation(handler: { definition: PythonNode; validates: boolean }): Pick<ToolHandler, 'validation' | 'detail'> {
  if (handler.validates) return { validation: 'schema', detail: "the SDK validates arguments against each tool's inputSchema (validate_input)" };
  for (const call of handler.definition.descendantsOfType('call')) {
    const callee = call?.childForFieldName('function')?.text.slice(0, 200).replace(/\s+/g, '') ?? '';
    const splatsArguments = call?.childForFieldName('arguments')?.namedChildren.some((child) => child?.type === 'dictionary_splat');
    if (PYTHON_VALIDATORS.test(callee) || (splatsArguments && /^[A-Z]/.test(callee.split('.').pop() ?? ''))) {
      return { validation: 'schema', detail: 'the handler validates its arguments with a model or schema' };
    }
  }
  return { validation: 'none', detail: 'validate_input=False and the handler validates nothing' };
}
