import type { Identifier, MemberExpression, Node, OptionalMemberExpression } from '@babel/types';
import type { FileInput } from '../extractor.js';
import type { ToolForm, ToolHandler, ToolRegistration } from '../types.js';
import { isFunctionNode, readImportedName, ScopeTable } from './scopes.js';
import { findPropertyValue, readMethodName, readStaticString, unwrapExpression } from './values.js';
import { isValidatorCall, readRegisterToolSchema, readToolSchema } from './validation.js';
import type { JsExtractor, JsExtractorFactory } from './walk.js';

const TOOL_METHODS: ReadonlyMap<string, ToolForm> = new Map([
  ['tool', 'js-tool'],
  ['registerTool', 'js-register-tool'],
]);
const LIST_TOOLS_SCHEMA = 'ListToolsRequestSchema';
const LIST_TOOLS_METHOD = 'tools/list';
const CALL_TOOL_SCHEMA = 'CallToolRequestSchema';
const CALL_TOOL_METHOD = 'tools/call';
/** Same-file functions followed from a CallTool handler when looking for its validation. */
const MAX_HANDLER_FUNCTIONS = 64;
const MCP_SDK_PREFIX = '@modelcontextprotocol/';
/** Methods that add to an array after its literal was written, making the literal an incomplete list. */
const ARRAY_MUTATORS: ReadonlySet<string> = new Set(['push', 'unshift', 'splice']);
/** Identifier-to-initialiser hops followed from one expression (`TOOLS` -> `[WEATHER]` -> `WEATHER` -> `{...}`). */
const MAX_REFERENCE_HOPS = 8;
/**
 * Nodes the tool lists of one file may expand into, all handlers together, before the rest is reported as
 * unresolved: many handlers sharing one long list cost no more than this.
 */
const MAX_LIST_STEPS = 10_000;
const MCP_LOOKING_RECEIVER = /server|mcp/i;
/** Nodes one tool name or description may be assembled from (templates and joins of constants). */
const MAX_TEXT_NODES = 1000;

interface ScopedNode {
  node: Node;
  scope: Node;
}

/**
 * Tool registrations in JavaScript and TypeScript, in the forms of the official TypeScript SDK:
 *
 * - McpServer: `<expr>.tool("name", ...)` (description: a literal second argument) and
 *   `<expr>.registerTool("name", { description }, handler)`, any receiver, at least two arguments. A name
 *   that is not a literal is reported as null (computed at run time) only when the call looks like MCP:
 *   the file imports `@modelcontextprotocol/*` or the receiver's name says server/mcp. Otherwise an
 *   unrelated API's `.tool(x, y)` would become a phantom tool.
 * - Low-level Server: `<expr>.setRequestHandler(ListToolsRequestSchema, handler)`: the tool objects of the
 *   handler's returned `{ tools }`, following same-file declarations (`const TOOLS = [WEATHER_TOOL]`),
 *   spreads and `Object.values(MAP)`. What cannot be followed (an import, a `.map(...)`, a list that
 *   `.push` extends) is reported as one tool with a null name where it is.
 *
 * Names and descriptions are read as the code spells them: constant strings, templates and joins of constants, and
 * same-file constants holding one (`const ECHO = \`...\``, `server.tool("echo", ECHO, ...)`).
 */
export const createJsToolExtractor: JsExtractorFactory = (file) => {
  const scopes = new ScopeTable();
  const scopeStack: Node[] = [];
  const returns = new Map<Node, Node[]>();
  const schemaNames = new Set([LIST_TOOLS_SCHEMA]);
  const callSchemaNames = new Set([CALL_TOOL_SCHEMA]);
  // Functions that run a schema validator, and the names each function calls (CQ-04).
  const validating = new Set<Node>();
  const calledNames = new Map<Node, Set<string>>();
  let importsIoTs = false;
  let listToolsWithSchema = 0;
  const mutatedNames = new Set<string>();
  const toolCalls: ScopedNode[] = [];
  const listHandlers: ScopedNode[] = [];
  let importsMcpSdk = false;
  let listSteps = 0;
  // Lists and objects already expanded in this file: handlers sharing a list read it once.
  const expanded = new Set<Node>();

  const currentScope = () => scopeStack[scopeStack.length - 1]!;

  const enterScope = (node: Node) => {
    scopes.addScope(node, scopeStack.length > 0 ? currentScope() : null);
    if (node.type === 'FunctionDeclaration' && node.id && scopeStack.length > 0) {
      scopes.declare(node.id.name, currentScope(), node);
    }
    if (isFunctionNode(node) && 'params' in node) {
      for (const param of node.params) scopes.declarePattern(param, node);
    }
    scopeStack.push(node);
  };
  const leaveScope = () => {
    scopeStack.pop();
  };

  const onCall = (node: Node) => {
    if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression') return;
    const callee = node.callee;
    const loadsModule = callee.type === 'Import' || (callee.type === 'Identifier' && callee.name === 'require');
    if (loadsModule && isMcpSdkSource(node.arguments[0])) importsMcpSdk = true;
    if (isValidatorCall(node, importsIoTs)) for (const scope of scopeStack) validating.add(scope);
    if (callee.type === 'Identifier') {
      const names = calledNames.get(currentScope());
      if (names) names.add(callee.name);
      else calledNames.set(currentScope(), new Set([callee.name]));
    }
    const method = readMethodName(node);
    if (!method) return;
    if (TOOL_METHODS.has(method.name)) toolCalls.push({ node, scope: currentScope() });
    else if (method.name === 'setRequestHandler') listHandlers.push({ node, scope: currentScope() });
    else if (ARRAY_MUTATORS.has(method.name) && method.object.type === 'Identifier') mutatedNames.add(method.object.name);
  };

  const extractor: JsExtractor = {
    enter: {
      Program: enterScope,
      FunctionDeclaration: enterScope,
      FunctionExpression: enterScope,
      ArrowFunctionExpression: enterScope,
      ObjectMethod: enterScope,
      ClassMethod: enterScope,
      ClassPrivateMethod: enterScope,
      VariableDeclarator(node) {
        if (node.type !== 'VariableDeclarator') return;
        if (node.id.type === 'Identifier') scopes.declare(node.id.name, currentScope(), node.init ?? null);
        else scopes.declarePattern(node.id, currentScope());
      },
      ClassDeclaration(node) {
        if (node.type === 'ClassDeclaration' && node.id) scopes.declare(node.id.name, currentScope(), null);
      },
      ImportDeclaration(node) {
        if (node.type !== 'ImportDeclaration') return;
        if (node.source.value.startsWith(MCP_SDK_PREFIX)) importsMcpSdk = true;
        if (node.source.value === 'io-ts' || node.source.value.startsWith('io-ts/')) importsIoTs = true;
        for (const specifier of node.specifiers) {
          scopes.declare(specifier.local.name, currentScope(), null);
          if (readImportedName(specifier) === LIST_TOOLS_SCHEMA) schemaNames.add(specifier.local.name);
          if (readImportedName(specifier) === CALL_TOOL_SCHEMA) callSchemaNames.add(specifier.local.name);
        }
      },
      ReturnStatement(node) {
        if (node.type !== 'ReturnStatement' || !node.argument) return;
        const fn = currentScope();
        if (!isFunctionNode(fn)) return;
        const list = returns.get(fn);
        if (list) list.push(node.argument);
        else returns.set(fn, [node.argument]);
      },
      AssignmentExpression(node) {
        if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier') mutatedNames.add(node.left.name);
      },
      CallExpression: onCall,
      OptionalCallExpression: onCall,
    },
    leave: {
      Program: leaveScope,
      FunctionDeclaration: leaveScope,
      FunctionExpression: leaveScope,
      ArrowFunctionExpression: leaveScope,
      ObjectMethod: leaveScope,
      ClassMethod: leaveScope,
      ClassPrivateMethod: leaveScope,
    },
    finish(sink) {
      const registrations = new RegistrationList(file, sink.tools);
      for (const call of toolCalls) readToolCall(call, registrations, sink.handlers);
      for (const call of listHandlers) readListToolsHandler(call, registrations);
      for (const call of listHandlers) readCallToolHandler(call, sink.handlers);
    },
  };

  function readToolCall({ node, scope }: ScopedNode, out: RegistrationList, handlers: ToolHandler[]): void {
    if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression') return;
    const method = readMethodName(node)!;
    const [first, second] = node.arguments;
    if (!first || !second) return;
    const name = readText(first, scope);
    if (name === null && !importsMcpSdk && !MCP_LOOKING_RECEIVER.test(readReceiverName(method.object))) return;
    const form = TOOL_METHODS.get(method.name)!;
    let description: string | null;
    if (form === 'js-tool') {
      description = readText(second, scope);
    } else {
      const config = resolveReference(second, scope);
      const value = config.node.type === 'ObjectExpression' ? findPropertyValue(config.node, 'description') : null;
      description = value ? readText(value, config.scope) : null;
    }
    if (!out.add(method.property, name, description, form)) return;
    const resolve = (value: Node) => resolveReference(value, scope).node;
    const validation =
      form === 'js-tool'
        ? readToolSchema(node.arguments.slice(1, -1).filter((argument) => argument.type !== 'SpreadElement'), resolve)
        : readRegisterToolSchema(resolve(second), resolve);
    handlers.push({ ...handlerAt(method.property), tool: name, form, ...validation });
  }

  function handlerAt(node: Node): Pick<ToolHandler, 'file' | 'line' | 'language'> {
    return { file: file.source.path, line: file.lines.lineAt(node.start ?? 0), language: file.source.language };
  }

  /**
   * A low-level CallTool handler: validated when it, or a same-file function it calls by name, runs a schema
   * validator; otherwise `partial` when the tool list declares `inputSchema` (which the low-level Server
   * does not enforce), else `none`.
   */
  function readCallToolHandler({ node, scope }: ScopedNode, handlers: ToolHandler[]): void {
    if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression') return;
    const [schema, handlerArgument] = node.arguments;
    if (!schema || !handlerArgument || !isCallToolSchema(schema)) return;
    const handler = resolveReference(handlerArgument, scope).node;
    const at = handlerAt(node);
    if (!isFunctionNode(handler)) {
      handlers.push({ ...at, tool: null, form: 'js-call-tool', validation: 'unknown', detail: 'the CallTool handler is not defined in this file' });
      return;
    }
    const queue: Node[] = [handler];
    for (let i = 0; i < queue.length && queue.length <= MAX_HANDLER_FUNCTIONS; i++) {
      const fn = queue[i]!;
      if (validating.has(fn)) {
        handlers.push({ ...at, tool: null, form: 'js-call-tool', validation: 'schema', detail: 'the handler validates its arguments with a schema' });
        return;
      }
      for (const name of calledNames.get(fn) ?? []) {
        const target = resolveReference({ type: 'Identifier', name } as Node, fn).node;
        if (isFunctionNode(target) && !queue.includes(target)) queue.push(target);
      }
    }
    handlers.push(
      listToolsWithSchema > 0
        ? { ...at, tool: null, form: 'js-call-tool', validation: 'partial', detail: 'the tools declare inputSchema, but the low-level Server does not enforce it and the handler validates nothing' }
        : { ...at, tool: null, form: 'js-call-tool', validation: 'none', detail: 'the handler reads request.params.arguments without a schema' },
    );
  }

  function isCallToolSchema(node: Node): boolean {
    const schema = unwrapExpression(node);
    if (schema.type === 'Identifier') return callSchemaNames.has(schema.name);
    if (isStaticMember(schema)) return schema.property.name === CALL_TOOL_SCHEMA;
    return readStaticString(schema) === CALL_TOOL_METHOD;
  }

  function readListToolsHandler({ node, scope }: ScopedNode, out: RegistrationList): void {
    if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression') return;
    const [schema, handlerArgument] = node.arguments;
    if (!schema || !handlerArgument || !isListToolsSchema(schema)) return;
    const handler = resolveReference(handlerArgument, scope).node;
    if (!isFunctionNode(handler)) {
      out.addUnresolved(handlerArgument);
      return;
    }
    const results =
      handler.type === 'ArrowFunctionExpression' && handler.body.type !== 'BlockStatement'
        ? [handler.body]
        : (returns.get(handler) ?? []);
    if (results.length === 0) out.addUnresolved(handlerArgument);
    for (const result of results) {
      const target = resolveReference(stripAwait(result), handler);
      const tools = target.node.type === 'ObjectExpression' ? findPropertyValue(target.node, 'tools') : null;
      if (tools) collectToolObjects({ node: tools, scope: target.scope }, out);
      else out.addUnresolved(result);
    }
  }

  /** Expands a `tools` value into tool objects, breadth-first, within the file's MAX_LIST_STEPS. */
  function collectToolObjects(start: ScopedNode, out: RegistrationList): void {
    const pending: { item: ScopedNode; valuesOf: boolean }[] = [{ item: start, valuesOf: false }];
    for (let next = 0; next < pending.length; next++) {
      const { item, valuesOf } = pending[next]!;
      if (++listSteps > MAX_LIST_STEPS) {
        out.addUnresolved(item.node);
        return;
      }
      const target = resolveReference(item.node, item.scope);
      const node = target.node;
      if (expanded.has(node)) continue;
      expanded.add(node);
      if (target.incomplete) out.addUnresolved(item.node);
      const push = (child: Node, childValuesOf: boolean) =>
        pending.push({ item: { node: child, scope: target.scope }, valuesOf: childValuesOf });
      if (valuesOf) {
        if (node.type !== 'ObjectExpression') out.addUnresolved(item.node);
        else {
          for (const property of node.properties) {
            if (property.type === 'ObjectProperty') push(property.value, false);
            else if (property.type === 'SpreadElement') push(property.argument, true);
          }
        }
      } else if (node.type === 'ArrayExpression') {
        for (const element of node.elements) {
          if (element) push(element.type === 'SpreadElement' ? element.argument : element, false);
        }
      } else if (node.type === 'ObjectExpression') {
        const nameValue = findPropertyValue(node, 'name');
        const descriptionValue = findPropertyValue(node, 'description');
        if (findPropertyValue(node, 'inputSchema')) listToolsWithSchema++;
        out.add(node, nameValue ? readText(nameValue, target.scope) : null, descriptionValue ? readText(descriptionValue, target.scope) : null, 'js-list-tools');
      } else if (isObjectValuesCall(node)) {
        push((node as { arguments: Node[] }).arguments[0]!, true);
      } else {
        out.addUnresolved(item.node);
      }
    }
  }

  /**
   * A tool name or description as the code spells it: a constant string (literal, concatenation), a template whose
   * substitutions are such constants, an array of them joined, or a same-file constant holding one
   * (`const DESC = [...].join("\n")`). null for anything computed at run time.
   */
  function readText(start: Node, scope: Node, depth = 0, budget = { nodes: MAX_TEXT_NODES }): string | null {
    if (depth > MAX_REFERENCE_HOPS || --budget.nodes < 0) return null;
    const { node, scope: at, incomplete } = resolveReference(start, scope);
    // A name assigned again elsewhere has no one value.
    if (incomplete) return null;
    const literal = readStaticString(node);
    if (literal !== null) return literal;
    if (node.type === 'TemplateLiteral') {
      let out = node.quasis[0]?.value.cooked ?? null;
      for (let i = 0; out !== null && i < node.expressions.length; i++) {
        const part = readText(node.expressions[i]!, at, depth + 1, budget);
        const next = node.quasis[i + 1]?.value.cooked;
        out = part === null || next == null ? null : out + part + next;
      }
      return out;
    }
    if (node.type === 'BinaryExpression' && node.operator === '+' && node.left.type !== 'PrivateName') {
      const left = readText(node.left, at, depth + 1, budget);
      const right = left === null ? null : readText(node.right, at, depth + 1, budget);
      return right === null ? null : left! + right;
    }
    const joined = node.type === 'CallExpression' ? unwrapExpression(node.callee) : null;
    if (joined?.type === 'MemberExpression' && !joined.computed && joined.property.type === 'Identifier' && joined.property.name === 'join') {
      const list = resolveReference(joined.object, at);
      const separator = (node as { arguments: Node[] }).arguments[0];
      const glue = separator ? readText(separator, at, depth + 1, budget) : ',';
      if (list.node.type !== 'ArrayExpression' || glue === null) return null;
      const parts: string[] = [];
      for (const element of list.node.elements) {
        const part = element && element.type !== 'SpreadElement' ? readText(element, list.scope, depth + 1, budget) : null;
        if (part === null) return null;
        parts.push(part);
      }
      return parts.join(glue);
    }
    return null;
  }

  /**
   * Follows identifiers to their same-file initialisers and `X.key` into object literals, up to
   * MAX_REFERENCE_HOPS, keeping track of the scope the result is written in. `incomplete` is set when a
   * followed name is reassigned or extended elsewhere (`TOOLS.push(...)`), so its literal is not the whole list.
   */
  function resolveReference(
    start: Node,
    startScope: Node,
    hops = MAX_REFERENCE_HOPS,
  ): { node: Node; scope: Node; incomplete: boolean; hops: number } {
    let node = unwrapExpression(start);
    let scope = startScope;
    let incomplete = false;
    for (; hops > 0; hops--) {
      if (node.type === 'Identifier') {
        const binding = scopes.resolve(node.name, scope);
        if (!binding?.value) break;
        if (mutatedNames.has(node.name)) incomplete = true;
        scope = binding.scope;
        node = unwrapExpression(binding.value);
      } else if (isStaticMember(node)) {
        // `a.b.c` resolves `a.b` first: the hops it spends there count against this chain too.
        const object = resolveReference(node.object, scope, hops - 1);
        const value = object.node.type === 'ObjectExpression' ? findPropertyValue(object.node, node.property.name) : null;
        if (!value) break;
        hops = object.hops;
        incomplete ||= object.incomplete;
        scope = object.scope;
        node = unwrapExpression(value);
      } else {
        break;
      }
    }
    return { node, scope, incomplete, hops };
  }

  function isListToolsSchema(node: Node): boolean {
    const schema = unwrapExpression(node);
    if (schema.type === 'Identifier') return schemaNames.has(schema.name);
    if (isStaticMember(schema)) return schema.property.name === LIST_TOOLS_SCHEMA;
    return readStaticString(schema) === LIST_TOOLS_METHOD;
  }

  return extractor;
};

/** Appends registrations for one file, each tool object or call once. */
class RegistrationList {
  private readonly seen = new Set<Node>();

  constructor(
    private readonly file: FileInput,
    private readonly tools: ToolRegistration[],
  ) {}

  /** Adds a registration; false when this node was already reported. */
  add(at: Node, name: string | null, description: string | null, form: ToolForm): boolean {
    if (this.seen.has(at)) return false;
    this.seen.add(at);
    this.tools.push({
      name,
      description,
      file: this.file.source.path,
      line: this.file.lines.lineAt(at.start ?? 0),
      language: this.file.source.language,
      form,
    });
    return true;
  }

  /** A tool list entry the code computes at run time: reported with a null name where it is. */
  addUnresolved(at: Node): void {
    this.add(at, null, null, 'js-list-tools');
  }
}

function isMcpSdkSource(node: Node | undefined): boolean {
  return node !== undefined && (readStaticString(node)?.startsWith(MCP_SDK_PREFIX) ?? false);
}

function isObjectValuesCall(node: Node): boolean {
  if (node.type !== 'CallExpression' || node.arguments.length !== 1) return false;
  const callee = node.callee;
  return (
    callee.type === 'MemberExpression' &&
    !callee.computed &&
    callee.object.type === 'Identifier' &&
    callee.object.name === 'Object' &&
    callee.property.type === 'Identifier' &&
    callee.property.name === 'values'
  );
}

/** `a.b`, not `a[b]` nor `a.#b`. */
function isStaticMember(node: Node): node is (MemberExpression | OptionalMemberExpression) & { property: Identifier } {
  return (
    (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') &&
    !node.computed &&
    node.property.type === 'Identifier'
  );
}

function stripAwait(node: Node): Node {
  const inner = unwrapExpression(node);
  return inner.type === 'AwaitExpression' ? inner.argument : inner;
}

/** The name a receiver goes by: `server` in `server.tool`, `mcp` in `this.mcp.tool`, `this` for `this.tool`. */
function readReceiverName(node: Node): string {
  const receiver = unwrapExpression(node);
  if (receiver.type === 'Identifier') return receiver.name;
  if (receiver.type === 'ThisExpression') return 'this';
  if (isStaticMember(receiver)) return receiver.property.name;
  return '';
}
