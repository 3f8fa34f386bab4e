import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParseResult } from '../parse-result.js';
import * as TreeSitter from '../web-tree-sitter.cjs';

export type PythonTree = TreeSitter.Tree;
export type PythonNode = TreeSitter.Node;

/** Wall-clock budget for parsing one file; tree-sitter checks it as it goes and gives up cleanly. */
const PARSE_BUDGET_MS = 10_000;

export interface PythonParser {
  /** Parses Python source. On success the caller owns the tree and must `delete()` it (it lives in WASM memory). */
  parse(text: string): ParseResult<PythonTree>;
}

let loading: Promise<PythonParser> | undefined;

/** The process-wide Python parser, initialised on first use (WASM runtime and grammar, a few milliseconds). */
export function loadPythonParser(): Promise<PythonParser> {
  loading ??= createPythonParser();
  return loading;
}

async function createPythonParser(): Promise<PythonParser> {
  await initialiseTreeSitter();
  const grammar = findWasm('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm');
  const language = await TreeSitter.Language.load(grammar);
  const parser = new TreeSitter.Parser();
  parser.setLanguage(language);
  return { parse: (text) => parseWith(parser, text) };
}

/**
 * The CommonJS build reads `__dirname` while it starts, which an ESM bundle does not define; `locateFile`
 * makes its value irrelevant, so a temporary one is enough.
 */
async function initialiseTreeSitter(): Promise<void> {
  const global = globalThis as { __dirname?: string };
  const hadDirname = '__dirname' in global;
  if (!hadDirname) global.__dirname = dirname(fileURLToPath(import.meta.url));
  try {
    const runtime = findWasm('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm');
    await TreeSitter.Parser.init({ locateFile: () => runtime });
  } finally {
    if (!hadDirname) delete global.__dirname;
  }
}

/**
 * The build copies both .wasm files next to the bundled module (dist/) and the CLI lives one level down
 * (dist/cli/); from sources (tests) they are resolved in node_modules.
 */
function findWasm(name: string, packagePath: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, name), join(here, '..', name)]) {
    if (existsSync(candidate)) return candidate;
  }
  return createRequire(import.meta.url).resolve(packagePath);
}

function parseWith(parser: TreeSitter.Parser, text: string): ParseResult<PythonTree> {
  const deadline = performance.now() + PARSE_BUDGET_MS;
  // Returning true cancels the parse; the typings declare the callback as returning void.
  const progressCallback = (() => performance.now() > deadline) as () => void;
  const tree = parser.parse(text, null, { progressCallback });
  if (!tree) {
    const message = `parsing took longer than ${PARSE_BUDGET_MS} ms`;
    return { ok: false, failure: { kind: 'timeout', message, offset: null } };
  }
  const root = tree.rootNode;
  if (root.hasError && !root.namedChildren.some((child) => child && child.type !== 'ERROR' && child.type !== 'comment')) {
    const offset = root.namedChildren.find((child) => child?.type === 'ERROR')?.startIndex ?? null;
    tree.delete();
    return { ok: false, failure: { kind: 'unparsable', message: 'no Python statement could be parsed', offset } };
  }
  return { ok: true, tree };
}
