import { parse, type ParserOptions, type ParserPlugin } from '@babel/parser';
// Type-only: @babel/types is @babel/parser's own dependency and the source of its typings.
import type { File } from '@babel/types';
import type { ParseResult } from '../parse-result.js';

const BASE_OPTIONS: ParserOptions = {
  sourceType: 'unambiguous',
  // Keep a tree through recoverable errors (a duplicate declaration, a stray token Babel can skip).
  errorRecovery: true,
  // Comments stay in `File.comments`; attaching them to nodes is work no extractor needs.
  attachComment: false,
  // CommonJS and scripts that run under a wrapper or a transpiler are valid in their setting.
  allowReturnOutsideFunction: true,
  allowAwaitOutsideFunction: true,
  allowImportExportEverywhere: true,
  allowNewTargetOutsideFunction: true,
  allowSuperOutsideMethod: true,
  allowUndeclaredExports: true,
};

/**
 * Parses JavaScript or TypeScript with Babel. Babel is recursive: input nested deeper than the stack allows
 * (tens of thousands of brackets) throws a RangeError, reported as unparsable like a syntax error.
 */
export function parseJavaScript(text: string, path: string, typescript: boolean): ParseResult<File> {
  const plugins: ParserPlugin[] = typescript ? ['typescript', 'decorators-legacy'] : ['jsx', 'decorators-legacy'];
  if (typescript && path.toLowerCase().endsWith('.tsx')) plugins.push('jsx');
  try {
    return { ok: true, tree: parse(text, { ...BASE_OPTIONS, plugins }) };
  } catch (error) {
    if (error instanceof RangeError) {
      return { ok: false, failure: { kind: 'unparsable', message: 'nested too deeply to parse', offset: null } };
    }
    const pos = (error as { pos?: unknown }).pos;
    return {
      ok: false,
      failure: { kind: 'unparsable', message: describeError(error), offset: typeof pos === 'number' ? pos : null },
    };
  }
}

function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Babel appends "(line:column)"; the problem carries the line itself.
  return message.replace(/\s*\(\d+:\d+\)$/, '');
}
