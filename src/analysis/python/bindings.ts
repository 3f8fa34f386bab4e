import { normalizePythonModule } from '../apis.js';
import type { PythonNode } from './parser.js';
import { readPythonConstantString } from './strings.js';

/**
 * What a Python name is bound to in one scope (module level is scope 0, each function its own number).
 * `module`: `import x` / `import x.y as z`. `member`: `from x import y as z`. `value`: an assignment,
 * `with ... as`, a walrus. `element`: a `for` target taking the elements of the iterated value (`for k, v in
 * os.environ.items()`): it carries that value's data but is no alias of it. `local`: a parameter, a `def` or
 * `class`, an unpacking target.
 */
export type PythonBinding =
  | { kind: 'module'; module: string }
  | { kind: 'member'; module: string; path: string }
  | { kind: 'value'; node: PythonNode; scope: number }
  | { kind: 'element'; node: PythonNode; scope: number }
  | { kind: 'local' };

const MAX_DEPTH = 48;

/** Path-returning methods and properties of pathlib: `Path.home() / ".ssh"` is still a `pathlib.Path()`. */
const PATH_RETURNING = new Set([
  'home()', 'cwd()', 'resolve()', 'absolute()', 'expanduser()', 'joinpath()', 'with_name()', 'with_suffix()',
  'with_stem()', 'parent', 'parents', 'relative_to()',
]);

/** Declarations of one Python file by name and function scope, and canonical names resolved through them. */
export class PythonBindingTable {
  private readonly parents = new Map<number, number | null>([[0, null]]);
  private readonly bindings = new Map<string, Map<number, { scope: number; bindings: PythonBinding[] }>>();
  /** Modules of `from m import *`, for names that are bound nowhere else. */
  readonly starModules: string[] = [];

  constructor(
    private readonly text: string,
    /** Whether `module.name` is an API the tables know, to resolve a name a star import brought in. */
    private readonly isKnownApi: (name: string) => boolean,
  ) {}

  addScope(scope: number, parent: number): void {
    this.parents.set(scope, parent);
  }

  declare(name: string, scope: number, binding: PythonBinding): void {
    let byScope = this.bindings.get(name);
    if (!byScope) this.bindings.set(name, (byScope = new Map()));
    const existing = byScope.get(scope);
    if (existing) existing.bindings.push(binding);
    else byScope.set(scope, { scope, bindings: [binding] });
  }

  resolve(name: string, scope: number): { scope: number; bindings: PythonBinding[] } | undefined {
    const byScope = this.bindings.get(name);
    if (!byScope) return undefined;
    for (let current: number | null | undefined = scope; current !== null && current !== undefined; current = this.parents.get(current)) {
      const entry = byScope.get(current);
      if (entry) return entry;
    }
    return undefined;
  }

  /**
   * The canonical dotted name of an expression: `subprocess.run` for `sp.run` after `import subprocess as
   * sp`, `os.system` for `s` after `from os import system as s`, `X()` for the result of calling X, builtins
   * by their name. null for the program's own values.
   */
  canonicalOf(node: PythonNode | null | undefined, scope: number, depth = 0): string | null {
    if (!node || depth > MAX_DEPTH) return null;
    switch (node.type) {
      case 'identifier':
        return this.canonicalOfName(node.text, scope, depth);
      case 'attribute': {
        const object = this.canonicalOf(node.childForFieldName('object'), scope, depth + 1);
        const attribute = node.childForFieldName('attribute')?.text;
        return object === null || !attribute ? null : memberName(object, attribute);
      }
      case 'call': {
        const callee = this.canonicalOf(node.childForFieldName('function'), scope, depth + 1);
        const args = node.childForFieldName('arguments');
        const positional = args?.type === 'argument_list' ? args.namedChildren.filter((child) => child && child.type !== 'keyword_argument' && child.type !== 'comment') : [];
        if ((callee === '__import__' || callee === 'importlib.import_module') && positional[0]) {
          const module = readPythonConstantString(positional[0], this.text);
          if (module !== null) return normalizePythonModule(module);
        }
        if (callee === 'getattr' && positional.length >= 2) {
          const attribute = readPythonConstantString(positional[1], this.text);
          const object = attribute === null ? null : this.canonicalOf(positional[0], scope, depth + 1);
          if (object !== null && attribute !== null) return memberName(object, attribute);
        }
        return callee === null ? null : normalizePathlib(`${callee}()`);
      }
      case 'subscript': {
        // `__builtins__.__dict__["ex" + "ec"]`: a builtin looked up by name in the builtins' namespace.
        const value = node.childForFieldName('value');
        if (value?.type !== 'attribute' || value.childForFieldName('attribute')?.text !== '__dict__') return null;
        const owner = this.canonicalOf(value.childForFieldName('object'), scope, depth + 1);
        return owner !== null && BUILTIN_MODULES.has(owner) ? readPythonConstantString(node.childForFieldName('subscript'), this.text) : null;
      }
      case 'binary_operator': {
        if (node.childForFieldName('operator')?.text !== '/') return null;
        const left = this.canonicalOf(node.childForFieldName('left'), scope, depth + 1);
        return left?.startsWith('pathlib.') ? 'pathlib.Path()' : null;
      }
      case 'parenthesized_expression':
      case 'await':
        return this.canonicalOf(node.namedChildren.find((child) => child?.type !== 'comment'), scope, depth + 1);
      default:
        return null;
    }
  }

  private canonicalOfName(name: string, scope: number, depth: number): string | null {
    const entry = this.resolve(name, scope);
    if (!entry) {
      for (const module of this.starModules) {
        if (this.isKnownApi(`${module}.${name}`)) return `${module}.${name}`;
      }
      return name;
    }
    const binding = entry.bindings.find((candidate) => candidate.kind !== 'local') ?? entry.bindings[0]!;
    switch (binding.kind) {
      case 'module':
        return binding.module;
      case 'member':
        return normalizePathlib(`${binding.module}.${binding.path}`);
      case 'local':
      case 'element':
        return null;
      case 'value': {
        const value = binding.node;
        const aliasable = ['identifier', 'attribute', 'call', 'await', 'parenthesized_expression', 'binary_operator'];
        return aliasable.includes(value.type) ? this.canonicalOf(value, binding.scope, depth + 1) : null;
      }
    }
  }

  /** Values a name may hold, for origins: its assignments, and for a loop variable the value it iterates over. */
  valuesOf(name: string, scope: number): { node: PythonNode; scope: number }[] {
    const entry = this.resolve(name, scope);
    const values: { node: PythonNode; scope: number }[] = [];
    for (const binding of entry?.bindings ?? []) {
      if (binding.kind === 'value' || binding.kind === 'element') values.push({ node: binding.node, scope: binding.scope });
    }
    return values;
  }

  singleValueOf(name: string, scope: number): { node: PythonNode; scope: number } | null {
    const entry = this.resolve(name, scope);
    if (!entry || entry.bindings.length !== 1) return null;
    const binding = entry.bindings[0]!;
    return binding.kind === 'value' ? { node: binding.node, scope: binding.scope } : null;
  }
}

/** Modules whose attributes are the builtins: `builtins.eval` is `eval`. */
const BUILTIN_MODULES: ReadonlySet<string> = new Set(['builtins', '__builtins__', '__builtin__']);

/** The canonical name of `object.attribute`. */
function memberName(object: string, attribute: string): string {
  return BUILTIN_MODULES.has(object) ? attribute : normalizePathlib(`${object}.${attribute}`);
}

const PATH_CLASSES = new Set(['Path', 'PurePath', 'PosixPath', 'WindowsPath', 'PurePosixPath', 'PureWindowsPath']);

/**
 * Names pathlib instances under one spelling: `pathlib.Path.home().parent.read_text` and
 * `pathlib.Path(p).resolve().read_text` are both `pathlib.Path().read_text`; `pathlib.Path.home` (the
 * function itself) stays as it is.
 */
function normalizePathlib(name: string): string {
  if (!name.startsWith('pathlib.')) return name;
  const tokens = name.split('.').slice(1);
  const first = tokens[0]!;
  let i: number;
  if (first.endsWith('()') && PATH_CLASSES.has(first.slice(0, -2))) i = 1;
  else if (PATH_CLASSES.has(first) && (tokens[1] === 'home()' || tokens[1] === 'cwd()')) i = 2;
  else return name;
  while (i < tokens.length && PATH_RETURNING.has(tokens[i]!)) i++;
  const rest = tokens.slice(i).join('.');
  return rest ? `pathlib.Path().${rest}` : 'pathlib.Path()';
}
