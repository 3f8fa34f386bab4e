import { describe, expect, it } from '@jest/globals';
import type { Node } from '@babel/types';
import { parseJavaScript } from '../../src/analysis/js/parse.js';
import { walkJavaScript, type JsExtractor } from '../../src/analysis/js/walk.js';
import { loadPythonParser, type PythonNode } from '../../src/analysis/python/parser.js';
import { walkPython, type PythonExtractor } from '../../src/analysis/python/walk.js';

const noFinish = () => {};

describe('one walk per file for every extractor', () => {
  it('calls JavaScript handlers of all extractors in source order, with ancestors, enter before leave', () => {
    const parsed = parseJavaScript('function f() { g(h()); }\nk();\n', 'a.js', false);
    if (!parsed.ok) throw new Error(parsed.failure.message);
    const events: string[] = [];
    const calleeName = (node: Node) => (node.type === 'CallExpression' && node.callee.type === 'Identifier' ? node.callee.name : '?');
    const first: JsExtractor = {
      enter: { CallExpression: (node, ancestors) => events.push(`1 enter ${calleeName(node)} in ${ancestors.map((a) => a.type).join('>')}`) },
      leave: { FunctionDeclaration: () => events.push('1 leave function') },
      finish: noFinish,
    };
    const second: JsExtractor = {
      enter: { CallExpression: (node) => events.push(`2 enter ${calleeName(node)}`) },
      finish: noFinish,
    };
    walkJavaScript(parsed.tree, [first, second]);
    expect(events).toEqual([
      '1 enter g in File>Program>FunctionDeclaration>BlockStatement>ExpressionStatement',
      '2 enter g',
      '1 enter h in File>Program>FunctionDeclaration>BlockStatement>ExpressionStatement>CallExpression',
      '2 enter h',
      '1 leave function',
      '1 enter k in File>Program>ExpressionStatement',
      '2 enter k',
    ]);
  });

  it('visits the same Python nodes in the same order whether or not an extractor needs leave events', async () => {
    const parser = await loadPythonParser();
    const parsed = parser.parse('def f():\n    g(h(1))\n\nclass C:\n    def m(self):\n        return k()\n');
    if (!parsed.ok) throw new Error(parsed.failure.message);
    try {
      const visit = (events: string[]) => (node: PythonNode) => events.push(`${node.type}@${node.startPosition.row}:${node.startPosition.column}`);
      const queried: string[] = [];
      const enterOnly: PythonExtractor = { enter: { call: visit(queried), function_definition: visit(queried) }, finish: noFinish };
      walkPython(parsed.tree, [enterOnly]);

      const walked: string[] = [];
      const left: string[] = [];
      const withLeave: PythonExtractor = {
        enter: { call: visit(walked), function_definition: visit(walked) },
        leave: { function_definition: visit(left) },
        finish: noFinish,
      };
      walkPython(parsed.tree, [withLeave]);

      expect(queried).toEqual(['function_definition@0:0', 'call@1:4', 'call@1:6', 'function_definition@4:4', 'call@5:15']);
      expect(walked).toEqual(queried);
      expect(left).toEqual(['function_definition@0:0', 'function_definition@4:4']);
    } finally {
      parsed.tree.delete();
    }
  });
});
