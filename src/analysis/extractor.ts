import type { LineIndex } from '../text/line-index.js';
import type { Facts, SourceFile } from './types.js';

/**
 * The lists extractors append to, one per file (merged into the scan's when the file succeeds); `analyze`
 * sorts them into `Facts`, whose lists these are. A new kind of fact adds a list to `Facts` and here, and an
 * extractor factory to the language's list in `file-pass.ts`.
 */
export type FactSink = Pick<Facts, 'tools' | 'handlers' | 'imports' | 'calls' | 'strings' | 'capabilities' | 'htmlWrites' | 'suppressions'>;

export function createFactSink(): FactSink {
  return { tools: [], handlers: [], imports: [], calls: [], strings: [], capabilities: [], htmlWrites: [], suppressions: [] };
}

/** Appends every list of `from` to `to`. */
export function mergeFactSink(to: FactSink, from: FactSink): void {
  for (const key of Object.keys(from) as (keyof FactSink)[]) {
    const target = to[key] as unknown[];
    for (const item of from[key]) target.push(item);
  }
}

/** One source file as extractors see it: decoded text and line numbers for its offsets. */
export interface FileInput {
  source: SourceFile;
  text: string;
  lines: LineIndex;
  budget: AnalysisBudget;
}

/**
 * What one file's analysis may spend beyond its single walk: nodes visited while describing values, and
 * call sites recorded. A file that runs out keeps the facts found so far and is reported as `truncated`
 * (CQ-03 and CQ-02 say so), so a hostile file cannot make the pass slow, nor hide the rest of itself
 * silently.
 */
export class AnalysisBudget {
  exhausted: string | null = null;

  constructor(
    private valueNodes = 2_000_000,
    private calls = 50_000,
  ) {}

  /** Spends `n` value nodes; false once the file's allowance is gone. */
  spendValueNodes(n: number): boolean {
    this.valueNodes -= n;
    if (this.valueNodes >= 0) return true;
    this.exhausted ??= 'values were no longer followed: the file holds more code than one analysis may spend on it';
    return false;
  }

  /** Takes one call site; false once the file's allowance is gone. */
  takeCall(): boolean {
    if (--this.calls >= 0) return true;
    this.exhausted ??= 'call sites past the first 50,000 were not recorded';
    return false;
  }
}

/**
 * Collects one kind of fact from one file during that file's single walk. The walker calls `enter[type]`
 * and `leave[type]` for each node of that type, in source order, for every extractor of the language at
 * once; `finish` runs after the walk (and before the tree is freed) to resolve what needs the whole file,
 * such as references to declarations further down.
 */
export interface Extractor<Handler> {
  enter?: Readonly<Record<string, Handler>>;
  leave?: Readonly<Record<string, Handler>>;
  finish(sink: FactSink): void;
}

export type ExtractorFactory<Handler> = (file: FileInput) => Extractor<Handler>;

/** Merges the extractors' handlers into one list per node type, so the walker dispatches with one lookup. */
export function groupHandlers<Handler>(
  extractors: readonly Extractor<Handler>[],
  phase: 'enter' | 'leave',
): Map<string, Handler[]> {
  const byType = new Map<string, Handler[]>();
  for (const extractor of extractors) {
    for (const [type, handler] of Object.entries(extractor[phase] ?? {})) {
      const list = byType.get(type);
      if (list) list.push(handler);
      else byType.set(type, [handler]);
    }
  }
  return byType;
}
