import type { Node } from '@babel/types';
import { readKeyName, readStaticString, unwrapExpression } from './values.js';

/** Constants decoded to show what they hide: at most this many codes or encoded characters. */
const MAX_CODES = 256;
const MAX_ENCODED = 4096;

/**
 * What a decoding of constants yields: `String.fromCharCode(112, 97, 116, 104)`, `atob("cGF0aA==")`,
 * `Buffer.from("70617468", "hex").toString()`; null for anything else. Lets `require(<decoded>)` resolve to
 * its module (for CD-02 and the callee names) and lets a finding say what was hidden. `canonicalOf` names a
 * callee as the file's bindings resolve it.
 */
export function decodeConstant(start: Node, canonicalOf: (callee: Node) => string | null): string | null {
  const node = unwrapExpression(start);
  if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression') return null;
  const args = node.arguments;
  const callee = canonicalOf(node.callee);
  if ((callee === 'String.fromCharCode' || callee === 'String.fromCodePoint') && args.length > 0 && args.length <= MAX_CODES) {
    const codes = args.map((arg) => (arg.type === 'NumericLiteral' && Number.isInteger(arg.value) && arg.value >= 0 && arg.value <= 0x10ffff ? arg.value : -1));
    return codes.includes(-1) ? null : String.fromCodePoint(...codes);
  }
  if (callee === 'atob' && args[0]) {
    const encoded = readStaticString(args[0]);
    return encoded === null || encoded.length > MAX_ENCODED ? null : Buffer.from(encoded, 'base64').toString('latin1');
  }
  const member = unwrapExpression(node.callee);
  // `["child", "process"].join("_")`, `"ssecorp_dlihc".split("").reverse().join("")`: names assembled to hide them.
  if ((member.type === 'MemberExpression' || member.type === 'OptionalMemberExpression') && readKeyName(member.property, member.computed) === 'join') {
    const separator = args.length === 0 ? ',' : readStaticString(args[0]);
    const pieces = separator === null ? null : joinedPieces(unwrapExpression(member.object));
    return pieces === null ? null : pieces.join(separator!);
  }
  // `Buffer.from(constant, "base64" | "hex").toString(...)`
  if ((member.type !== 'MemberExpression' && member.type !== 'OptionalMemberExpression') || readKeyName(member.property, member.computed) !== 'toString') return null;
  const inner = unwrapExpression(member.object);
  if (inner.type !== 'CallExpression' || canonicalOf(inner.callee) !== 'Buffer.from' || !inner.arguments[0] || !inner.arguments[1]) return null;
  const encoded = readStaticString(inner.arguments[0]);
  const encoding = readStaticString(inner.arguments[1]);
  if (encoded === null || encoded.length > MAX_ENCODED || (encoding !== 'base64' && encoding !== 'hex' && encoding !== 'base64url')) return null;
  return Buffer.from(encoded, encoding).toString('utf8');
}

/** The constant strings an array literal holds, or those a constant splits into and reverses; null otherwise. */
function joinedPieces(receiver: Node): string[] | null {
  if (receiver.type === 'ArrayExpression') {
    if (receiver.elements.length > MAX_CODES) return null;
    const pieces = receiver.elements.map((element) => (element && element.type !== 'SpreadElement' ? readStaticString(element) : null));
    return pieces.includes(null) ? null : (pieces as string[]);
  }
  // `s.split(sep).reverse()`
  if (receiver.type !== 'CallExpression' || receiver.arguments.length > 0) return null;
  const reverse = unwrapExpression(receiver.callee);
  if (reverse.type !== 'MemberExpression' || readKeyName(reverse.property, reverse.computed) !== 'reverse') return null;
  const split = unwrapExpression(reverse.object);
  if (split.type !== 'CallExpression' || !split.arguments[0]) return null;
  const splitCallee = unwrapExpression(split.callee);
  if (splitCallee.type !== 'MemberExpression' || readKeyName(splitCallee.property, splitCallee.computed) !== 'split') return null;
  const text = readStaticString(splitCallee.object);
  const separator = readStaticString(split.arguments[0]);
  if (text === null || separator === null || text.length > MAX_ENCODED) return null;
  return text.split(separator).reverse();
}
