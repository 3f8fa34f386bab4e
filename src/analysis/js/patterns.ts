import type { Identifier, Node } from '@babel/types';

/** Every name a binding pattern introduces (`{ a, b: [c] }`, `...rest`, `x = 1`, a TS parameter property). */
export function namesInPattern(pattern: Node): Identifier[] {
  const names: Identifier[] = [];
  const pending: Node[] = [pattern];
  while (pending.length > 0) {
    const node = pending.pop()!;
    switch (node.type) {
      case 'Identifier':
        names.push(node);
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
        for (const property of node.properties) pending.push(property.type === 'RestElement' ? property.argument : property.value);
        break;
      case 'TSParameterProperty':
        pending.push(node.parameter);
        break;
      default:
        break;
    }
  }
  return names;
}
