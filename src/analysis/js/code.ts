import type { Node, TemplateLiteral } from '@babel/types';
import { fileAccessOf, isMalwareRelevant, isNativeJsModule, isSendOnConnection, networkAccessOf, normalizeJsModule } from '../apis.js';
import { InitTracker } from '../init.js';
import type { FactSink, FileInput } from '../extractor.js';
import { readSuppression } from '../suppressions.js';
import type { CallFact, CapabilityUse, ImportFact, ImportKind, StringFact, ValueFact } from '../types.js';
import { BindingTable } from './bindings.js';
import { JsEvaluator, writtenName } from './evaluate.js';
import { isFunctionNode } from './scopes.js';
import { readKeyName, readStaticString, unwrapExpression } from './values.js';
import type { JsExtractor, JsExtractorFactory } from './walk.js';

/** Longest string kept in a StringFact. */
export const MAX_STRING_FACT = 1000;

/**
 * Callees whose function arguments run while the current code runs (or right after): a callback passed to
 * one of these at load time runs at load time. Anything else (`server.tool(..., handler)`, `app.get(path,
 * handler)`, `emitter.on(...)`) runs later, at run time.
 */
const RUNS_CALLBACK_NOW: ReadonlySet<string> = new Set([
  'setTimeout', 'setImmediate', 'setInterval', 'queueMicrotask', 'nextTick', 'then', 'catch', 'finally',
  'Promise', 'forEach', 'map', 'filter', 'reduce', 'some', 'every', 'find', 'flatMap', 'call', 'apply',
]);

interface PendingCall {
  node: Node;
  scope: Node;
  fn: number;
}

interface EnvCandidate {
  /** The `process.env` expression (or an alias of it) whose use this is. */
  node: Node;
  scope: Node;
  fn: number;
  access: 'read' | 'write' | 'all';
  name: string | null;
  line: number;
  /**
   * `{ env: process.env }` as an argument of this call: the environment handed to a child process (not a read),
   * unless the call serializes, sends or writes it (decided once callees resolve, in `finish`).
   */
  envOption?: Node;
}

/**
 * Code facts of one JavaScript/TypeScript file, in the file's single walk: imports and the bindings they
 * create, call sites with callees resolved through aliases (`const { exec: run } = require("child_process")`
 * makes `run(...)` a `child_process.exec` call), argument descriptions, environment accesses, strings,
 * `innerHTML` writes and `nosec` comments. Calls are marked `init` when they run while the module loads
 * (module level, IIFEs, callbacks run right away, functions called from there) and `runtime` otherwise.
 */
export const createJsCodeExtractor: JsExtractorFactory = (file) => {
  const bindings = new BindingTable();
  const evaluator = new JsEvaluator(bindings, file.text, file.source.language, file.budget);
  const init = new InitTracker();
  const scopeStack: Node[] = [];
  const functionIds = new Map<Node, number>();
  const calls: PendingCall[] = [];
  const assignments: { name: string; value: Node; scope: Node }[] = [];
  const envCandidates: EnvCandidate[] = [];
  const envAliases = new Set<string>();
  const imports: ImportFact[] = [];
  const strings: StringFact[] = [];
  /** Templates with substitutions, read again once every binding is known: constants make them literals. */
  const templates: { fact: StringFact; node: TemplateLiteral; scope: Node }[] = [];
  const htmlWrites: { node: Node; value: Node; scope: Node; property: 'innerHTML' | 'outerHTML' }[] = [];
  const comments: { value: string; start: number }[] = [];
  const keepStrings = file.source.role === 'server';
  const keepAllCalls = file.source.role === 'server';

  const currentScope = () => scopeStack[scopeStack.length - 1]!;
  const currentFunction = () => functionIds.get(currentScope()) ?? 0;
  const lineOf = (node: Node) => file.lines.lineAt(node.start ?? 0);

  const addImport = (node: Node, kind: ImportKind, specifier: string, aliases?: Record<string, string>) => {
    const fact: ImportFact = { file: file.source.path, line: lineOf(node), language: file.source.language, kind, specifier, resolved: [] };
    if (aliases && Object.keys(aliases).length > 0) fact.aliases = aliases;
    imports.push(fact);
  };
  // `const { exec: run } = require("x")`: the names a require call's declaration binds, by call node.
  const requireAliases = new Map<Node, Record<string, string>>();

  const enterFunction = (node: Node, ancestors: readonly Node[]) => {
    const parentScope = scopeStack.length > 0 ? currentScope() : null;
    bindings.addScope(node, parentScope);
    if (node.type === 'FunctionDeclaration' && node.id && parentScope) {
      bindings.declare(node.id.name, parentScope, { kind: 'local', node });
    }
    if ('params' in node && isFunctionNode(node)) {
      // `promise.then((value) => ...)`: the first parameter is what the promise resolves to (`import("m")`, a
      // response), so `import("child_process").then((cp) => cp.exec(x))` is a child_process call.
      const resolved = parentScope ? promiseResolvedBy(node, ancestors) : null;
      node.params.forEach((param, i) => bindings.declarePattern(param, node, i === 0 ? resolved : null, parentScope ?? node));
    }
    const id = init.addFunction(currentFunctionOrNull(), functionName(node, ancestors), runsWhenDefined(node, ancestors));
    functionIds.set(node, id);
    scopeStack.push(node);
  };
  const currentFunctionOrNull = () => (scopeStack.length > 0 ? currentFunction() : null);
  const leaveFunction = () => {
    scopeStack.pop();
  };

  // `for (const [k, v] of Object.entries(process.env))`: the loop variables carry the iterated value's data.
  const declareLoopVariables = (node: Node) => {
    if ((node.type !== 'ForOfStatement' && node.type !== 'ForInStatement') || node.left.type !== 'VariableDeclaration') return;
    for (const declarator of node.left.declarations) bindings.declareElements(declarator.id, currentScope(), node.right);
  };

  const onCall = (node: Node) => {
    if (!file.budget.takeCall()) return;
    calls.push({ node, scope: currentScope(), fn: currentFunction() });
    if (node.type === 'TaggedTemplateExpression') return;
    const callee = unwrapExpression((node as { callee: Node }).callee);
    if (callee.type === 'Identifier') init.addCall(currentFunction(), callee.name);
    // `setTimeout(beacon, 1000)`, `promise.then(report)`: a function handed over by name runs as if called here.
    const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression' ? readKeyName(callee.property, callee.computed) : null;
    if (name !== null && RUNS_CALLBACK_NOW.has(name)) {
      for (const argument of (node as { arguments: Node[] }).arguments) if (argument.type === 'Identifier') init.addCall(currentFunction(), argument.name);
    }
  };

  // `@register class X {}`: a decorator runs when the class is defined, in the scope around the class (a method's
  // decorator too, though it sits inside the method's node).
  const onDecorator = (node: Node, ancestors: readonly Node[]) => {
    if (node.type !== 'Decorator') return;
    const owner = ancestors[ancestors.length - 1];
    const scope = owner === currentScope() && scopeStack.length > 1 ? scopeStack[scopeStack.length - 2]! : currentScope();
    const expression = unwrapExpression(node.expression);
    const called = expression.type === 'CallExpression' ? unwrapExpression(expression.callee) : expression;
    if (called.type === 'Identifier') init.addCall(functionIds.get(scope) ?? 0, called.name);
  };

  const onEnvExpression = (node: Node, ancestors: readonly Node[]) => {
    const parent = ancestors[ancestors.length - 1];
    const grandparent = ancestors[ancestors.length - 2];
    const candidate = (access: EnvCandidate['access'], name: string | null) =>
      envCandidates.push({ node, scope: currentScope(), fn: currentFunction(), access, name, line: lineOf(node) });
    if (!parent) return;
    if ((parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.object === node) {
      const name = readKeyName(parent.property, parent.computed);
      const writes =
        (grandparent?.type === 'AssignmentExpression' && grandparent.left === parent) ||
        (grandparent?.type === 'UnaryExpression' && grandparent.operator === 'delete') ||
        grandparent?.type === 'UpdateExpression';
      candidate(writes ? 'write' : 'read', name);
      return;
    }
    const pattern =
      parent.type === 'VariableDeclarator' && parent.init === node
        ? parent.id
        : parent.type === 'AssignmentExpression' && parent.right === node
          ? parent.left
          : null;
    if (pattern?.type === 'ObjectPattern') {
      for (const property of pattern.properties) {
        if (property.type === 'RestElement') candidate('all', null);
        else candidate('read', readKeyName(property.key, property.computed));
      }
      return;
    }
    if (pattern?.type === 'Identifier') {
      envAliases.add(pattern.name);
      return;
    }
    const optionOf = envOptionCall(parent, ancestors);
    if (optionOf) {
      envCandidates.push({ node, scope: currentScope(), fn: currentFunction(), access: 'all', name: null, line: lineOf(node), envOption: optionOf });
      return;
    }
    candidate('all', null);
  };

  const extractor: JsExtractor = {
    enter: {
      File(node) {
        if (node.type !== 'File') return;
        for (const comment of node.comments ?? []) comments.push({ value: comment.value, start: comment.start ?? 0 });
      },
      Program(node) {
        bindings.addScope(node, null);
        functionIds.set(node, 0);
        scopeStack.push(node);
      },
      FunctionDeclaration: enterFunction,
      FunctionExpression: enterFunction,
      ArrowFunctionExpression: enterFunction,
      ObjectMethod: enterFunction,
      ClassMethod: enterFunction,
      ClassPrivateMethod: enterFunction,
      VariableDeclarator(node) {
        if (node.type !== 'VariableDeclarator') return;
        const loaded = node.init ? unwrapAwait(node.init) : null;
        if (loaded && (loaded.type === 'CallExpression' || loaded.type === 'OptionalCallExpression')) requireAliases.set(loaded, patternAliases(node.id));
        if (node.id.type === 'Identifier') {
          bindings.declare(node.id.name, currentScope(), node.init ? { kind: 'value', node: node.init, scope: currentScope() } : { kind: 'local', node: null });
          if (node.init && isEnvAliasSource(node.init)) envAliases.add(node.id.name);
        } else {
          bindings.declarePattern(node.id, currentScope(), node.init ?? null);
          if (node.id.type === 'ObjectPattern' && node.init) {
            for (const property of node.id.properties) {
              if (property.type === 'ObjectProperty' && readKeyName(property.key, property.computed) === 'env' && property.value.type === 'Identifier') {
                envAliases.add(property.value.name);
              }
            }
          }
        }
      },
      Decorator: onDecorator,
      ForOfStatement: declareLoopVariables,
      ForInStatement: declareLoopVariables,
      ClassDeclaration(node) {
        if (node.type === 'ClassDeclaration' && node.id) bindings.declare(node.id.name, currentScope(), { kind: 'local', node });
      },
      CatchClause(node) {
        if (node.type === 'CatchClause' && node.param) bindings.declarePattern(node.param, currentScope(), null);
      },
      ImportDeclaration(node) {
        if (node.type !== 'ImportDeclaration' || node.importKind === 'type' || node.importKind === 'typeof') return;
        const specifier = node.source.value;
        const module = normalizeJsModule(specifier);
        const aliases: Record<string, string> = {};
        for (const item of node.specifiers) {
          if (item.type === 'ImportSpecifier' && item.importKind === 'type') continue;
          aliases[item.local.name] = item.type === 'ImportSpecifier' ? (readKeyName(item.imported, false) ?? 'default') : item.type === 'ImportDefaultSpecifier' ? 'default' : '*';
        }
        addImport(node, 'import', specifier, aliases);
        for (const item of node.specifiers) {
          if (item.type === 'ImportSpecifier') {
            if (item.importKind === 'type') continue;
            const imported = readKeyName(item.imported, false) ?? 'default';
            bindings.declare(item.local.name, currentScope(), imported === 'default' ? { kind: 'module', module } : { kind: 'member', module, path: imported });
            if (imported === 'env' && module === 'process') envAliases.add(item.local.name);
          } else {
            bindings.declare(item.local.name, currentScope(), { kind: 'module', module });
          }
        }
      },
      ExportAllDeclaration(node) {
        if (node.type === 'ExportAllDeclaration' && node.exportKind !== 'type') addImport(node, 'export-from', node.source.value);
      },
      ExportNamedDeclaration(node) {
        if (node.type === 'ExportNamedDeclaration' && node.source && node.exportKind !== 'type') addImport(node, 'export-from', node.source.value);
      },
      TSImportEqualsDeclaration(node) {
        if (node.type !== 'TSImportEqualsDeclaration' || node.moduleReference.type !== 'TSExternalModuleReference') return;
        const specifier = node.moduleReference.expression.value;
        addImport(node, 'require', specifier, { [node.id.name]: '*' });
        bindings.declare(node.id.name, currentScope(), { kind: 'module', module: normalizeJsModule(specifier) });
      },
      AssignmentExpression(node) {
        if (node.type !== 'AssignmentExpression') return;
        if (node.left.type === 'Identifier') {
          assignments.push({ name: node.left.name, value: node.right, scope: currentScope() });
          if (isEnvAliasSource(node.right)) envAliases.add(node.left.name);
        } else if (node.left.type === 'MemberExpression' || node.left.type === 'OptionalMemberExpression') {
          const key = readKeyName(node.left.property, node.left.computed);
          if (key === 'innerHTML' || key === 'outerHTML') htmlWrites.push({ node, value: node.right, scope: currentScope(), property: key });
        }
      },
      CallExpression: onCall,
      OptionalCallExpression: onCall,
      NewExpression: onCall,
      TaggedTemplateExpression: onCall,
      MemberExpression(node, ancestors) {
        if (node.type !== 'MemberExpression') return;
        if (readKeyName(node.property, node.computed) === 'env') onEnvExpression(node, ancestors);
      },
      OptionalMemberExpression(node, ancestors) {
        if (node.type !== 'OptionalMemberExpression') return;
        if (readKeyName(node.property, node.computed) === 'env') onEnvExpression(node, ancestors);
      },
      Identifier(node, ancestors) {
        if (node.type !== 'Identifier' || !envAliases.has(node.name)) return;
        const parent = ancestors[ancestors.length - 1];
        if ((parent?.type === 'MemberExpression' || parent?.type === 'OptionalMemberExpression') && parent.object === node) {
          onEnvExpression(node, ancestors);
        }
      },
      StringLiteral(node, ancestors) {
        if (!keepStrings || node.type !== 'StringLiteral') return;
        const parent = ancestors[ancestors.length - 1];
        if (parent && isStructuralString(node, parent)) return;
        strings.push(stringFact(file, node, 'literal', node.value.slice(0, MAX_STRING_FACT)));
      },
      TemplateLiteral(node, ancestors) {
        if (!keepStrings || node.type !== 'TemplateLiteral') return;
        const parent = ancestors[ancestors.length - 1];
        const text = node.quasis.map((quasi) => quasi.value.cooked ?? quasi.value.raw).join('{}').slice(0, MAX_STRING_FACT);
        const fact = stringFact(file, node, node.expressions.length === 0 ? 'literal' : 'template', text);
        if (parent?.type === 'TaggedTemplateExpression' && parent.quasi === node) fact.tag = writtenName(parent.tag);
        else if (node.expressions.length > 0) templates.push({ fact, node, scope: currentScope() });
        strings.push(fact);
      },
      RegExpLiteral(node) {
        if (!keepStrings || node.type !== 'RegExpLiteral') return;
        strings.push(stringFact(file, node, 'regex', node.pattern.slice(0, MAX_STRING_FACT)));
      },
      BinaryExpression(node, ancestors) {
        if (!keepStrings || node.type !== 'BinaryExpression' || node.operator !== '+') return;
        const parent = ancestors[ancestors.length - 1];
        if (parent?.type === 'BinaryExpression' && parent.operator === '+') return;
        const text = readConcatenation(node);
        if (text !== null) strings.push(stringFact(file, node, 'concatenation', text.slice(0, MAX_STRING_FACT)));
      },
    },
    leave: {
      Program: leaveFunction,
      FunctionDeclaration: leaveFunction,
      FunctionExpression: leaveFunction,
      ArrowFunctionExpression: leaveFunction,
      ObjectMethod: leaveFunction,
      ClassMethod: leaveFunction,
      ClassPrivateMethod: leaveFunction,
    },
    finish(sink) {
      for (const { name, value, scope } of assignments) {
        const entry = bindings.resolve(name, scope);
        const program = scopeOfProgram(scope, bindings);
        bindings.declare(name, entry?.scope ?? program, { kind: 'value', node: value, scope });
      }
      const initFunctions = init.resolve();
      const contextOf = (fn: number) => (initFunctions.has(fn) ? 'init' : 'runtime');
      for (const call of calls) readCall(call, contextOf(call.fn), sink);
      for (const candidate of envCandidates) {
        if (bindings.canonicalOf(candidate.node, candidate.scope) !== 'process.env') continue;
        if (candidate.envOption && !readsEnvOption(candidate.envOption, candidate.scope)) continue;
        sink.capabilities.push(envUse(file, candidate, contextOf(candidate.fn)));
      }
      for (const item of imports) {
        sink.imports.push(item);
        const module = normalizeJsModule(item.specifier);
        if (isNativeJsModule(module)) sink.capabilities.push(nativeImport(file, item, module));
      }
      for (const write of htmlWrites) {
        sink.htmlWrites.push({ file: file.source.path, line: lineOf(write.node), property: write.property, value: evaluator.describe(write.value, write.scope, false, false) });
      }
      for (const comment of comments) {
        const suppression = readSuppression(comment.value);
        if (suppression) sink.suppressions.push({ file: file.source.path, line: file.lines.lineAt(comment.start), reason: suppression.reason });
      }
      for (const { fact, node, scope } of templates) foldConstantTemplate(fact, node, scope);
      for (const fact of strings) sink.strings.push(fact);
    },
  };

  /** `SELECT * FROM ${TABLE}` with `const TABLE = "notes"` is one constant string: its fact says so. */
  function foldConstantTemplate(fact: StringFact, node: TemplateLiteral, scope: Node): void {
    const values: string[] = [];
    for (const expression of node.expressions) {
      const value = evaluator.staticValue(expression, scope);
      if (value === undefined) return;
      values.push(String(value));
    }
    fact.kind = 'literal';
    fact.text = node.quasis.map((quasi, i) => (quasi.value.cooked ?? quasi.value.raw) + (values[i] ?? '')).join('').slice(0, MAX_STRING_FACT);
  }

  /**
   * Whether a call given `{ env: process.env }` reads the environment: it serializes it (`JSON.stringify`),
   * sends it or writes it to a file. Anything else given an `env` option (a subprocess, a worker, an MCP client
   * transport starting a server) passes it on to a child, which inherits the environment anyway.
   */
  function readsEnvOption(call: Node, scope: Node): boolean {
    if (call.type !== 'CallExpression' && call.type !== 'OptionalCallExpression' && call.type !== 'NewExpression') return false;
    const callee = bindings.canonicalOf(call.callee, scope);
    if (callee === null) return false;
    const language = file.source.language;
    return (
      callee === 'JSON.stringify' ||
      callee === 'Buffer.from' ||
      networkAccessOf(language, callee) === 'outbound' ||
      isSendOnConnection(language, callee) ||
      fileAccessOf(language, callee, undefined) === 'write'
    );
  }

  function readCall({ node, scope, fn }: PendingCall, context: 'init' | 'runtime', sink: FactSink): void {
    let calleeNode: Node;
    let argumentNodes: Node[];
    let tagged = false;
    if (node.type === 'TaggedTemplateExpression') {
      calleeNode = node.tag;
      argumentNodes = [node.quasi];
      tagged = true;
    } else if (node.type === 'CallExpression' || node.type === 'OptionalCallExpression' || node.type === 'NewExpression') {
      calleeNode = node.callee;
      argumentNodes = node.arguments as Node[];
    } else {
      return;
    }
    if (calleeNode.type === 'Super' || calleeNode.type === 'V8IntrinsicIdentifier') return;
    const loaded = bindings.loadedModule(node, scope);
    const callee = calleeNode.type === 'Import' ? 'import' : bindings.canonicalOf(calleeNode, scope);
    if (loaded !== null && node.type !== 'TaggedTemplateExpression') {
      const specifier = readStaticString((node as { arguments: Node[] }).arguments[0]) ?? loaded;
      const kind = calleeNode.type === 'Import' ? 'dynamic-import' : 'require';
      if (specifier !== null) addImport(node, kind, specifier, requireAliases.get(node));
    }
    // Dependency and test files feed only the malware detectors: other calls are not described.
    if (!keepAllCalls && (callee === null || !isMalwareRelevant(file.source.language, callee))) return;
    const spread = argumentNodes.some((argument) => argument.type === 'SpreadElement');
    const trace = callee !== null && isMalwareRelevant(file.source.language, callee);
    const args: ValueFact[] = argumentNodes
      .filter((argument) => argument.type !== 'ArgumentPlaceholder')
      .map((argument) => evaluator.describe(argument.type === 'SpreadElement' ? argument.argument : argument, scope, true, trace));
    const fact: CallFact = {
      file: file.source.path,
      line: lineOf(node),
      endLine: file.lines.lineAt(node.end ?? node.start ?? 0),
      language: file.source.language,
      role: file.source.role,
      callee,
      written: calleeNode.type === 'Import' ? 'import' : writtenName(calleeNode),
      isNew: node.type === 'NewExpression',
      args,
      keywords: {},
      spread,
      context,
      scope: fn,
    };
    if (tagged) fact.tagged = true;
    const calleeExpression = unwrapExpression(calleeNode);
    if (callee?.includes('()') && (calleeExpression.type === 'MemberExpression' || calleeExpression.type === 'OptionalMemberExpression')) {
      fact.receiver = evaluator.describe(calleeExpression.object, scope, false, trace);
    }
    sink.calls.push(fact);
    if (callee === 'require.resolve' && typeof args[0]?.value === 'string') {
      imports.push({ file: file.source.path, line: fact.line, language: fact.language, kind: 'require', specifier: args[0].value, resolved: [] });
    }
    for (const path of pathReferences(args)) {
      imports.push({ file: file.source.path, line: fact.line, language: fact.language, kind: 'path-reference', specifier: path, resolved: [] });
    }
  }

  return extractor;
};

function unwrapAwait(node: Node): Node {
  const inner = unwrapExpression(node);
  return inner.type === 'AwaitExpression' ? unwrapExpression(inner.argument) : inner;
}

/** `cp` gives `{ cp: "*" }`; `{ exec: run, spawn }` gives `{ run: "exec", spawn: "spawn" }`. */
function patternAliases(pattern: Node): Record<string, string> {
  if (pattern.type === 'Identifier') return { [pattern.name]: '*' };
  const aliases: Record<string, string> = {};
  if (pattern.type !== 'ObjectPattern') return aliases;
  for (const property of pattern.properties) {
    if (property.type !== 'ObjectProperty') continue;
    const key = readKeyName(property.key, property.computed);
    const value = property.value.type === 'AssignmentPattern' ? property.value.left : property.value;
    if (key !== null && value.type === 'Identifier') aliases[value.name] = key;
  }
  return aliases;
}

/** Paths relative to the file's own directory in the arguments (and argument arrays) of a call. */
export function pathReferences(args: readonly ValueFact[]): string[] {
  const found: string[] = [];
  for (const arg of args) {
    if (arg.path && isOwnFilePath(arg.path)) found.push(arg.path);
  }
  return found;
}

function isOwnFilePath(path: string): boolean {
  return path.startsWith('{here}/') && !path.includes('*') && path.length > '{here}/'.length;
}

function stringFact(file: FileInput, node: Node, kind: StringFact['kind'], text: string): StringFact {
  return { file: file.source.path, line: file.lines.lineAt(node.start ?? 0), language: file.source.language, kind, text };
}

/** `"a" + x + "b"` as `a{}b`; null when it is all static (a literal) or holds no string at all. */
function readConcatenation(root: Node): string | null {
  if (readStaticString(root) !== null) return null;
  const parts: string[] = [];
  let hasString = false;
  const pending: Node[] = [root];
  for (let steps = 0; pending.length > 0 && steps < 10_000; steps++) {
    const node = unwrapExpression(pending.pop()!);
    if (node.type === 'BinaryExpression' && node.operator === '+' && node.left.type !== 'PrivateName') {
      pending.push(node.right, node.left);
      continue;
    }
    const value = readStaticString(node);
    if (value !== null) {
      hasString = true;
      parts.push(value);
    } else if (node.type === 'TemplateLiteral') {
      hasString = true;
      parts.push(node.quasis.map((quasi) => quasi.value.cooked ?? '').join('{}'));
    } else {
      parts.push('{}');
    }
  }
  return hasString ? parts.join('') : null;
}

/** Strings that are syntax rather than data: import sources, object keys, directives. */
function isStructuralString(node: Node, parent: Node): boolean {
  switch (parent.type) {
    case 'ImportDeclaration':
    case 'ExportAllDeclaration':
    case 'ExportNamedDeclaration':
    case 'TSExternalModuleReference':
    case 'ImportAttribute':
      return true;
    case 'ObjectProperty':
    case 'ClassProperty':
    case 'ObjectMethod':
    case 'ClassMethod':
      return (parent as { key: Node }).key === node;
    default:
      return false;
  }
}

/** `x.env` (as in `process.env`): the sources an alias of the environment is taken from. */
function isEnvAliasSource(value: Node): boolean {
  const node = unwrapExpression(value);
  return (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') && readKeyName(node.property, node.computed) === 'env';
}

/**
 * `spawn(cmd, args, { env: process.env })` and `{ env: { ...process.env, X: "1" } }` hand the environment to a
 * child process, which inherits it anyway: not a read of the environment by this code. Returns the call the
 * `env` option is given to (judged by `readsEnvOption`), or the option object itself when it is built apart from
 * the call (`const options = { env: process.env }`), which stays a hand-over.
 */
function envOptionCall(parent: Node, ancestors: readonly Node[]): Node | null {
  const isEnvProperty = (node: Node | undefined) => node?.type === 'ObjectProperty' && readKeyName(node.key, node.computed) === 'env';
  let property = ancestors.length - 1;
  if (!isEnvProperty(parent)) {
    if (parent.type !== 'SpreadElement' || ancestors[ancestors.length - 2]?.type !== 'ObjectExpression' || !isEnvProperty(ancestors[ancestors.length - 3])) return null;
    property = ancestors.length - 3;
  }
  const options = ancestors[property - 1]!;
  const call = ancestors[property - 2];
  return call && (call.type === 'CallExpression' || call.type === 'OptionalCallExpression' || call.type === 'NewExpression') && (call.arguments as Node[]).includes(options) ? call : options;
}

/** The name a function is called by in its file: its declaration, or the variable or property it is assigned to. */
function functionName(node: Node, ancestors: readonly Node[]): string | null {
  if ((node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') && node.id) return node.id.name;
  // A constructor runs when its class is: `new Client()` at load runs `constructor` at load.
  if (node.type === 'ClassMethod' && node.kind === 'constructor') {
    const owner = ancestors[ancestors.length - 2];
    if ((owner?.type === 'ClassDeclaration' || owner?.type === 'ClassExpression') && owner.id) return owner.id.name;
    const declarator = ancestors[ancestors.length - 3];
    return declarator?.type === 'VariableDeclarator' && declarator.id.type === 'Identifier' ? declarator.id.name : null;
  }
  const parent = ancestors[ancestors.length - 1];
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if (parent?.type === 'AssignmentExpression' && parent.left.type === 'Identifier') return parent.left.name;
  return null;
}

/** For a function passed first to `.then(...)`, the promise expression whose value its first parameter receives. */
function promiseResolvedBy(node: Node, ancestors: readonly Node[]): Node | null {
  const parent = ancestors[ancestors.length - 1];
  if ((parent?.type !== 'CallExpression' && parent?.type !== 'OptionalCallExpression') || parent.arguments[0] !== node) return null;
  const callee = unwrapExpression(parent.callee);
  if (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') return null;
  return readKeyName(callee.property, callee.computed) === 'then' ? callee.object : null;
}

/** An IIFE, or a callback handed to something that runs it right away (`.then`, `setTimeout`, `new Promise`). */
function runsWhenDefined(node: Node, ancestors: readonly Node[]): boolean {
  if (node.type !== 'FunctionExpression' && node.type !== 'ArrowFunctionExpression') return false;
  const parent = ancestors[ancestors.length - 1];
  if (parent?.type !== 'CallExpression' && parent?.type !== 'OptionalCallExpression' && parent?.type !== 'NewExpression') return false;
  if (unwrapExpression(parent.callee) === node) return true;
  const callee = unwrapExpression(parent.callee);
  const name =
    callee.type === 'Identifier'
      ? callee.name
      : callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression'
        ? readKeyName(callee.property, callee.computed)
        : null;
  return name !== null && RUNS_CALLBACK_NOW.has(name);
}

function scopeOfProgram(scope: Node, bindings: BindingTable): Node {
  let current = scope;
  for (let parent = bindings.parentOf(current); parent; parent = bindings.parentOf(current)) current = parent;
  return current;
}

function envUse(file: FileInput, candidate: EnvCandidate, context: 'init' | 'runtime'): CapabilityUse {
  return {
    capability: 'environment',
    access: candidate.access,
    api: 'process.env',
    target: candidate.name,
    file: file.source.path,
    line: candidate.line,
    language: file.source.language,
    role: file.source.role,
    context,
  };
}

function nativeImport(file: FileInput, item: ImportFact, module: string): CapabilityUse {
  return {
    capability: 'native',
    access: 'load',
    api: module,
    target: item.specifier,
    file: file.source.path,
    line: item.line,
    language: file.source.language,
    role: file.source.role,
    context: 'init',
  };
}
