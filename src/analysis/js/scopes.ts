import type { Node } from '@babel/types';
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
    const pending: Node[] = [pattern];
    while (pending.length > 0) {
      const node = pending.pop()!;
      switch (node.type) {
        case 'Identifier':
          this.declare(node.name, scope, null);
          break;
        case 'AssignmentPattern':
          pending.push(node.left);
          break;
        case 'RestElement':
          pending.push(node.argument);
          break;
        case 'ArrayPattern':
          for (const element of node.elements) if (element) pending.push(element);
          break;
        case 'ObjectPattern':
          for (const property of node.properties) {
            pending.push(property.type === 'RestElement' ? property.argument : property.value);
          }
          break;
        case 'TSParameterProperty':
          pending.push(node.parameter);
          break;
        default:
          break;
      }
    }
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
