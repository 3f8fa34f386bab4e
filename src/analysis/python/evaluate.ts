import { createsSocket, decodingOf, fileAccessOf, networkAccessOf, returnsHomeDirectory } from '../apis.js';
import { dirnameOf, isEscapeHeavy, joinPaths, unionInto } from '../approx.js';
import { fileOrigins } from '../js/evaluate.js';
import type { Decoding, ValueFact, ValueKind, ValueOrigin } from '../types.js';
import type { AnalysisBudget } from '../extractor.js';
import type { PythonBindingTable } from './bindings.js';
import type { PythonNode } from './parser.js';
import { readPythonConstantString, readPythonString } from './strings.js';

const MAX_TRACE_NODES = 400;
const MAX_PATH_DEPTH = 24;
const MAX_PROPERTIES = 32;
const MAX_ELEMENTS = 16;
/** `chr(101) + chr(120) + chr(101)`: this many constant character codes make a hidden string. */
const MIN_CONSTANT_CHARS = 3;

/** Mapping methods that return one entry (`settings.get("region")`): their receiver is read for one key only. */
const MAPPING_ENTRY_READS: ReadonlySet<string> = new Set(['get', 'pop', 'setdefault', '__getitem__']);

/** Arguments of a Python call: positional, keyword, and whether `*args`/`**kwargs` hide some. */
export interface PythonArguments {
  positional: PythonNode[];
  keywords: Map<string, PythonNode>;
  spread: boolean;
}

export function readCallArguments(call: PythonNode): PythonArguments {
  const result: PythonArguments = { positional: [], keywords: new Map(), spread: false };
  const list = call.childForFieldName('arguments');
  if (!list) return result;
  if (list.type === 'generator_expression') {
    result.positional.push(list);
    return result;
  }
  for (const child of list.namedChildren) {
    if (!child || child.type === 'comment') continue;
    if (child.type === 'keyword_argument') {
      const name = child.childForFieldName('name');
      const value = child.childForFieldName('value');
      if (name && value) result.keywords.set(name.text, value);
    } else if (child.type === 'list_splat' || child.type === 'dictionary_splat') {
      result.spread = true;
    } else {
      result.positional.push(child);
    }
  }
  return result;
}

/**
 * Describes values at call sites of one Python file (shape, static value, path approximation, origins,
 * decodings), following same-file bindings within node budgets and depth caps.
 */
export class PythonEvaluator {
  constructor(
    private readonly bindings: PythonBindingTable,
    private readonly text: string,
    private readonly budget: AnalysisBudget,
  ) {}

  /** `trace`: also follow origins and decodings (see JsEvaluator.describe). */
  describe(start: PythonNode, scope: number, withProperties = true, trace = true): ValueFact {
    const node = unwrap(start);
    const fact: ValueFact = { kind: kindOf(node) };
    const value = this.staticValue(node, scope);
    if (value !== undefined) {
      fact.value = value;
      if (fact.kind === 'template' || fact.kind === 'concatenation') fact.kind = 'literal';
    }
    if (node.type === 'identifier' || node.type === 'attribute') {
      fact.name = this.bindings.canonicalOf(node, scope) ?? node.text.slice(0, 80);
    } else if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      fact.name = this.bindings.canonicalOf(callee, scope) ?? callee?.text.slice(0, 80) ?? '';
    }
    const path = this.pathOf(node, scope, 0);
    if (path !== null && /[^*]/.test(path)) fact.path = path;
    if (withProperties && node.type === 'dictionary') {
      const properties: Record<string, ValueFact> = Object.create(null) as Record<string, ValueFact>;
      let count = 0;
      for (const pair of node.namedChildren) {
        if (pair?.type !== 'pair' || ++count > MAX_PROPERTIES) continue;
        const key = readPythonString(pair.childForFieldName('key'), this.text);
        const item = pair.childForFieldName('value');
        if (key !== null && item) properties[key] = this.describe(item, scope, false, trace);
      }
      fact.properties = properties;
    }
    if (withProperties && (node.type === 'list' || node.type === 'tuple')) {
      fact.elements = node.namedChildren
        .filter((child): child is PythonNode => child !== null && child.type !== 'comment')
        .slice(0, MAX_ELEMENTS)
        .map((child) => this.describe(child, scope, false, trace));
    }
    if (trace) {
      const traced = this.trace(node, scope);
      if (traced.origins.size > 0) fact.origins = [...traced.origins].sort();
      if (traced.decoded.size > 0) fact.decoded = [...traced.decoded].sort();
    }
    if (node.type === 'string' && isEscapeHeavy(node.text)) fact.escaped = true;
    if (fact.value === undefined) {
      const alternatives = this.alternativesOf(node, scope);
      if (alternatives) fact.alternatives = alternatives;
    }
    return fact;
  }

  /** `"a" if c else "b"` (nested, or a name bound once to one): the constant strings it chooses from. */
  private alternativesOf(start: PythonNode, scope: number): string[] | null {
    let node = start;
    if (node.type === 'identifier') {
      const bound = this.bindings.singleValueOf(node.text, scope);
      if (!bound) return null;
      node = unwrap(bound.node);
    }
    if (node.type !== 'conditional_expression') return null;
    const out: string[] = [];
    const pending: PythonNode[] = [node];
    while (pending.length > 0 && out.length <= MAX_ELEMENTS) {
      const current = unwrap(pending.pop()!);
      if (current.type === 'conditional_expression') {
        // `a if cond else b`: the first and last expressions are the choices, the middle one the condition.
        const parts = current.namedChildren.filter((child): child is PythonNode => child !== null && child.type !== 'comment');
        if (parts.length !== 3) return null;
        pending.push(parts[2]!, parts[0]!);
        continue;
      }
      const value = readPythonConstantString(current, this.text);
      if (value === null) return null;
      out.push(value);
    }
    return pending.length === 0 ? out : null;
  }

  staticValue(start: PythonNode, scope: number): string | number | boolean | null | undefined {
    const node = unwrap(start);
    switch (node.type) {
      case 'integer': {
        const value = Number(node.text.replace(/_/g, ''));
        return Number.isFinite(value) ? value : undefined;
      }
      case 'float':
        return Number(node.text.replace(/_/g, ''));
      case 'true':
        return true;
      case 'false':
        return false;
      case 'none':
        return null;
      case 'identifier': {
        const bound = this.bindings.singleValueOf(node.text, scope);
        if (!bound) return undefined;
        const value = unwrap(bound.node);
        if (value.type === 'identifier') return undefined;
        return this.staticValue(value, bound.scope);
      }
      case 'string':
      case 'concatenated_string':
      case 'binary_operator':
      case 'subscript':
      case 'call':
        return readPythonConstantString(node, this.text) ?? undefined;
      default:
        return undefined;
    }
  }

  /**
   * Where a value's data may come from, and which decodings it went through. A value taken out of a mapping by
   * one key (`env["API_URL"]`, `settings.get("region")`) is one entry of it: where the mapping is the environment
   * or a copy of it, the data is one variable (`env`), not the whole environment (`env-all`). Only a literal
   * container's own items (`{"all": dict(os.environ)}["all"]`) are followed as whole values again.
   */
  trace(start: PythonNode, scope: number): { origins: Set<ValueOrigin>; decoded: Set<Decoding> } {
    const origins = new Set<ValueOrigin>();
    const decoded = new Set<Decoding>();
    const pending: { node: PythonNode; scope: number; oneEntry: boolean }[] = [{ node: start, scope, oneEntry: false }];
    const seen = new Set<number>();
    const seenAsEntry = new Set<number>();
    // `chr(0x4000)` is one character; a string assembled from several, or from computed codes, is hidden.
    let constantChars = 0;
    for (let visited = 0; pending.length > 0 && visited < MAX_TRACE_NODES && this.budget.spendValueNodes(1); visited++) {
      const { node, scope: at, oneEntry } = pending.pop()!;
      const done = oneEntry ? seenAsEntry : seen;
      if (done.has(node.id)) continue;
      done.add(node.id);
      const push = (child: PythonNode | null | undefined, childScope = at, entry = oneEntry) => {
        if (child) pending.push({ node: child, scope: childScope, oneEntry: entry });
      };
      const environment = () => origins.add(oneEntry ? 'env' : 'env-all');
      switch (node.type) {
        case 'identifier': {
          const canonical = this.bindings.canonicalOf(node, at);
          if (canonical === 'os.environ') environment();
          // `map(chr, codes)`: chr handed over as a function.
          else if (canonical === 'chr' && node.parent?.type === 'argument_list') decoded.add('charcode');
          for (const value of this.bindings.valuesOf(node.text, at)) push(value.node, value.scope);
          break;
        }
        case 'attribute': {
          const canonical = this.bindings.canonicalOf(node, at);
          if (canonical === 'os.environ') environment();
          else push(node.childForFieldName('object'));
          break;
        }
        case 'subscript': {
          const value = node.childForFieldName('value');
          // A slice (`data[:60]`) keeps what it cuts from; only a key or index picks one entry.
          const sliced = node.childrenForFieldName('subscript').some((child) => child?.type === 'slice');
          if (sliced) push(value);
          else if (this.bindings.canonicalOf(value, at) === 'os.environ') origins.add('env');
          else push(value, at, true);
          break;
        }
        case 'call': {
          if (this.bindings.canonicalOf(node.childForFieldName('function'), at) === 'chr') {
            const code = readCallArguments(node).positional[0];
            if (code?.type !== 'integer' || ++constantChars >= MIN_CONSTANT_CHARS) decoded.add('charcode');
          }
          this.traceCall(node, at, origins, decoded, oneEntry);
          const args = readCallArguments(node);
          for (const arg of args.positional) push(arg);
          for (const value of args.keywords.values()) push(value);
          const callee = node.childForFieldName('function');
          // A method of os.environ (`os.environ.get("X")`, `.copy()`) has its origin decided by traceCall: tracing
          // its receiver would read `os.environ` itself, i.e. the whole environment, into a single-variable read.
          if (callee?.type === 'attribute' && !this.bindings.canonicalOf(callee, at)?.startsWith('os.environ.')) {
            const method = callee.childForFieldName('attribute')?.text ?? '';
            push(callee.childForFieldName('object'), at, oneEntry || MAPPING_ENTRY_READS.has(method));
          }
          break;
        }
        case 'dictionary':
          for (const child of node.namedChildren) {
            if (child?.type === 'pair') push(child.childForFieldName('value'), at, false);
            else push(child);
          }
          break;
        case 'list':
        case 'tuple':
        case 'set':
          for (const child of node.namedChildren) push(child, at, child?.type === 'list_splat' && oneEntry);
          break;
        case 'string':
          for (const child of node.namedChildren) if (child?.type === 'interpolation') push(child.childForFieldName('expression'));
          break;
        case 'lambda':
        case 'comment':
          break;
        default:
          for (const child of node.namedChildren) push(child);
          break;
      }
    }
    return { origins, decoded };
  }

  private traceCall(node: PythonNode, scope: number, origins: Set<ValueOrigin>, decoded: Set<Decoding>, oneEntry: boolean): void {
    const callee = this.bindings.canonicalOf(node.childForFieldName('function'), scope);
    if (!callee) return;
    const args = readCallArguments(node);
    const encodingNode = args.positional[1] ?? args.keywords.get('encoding');
    const encoding = encodingNode ? readPythonString(encodingNode, this.text) : null;
    const decoding = decodingOf('python', callee, encoding);
    if (decoding) decoded.add(decoding);
    // `.decode("hex")` / `.decode("base64")`: Python 2 codecs, still seen in obfuscated droppers.
    if (callee.endsWith('.decode') && args.positional[0]) {
      const codec = readPythonString(args.positional[0], this.text)?.toLowerCase();
      if (codec === 'hex' || codec === 'base64' || codec === 'rot13' || codec === 'rot_13') decoded.add(codec.startsWith('rot') ? 'rot13' : (codec as Decoding));
    }
    if (callee === 'os.getenv' || callee === 'os.environ.get') origins.add('env');
    if (callee === 'os.environ.copy' || callee === 'os.environ.items' || callee === 'os.environ.values') origins.add(oneEntry ? 'env' : 'env-all');
    if (returnsHomeDirectory('python', callee)) {
      const first = args.positional[0];
      if (callee !== 'os.path.expanduser' || (first && (readPythonString(first, this.text) ?? '').startsWith('~'))) origins.add('home');
    }
    if (createsSocket(callee)) origins.add('socket');
    if (networkAccessOf('python', callee) === 'outbound') origins.add('network');
    if (fileAccessOf('python', callee, undefined) === 'read' || callee === 'open' || callee === 'io.open') {
      const mode = args.positional[1] ?? args.keywords.get('mode');
      const modeText = mode ? readPythonString(mode, this.text) : null;
      if (!modeText || !/[wax]/.test(modeText)) {
        const target = args.positional[0] ?? args.keywords.get('file');
        const receiver = node.childForFieldName('function')?.childForFieldName('object');
        const path = target ? this.pathOf(target, scope, 0) : receiver ? this.pathOf(receiver, scope, 0) : null;
        unionInto(origins, fileOrigins(path));
      }
    }
  }

  /** The path a Python expression spells, approximately (see JsEvaluator.pathOf for the markers). */
  pathOf(start: PythonNode, scope: number, depth: number): string | null {
    if (depth > MAX_PATH_DEPTH) return null;
    const node = unwrap(start);
    const next = (child: PythonNode | null | undefined) => (child ? (this.pathOf(child, scope, depth + 1) ?? '*') : '*');
    switch (node.type) {
      case 'string': {
        const value = readPythonString(node, this.text);
        if (value !== null) return value;
        let out = '';
        for (const child of node.children) {
          if (!child) continue;
          if (child.type === 'string_content') out += child.text;
          else if (child.type === 'interpolation') out += next(child.childForFieldName('expression'));
        }
        return out;
      }
      case 'concatenated_string':
        return readPythonString(node, this.text);
      case 'identifier': {
        if (node.text === '__file__' && !this.bindings.resolve('__file__', scope)) return '{here}/*';
        const bound = this.bindings.singleValueOf(node.text, scope);
        return bound ? this.pathOf(bound.node, bound.scope, depth + 1) : null;
      }
      case 'attribute': {
        const attribute = node.childForFieldName('attribute')?.text;
        if (attribute === 'parent') return dirnameOf(next(node.childForFieldName('object')));
        return null;
      }
      case 'subscript': {
        const value = node.childForFieldName('value');
        const key = readPythonString(node.childForFieldName('subscript'), this.text);
        if (this.bindings.canonicalOf(value, scope) === 'os.environ' && (key === 'HOME' || key === 'USERPROFILE')) return '~';
        return null;
      }
      case 'binary_operator': {
        const operator = node.childForFieldName('operator')?.text;
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (operator === '/') return joinPaths([next(left), next(right)], true);
        if (operator === '+') return next(left) + next(right);
        return null;
      }
      case 'call':
        return this.pathOfCall(node, scope, depth);
      default:
        return null;
    }
  }

  private pathOfCall(node: PythonNode, scope: number, depth: number): string | null {
    const calleeNode = node.childForFieldName('function');
    const callee = this.bindings.canonicalOf(calleeNode, scope);
    const args = readCallArguments(node);
    const next = (child: PythonNode | undefined) => (child ? (this.pathOf(child, scope, depth + 1) ?? '*') : '*');
    switch (callee) {
      case 'pathlib.Path.home':
        return '~';
      case 'pathlib.Path.cwd':
      case 'os.getcwd':
        return '{cwd}';
      case 'tempfile.gettempdir':
        return '{tmp}';
      case 'os.path.join':
        return args.positional.length > 0 ? joinPaths(args.positional.map(next), true) : null;
      case 'os.path.dirname':
        return args.positional[0] ? dirnameOf(next(args.positional[0])) : null;
      case 'os.path.abspath':
      case 'os.path.realpath':
      case 'os.path.normpath':
      case 'os.path.expanduser':
      case 'os.fspath':
      case 'str':
        return args.positional[0] ? this.pathOf(args.positional[0], scope, depth + 1) : null;
      case 'pathlib.Path':
      case 'pathlib.PurePath':
      case 'pathlib.PosixPath':
        return args.positional.length > 0 ? joinPaths(args.positional.map(next), true) : '.';
      case 'os.getenv':
      case 'os.environ.get': {
        const name = args.positional[0] ? readPythonString(args.positional[0], this.text) : null;
        return name === 'HOME' || name === 'USERPROFILE' ? '~' : null;
      }
      default:
        break;
    }
    if (calleeNode?.type === 'attribute') {
      const method = calleeNode.childForFieldName('attribute')?.text;
      const receiver = calleeNode.childForFieldName('object');
      if (method === 'resolve' || method === 'absolute' || method === 'expanduser') return receiver ? this.pathOf(receiver, scope, depth + 1) : null;
      if (method === 'joinpath' && receiver) return joinPaths([next(receiver), ...args.positional.map(next)], true);
    }
    return null;
  }
}

function unwrap(node: PythonNode): PythonNode {
  let current = node;
  for (let depth = 0; depth < 64 && current.type === 'parenthesized_expression'; depth++) {
    const inner = current.namedChildren.find((child) => child?.type !== 'comment');
    if (!inner) break;
    current = inner;
  }
  return current;
}

export function kindOf(node: PythonNode): ValueKind {
  switch (node.type) {
    case 'string':
      return node.namedChildren.some((child) => child?.type === 'interpolation') ? 'template' : 'literal';
    case 'concatenated_string':
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
      return 'literal';
    case 'binary_operator': {
      const operator = node.childForFieldName('operator')?.text;
      return operator === '+' || operator === '%' ? 'concatenation' : 'other';
    }
    case 'identifier':
      return 'identifier';
    case 'attribute':
      return 'member';
    case 'call':
      return 'call';
    case 'dictionary':
      return 'object';
    case 'list':
    case 'tuple':
    case 'set':
      return 'array';
    case 'lambda':
      return 'function';
    default:
      return 'other';
  }
}
