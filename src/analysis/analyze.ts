import type { Bundle } from '../bundle/types.js';
import type { Logger } from '../logger.js';
import type { FactSink } from './extractor.js';
import { analyzeSourceFile, type PythonParserState } from './file-pass.js';
import { loadPythonParser } from './python/parser.js';
import { createFileClassifier } from './scope.js';
import type { AnalysisProblem, Facts, SourceFile } from './types.js';

/**
 * The analysis pass: classifies every file (language, role), parses each `server` source file once and
 * extracts the facts controls share. Never throws for a file's sake: a file that cannot be analysed becomes
 * an AnalysisProblem. Bundle code is parsed, never executed.
 */
export async function analyze(bundle: Bundle, logger: Logger): Promise<Facts> {
  const started = performance.now();
  const files = listSourceFiles(bundle);
  const toParse = files.filter((file) => file.role === 'server');
  const python = toParse.some((file) => file.language === 'python') ? await loadPython(logger) : null;

  const sink: FactSink = { tools: [] };
  const problems: AnalysisProblem[] = [];
  for (const source of toParse) {
    const problem = analyzeSourceFile(bundle.files.get(source.path)!, source, python, sink);
    if (problem) {
      problems.push(problem);
      logger.debug(`analysis: ${problem.file}: ${problem.kind}: ${problem.message}`);
    }
  }

  const order = new Map(files.map((file, index) => [file.path, index]));
  const byPosition = (a: { file: string; line: number | null }, b: { file: string; line: number | null }) =>
    order.get(a.file)! - order.get(b.file)! || (a.line ?? 0) - (b.line ?? 0);
  const elapsed = Math.round(performance.now() - started);
  logger.debug(
    `analysis: ${toParse.length} of ${files.length} source files parsed in ${elapsed} ms, ` +
      `${sink.tools.length} tool registrations`,
  );
  return { files, tools: sink.tools.sort(byPosition), problems: problems.sort(byPosition) };
}

/** The bundle's source files in its own order, which intake guarantees is path (byte) order. */
function listSourceFiles(bundle: Bundle): SourceFile[] {
  const classify = createFileClassifier(bundle.files.keys());
  const files: SourceFile[] = [];
  for (const file of bundle.files.values()) {
    const { role, language } = classify(file.path, file.data);
    if (language) files.push({ path: file.path, language, role });
  }
  return files;
}

async function loadPython(logger: Logger): Promise<PythonParserState> {
  try {
    return { ok: true, parser: await loadPythonParser() };
  } catch (error) {
    // Node's module-not-found message goes on with a require stack: its first line says it all.
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
    logger.warn(`the Python parser could not be loaded, Python files are not analysed: ${message}`);
    return { ok: false, message };
  }
}
