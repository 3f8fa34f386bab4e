import type { BundleFile } from '../bundle/types.js';
import { LineIndex } from '../text/line-index.js';
import { deriveCapabilities } from './capabilities.js';
import { AnalysisBudget, createFactSink, mergeFactSink, type FactSink, type FileInput } from './extractor.js';
import { createJsCodeExtractor } from './js/code.js';
import { parseJavaScript } from './js/parse.js';
import { createJsToolExtractor } from './js/tools.js';
import { walkJavaScript, type JsExtractorFactory } from './js/walk.js';
import type { ParseFailure } from './parse-result.js';
import type { PythonParser } from './python/parser.js';
import { createPythonCodeExtractor } from './python/code.js';
import { createPythonToolExtractor } from './python/tools.js';
import { walkPython, type PythonExtractorFactory } from './python/walk.js';
import type { AnalysisProblem, SourceFile } from './types.js';

/** Files above this size are not parsed (minified bundles and generated data, not hand-written server code). */
export const MAX_PARSE_BYTES = 2 * 1024 * 1024;

/**
 * Every fact extractor, per language and role: each file is parsed once and walked once for all of them.
 * Dependency and test files only feed the malware detectors, which read code facts, not tool registrations.
 */
const JS_EXTRACTORS: Record<'server' | 'other', readonly JsExtractorFactory[]> = {
  server: [createJsToolExtractor, createJsCodeExtractor],
  other: [createJsCodeExtractor],
};
const PYTHON_EXTRACTORS: Record<'server' | 'other', readonly PythonExtractorFactory[]> = {
  server: [createPythonToolExtractor, createPythonCodeExtractor],
  other: [createPythonCodeExtractor],
};

/** The Python parser, or why there is none (it is loaded only for bundles with Python server code). */
export type PythonParserState = { ok: true; parser: PythonParser } | { ok: false; message: string } | null;

const decoder = new TextDecoder('utf-8');

/**
 * Parses one source file and runs every extractor over it, adding to `sink` only when the whole file
 * succeeded. Returns the problem when the file could not be analysed; never throws.
 */
export function analyzeSourceFile(
  file: BundleFile,
  source: SourceFile,
  python: PythonParserState,
  sink: FactSink,
): AnalysisProblem | null {
  let pythonParser: PythonParser | null = null;
  if (source.language === 'python') {
    if (!python?.ok) {
      return problem(source, null, 'analysis-error', `the Python parser is unavailable: ${python?.message ?? 'not loaded'}`);
    }
    pythonParser = python.parser;
  }
  if (file.data.length > MAX_PARSE_BYTES) {
    return problem(source, null, 'too-large', `${file.data.length} bytes, over the ${MAX_PARSE_BYTES}-byte parse limit`);
  }
  // Invalid UTF-8 becomes U+FFFD: the parser sees the rest of the file as it is.
  const text = decoder.decode(file.data);
  const input: FileInput = { source, text, lines: new LineIndex(text), budget: new AnalysisBudget() };
  const found = createFactSink();
  let failure: ParseFailure | null;
  try {
    failure = pythonParser ? extractPython(input, pythonParser, found) : extractJavaScript(input, found);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return problem(source, null, 'analysis-error', `analysis failed: ${message}`);
  }
  if (failure) {
    const line = failure.offset === null ? null : input.lines.lineAt(failure.offset);
    return problem(source, line, failure.kind, failure.message);
  }
  for (const call of found.calls) for (const use of deriveCapabilities(call)) found.capabilities.push(use);
  mergeFactSink(sink, found);
  // The facts found are kept; the file is still reported, as not fully analysed.
  return input.budget.exhausted ? problem(source, null, 'truncated', input.budget.exhausted) : null;
}

function extractJavaScript(input: FileInput, sink: FactSink): ParseFailure | null {
  const parsed = parseJavaScript(input.text, input.source.path, input.source.language === 'typescript');
  if (!parsed.ok) return parsed.failure;
  const extractors = JS_EXTRACTORS[input.source.role === 'server' ? 'server' : 'other'].map((create) => create(input));
  walkJavaScript(parsed.tree, extractors);
  for (const extractor of extractors) extractor.finish(sink);
  return null;
}

function extractPython(input: FileInput, parser: PythonParser, sink: FactSink): ParseFailure | null {
  const parsed = parser.parse(input.text);
  if (!parsed.ok) return parsed.failure;
  try {
    const extractors = PYTHON_EXTRACTORS[input.source.role === 'server' ? 'server' : 'other'].map((create) => create(input));
    walkPython(parsed.tree, extractors);
    for (const extractor of extractors) extractor.finish(sink);
  } finally {
    parsed.tree.delete();
  }
  return null;
}

function problem(source: SourceFile, line: number | null, kind: AnalysisProblem['kind'], message: string): AnalysisProblem {
  return { file: source.path, line, kind, message };
}
