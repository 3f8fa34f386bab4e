import type { BundleFile } from '../bundle/types.js';
import { LineIndex } from './line-index.js';

/** A bundle file decoded once for every text-level scan (secrets, malware patterns, descriptions). */
export interface FileText {
  path: string;
  /** UTF-8 decoding, invalid bytes replaced by U+FFFD; for binary files the printable runs are what matters. */
  text: string;
  /** False when the bytes are not valid UTF-8 or contain NUL: scanned as bytes, never parsed as code. */
  utf8: boolean;
  /** Line starts, indexed on first use: most files scanned never need a line number. */
  readonly lines: LineIndex;
}

const cache = new WeakMap<BundleFile, FileText>();

/** The decoded text of a file, computed on first use and shared by every control in the scan. */
export function fileText(file: BundleFile): FileText {
  let cached = cache.get(file);
  if (!cached) {
    let utf8 = !file.data.includes(0);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(file.data);
    } catch {
      utf8 = false;
      text = new TextDecoder('utf-8').decode(file.data);
    }
    let lines: LineIndex | undefined;
    cached = {
      path: file.path,
      text,
      utf8,
      get lines() {
        lines ??= new LineIndex(text);
        return lines;
      },
    };
    cache.set(file, cached);
  }
  return cached;
}
