import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import type { Bundle } from '../bundle/types.js';
import { isLevel, type Level } from '../spec/levels.js';
import { LineIndex } from '../text/line-index.js';

export const MANIFEST_FILE = 'manifest.json';

/** Real manifests are a few kilobytes; anything this large or this deep is hostile. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_NESTING = 256;

export type JsonPath = readonly (string | number)[];

/** manifest.json, parsed once per scan, with the line of every value for findings. */
export interface Manifest {
  text: string;
  data: Record<string, unknown>;
  /** 1-based line where the value at `path` starts; the nearest present ancestor's line when it is absent. */
  lineOf(path: JsonPath): number;
  /** Keys that appear twice in one object: parsers disagree on which value wins. */
  duplicateKeys: { path: JsonPath; line: number }[];
  /** `_meta["org.mpaktrust"]` as written, if present. */
  extension: unknown;
  /** The level `_meta["org.mpaktrust"].level` declares, when it is a valid level. */
  declaredLevel: Level | null;
  /**
   * The execution config: `server.mcp_config`, or a top-level `mcp_config` as the spec's own examples write it
   * (DESIGN.md section 4, AI-01), with the JSON path it was found at.
   */
  mcpConfig: { value: unknown; path: JsonPath } | null;
}

export type ManifestProblem = 'missing' | 'too-large' | 'not-utf8' | 'invalid-json' | 'not-object';

export type ManifestState =
  | { ok: true; manifest: Manifest }
  | { ok: false; problem: ManifestProblem; message: string; line: number | null };

export function readManifest(bundle: Bundle): ManifestState {
  const file = bundle.files.get(MANIFEST_FILE);
  if (!file) {
    return fail('missing', 'The bundle has no manifest.json at its root.');
  }
  if (file.data.length > MAX_MANIFEST_BYTES) {
    return fail('too-large', `manifest.json is ${file.data.length} bytes; more than ${MAX_MANIFEST_BYTES} is not a manifest.`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(file.data);
  } catch {
    return fail('not-utf8', 'manifest.json is not valid UTF-8 (RFC 8259 requires UTF-8 JSON).');
  }
  const depth = nestingDepth(text);
  if (depth > MAX_NESTING) {
    return fail('invalid-json', `manifest.json nests ${depth} levels deep; at most ${MAX_NESTING} are accepted.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    return fail('invalid-json', `manifest.json is not valid JSON: ${message}`, lineOfJsonError(text, message));
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    const kind = Array.isArray(data) ? 'an array' : data === null ? 'null' : `a ${typeof data}`;
    return fail('not-object', `manifest.json must hold a JSON object, not ${kind}.`, 1);
  }
  return { ok: true, manifest: buildManifest(text, data as Record<string, unknown>) };
}

function fail(problem: ManifestProblem, message: string, line: number | null = null): ManifestState {
  return { ok: false, problem, message, line };
}

function buildManifest(text: string, data: Record<string, unknown>): Manifest {
  const lines = new LineIndex(text);
  const root = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
  const lineOf = (path: JsonPath): number => {
    if (!root) return 1;
    for (let n = path.length; n >= 0; n--) {
      const node = findNodeAtLocation(root, path.slice(0, n) as (string | number)[]);
      if (node) return lines.lineAt(node.offset);
    }
    return 1;
  };
  const meta = data._meta;
  const extension =
    typeof meta === 'object' && meta !== null && !Array.isArray(meta)
      ? (meta as Record<string, unknown>)['org.mpaktrust']
      : undefined;
  const declared = isObject(extension) ? extension.level : undefined;
  return {
    text,
    data,
    lineOf,
    duplicateKeys: root ? findDuplicateKeys(root, [], lines) : [],
    extension,
    declaredLevel: isLevel(declared) ? declared : null,
    mcpConfig: locateMcpConfig(data),
  };
}

function locateMcpConfig(data: Record<string, unknown>): Manifest['mcpConfig'] {
  const server = data.server;
  if (isObject(server) && server.mcp_config !== undefined) {
    return { value: server.mcp_config, path: ['server', 'mcp_config'] };
  }
  if (data.mcp_config !== undefined) {
    return { value: data.mcp_config, path: ['mcp_config'] };
  }
  return null;
}

function findDuplicateKeys(node: JsonNode, path: JsonPath, lines: LineIndex): Manifest['duplicateKeys'] {
  const found: Manifest['duplicateKeys'] = [];
  // An explicit stack keeps this safe on any depth the nesting check let through.
  const stack: { node: JsonNode; path: JsonPath }[] = [{ node, path }];
  while (stack.length > 0) {
    const { node: current, path: at } = stack.pop()!;
    if (current.type === 'object') {
      const seen = new Set<string>();
      for (const property of current.children ?? []) {
        const [key, value] = property.children ?? [];
        if (!key || typeof key.value !== 'string') continue;
        if (seen.has(key.value)) found.push({ path: [...at, key.value], line: lines.lineAt(key.offset) });
        seen.add(key.value);
        if (value) stack.push({ node: value, path: [...at, key.value] });
      }
    } else if (current.type === 'array') {
      (current.children ?? []).forEach((child, i) => stack.push({ node: child, path: [...at, i] }));
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** Deepest bracket nesting outside strings: a bounded linear scan run before any recursive parser sees the text. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** V8 reports "... at position N" (Node 20) or "(line L column C)" (Node 22+). */
function lineOfJsonError(text: string, message: string): number | null {
  const lineCol = /line (\d+) column \d+/.exec(message);
  if (lineCol) return Number(lineCol[1]);
  const position = /at position (\d+)/.exec(message);
  if (position) return new LineIndex(text).lineAt(Number(position[1]));
  return null;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
