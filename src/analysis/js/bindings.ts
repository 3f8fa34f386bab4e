import type { Node } from '@babel/types';
import { normalizeJsCanonical, normalizeJsModule } from '../apis.js';
import { decodeConstant } from './decode.js';
import { namesInPattern } from './patterns.js';
import { readKeyName, readStaticString, unwrapExpression } from './values.js';

/**
 * What a name is bound to in one scope. `module`: a module object (`import * as cp`, `const cp = require(...)`,
 * a default import). `member`: a named export (`import { exec as run }`). `value`: an initialiser or an assigned
 * value. `destructure`: a property taken out of a value (`const { exec: run } = cp`), by key path. `element`: a
 * loop variable taking the elements of an iterated value (`for (const [k, v] of Object.entries(process.env))`):
 * it carries that value's data but is no alias of it. `local`: a parameter, a function or class declaration: the
 * program's own value.
 */
export type Binding =
  | { kind: 'module'; module: string }
  | { kind: 'member'; module: string; path: string }
  | { kind: 'value'; node: Node; scope: Node }
  | { kind: 'destructure'; from: Node; scope: Node; path: string }
  | { kind: 'element'; node: Node; scope: Node }
  | { kind: 'local'; node: Node | null };

/** Objects whose properties are globals: `globalThis.eval` is `eval`. */
const GLOBAL_OBJECTS: ReadonlySet<string> = new Set(['globalThis', 'window', 'global', 'self']);

/** What a `require` function can be besides the global one (`createRequire(import.meta.url)` returns one). */
const REQUIRE_FUNCTIONS: ReadonlySet<string> = new Set(['module.createRequire()', 'module.require', 'process.mainModule.require', 'require.main.require']);

/** How far a canonical name or a value is followed through names and nested expressions. */
const MAX_DEPTH = 48;

/**
 * Declarations of one file by name and scope (Program and functions; block scopes folded into their function),
 * and the canonical names callees resolve to through them.
 */
export class BindingTable {
  private readonly parents = new Map<Node, Node | null>();
  /** By name, then by declaring scope: resolving walks the scope chain with one lookup per level. */
  private readonly bindings = new Map<string, Map<Node, { scope: Node; bindings: Binding[] }>>();

  addScope(scope: Node, parent: Node | null): void {
    this.parents.set(scope, parent);
  }

  parentOf(scope: Node): Node | null {
    return this.parents.get(scope) ?? null;
  }

  declare(name: string, scope: Node, binding: Binding): void {
    let byScope = this.bindings.get(name);
    if (!byScope) this.bindings.set(name, (byScope = new Map()));
    const existing = byScope.get(scope);
    if (existing) existing.bindings.push(binding);
    else byScope.set(scope, { scope, bindings: [binding] });
  }

  /**
   * Declares the names of a binding pattern (`{ a, b: { c } }`, `[x, ...rest]`) as taken from `from`, an
   * expression of `fromScope` (a parameter's value is written in the caller's scope).
   */
  declarePattern(pattern: Node, scope: Node, from: Node | null, fromScope = scope): void {
    const pending: { node: Node; path: string | null }[] = [{ node: pattern, path: '' }];
    while (pending.length > 0) {
      const { node, path } = pending.pop()!;
      switch (node.type) {
        case 'Identifier':
          if (from && path) this.declare(node.name, scope, { kind: 'destructure', from, scope: fromScope, path });
          else if (from && path === '') this.declare(node.name, scope, { kind: 'value', node: from, scope: fromScope });
          else this.declare(node.name, scope, { kind: 'local', node: null });
          break;
        case 'AssignmentPattern':
          pending.push({ node: node.left, path });
          break;
        case 'RestElement':
          pending.push({ node: node.argument, path: null });
          break;
        case 'ArrayPattern':
          for (const element of node.elements) if (element) pending.push({ node: element, path: null });
          break;
        case 'ObjectPattern':
          for (const property of node.properties) {
            if (property.type === 'RestElement') {
              pending.push({ node: property.argument, path: null });
              continue;
            }
            const key = readKeyName(property.key, property.computed);
            const childPath = path === null || key === null ? null : path ? `${path}.${key}` : key;
            pending.push({ node: property.value, path: childPath });
          }
          break;
        case 'TSParameterProperty':
          pending.push({ node: node.parameter, path: null });
          break;
        default:
          break;
      }
    }
  }

  /** Declares every name of a loop variable's pattern as an element of the iterated value `from`. */
  declareElements(pattern: Node, scope: Node, from: Node): void {
    for (const name of namesInPattern(pattern)) this.declare(name.name, scope, { kind: 'element', node: from, scope });
  }

  /** The bindings of the innermost scope declaring `name` as seen from `scope`; undefined for a global. */
  resolve(name: string, scope: Node): { scope: Node; bindings: Binding[] } | undefined {
    const byScope = this.bindings.get(name);
    if (!byScope) return undefined;
    for (let current: Node | null | undefined = scope; current; current = this.parents.get(current)) {
      const entry = byScope.get(current);
      if (entry) return entry;
    }
    return undefined;
  }

  /**
   * The canonical dotted name of an expression used as a callee or receiver: through imports, requires,
   * destructuring, aliases, `util.promisify`, `globalThis.`; `X()` for the result of calling or
   * constructing X. null for the program's own values (parameters, local functions, `/re/.exec`).
   */
  canonicalOf(start: Node, scope: Node, depth = 0): string | null {
    if (depth > MAX_DEPTH) return null;
    const node = unwrapExpression(start);
    switch (node.type) {
      case 'Identifier':
        return this.canonicalOfName(node.name, scope, depth);
      case 'MemberExpression':
      case 'OptionalMemberExpression': {
        // `cp[method]` with `const method = "exec" + "Sync"`: the key a constant spells.
        const key = readKeyName(node.property, node.computed) ?? (node.computed ? this.constantString(node.property, scope, depth + 1) : null);
        if (key === null) return null;
        if (key === 'constructor' && this.isFunctionConstructorOwner(node.object, scope, depth + 1)) return 'Function';
        const object = this.canonicalOf(node.object, scope, depth + 1);
        if (object === null) return null;
        if (GLOBAL_OBJECTS.has(object)) return key;
        return normalizeJsCanonical(`${object}.${key}`);
      }
      case 'CallExpression':
      case 'OptionalCallExpression': {
        const loaded = this.loadedModule(node, scope, depth + 1);
        if (loaded) return loaded;
        const callee = this.canonicalOf(node.callee, scope, depth + 1);
        if (callee === 'util.promisify' && node.arguments[0]) return this.canonicalOf(node.arguments[0], scope, depth + 1);
        return callee === null ? null : `${callee}()`;
      }
      case 'NewExpression': {
        const callee = this.canonicalOf(node.callee, scope, depth + 1);
        return callee === null ? null : `${callee}()`;
      }
      case 'AwaitExpression':
        return this.canonicalOf(node.argument, scope, depth + 1);
      case 'SequenceExpression':
        return this.canonicalOf(node.expressions[node.expressions.length - 1]!, scope, depth + 1);
      case 'MetaProperty':
        return `${node.meta.name}.${node.property.name}`;
      case 'Import':
        return 'import';
      default:
        return null;
    }
  }

  /**
   * `require("m")`, `import("m")` (awaited or not), and the other ways to call Node's loader: a `require` made by
   * `createRequire` (how ESM code loads CommonJS), `module.require`, `process.mainModule.require`: the module's
   * canonical name.
   */
  loadedModule(node: Node, scope: Node, depth = 0): string | null {
    if (depth > MAX_DEPTH || (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression')) return null;
    const callee = unwrapExpression(node.callee);
    if (callee.type !== 'Import' && !this.isRequireFunction(callee, scope, depth)) return null;
    const first = node.arguments[0];
    // `require(String.fromCharCode(102, 115))` loads "fs" all the same.
    const specifier = first ? this.constantString(first, scope, depth + 1) : null;
    return specifier === null ? null : normalizeJsModule(specifier);
  }

  /**
   * A string the code fixes: a literal or concatenation, a decoding of constants (decode.ts), or a name bound
   * once to one of those (`const name = ["child", "process"].join("_"); require(name)`).
   */
  constantString(start: Node, scope: Node, depth: number): string | null {
    if (depth > MAX_DEPTH) return null;
    let node = unwrapExpression(start);
    let at = scope;
    if (node.type === 'Identifier') {
      const bound = this.singleValueOf(node.name, scope);
      if (!bound) return null;
      node = unwrapExpression(bound.node);
      at = bound.scope;
    }
    return readStaticString(node) ?? decodeConstant(node, (callee) => this.canonicalOf(callee, at, depth + 1));
  }

  /**
   * Whether `<object>.constructor` is the Function constructor (or its async and generator kin, which compile
   * code the same way): the constructor of a function (`(() => {}).constructor`, `Object.getPrototypeOf(async
   * function () {}).constructor`) or of any constructor (`[].constructor.constructor`).
   */
  private isFunctionConstructorOwner(start: Node, scope: Node, depth: number): boolean {
    const node = unwrapExpression(start);
    switch (node.type) {
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        return true;
      case 'MemberExpression':
      case 'OptionalMemberExpression':
        return readKeyName(node.property, node.computed) === 'constructor' || this.canonicalOf(node, scope, depth) === 'Function';
      case 'CallExpression': {
        const callee = this.canonicalOf(node.callee, scope, depth);
        const argument = node.arguments[0] ? unwrapExpression(node.arguments[0]) : null;
        return (callee === 'Object.getPrototypeOf' || callee === 'Reflect.getPrototypeOf') && (argument?.type === 'FunctionExpression' || argument?.type === 'ArrowFunctionExpression');
      }
      case 'Identifier':
        return this.canonicalOf(node, scope, depth) === 'Function';
      default:
        return false;
    }
  }

  private isRequireFunction(callee: Node, scope: Node, depth: number): boolean {
    if (callee.type === 'Identifier' && callee.name === 'require' && !this.resolve('require', scope)) return true;
    if (callee.type !== 'Identifier' && callee.type !== 'MemberExpression') return false;
    return REQUIRE_FUNCTIONS.has(this.canonicalOf(callee, scope, depth + 1) ?? '');
  }

  private canonicalOfName(name: string, scope: Node, depth: number): string | null {
    const entry = this.resolve(name, scope);
    if (!entry) return name;
    // A declaration without a value (`let cp;`) is followed by the assignment that gives it one.
    const binding = entry.bindings.find((candidate) => candidate.kind !== 'local' || candidate.node !== null) ?? entry.bindings[0]!;
    switch (binding.kind) {
      case 'module':
        return binding.module;
      case 'member':
        return normalizeJsCanonical(`${binding.module}.${binding.path}`);
      case 'local':
      case 'element':
        return null;
      case 'value':
        return this.canonicalOfValue(binding.node, binding.scope, depth + 1);
      case 'destructure': {
        const from = this.canonicalOf(binding.from, binding.scope, depth + 1);
        if (from === null) return null;
        if (GLOBAL_OBJECTS.has(from)) return binding.path;
        return normalizeJsCanonical(`${from}.${binding.path}`);
      }
    }
  }

  /** A name bound to a value is an alias when the value is a name, a member, a module load or an instance. */
  private canonicalOfValue(value: Node, scope: Node, depth: number): string | null {
    const node = unwrapExpression(value);
    switch (node.type) {
      case 'Identifier':
      case 'MemberExpression':
      case 'OptionalMemberExpression':
      case 'CallExpression':
      case 'OptionalCallExpression':
      case 'NewExpression':
      case 'AwaitExpression':
      case 'SequenceExpression':
      case 'MetaProperty':
        return this.canonicalOf(node, scope, depth);
      default:
        return null;
    }
  }

  /**
   * Values a name may hold, for origins: its initialiser, every assignment, and for a loop variable the value it
   * iterates over; innermost scope.
   */
  valuesOf(name: string, scope: Node): { node: Node; scope: Node }[] | undefined {
    const entry = this.resolve(name, scope);
    if (!entry) return undefined;
    const values: { node: Node; scope: Node }[] = [];
    for (const binding of entry.bindings) {
      if (binding.kind === 'value' || binding.kind === 'element') values.push({ node: binding.node, scope: binding.scope });
    }
    return values;
  }

  /** The single value a constant-like name holds: exactly one binding, a value. */
  singleValueOf(name: string, scope: Node): { node: Node; scope: Node } | null {
    const entry = this.resolve(name, scope);
    if (!entry || entry.bindings.length !== 1) return null;
    const binding = entry.bindings[0]!;
    return binding.kind === 'value' ? { node: binding.node, scope: binding.scope } : null;
  }
}
