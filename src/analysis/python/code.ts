import {
  decodingOf,
  fileAccessOf,
  isCodeSink,
  isMalwareRelevant,
  loadsNativeCode,
  networkAccessOf,
  normalizePythonModule,
  processAccessOf,
} from '../apis.js';
import type { FactSink } from '../extractor.js';
import { InitTracker } from '../init.js';
import { pathReferences } from '../js/code.js';
import { readSuppression } from '../suppressions.js';
import type { CallFact, CapabilityUse, ImportFact, StringFact, Suppression, ValueFact } from '../types.js';
import { PythonBindingTable } from './bindings.js';
import { PythonEvaluator, readCallArguments } from './evaluate.js';
import type { PythonNode } from './parser.js';
import { readPythonString } from './strings.js';
import type { PythonExtractorFactory } from './walk.js';

const MAX_STRING_FACT = 1000;

/** Whether `module.name` is an API the tables know (for names a `from m import *` brings in). */
function isKnownPythonApi(name: string): boolean {
  return (
    processAccessOf('python', name) !== null ||
    fileAccessOf('python', name, undefined) !== null ||
    networkAccessOf('python', name) !== null ||
    loadsNativeCode('python', name) ||
    isCodeSink('python', name) ||
    decodingOf('python', name, null) !== null ||
    name === 'os.environ' ||
    name === 'os.getenv' ||
    name === 'yaml.load' ||
    name === 'pickle.loads'
  );
}

interface OpenFunction {
  id: number;
  end: number;
}

/**
 * Code facts of one Python file, in the file's single walk (a query over the node types below, in source
 * order): imports and their aliases (`from os import system as s` makes `s(...)` an `os.system` call),
 * assignments, `with ... as` and walrus bindings, call sites with positional and keyword arguments,
 * `os.environ[...]` reads and writes, strings (and how they are built), and `# nosec` comments. Which
 * function a node is in comes from the start and end offsets of the functions entered so far (the walk is
 * in source order), so no parent chain is climbed.
 */
export const createPythonCodeExtractor: PythonExtractorFactory = (file) => {
  const bindings = new PythonBindingTable(file.text, isKnownPythonApi);
  const evaluator = new PythonEvaluator(bindings, file.text, file.budget);
  const init = new InitTracker();
  const open: OpenFunction[] = [];
  const calls: { node: PythonNode; scope: number }[] = [];
  const envSubscripts: { node: PythonNode; value: PythonNode; scope: number; access: 'read' | 'write'; name: string | null }[] = [];
  const imports: ImportFact[] = [];
  const strings: StringFact[] = [];
  const pendingSuppressions: Suppression[] = [];
  const keepStrings = file.source.role === 'server';
  const keepAllCalls = keepStrings;
  const path = file.source.path;
  const language = file.source.language;

  const lineOf = (node: PythonNode) => file.lines.lineAt(node.startIndex);
  /** The innermost function containing `node` (0: module level). */
  const scopeAt = (node: PythonNode) => {
    while (open.length > 0 && open[open.length - 1]!.end <= node.startIndex) open.pop();
    return open.length > 0 ? open[open.length - 1]!.id : 0;
  };

  /** `element`: `value` is iterated over (a `for` target), so every name of the target takes its elements. */
  const declareTarget = (target: PythonNode | null, scope: number, value: PythonNode | null, element = false) => {
    if (!target) return;
    if (target.type === 'identifier') {
      bindings.declare(target.text, scope, value ? { kind: element ? 'element' : 'value', node: value, scope } : { kind: 'local' });
      return;
    }
    if (target.type === 'as_pattern_target' || target.type === 'parenthesized_expression') {
      const inner = target.namedChildren.find((child) => child?.type !== 'comment') ?? null;
      declareTarget(inner, scope, value, element);
      return;
    }
    if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'list_pattern' || target.type === 'tuple' || target.type === 'list') {
      for (const child of target.namedChildren) declareTarget(child, scope, element ? value : null, element);
    }
  };

  const enterFunction = (node: PythonNode) => {
    const parent = scopeAt(node);
    const name = node.type === 'function_definition' ? (node.childForFieldName('name')?.text ?? null) : null;
    // `Client()` runs `Client.__init__`: the constructor goes by its class's name for start-up tracking.
    const className = name === '__init__' && node.parent?.parent?.type === 'class_definition' ? (node.parent.parent.childForFieldName('name')?.text ?? null) : null;
    const id = init.addFunction(parent, className ?? name, runsAtStartup(node));
    bindings.addScope(id, parent);
    if (name) bindings.declare(name, parent, { kind: 'local' });
    const parameters = node.childForFieldName('parameters');
    for (const parameter of parameters?.namedChildren ?? []) {
      if (!parameter) continue;
      const nameNode =
        parameter.type === 'identifier' ? parameter : (parameter.childForFieldName('name') ?? parameter.namedChildren.find((child) => child?.type === 'identifier') ?? null);
      if (nameNode?.type === 'identifier') bindings.declare(nameNode.text, id, { kind: 'local' });
    }
    open.push({ id, end: node.endIndex });
  };

  const addImport = (node: PythonNode, kind: ImportFact['kind'], specifier: string, names?: string[], aliases?: Record<string, string>) => {
    const fact: ImportFact = { file: path, line: lineOf(node), language, kind, specifier, resolved: [] };
    if (names) fact.names = names;
    if (aliases && Object.keys(aliases).length > 0) fact.aliases = aliases;
    imports.push(fact);
  };

  return {
    enter: {
      function_definition: enterFunction,
      lambda: enterFunction,
      class_definition(node) {
        const name = node.childForFieldName('name');
        if (name) bindings.declare(name.text, scopeAt(node), { kind: 'local' });
      },
      import_statement(node) {
        const scope = scopeAt(node);
        for (const item of node.namedChildren) {
          if (!item) continue;
          if (item.type === 'dotted_name') {
            const module = item.text;
            const root = module.split('.')[0]!;
            addImport(node, 'python-import', module, undefined, { [root]: '*' });
            bindings.declare(root, scope, { kind: 'module', module: normalizePythonModule(root) });
          } else if (item.type === 'aliased_import') {
            const module = item.childForFieldName('name')?.text;
            const alias = item.childForFieldName('alias')?.text;
            if (!module || !alias) continue;
            addImport(node, 'python-import', module, undefined, { [alias]: '*' });
            bindings.declare(alias, scope, { kind: 'module', module: normalizePythonModule(module) });
          }
        }
      },
      import_from_statement(node) {
        const scope = scopeAt(node);
        const moduleNode = node.childForFieldName('module_name');
        if (!moduleNode) return;
        const module = moduleNode.text.replace(/\s+/g, '');
        const names: string[] = [];
        const aliases: Record<string, string> = {};
        for (const item of node.namedChildren) {
          if (!item || item.id === moduleNode.id) continue;
          if (item.type === 'wildcard_import') {
            bindings.starModules.push(normalizePythonModule(module));
            names.push('*');
          } else if (item.type === 'dotted_name') {
            names.push(item.text);
            aliases[item.text] = item.text;
            bindings.declare(item.text, scope, { kind: 'member', module: normalizePythonModule(module), path: item.text });
          } else if (item.type === 'aliased_import') {
            const name = item.childForFieldName('name')?.text;
            const alias = item.childForFieldName('alias')?.text;
            if (!name || !alias) continue;
            names.push(name);
            aliases[alias] = name;
            bindings.declare(alias, scope, { kind: 'member', module: normalizePythonModule(module), path: name });
          }
        }
        addImport(node, 'python-from', module, names, aliases);
      },
      assignment(node) {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        declareTarget(left, scopeAt(node), right && right.type !== 'assignment' ? right : null);
      },
      augmented_assignment(node) {
        declareTarget(node.childForFieldName('left'), scopeAt(node), null);
      },
      named_expression(node) {
        declareTarget(node.childForFieldName('name'), scopeAt(node), node.childForFieldName('value'));
      },
      as_pattern(node) {
        const alias = node.childForFieldName('alias');
        const value = node.namedChildren.find((child) => child?.type !== 'as_pattern_target' && child?.type !== 'comment') ?? null;
        // `with open(p) as f` binds the opened value; `except E as e` binds an exception object.
        declareTarget(alias, scopeAt(node), node.parent?.type === 'with_item' ? value : null);
      },
      for_statement(node) {
        declareTarget(node.childForFieldName('left'), scopeAt(node), node.childForFieldName('right'), true);
      },
      call(node) {
        if (!file.budget.takeCall()) return;
        const scope = scopeAt(node);
        calls.push({ node, scope });
        const callee = node.childForFieldName('function');
        if (callee?.type === 'identifier') init.addCall(scope, callee.text);
        for (const name of functionsRunBy(node, callee)) init.addCall(scope, name);
      },
      subscript(node) {
        if (!node.text.includes('environ')) return;
        const value = node.childForFieldName('value');
        if (!value || !(value.type === 'identifier' || value.type === 'attribute') || !value.text.endsWith('environ')) return;
        const parent = node.parent;
        const writes =
          (parent?.type === 'assignment' && parent.childForFieldName('left')?.id === node.id) ||
          (parent?.type === 'augmented_assignment' && parent.childForFieldName('left')?.id === node.id) ||
          parent?.type === 'delete_statement';
        const name = readPythonString(node.childForFieldName('subscript'), file.text);
        envSubscripts.push({ node, value, scope: scopeAt(node), access: writes ? 'write' : 'read', name });
      },
      string(node) {
        if (!keepStrings || !mayMatter(node.text) || node.parent?.type === 'concatenated_string' || isDocstring(node)) return;
        strings.push(stringFact(node, stringKind(node), readStringText(node, file.text)));
      },
      concatenated_string(node) {
        if (!keepStrings || !mayMatter(node.text) || isDocstring(node)) return;
        const value = readPythonString(node, file.text);
        strings.push(stringFact(node, value === null ? 'template' : stringKind(node), (value ?? node.text).slice(0, MAX_STRING_FACT)));
      },
      comment(node) {
        const suppression = readSuppression(node.text);
        if (suppression) pendingSuppressions.push({ file: path, line: lineOf(node), reason: suppression.reason });
      },
    },
    finish(sink) {
      const initFunctions = init.resolve();
      const contextOf = (scope: number) => (initFunctions.has(scope) ? 'init' : 'runtime');
      for (const { node, scope } of calls) readCall(node, scope, contextOf(scope), sink);
      for (const entry of envSubscripts) {
        if (bindings.canonicalOf(entry.value, entry.scope) !== 'os.environ') continue;
        sink.capabilities.push(capability('environment', entry.access, 'os.environ', entry.name, lineOf(entry.node), contextOf(entry.scope)));
      }
      for (const item of imports) sink.imports.push(item);
      for (const fact of strings) sink.strings.push(fact);
      for (const suppression of pendingSuppressions) sink.suppressions.push(suppression);
    },
  };

  function readCall(node: PythonNode, scope: number, context: 'init' | 'runtime', sink: FactSink): void {
    const calleeNode = node.childForFieldName('function');
    const callee = bindings.canonicalOf(calleeNode, scope);
    const dynamicImport = callee === 'importlib.import_module' || callee === '__import__';
    // Dependency and test files feed only the malware detectors: other calls are not described.
    if (!keepAllCalls && !dynamicImport && (callee === null || !isMalwareRelevant('python', callee))) return;
    const args = readCallArguments(node);
    const trace = callee !== null && isMalwareRelevant('python', callee);
    const keywords: Record<string, ValueFact> = Object.create(null) as Record<string, ValueFact>;
    for (const [name, value] of args.keywords) keywords[name] = evaluator.describe(value, scope, true, trace);
    const fact: CallFact = {
      file: path,
      line: lineOf(node),
      endLine: file.lines.lineAt(node.endIndex),
      language,
      role: file.source.role,
      callee,
      written: writtenText(calleeNode),
      isNew: false,
      args: args.positional.map((arg) => evaluator.describe(arg, scope, true, trace)),
      keywords,
      spread: args.spread,
      context,
      scope,
    };
    if (callee?.includes('()') && calleeNode?.type === 'attribute') {
      const object = calleeNode.childForFieldName('object');
      if (object) fact.receiver = evaluator.describe(object, scope, false, trace);
    }
    sink.calls.push(fact);
    if (dynamicImport && typeof fact.args[0]?.value === 'string') {
      addImport(node, 'python-dynamic', fact.args[0].value);
    }
    for (const reference of pathReferences([...fact.args, ...Object.values(keywords)])) addImport(node, 'path-reference', reference);
    // The whole environment handed to anything but a child process (which inherits it anyway) is read:
    // `dict(os.environ)`, `json.dumps(os.environ)`, `{**os.environ}`.
    if (callee && processAccessOf('python', callee) === null && args.positional.some((arg) => isWholeEnvironment(arg, scope))) {
      sink.capabilities.push(capability('environment', 'all', 'os.environ', null, fact.line, context));
    }
  }

  /** `os.environ` itself, or a dict literal spreading it (`{**os.environ}`); one level deep, no tracing. */
  function isWholeEnvironment(arg: PythonNode, scope: number): boolean {
    if (arg.type === 'identifier' || arg.type === 'attribute') return bindings.canonicalOf(arg, scope) === 'os.environ';
    if (arg.type !== 'dictionary') return false;
    return arg.namedChildren.some((child) => child?.type === 'dictionary_splat' && bindings.canonicalOf(child.namedChildren[0], scope) === 'os.environ');
  }

  function capability(kind: CapabilityUse['capability'], access: string, api: string, target: string | null, line: number, context: 'init' | 'runtime'): CapabilityUse {
    return { capability: kind, access, api, target, file: path, line, language, role: file.source.role, context };
  }

  function stringFact(node: PythonNode, kind: StringFact['kind'], text: string): StringFact {
    return { file: path, line: lineOf(node), language, kind, text: text.slice(0, MAX_STRING_FACT) };
  }
};

/**
 * Functions a call hands over to be run: `Thread(target=fn)` / `Process(target=fn)` (started right away, as a
 * rule), `Timer(delay, fn)`, and `FastMCP(..., lifespan=fn)` / `Starlette(lifespan=fn)`, which runs when the
 * server starts. They run as if called where the call is (MTF 3.5 CD-02 "Initialization (import/startup)").
 */
function functionsRunBy(call: PythonNode, callee: PythonNode | null): string[] {
  const names: string[] = [];
  const args = call.childForFieldName('arguments');
  if (args?.type !== 'argument_list') return names;
  const timer = callee !== null && /(?:^|\.)Timer$/.test(callee.text);
  let position = 0;
  for (const arg of args.namedChildren) {
    if (!arg || arg.type === 'comment') continue;
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name')?.text;
      const value = arg.childForFieldName('value');
      if ((name === 'target' || name === 'lifespan' || (timer && name === 'function')) && value?.type === 'identifier') names.push(value.text);
    } else if (timer && position++ === 1 && arg.type === 'identifier') {
      names.push(arg.text);
    }
  }
  return names;
}

/** A `def` decorated as a start-up hook (`@app.on_event("startup")`) runs while the server starts. */
function runsAtStartup(node: PythonNode): boolean {
  const decorated = node.parent;
  if (decorated?.type !== 'decorated_definition') return false;
  return decorated.namedChildren.some((decorator) => decorator?.type === 'decorator' && /on_event\(\s*["']startup["']|\bon_startup\b/.test(decorator.text.slice(0, 200)));
}

/**
 * Whether a string is worth a fact (a look at its parent and its pieces costs node objects from the parser):
 * what the checks read are SQL keywords (B608), bind-all and temporary-directory literals (B104, B108), and
 * short file names (AI-05's data files named by the code).
 */
function mayMatter(raw: string): boolean {
  if (raw.length <= 200 && raw.includes('.') && !/\s/.test(raw)) return true;
  if (raw.includes('0.0.0.0') || raw.includes('/tmp') || raw.includes('/dev/shm')) return true;
  return SQL_KEYWORD.test(raw);
}

const SQL_KEYWORD = /\b(?:select|insert|update|delete|replace|drop|alter|create)\b/i;

/** A string statement on its own (a docstring or a comment written as a string) is not a value. */
function isDocstring(node: PythonNode): boolean {
  return node.parent?.type === 'expression_statement' && node.parent.namedChildCount === 1;
}

/** How a string is used to build another: f-string, `"..." % x`, `"...".format(x)`, `"..." + x`. */
function stringKind(node: PythonNode): StringFact['kind'] {
  if (node.type === 'string' && node.namedChildren.some((child) => child?.type === 'interpolation')) return 'template';
  const parent = node.parent;
  if (parent?.type === 'binary_operator') {
    const operator = parent.childForFieldName('operator')?.text;
    if (operator === '%' && parent.childForFieldName('left')?.id === node.id) return 'format';
    if (operator === '+') return 'concatenation';
  }
  if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.text === 'format' && parent.parent?.type === 'call') return 'format';
  return 'literal';
}

/** A string's text: its value, or for an f-string the literal parts with `{}` for each substitution. */
function readStringText(node: PythonNode, text: string): string {
  const value = readPythonString(node, text);
  if (value !== null) return value;
  let out = '';
  for (const child of node.children) {
    if (child?.type === 'string_content') out += child.text;
    else if (child?.type === 'interpolation') out += '{}';
  }
  return out;
}

/** The callee as written, without whitespace, shortened (a called lambda's text can be the whole file). */
function writtenText(node: PythonNode | null): string {
  if (!node) return '';
  return node.text.slice(0, 400).replace(/\s+/g, '').slice(0, 80);
}
