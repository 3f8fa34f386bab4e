/** Why a parser produced no usable tree, located by a character offset into the text when it knows one. */
export interface ParseFailure {
  kind: 'unparsable' | 'timeout';
  message: string;
  offset: number | null;
}

export type ParseResult<Tree> = { ok: true; tree: Tree } | { ok: false; failure: ParseFailure };
