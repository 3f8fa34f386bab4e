import { groupHandlers, type Extractor, type ExtractorFactory } from '../extractor.js';
import type { PythonNode, PythonTree } from './parser.js';

/** Called with a node; `node.parent` and field accessors reach the rest of the tree (valid until `finish`). */
export type PythonHandler = (node: PythonNode) => void;
export type PythonExtractor = Extractor<PythonHandler>;
export type PythonExtractorFactory = ExtractorFactory<PythonHandler>;

/**
 * Walks a tree-sitter tree once, depth first in source order, calling every extractor's handlers. Only
 * nodes of a type some extractor handles become JavaScript objects. Without leave handlers the walk is one
 * query run inside the WASM module (three times faster than stepping a cursor from JavaScript); with them,
 * a cursor walk. Both are iterative: depth is no risk.
 */
export function walkPython(tree: PythonTree, extractors: readonly PythonExtractor[]): void {
  const enter = groupHandlers(extractors, 'enter');
  const leave = groupHandlers(extractors, 'leave');
  if (leave.size === 0) {
    if (enter.size === 0) return;
    for (const node of tree.rootNode.descendantsOfType([...enter.keys()])) {
      if (node) for (const handler of enter.get(node.type) ?? []) handler(node);
    }
    return;
  }
  walkWithCursor(tree, enter, leave);
}

function walkWithCursor(tree: PythonTree, enter: Map<string, PythonHandler[]>, leave: Map<string, PythonHandler[]>): void {
  const typeNames: string[] = [];
  const cursor = tree.walk();
  // Nodes entered and awaiting their leave handlers, by depth; null where the type has none.
  const open: (PythonNode | null)[] = [];

  const typeAtCursor = () => (typeNames[cursor.nodeTypeId] ??= cursor.nodeType);
  const enterCurrent = () => {
    const type = typeAtCursor();
    const enterHandlers = enter.get(type);
    const leaveHandlers = leave.get(type);
    const node = enterHandlers || leaveHandlers ? cursor.currentNode : null;
    if (node) for (const handler of enterHandlers ?? []) handler(node);
    open.push(leaveHandlers ? node : null);
  };
  const leaveCurrent = () => {
    const node = open.pop();
    if (node) for (const handler of leave.get(node.type) ?? []) handler(node);
  };

  try {
    enterCurrent();
    for (;;) {
      if (cursor.gotoFirstChild()) {
        enterCurrent();
        continue;
      }
      leaveCurrent();
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return;
        leaveCurrent();
      }
      enterCurrent();
    }
  } finally {
    cursor.delete();
  }
}
