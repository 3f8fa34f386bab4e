import type { Bundle } from '../bundle/types.js';
import type { Logger } from '../logger.js';
import { createFactSink } from './extractor.js';
import type { EntryPoints } from './entry-points.js';
import { analyzeSourceFile, type PythonParserState } from './file-pass.js';
import { needsMalwareParse } from './prefilter.js';
import { loadPythonParser } from './python/parser.js';
import { ImportResolver, shellScriptReferences } from './resolve.js';
import { createFileClassifier, detectLanguage } from './scope.js';
import type { AnalysisProblem, Facts, SourceFile } from './types.js';

const NO_ENTRY_POINTS: EntryPoints = { files: [], pythonRoots: ['', 'src'] };

/**
 * The analysis pass: classifies every file (language, role) and parses each source file at most once:
 *
 * 1. from the entry points, following imports and path references: every source file reached is server
 *    code, whatever its path (a `tests/` or `vendor/` path does not hide what the server runs); Python
 *    imports of packages that resolve into dependency directories are not followed;
 * 2. the remaining `server` files (the bundle's own code, reached or not);
 * 3. dependency and test files the malware prefilter selects (prefilter.ts).
 *
 * Never throws for a file's sake: a file that cannot be analysed becomes an AnalysisProblem and still gets
 * the text-level scans. Bundle code is parsed, never executed.
 */
export async function analyze(bundle: Bundle, logger: Logger, entryPoints: EntryPoints = NO_ENTRY_POINTS): Promise<Facts> {
  const started = performance.now();
  const classify = createFileClassifier(bundle.files.keys());
  const files: SourceFile[] = [];
  const byPath = new Map<string, SourceFile>();
  for (const file of bundle.files.values()) {
    const { role, language } = classify(file.path, file.data);
    if (!language) continue;
    const source: SourceFile = { path: file.path, language, role, reachable: false, parsed: false };
    files.push(source);
    byPath.set(file.path, source);
  }

  const sink = createFactSink();
  const problems: AnalysisProblem[] = [];
  let python: PythonParserState = null;
  const parse = async (source: SourceFile) => {
    if (source.parsed) return;
    source.parsed = true;
    if (source.language === 'python') python ??= await loadPython(logger);
    const before = sink.imports.length;
    const problem = analyzeSourceFile(bundle.files.get(source.path)!, source, python, sink);
    if (problem) {
      problems.push(problem);
      logger.debug(`analysis: ${problem.file}: ${problem.kind}: ${problem.message}`);
    }
    return sink.imports.slice(before);
  };

  // 1. What the entry points reach.
  const resolver = new ImportResolver(new Set(bundle.files.keys()), entryPoints.pythonRoots);
  const reachable = new Set<string>();
  const pending = [...entryPoints.files];
  for (const entry of pending) reachable.add(entry);
  for (let next = 0; next < pending.length; next++) {
    const path = pending[next]!;
    const source = byPath.get(path);
    let targets: { path: string; explicit: boolean }[] = [];
    if (source) {
      source.reachable = true;
      source.role = 'server';
      const found = (await parse(source)) ?? [];
      for (const item of found) {
        const resolution = resolver.resolve(item);
        item.resolved = resolution.files;
        for (const target of resolution.files) targets.push({ path: target, explicit: resolution.explicit });
      }
    } else if (isShellScript(path, bundle.files.get(path)?.data)) {
      const text = bundle.files.get(path)!.data.toString('utf8');
      targets = shellScriptReferences(path, text, resolver.files).map((target) => ({ path: target, explicit: true }));
    }
    for (const { path: target, explicit } of targets) {
      if (reachable.has(target)) continue;
      reachable.add(target);
      const role = byPath.get(target)?.role ?? classify(target).role;
      // `import requests` finding site-packages/requests is a dependency: SC-03/SC-04 govern it.
      if (role === 'dependency' && !explicit) continue;
      pending.push(target);
    }
  }

  // 2. The bundle's own code. 3. Dependencies and tests with a malware trigger.
  let prefiltered = 0;
  for (const source of files) {
    if (source.parsed) continue;
    if (source.role === 'server') {
      for (const item of (await parse(source)) ?? []) item.resolved = resolver.resolve(item).files;
    } else if (needsMalwareParse(source.path, bundle.files.get(source.path)!.data, source.language)) {
      prefiltered++;
      for (const item of (await parse(source)) ?? []) item.resolved = resolver.resolve(item).files;
    }
  }

  const order = new Map([...bundle.files.keys()].map((path, index) => [path, index]));
  const byPosition = (a: { file: string; line: number | null }, b: { file: string; line: number | null }) =>
    order.get(a.file)! - order.get(b.file)! || (a.line ?? 0) - (b.line ?? 0);
  const parsed = files.filter((file) => file.parsed).length;
  logger.debug(
    `analysis: ${parsed} of ${files.length} source files parsed (${prefiltered} dependency/test files past the prefilter) ` +
      `in ${Math.round(performance.now() - started)} ms, ${sink.tools.length} tool registrations, ${sink.calls.length} calls`,
  );
  return {
    files,
    tools: sink.tools.sort(byPosition),
    handlers: sink.handlers.sort(byPosition),
    imports: sink.imports.sort(byPosition),
    calls: sink.calls.sort(byPosition),
    strings: sink.strings.sort(byPosition),
    capabilities: sink.capabilities.sort(byPosition),
    htmlWrites: sink.htmlWrites.sort(byPosition),
    suppressions: sink.suppressions.sort(byPosition),
    entryPoints: entryPoints.files.filter((path) => bundle.files.has(path)),
    reachable: [...reachable].filter((path) => bundle.files.has(path)).sort((a, b) => order.get(a)! - order.get(b)!),
    problems: problems.sort(byPosition),
  };
}

function isShellScript(path: string, data: Buffer | undefined): boolean {
  if (!data || detectLanguage(path, data) !== null) return false;
  if (/\.(?:sh|bash|zsh|ksh)$/i.test(path)) return true;
  if (data[0] !== 0x23 || data[1] !== 0x21) return false;
  const line = data.subarray(0, 128).toString('latin1').split('\n')[0]!;
  return /\b(?:sh|bash|zsh|dash|ksh)\b/.test(line);
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
