import type { Node } from '@babel/types';
import {
  createsSocket,
  decodingOf,
  fileAccessOf,
  isHomePath,
  isSensitivePath,
  networkAccessOf,
  returnsHomeDirectory,
} from '../apis.js';
import { joinPaths, dirnameOf, isEscapeHeavy, unionInto } from '../approx.js';
import type { Decoding, Language, ValueFact, ValueKind, ValueOrigin } from '../types.js';
import type { AnalysisBudget } from '../extractor.js';
import type { BindingTable } from './bindings.js';
import { decodeConstant } from './decode.js';
import { readKeyName, readStaticString, unwrapExpression } from './values.js';

/** Nodes one value's origins may visit, through names and nested expressions. */
const MAX_TRACE_NODES = 400;
/** Nested levels a path approximation follows (`join(dirname(fileURLToPath(import.meta.url)), ...)`). */
const MAX_PATH_DEPTH = 24;
/** Object literal properties and array elements described per argument. */
const MAX_PROPERTIES = 32;
const MAX_ELEMENTS = 16;

const HOME_ENV = new Set(['process.env.HOME', 'process.env.USERPROFILE']);

/**
 * Describes values at call sites of one JavaScript/TypeScript file: their shape, static value, path
 * approximation, and where their data may come from (environment, home directory, files, decodings),
 * following same-file bindings. Every walk is bounded by a node budget and a depth cap: a hostile file
 * cannot make it loop or recurse deeply.
 */
export class JsEvaluator {
  constructor(
    private readonly bindings: BindingTable,
    private readonly text: string,
    private readonly language: Language,
    private readonly budget: AnalysisBudget,
  ) {}

  /**
   * `trace`: also follow where the value's data comes from (origins, decodings): the part that costs, needed
   * only at the calls the malware detectors read (sinks, subprocesses, network, file reads).
   */
  describe(start: Node, scope: Node, withProperties = true, trace = true): ValueFact {
    const node = unwrapExpression(start);
    const fact: ValueFact = { kind: kindOf(node) };
    const value = this.staticValue(node, scope);
    if (value !== undefined) {
      fact.value = value;
      if (fact.kind === 'template' || fact.kind === 'concatenation') fact.kind = 'literal';
    }
    if (node.type === 'Identifier' || node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') {
      fact.name = this.bindings.canonicalOf(node, scope) ?? writtenName(node);
    } else if (node.type === 'CallExpression' || node.type === 'OptionalCallExpression' || node.type === 'NewExpression') {
      fact.name = this.bindings.canonicalOf(node.callee, scope) ?? writtenName(node.callee);
    }
    const path = this.pathOf(node, scope, 0);
    if (path !== null && /[^*]/.test(path)) fact.path = path;
    if (withProperties && node.type === 'ObjectExpression') {
      const properties: Record<string, ValueFact> = Object.create(null) as Record<string, ValueFact>;
      let count = 0;
      for (const property of node.properties) {
        if (property.type !== 'ObjectProperty' || ++count > MAX_PROPERTIES) continue;
        const key = readKeyName(property.key, property.computed);
        if (key !== null) properties[key] = this.describe(property.value, scope, false, trace);
      }
      fact.properties = properties;
    }
    if (withProperties && node.type === 'ArrayExpression') {
      fact.elements = node.elements
        .slice(0, MAX_ELEMENTS)
        .map((element) => (element ? this.describe(element.type === 'SpreadElement' ? element.argument : element, scope, false, trace) : { kind: 'other' }));
    }
    if (trace) {
      const traced = this.trace(node, scope);
      if (traced.origins.size > 0) fact.origins = [...traced.origins].sort();
      if (traced.decoded.size > 0) fact.decoded = [...traced.decoded].sort();
    }
    if (node.type === 'StringLiteral' && isEscapeHeavy(rawOf(node, this.text))) fact.escaped = true;
    if (fact.value === undefined) {
      const alternatives = this.alternativesOf(node, scope);
      if (alternatives) fact.alternatives = alternatives;
    }
    return fact;
  }

  /** `c ? "a" : "b"` (nested, or a name bound once to one): the constant strings it chooses from. */
  private alternativesOf(start: Node, scope: Node): string[] | null {
    let node = start;
    let at = scope;
    if (node.type === 'Identifier') {
      const bound = this.bindings.singleValueOf(node.name, scope);
      if (!bound) return null;
      node = unwrapExpression(bound.node);
      at = bound.scope;
    }
    if (node.type !== 'ConditionalExpression') return null;
    const out: string[] = [];
    const pending: Node[] = [node];
    while (pending.length > 0 && out.length <= MAX_ELEMENTS) {
      const current = unwrapExpression(pending.pop()!);
      if (current.type === 'ConditionalExpression') {
        pending.push(current.alternate, current.consequent);
        continue;
      }
      const value = readStaticString(current) ?? decodeConstant(current, (callee) => this.bindings.canonicalOf(callee, at));
      if (value === null) return null;
      out.push(value);
    }
    return pending.length === 0 ? out : null;
  }

  /** A string, number, boolean or null the expression always has; undefined when it is computed. */
  staticValue(node: Node, scope: Node): string | number | boolean | null | undefined {
    const inner = unwrapExpression(node);
    switch (inner.type) {
      case 'NumericLiteral':
      case 'BooleanLiteral':
        return inner.value;
      case 'NullLiteral':
        return null;
      case 'Identifier': {
        const bound = this.bindings.singleValueOf(inner.name, scope);
        if (!bound) return undefined;
        const value = unwrapExpression(bound.node);
        if (value.type === 'NumericLiteral' || value.type === 'BooleanLiteral') return value.value;
        return readStaticString(value) ?? decodeConstant(value, (callee) => this.bindings.canonicalOf(callee, bound.scope)) ?? undefined;
      }
      case 'CallExpression':
      case 'OptionalCallExpression':
        return decodeConstant(inner, (callee) => this.bindings.canonicalOf(callee, scope)) ?? undefined;
      default:
        return readStaticString(inner) ?? undefined;
    }
  }

  /**
   * Where a value's data may come from, and which decodings it went through. A value taken out of another by one
   * key (`env.API_URL`, `process.env[name]`, `const { API_URL } = process.env`) is one entry of it: where that
   * other value is the environment, the data is one variable (`env`), not the whole environment (`env-all`).
   * Only a literal container's own items (`{ all: process.env }.all`) are followed as whole values again.
   */
  trace(start: Node, scope: Node): { origins: Set<ValueOrigin>; decoded: Set<Decoding> } {
    const origins = new Set<ValueOrigin>();
    const decoded = new Set<Decoding>();
    const pending: { node: Node; scope: Node; oneEntry: boolean }[] = [{ node: start, scope, oneEntry: false }];
    const seen = new Set<Node>();
    const seenAsEntry = new Set<Node>();
    for (let visited = 0; pending.length > 0 && visited < MAX_TRACE_NODES && this.budget.spendValueNodes(1); visited++) {
      const { node: raw, scope: at, oneEntry } = pending.pop()!;
      const node = unwrapExpression(raw);
      const done = oneEntry ? seenAsEntry : seen;
      if (done.has(node)) continue;
      done.add(node);
      const push = (child: Node | null | undefined, childScope = at, entry = oneEntry) => {
        if (child) pending.push({ node: child, scope: childScope, oneEntry: entry });
      };
      const environment = () => origins.add(oneEntry ? 'env' : 'env-all');
      switch (node.type) {
        case 'Identifier': {
          const canonical = this.bindings.canonicalOf(node, at);
          if (canonical === 'process.env') environment();
          else if (canonical?.startsWith('process.env.')) origins.add('env');
          else if (canonical === 'String.fromCharCode' || canonical === 'String.fromCodePoint') decoded.add('charcode');
          for (const value of this.bindings.valuesOf(node.name, at) ?? []) push(value.node, value.scope);
          const entry = this.bindings.resolve(node.name, at);
          for (const binding of entry?.bindings ?? []) if (binding.kind === 'destructure') push(binding.from, binding.scope, true);
          break;
        }
        case 'MemberExpression':
        case 'OptionalMemberExpression': {
          const canonical = this.bindings.canonicalOf(node, at);
          if (canonical === 'process.env') environment();
          else if (canonical?.startsWith('process.env.')) origins.add('env');
          else if (canonical === 'String.fromCharCode' || canonical === 'String.fromCodePoint') decoded.add('charcode');
          else push(node.object, at, true);
          break;
        }
        case 'CallExpression':
        case 'OptionalCallExpression':
        case 'NewExpression': {
          this.traceCall(node, at, origins, decoded);
          for (const argument of node.arguments) push(argument.type === 'SpreadElement' ? argument.argument : argument);
          const callee = unwrapExpression(node.callee);
          if (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') push(callee.object);
          break;
        }
        case 'TemplateLiteral':
          for (const expression of node.expressions) push(expression);
          break;
        case 'TaggedTemplateExpression':
          push(node.quasi);
          break;
        case 'BinaryExpression':
        case 'LogicalExpression':
          push(node.left);
          push(node.right);
          break;
        case 'ConditionalExpression':
          push(node.consequent);
          push(node.alternate);
          break;
        case 'AwaitExpression':
        case 'SpreadElement':
        case 'UnaryExpression':
          push(node.argument);
          break;
        case 'SequenceExpression':
          push(node.expressions[node.expressions.length - 1]);
          break;
        case 'AssignmentExpression':
          push(node.right);
          break;
        case 'ArrayExpression':
          for (const element of node.elements) push(element, at, element?.type === 'SpreadElement' && oneEntry);
          break;
        case 'ObjectExpression':
          for (const property of node.properties) {
            if (property.type === 'ObjectProperty') push(property.value, at, false);
            else if (property.type === 'SpreadElement') push(property.argument);
          }
          break;
        default:
          break;
      }
    }
    return { origins, decoded };
  }

  private traceCall(node: Node, scope: Node, origins: Set<ValueOrigin>, decoded: Set<Decoding>): void {
    if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression' && node.type !== 'NewExpression') return;
    const callee = this.bindings.canonicalOf(node.callee, scope);
    const method = methodName(node.callee);
    if (callee) {
      const encoding = node.arguments[1] ? readStaticString(node.arguments[1]) : null;
      const decoding = decodingOf(this.language, callee, encoding);
      if (decoding) decoded.add(decoding);
      if (returnsHomeDirectory(this.language, callee)) origins.add('home');
      if (createsSocket(callee)) origins.add('socket');
      if (networkAccessOf(this.language, callee) === 'outbound') origins.add('network');
      if (fileAccessOf(this.language, callee, undefined) === 'read' && node.arguments[0]) {
        const path = this.pathOf(node.arguments[0], scope, 0);
        unionInto(origins, fileOrigins(path));
      }
    }
    // `s.split("").reverse().join("")`: a string reversed to hide it.
    if (method === 'reverse') {
      const receiver = receiverOf(node.callee);
      if (receiver && methodName(receiver.type === 'CallExpression' ? receiver.callee : receiver) === 'split') decoded.add('reverse');
    }
  }

  /**
   * The path or URL an expression spells, approximately: literals as they are, `__dirname` and
   * `import.meta.url` as `{here}`, `os.homedir()` as `~`, `path.join`/`resolve`/`dirname`, `new URL(rel, base)`,
   * templates and `+`; `*` for pieces it cannot know. null when nothing is known at all.
   */
  pathOf(start: Node, scope: Node, depth: number): string | null {
    if (depth > MAX_PATH_DEPTH) return null;
    const node = unwrapExpression(start);
    const next = (child: Node) => this.pathOf(child, scope, depth + 1) ?? '*';
    switch (node.type) {
      case 'StringLiteral':
        return node.value;
      case 'TemplateLiteral': {
        let out = '';
        node.quasis.forEach((quasi, i) => {
          out += quasi.value.cooked ?? '*';
          const expression = node.expressions[i];
          if (expression) out += next(expression);
        });
        return out;
      }
      case 'BinaryExpression':
        if (node.operator !== '+' || node.left.type === 'PrivateName') return null;
        return next(node.left) + next(node.right);
      case 'Identifier': {
        const canonical = this.bindings.canonicalOf(node, scope);
        if (canonical === '__dirname') return '{here}';
        if (canonical === '__filename') return '{here}/*';
        const bound = this.bindings.singleValueOf(node.name, scope);
        return bound ? this.pathOf(bound.node, bound.scope, depth + 1) : null;
      }
      case 'MemberExpression':
      case 'OptionalMemberExpression': {
        const canonical = this.bindings.canonicalOf(node, scope);
        if (canonical === 'import.meta.dirname') return '{here}';
        if (canonical === 'import.meta.url' || canonical === 'import.meta.filename') return '{here}/*';
        if (canonical && HOME_ENV.has(canonical)) return '~';
        return null;
      }
      case 'CallExpression':
      case 'OptionalCallExpression':
      case 'NewExpression':
        return this.pathOfCall(node, scope, depth);
      default:
        return null;
    }
  }

  private pathOfCall(node: Node, scope: Node, depth: number): string | null {
    if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression' && node.type !== 'NewExpression') return null;
    const callee = this.bindings.canonicalOf(node.callee, scope);
    const args = node.arguments.filter((argument) => argument.type !== 'SpreadElement' && argument.type !== 'ArgumentPlaceholder');
    const next = (child: Node) => this.pathOf(child, scope, depth + 1) ?? '*';
    switch (callee) {
      case 'os.homedir':
        return '~';
      case 'os.tmpdir':
        return '{tmp}';
      case 'process.cwd':
        return '{cwd}';
      case 'path.join':
      case 'path.posix.join':
      case 'path.win32.join':
        return args.length > 0 ? joinPaths(args.map(next), false) : null;
      case 'path.resolve':
      case 'path.posix.resolve':
        return args.length > 0 ? joinPaths(args.map(next), true) : '{cwd}';
      case 'path.dirname':
        return args[0] ? dirnameOf(next(args[0])) : null;
      case 'path.normalize':
      case 'url.fileURLToPath':
      case 'url.pathToFileURL':
      case 'String':
        return args[0] ? this.pathOf(args[0], scope, depth + 1) : null;
      case 'URL':
      case 'url.URL': {
        if (!args[0]) return null;
        const relative = next(args[0]);
        if (!args[1] || /^[a-z][a-z0-9+.-]*:/i.test(relative)) return relative;
        return joinPaths([dirnameOf(next(args[1])), relative], true);
      }
      default:
        return null;
    }
  }
}

/** What reading a file at `path` yields. */
export function fileOrigins(path: string | null): ValueOrigin[] {
  if (path !== null && isSensitivePath(path)) return ['file', 'sensitive-file'];
  if (path !== null && isHomePath(path)) return ['file', 'home-file'];
  return ['file'];
}

export function kindOf(node: Node): ValueKind {
  switch (node.type) {
    case 'StringLiteral':
    case 'NumericLiteral':
    case 'BooleanLiteral':
    case 'NullLiteral':
    case 'BigIntLiteral':
    case 'RegExpLiteral':
      return 'literal';
    case 'TemplateLiteral':
      return node.expressions.length === 0 ? 'literal' : 'template';
    case 'BinaryExpression':
      return node.operator === '+' ? 'concatenation' : 'other';
    case 'Identifier':
      return 'identifier';
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      return 'member';
    case 'CallExpression':
    case 'OptionalCallExpression':
    case 'NewExpression':
    case 'TaggedTemplateExpression':
      return 'call';
    case 'ObjectExpression':
      return 'object';
    case 'ArrayExpression':
      return 'array';
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ClassExpression':
      return 'function';
    default:
      return 'other';
  }
}

/** `a.b.c` as written, for names that do not resolve; at most a few segments. */
export function writtenName(start: Node, limit = 6): string {
  const parts: string[] = [];
  let node = unwrapExpression(start);
  while (parts.length < limit) {
    if (node.type === 'Identifier') {
      parts.unshift(node.name);
      return parts.join('.');
    }
    if (node.type === 'ThisExpression') {
      parts.unshift('this');
      return parts.join('.');
    }
    if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') {
      parts.unshift(readKeyName(node.property, node.computed) ?? '[]');
      node = unwrapExpression(node.object);
      continue;
    }
    if (node.type === 'CallExpression' || node.type === 'OptionalCallExpression' || node.type === 'NewExpression') {
      parts.unshift(`${writtenName(node.callee, 2)}()`);
      return parts.join('.');
    }
    parts.unshift('(…)');
    return parts.join('.');
  }
  return `….${parts.join('.')}`;
}

function methodName(callee: Node): string | null {
  const node = unwrapExpression(callee);
  if (node.type !== 'MemberExpression' && node.type !== 'OptionalMemberExpression') return null;
  return readKeyName(node.property, node.computed);
}

function receiverOf(callee: Node): Node | null {
  const node = unwrapExpression(callee);
  return node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression' ? unwrapExpression(node.object) : null;
}

function rawOf(node: Node, text: string): string {
  return node.start != null && node.end != null ? text.slice(node.start, node.end) : '';
}
