import { IntakeError } from './types.js';

const MAX_SHOWN_CHARS = 160;

/**
 * Quotes an entry name for a one-line message. Names come from hostile archives, so control characters,
 * line and paragraph separators and bidi overrides are escaped (they could forge log lines or reorder the
 * text a reviewer reads), and very long names are cut.
 */
export function quoteName(name: string): string {
  const shown = name.length > MAX_SHOWN_CHARS ? `${name.slice(0, MAX_SHOWN_CHARS)}…(${name.length} chars)` : name;
  return JSON.stringify(shown).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The error for one offending entry: `bundle rejected: entry "<name>" <reason>`. */
export function rejectEntry(name: string, reason: string): IntakeError {
  return new IntakeError(`bundle rejected: entry ${quoteName(name)} ${reason}`, name);
}

/** The error for the archive as a whole (no single entry to blame). */
export function rejectBundle(reason: string): IntakeError {
  return new IntakeError(`bundle rejected: ${reason}`);
}

/** The first line of a library error's message, for wrapping it with our own context. */
export function describeCause(error: unknown): string {
  // Not `instanceof Error`: errors from another realm (a vm context, a worker) fail that test.
  const message = (error as { message?: unknown } | null)?.message;
  const text = typeof message === 'string' ? message : String(error);
  const line = text.split('\n', 1)[0]!.trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line || 'unknown error';
}

/** "1.0 GiB (1073741824 bytes)": readable and exact. */
export function formatBytes(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  if (bytes < 1024) return `${bytes} bytes`;
  let value = bytes;
  let unit = 'bytes';
  for (const next of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${value.toFixed(1)} ${unit} (${bytes} bytes)`;
}
