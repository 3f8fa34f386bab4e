import type { Node } from '@babel/types';
import { namesInPattern } from './patterns.js';
import { readKeyName } from './values.js';

/** Functions, which with the Program are the scopes the ScopeTable knows. */
export function isFunctionNode(node: Node): boolean {
  switch (node.type) {
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ObjectMethod':
    case 'ClassMethod':
    case 'ClassPrivateMethod':
      return true;
    default:
      return false;
  }
}

/**
 * Declarations of one file by name and scope, enough to follow `const TOOLS = [...]` to its initialiser
 * without mistaking a parameter or an inner variable of the same name for it. Block scopes are folded into
 * their function: a `const` in an `if` block is found from the whole function.
 */
export class ScopeTable {
  private readonly parents = new Map<Node, Node | null>();
  private readonly bindings = new Map<string, { scope: Node; value: Node | null }[]>();

  addScope(scope: Node, parent: Node | null): void {
    this.parents.set(scope, parent);
  }

  /** Records a name; `value` is what it is initialised with, or null when that is unknown (a parameter). */
  declare(name: string, scope: Node, value: Node | null): void {
    const list = this.bindings.get(name);
    if (list) list.push({ scope, value });
    else this.bindings.set(name, [{ scope, value }]);
  }

  /** Declares every name a binding pattern introduces (`{ a, b: [c] }`, `...rest`, `x = 1`), values unknown. */
  declarePattern(pattern: Node, scope: Node): void {
    for (const name of namesInPattern(pattern)) this.declare(name.name, scope, null);
  }

  /**
   * What `name`, used in `scope`, is bound to: the innermost declaration (the last one when a scope declares
   * it twice) with its initialiser, null when that is unknown (a parameter, an import); undefined when
   * the file does not declare it.
   */
  resolve(name: string, scope: Node): { value: Node | null; scope: Node } | undefined {
    const list = this.bindings.get(name);
    if (!list) return undefined;
    for (let current: Node | null | undefined = scope; current; current = this.parents.get(current)) {
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i]!.scope === current) return { value: list[i]!.value, scope: current };
      }
    }
    return undefined;
  }
}

/** The name an import specifier brings in under its original name (`import { A as B }` gives A). */
export function readImportedName(specifier: Node): string | null {
  if (specifier.type !== 'ImportSpecifier') return null;
  return readKeyName(specifier.imported, false);
}
