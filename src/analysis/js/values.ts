import type { Node, ObjectExpression } from '@babel/types';

/** Most pieces a `"a" + "b" + ...` concatenation may have before it is treated as computed. */
const MAX_CONCAT_PARTS = 10_000;

/** Strips what does not change a value: TypeScript assertions (`as`, `satisfies`, `!`, `<T>x`) and parentheses. */
export function unwrapExpression(node: Node): Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSNonNullExpression':
      case 'TSTypeAssertion':
      case 'ParenthesizedExpression':
        current = current.expression;
        break;
      default:
        return current;
    }
  }
}

/**
 * The value of a string written in the code: a string literal, a template literal without substitutions,
 * or a `+` concatenation of those. null for anything computed at run time.
 */
export function readStaticString(node: Node | null | undefined): string | null {
  if (!node) return null;
  let value = '';
  const pending: Node[] = [node];
  let parts = 0;
  while (pending.length > 0) {
    if (++parts > MAX_CONCAT_PARTS) return null;
    const current = unwrapExpression(pending.pop()!);
    if (current.type === 'StringLiteral') {
      value += current.value;
    } else if (current.type === 'TemplateLiteral' && current.expressions.length === 0) {
      const cooked = current.quasis[0]?.value.cooked;
      if (cooked == null) return null;
      value += cooked;
    } else if (current.type === 'BinaryExpression' && current.operator === '+') {
      pending.push(current.right, current.left);
    } else {
      return null;
    }
  }
  return value;
}

/** The name of a member or key written statically: `a.name`, `a["name"]`, `{ name: ... }`, `{ "name": ... }`. */
export function readKeyName(key: Node, computed: boolean): string | null {
  if (!computed && key.type === 'Identifier') return key.name;
  if (key.type === 'StringLiteral') return key.value;
  return computed ? readStaticString(key) : null;
}

/** The method name of a call such as `server.tool(...)`, `server?.tool(...)` or `server["tool"](...)`. */
export function readMethodName(call: Node): { name: string; property: Node; object: Node } | null {
  if (call.type !== 'CallExpression' && call.type !== 'OptionalCallExpression') return null;
  const callee = unwrapExpression(call.callee);
  if (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') return null;
  const name = readKeyName(callee.property, callee.computed);
  return name === null ? null : { name, property: callee.property, object: callee.object };
}

/**
 * The value of the last property called `name` in an object literal (later keys win, as at run time); for
 * a method (`async list() {...}`) the method itself. null when absent or an accessor.
 */
export function findPropertyValue(object: ObjectExpression, name: string): Node | null {
  for (let i = object.properties.length - 1; i >= 0; i--) {
    const property = object.properties[i]!;
    if (property.type === 'SpreadElement' || readKeyName(property.key, property.computed) !== name) continue;
    if (property.type === 'ObjectProperty') return property.value;
    return property.kind === 'method' ? property : null;
  }
  return null;
}
