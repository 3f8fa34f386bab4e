import type { Node } from '@babel/types';
import { groupHandlers, type Extractor, type ExtractorFactory } from '../extractor.js';

/**
 * Called with a node and its ancestors (root first, parent last). The ancestors array is the walker's own
 * and changes as the walk goes on: copy what must outlive the call.
 */
export type JsHandler = (node: Node, ancestors: readonly Node[]) => void;
export type JsExtractor = Extractor<JsHandler>;
export type JsExtractorFactory = ExtractorFactory<JsHandler>;

/** Keys of a Babel node that hold positions, metadata or comments rather than child nodes. */
const NON_CHILD_KEYS: ReadonlySet<string> = new Set([
  'type',
  'start',
  'end',
  'loc',
  'range',
  'extra',
  'comments',
  'leadingComments',
  'trailingComments',
  'innerComments',
  'tokens',
  'errors',
]);

/**
 * Walks a Babel tree once, depth first in source order, calling every extractor's handlers. Iterative:
 * a tree as deep as Babel can build (a 100,000-link member chain) does not grow the call stack. One stack
 * holds both nodes to enter and nodes to leave (flagged), so no per-node child list is allocated.
 */
export function walkJavaScript(root: Node, extractors: readonly JsExtractor[]): void {
  const enter = groupHandlers(extractors, 'enter');
  const leave = groupHandlers(extractors, 'leave');
  const ancestors: Node[] = [];
  const stack: Node[] = [root];
  const leaving: boolean[] = [false];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (leaving.pop()) {
      ancestors.pop();
      for (const handler of leave.get(node.type) ?? []) handler(node, ancestors);
      continue;
    }
    for (const handler of enter.get(node.type) ?? []) handler(node, ancestors);
    ancestors.push(node);
    stack.push(node);
    leaving.push(true);
    pushChildrenReversed(node, stack, leaving);
  }
}

/** Pushes a node's children last-first, so that they pop in source order. */
function pushChildrenReversed(node: Node, stack: Node[], leaving: boolean[]): void {
  const record = node as unknown as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let k = keys.length - 1; k >= 0; k--) {
    const key = keys[k]!;
    if (NON_CHILD_KEYS.has(key)) continue;
    const value = record[key];
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        if (isNode(value[i])) {
          stack.push(value[i]);
          leaving.push(false);
        }
      }
    } else if (isNode(value)) {
      stack.push(value);
      leaving.push(false);
    }
  }
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
