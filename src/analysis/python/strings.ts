import type { PythonNode } from './parser.js';

/** Most nested parentheses around a string before it is treated as computed. */
const MAX_PARENTHESES = 64;

const SIMPLE_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['\\', '\\'],
  ["'", "'"],
  ['"', '"'],
  ['a', '\x07'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
  ['v', '\v'],
]);

/**
 * The value of a `str` written in the code: a string literal (any quotes, `r`/`u` prefixes, an f-string
 * without substitutions), adjacent literals (`"a" "b"`), parenthesised. null for bytes, f-strings with
 * substitutions, t-strings and anything computed.
 */
export function readPythonString(node: PythonNode | null | undefined, text: string): string | null {
  let current = node;
  for (let depth = 0; current?.type === 'parenthesized_expression'; depth++) {
    if (depth >= MAX_PARENTHESES) return null;
    current = current.namedChildren.length === 1 ? current.namedChildren[0] : null;
  }
  if (!current) return null;
  if (current.type === 'string') return readStringLiteral(current, text);
  if (current.type !== 'concatenated_string') return null;
  let value = '';
  for (const part of current.namedChildren) {
    if (part?.type !== 'string') continue;
    const piece = readStringLiteral(part, text);
    if (piece === null) return null;
    value += piece;
  }
  return value;
}

/** Pieces a constant string expression may have before it is treated as computed. */
const MAX_CONSTANT_PIECES = 1000;

/**
 * The value of a `str` the code builds from constants only: what `readPythonString` reads, and `+` of such
 * strings (`"o" + "s"`), `"sep".join([...])` of them, and one reversed with `[::-1]`. Names that are written
 * this way (`__import__("o" + "s")`, `getattr(m, "sys" + "tem")`) name a module or function all the same.
 * null for anything computed; at most MAX_CONSTANT_PIECES nodes are read.
 */
export function readPythonConstantString(node: PythonNode | null | undefined, text: string): string | null {
  let budget = MAX_CONSTANT_PIECES;
  const read = (current: PythonNode | null | undefined): string | null => {
    if (!current || --budget < 0) return null;
    const literal = readPythonString(current, text);
    if (literal !== null) return literal;
    switch (current.type) {
      case 'parenthesized_expression':
        return current.namedChildCount === 1 ? read(current.namedChildren[0]) : null;
      case 'binary_operator': {
        if (current.childForFieldName('operator')?.text !== '+') return null;
        // Left-nested chains (`"a" + "b" + "c"`) go down the left side: walked in a loop, not recursion.
        const rights: PythonNode[] = [];
        let left: PythonNode | null = current;
        while (left?.type === 'binary_operator' && left.childForFieldName('operator')?.text === '+' && --budget >= 0) {
          rights.push(left.childForFieldName('right')!);
          left = left.childForFieldName('left');
        }
        let value = left?.type === 'binary_operator' ? null : read(left);
        for (let i = rights.length - 1; value !== null && i >= 0; i--) {
          const piece = read(rights[i]);
          value = piece === null ? null : value + piece;
        }
        return value;
      }
      case 'subscript': {
        const slice = current.childForFieldName('subscript');
        if (slice?.type !== 'slice' || slice.text.replace(/\s+/g, '') !== '::-1') return null;
        const value = read(current.childForFieldName('value'));
        return value === null ? null : [...value].reverse().join('');
      }
      case 'call': {
        const callee = current.childForFieldName('function');
        const args = current.childForFieldName('arguments');
        if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'join' || args?.namedChildCount !== 1) return null;
        const separator = readPythonString(callee.childForFieldName('object'), text);
        const list = args.namedChildren[0];
        if (separator === null || (list?.type !== 'list' && list?.type !== 'tuple')) return null;
        const pieces: string[] = [];
        for (const element of list.namedChildren) {
          if (element?.type === 'comment') continue;
          const piece = read(element);
          if (piece === null) return null;
          pieces.push(piece);
        }
        return pieces.join(separator);
      }
      default:
        return null;
    }
  };
  return read(node);
}

function readStringLiteral(node: PythonNode, text: string): string | null {
  const children = node.children;
  const start = children[0];
  const end = children[children.length - 1];
  if (start?.type !== 'string_start' || end?.type !== 'string_end' || start === end) return null;
  if (children.some((child) => child?.type === 'interpolation')) return null;
  const prefix = start.text.replace(/['"]+$/, '').toLowerCase();
  if (prefix.includes('b') || prefix.includes('t')) return null;
  let raw = text.slice(start.endIndex, end.startIndex).replace(/\r\n?/g, '\n');
  if (prefix.includes('f')) raw = raw.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  return prefix.includes('r') ? raw : decodeEscapes(raw);
}

/** Python's escape sequences in a non-raw `str` literal; unknown escapes and `\N{...}` stay as written. */
function decodeEscapes(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '\\' || i + 1 >= raw.length) {
      out += c;
      continue;
    }
    const next = raw[i + 1]!;
    if (next === '\n') {
      i++;
    } else if (SIMPLE_ESCAPES.has(next)) {
      out += SIMPLE_ESCAPES.get(next);
      i++;
    } else if (next >= '0' && next <= '7') {
      let digits = next;
      while (digits.length < 3 && isOctalDigit(raw[i + 1 + digits.length])) digits += raw[i + 1 + digits.length];
      out += String.fromCodePoint(parseInt(digits, 8));
      i += digits.length;
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = raw.slice(i + 2, i + 2 + length);
      const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === length ? parseInt(hex, 16) : NaN;
      if (Number.isNaN(code) || code > 0x10ffff) {
        out += c;
        continue;
      }
      out += String.fromCodePoint(code);
      i += 1 + length;
    } else {
      out += c;
    }
  }
  return out;
}

function isOctalDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '7';
}

/**
 * A docstring as `inspect.cleandoc` would give it: tabs expanded, the first line's leading blanks and the
 * common indentation of the others removed, blank lines at either end dropped.
 */
function cleanDocstring(doc: string): string {
  const lines = doc.split('\n').map(expandTabs);
  let margin = Infinity;
  for (const line of lines.slice(1)) {
    const content = line.trimStart();
    if (content) margin = Math.min(margin, line.length - content.length);
  }
  const indent = margin === Infinity ? 0 : margin;
  const cleaned = lines.map((line, index) => (index === 0 ? line.trimStart() : line.slice(indent)));
  while (cleaned.length > 0 && !cleaned[0]!.trim()) cleaned.shift();
  while (cleaned.length > 0 && !cleaned[cleaned.length - 1]!.trim()) cleaned.pop();
  return cleaned.join('\n');
}

function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const c of line) out += c === '\t' ? ' '.repeat(8 - (out.length % 8)) : c;
  return out;
}

/**
 * The docstring of a function (or class) definition: its first statement when that is a plain string
 * literal (an f-string is never a docstring), cleaned as `inspect.cleandoc` does. null when there is none.
 */
export function readDocstring(definition: PythonNode, text: string): string | null {
  const body = definition.childForFieldName('body');
  const first = body?.namedChildren.find((child) => child?.type !== 'comment');
  if (first?.type !== 'expression_statement' || first.namedChildCount !== 1) return null;
  const literal = first.namedChildren[0];
  if (!literal || literal.descendantsOfType('string_start').some((start) => /f/i.test(start?.text ?? ''))) return null;
  const value = readPythonString(literal, text);
  return value === null ? null : cleanDocstring(value);
}
