import type { Node } from '@babel/types';
import type { ValidationKind } from '../types.js';
import { findPropertyValue, readKeyName, readMethodName, unwrapExpression } from './values.js';

/**
 * How the input of a JavaScript/TypeScript tool is validated (CQ-04), read from the registration as the
 * official TypeScript SDK interprets it:
 *
 * - `server.tool(name, [description], [paramsSchema], [annotations], handler)`: McpServer validates the
 *   arguments against a zod raw shape; without one the handler receives no arguments at all.
 * - `server.registerTool(name, { inputSchema }, handler)`: the same, `inputSchema` being the zod shape.
 * - A low-level `Server`'s CallTool handler receives raw arguments: it validates when it (or a same-file
 *   function it calls) runs a schema validator (zod `parse`/`safeParse`, ajv/joi/yup `validate`, io-ts
 *   `decode`, TypeBox `Value.Check`/`Decode`).
 */

/** Keys of a ToolAnnotations object: an object of only these is annotations, not a params schema. */
const ANNOTATION_KEYS: ReadonlySet<string> = new Set(['title', 'readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']);
/** zod types that accept anything: a field declared with one is not validated. */
const UNTYPED_ZOD: ReadonlySet<string> = new Set(['any', 'unknown']);

/** Methods that validate input against a schema. */
const VALIDATOR_METHODS: ReadonlySet<string> = new Set([
  'parse', 'safeParse', 'parseAsync', 'safeParseAsync', 'spa', 'validate', 'validateSync', 'validateAsync', 'assert',
  'Check', 'Decode', 'Parse', 'is', 'create', 'mask',
]);
/** Receivers whose `parse` / `validate` reads a format or a URL, not tool input. */
const NON_SCHEMA_RECEIVERS: ReadonlySet<string> = new Set([
  'json', 'json5', 'path', 'url', 'querystring', 'qs', 'date', 'yaml', 'toml', 'csv', 'semver', 'marked', 'cheerio',
  'html', 'xml', 'parser', 'shellquote', 'number', 'math', 'string', 'array', 'object', 'reflect', 'promise', 'buffer',
]);

export interface ValidationResult {
  validation: ValidationKind;
  detail: string;
}

/** Whether a call validates input against a schema (`Schema.parse(args)`, `ajv.validate(s, args)`, `validateArgs(args)`). */
export function isValidatorCall(node: Node, ioTs: boolean): boolean {
  if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression') return false;
  const callee = unwrapExpression(node.callee);
  if (callee.type === 'Identifier') return /^validate/i.test(callee.name) || /^assert[A-Z]/.test(callee.name);
  const method = readMethodName(node);
  if (!method) return false;
  if (method.name === 'decode') return ioTs;
  if (!VALIDATOR_METHODS.has(method.name)) return false;
  const receiver = unwrapExpression(method.object);
  const name = receiver.type === 'Identifier' ? receiver.name : receiver.type === 'MemberExpression' ? (readKeyName(receiver.property, receiver.computed) ?? '') : '';
  if (NON_SCHEMA_RECEIVERS.has(name.toLowerCase())) return false;
  // `is`, `create`, `mask` and TypeBox's capitalised methods are validators only on schema-looking receivers.
  if (method.name === 'is' || method.name === 'create' || method.name === 'mask') return /schema|type|codec|struct|validator/i.test(name);
  if (method.name === 'Check' || method.name === 'Decode' || method.name === 'Parse') return name === 'Value' || /compiled|checker|validator|schema/i.test(name);
  return true;
}

/**
 * The params schema among the middle arguments of `server.tool(name, ...middle, handler)`: the first object
 * that is not only annotation hints. `resolve` follows same-file names to their values.
 */
export function readToolSchema(middle: readonly Node[], resolve: (node: Node) => Node): ValidationResult {
  for (const argument of middle) {
    const value = resolve(argument);
    if (value.type === 'StringLiteral' || value.type === 'TemplateLiteral') continue;
    if (value.type === 'ObjectExpression') {
      if (isAnnotations(value)) continue;
      return readShape(value, 'zod shape');
    }
    // A schema imported from another module or built by a call (`z.object({...})`).
    return readSchemaExpression(value);
  }
  return { validation: 'no-input', detail: 'the tool declares no parameters, so the SDK passes it no arguments' };
}

/** `registerTool(name, config, handler)`: `config.inputSchema`. */
export function readRegisterToolSchema(config: Node, resolve: (node: Node) => Node): ValidationResult {
  if (config.type !== 'ObjectExpression') return { validation: 'unknown', detail: 'the tool config is not written in this file' };
  const schema = findPropertyValue(config, 'inputSchema');
  if (!schema) return { validation: 'no-input', detail: 'the tool declares no inputSchema, so the SDK passes it no arguments' };
  const value = resolve(schema);
  return value.type === 'ObjectExpression' ? readShape(value, 'zod shape') : readSchemaExpression(value);
}

function readSchemaExpression(value: Node): ValidationResult {
  if (value.type === 'CallExpression') {
    const method = readMethodName(value);
    const first = value.arguments[0];
    if (method?.name === 'object' && first && unwrapExpression(first).type === 'ObjectExpression') {
      return readShape(unwrapExpression(first) as Node & { type: 'ObjectExpression' }, 'zod object');
    }
  }
  return { validation: 'schema', detail: 'a schema defined elsewhere' };
}

function isAnnotations(object: Node): boolean {
  if (object.type !== 'ObjectExpression' || object.properties.length === 0) return false;
  return object.properties.every((property) => {
    if (property.type === 'SpreadElement') return false;
    const key = readKeyName(property.key, property.computed);
    return key !== null && ANNOTATION_KEYS.has(key);
  });
}

/** A zod raw shape `{ city: z.string(), extra: z.any() }`: fields declared `any`/`unknown` are untyped. */
function readShape(shape: Node, what: string): ValidationResult {
  if (shape.type !== 'ObjectExpression') return { validation: 'schema', detail: what };
  if (shape.properties.length === 0) return { validation: 'no-input', detail: 'an empty schema: the tool takes no arguments' };
  const untyped: string[] = [];
  for (const property of shape.properties) {
    if (property.type !== 'ObjectProperty') continue;
    if (isUntypedZod(property.value)) untyped.push(readKeyName(property.key, property.computed) ?? '?');
  }
  if (untyped.length === 0) return { validation: 'schema', detail: what };
  return { validation: 'partial', detail: `untyped (z.any/z.unknown): ${untyped.join(', ')}` };
}

/** `z.any()`, `z.unknown().optional()`, `z.record(z.any())`: the innermost call of the chain decides. */
function isUntypedZod(start: Node): boolean {
  let node = unwrapExpression(start);
  for (let steps = 0; steps < 64 && node.type === 'CallExpression'; steps++) {
    const callee = unwrapExpression(node.callee);
    if (callee.type !== 'MemberExpression') return false;
    const object = unwrapExpression(callee.object);
    if (object.type === 'CallExpression') {
      node = object;
      continue;
    }
    const name = readKeyName(callee.property, callee.computed) ?? '';
    if (UNTYPED_ZOD.has(name)) return true;
    if (name === 'record') return node.arguments.some((argument) => isUntypedZod(argument));
    return false;
  }
  return false;
}
