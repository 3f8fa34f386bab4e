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
 * a tree as deep as Babel can build (a 100,000-link member chain) does not grow the call stack.
 */
export function walkJavaScript(root: Node, extractors: readonly JsExtractor[]): void {
  const enter = groupHandlers(extractors, 'enter');
  const leave = groupHandlers(extractors, 'leave');
  const ancestors: Node[] = [];
  const childLists: Node[][] = [];
  const nextChild: number[] = [];

  const open = (node: Node) => {
    for (const handler of enter.get(node.type) ?? []) handler(node, ancestors);
    ancestors.push(node);
    childLists.push(childrenOf(node));
    nextChild.push(0);
  };

  open(root);
  while (ancestors.length > 0) {
    const top = ancestors.length - 1;
    const children = childLists[top]!;
    const index = nextChild[top]!;
    if (index < children.length) {
      nextChild[top] = index + 1;
      open(children[index]!);
      continue;
    }
    const node = ancestors.pop()!;
    childLists.pop();
    nextChild.pop();
    for (const handler of leave.get(node.type) ?? []) handler(node, ancestors);
  }
}

function childrenOf(node: Node): Node[] {
  const children: Node[] = [];
  const record = node as unknown as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (NON_CHILD_KEYS.has(key)) continue;
    const value = record[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) children.push(item);
    } else if (isNode(value)) {
      children.push(value);
    }
  }
  return children;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
