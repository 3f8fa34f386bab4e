import type { BundleFile } from '../bundle/types.js';
import { fileText } from './file-text.js';

/**
 * Files up to this size are scanned as one text (the shared `fileText` decoding). Larger files, which no
 * source file ever is (vendored binaries, data blobs), are scanned whole in windows of their bytes so that
 * padding a file cannot hide a pattern from CQ-01/CQ-02 and memory stays bounded (DESIGN.md section 4,
 * "Encoding": non-UTF-8 files are scanned as bytes).
 */
export const WHOLE_TEXT_MAX_BYTES = 16 * 1024 * 1024;
const WINDOW_BYTES = 4 * 1024 * 1024;
/** Longer than any rule's match and context, so a match that straddles two windows is seen whole in one. */
const WINDOW_OVERLAP_BYTES = 64 * 1024;

/** A stretch of a file's text with a way back to 1-based line numbers of the whole file. */
export interface ScanUnit {
  path: string;
  text: string;
  /** The bytes `text` was decoded from (for a window, that window's bytes). */
  bytes: Uint8Array;
  /** False when the file is not valid UTF-8 text (binary, or another encoding). */
  utf8: boolean;
  /** 1-based line in the whole file of the character at `index` in `text`. */
  lineAt(index: number): number;
  /**
   * Matches that start before this index were already reported from the previous window; the unit still
   * contains them so that context around a match is complete.
   */
  reportFrom: number;
}

const wholeUnits = new WeakMap<BundleFile, ScanUnit>();

/**
 * The units a file is scanned in: one for ordinary files (the same object for every control of the scan, so
 * per-unit results such as keyword hits can be shared), consecutive overlapping windows for huge ones (made
 * afresh each time, never kept, to bound memory).
 */
export function scanUnits(file: BundleFile): ScanUnit[] {
  if (file.data.length > WHOLE_TEXT_MAX_BYTES) return windowsOf(file);
  let unit = wholeUnits.get(file);
  if (!unit) {
    const decoded = fileText(file);
    unit = {
      path: file.path,
      text: decoded.text,
      bytes: file.data,
      utf8: decoded.utf8,
      lineAt: (i) => decoded.lines.lineAt(i),
      reportFrom: 0,
    };
    wholeUnits.set(file, unit);
  }
  return [unit];
}

/**
 * Windows of a huge file, decoded as latin1: one character per byte, so every ASCII pattern is found at its
 * byte offset and line numbers come from counting newline bytes.
 */
function windowsOf(file: BundleFile): ScanUnit[] {
  const units: ScanUnit[] = [];
  let linesBefore = 0;
  let counted = 0;
  for (let start = 0; start < file.data.length; start += WINDOW_BYTES) {
    const from = Math.max(0, start - WINDOW_OVERLAP_BYTES);
    const end = Math.min(file.data.length, start + WINDOW_BYTES);
    linesBefore += countNewlines(file.data, counted, from);
    counted = from;
    const base = linesBefore;
    const text = file.data.toString('latin1', from, end);
    units.push({
      path: file.path,
      text,
      bytes: file.data.subarray(from, end),
      utf8: false,
      lineAt: (i) => base + 1 + countNewlines(file.data, from, from + i),
      reportFrom: start - from,
    });
  }
  return units;
}

function countNewlines(data: Buffer, from: number, to: number): number {
  let count = 0;
  for (let i = data.indexOf(0x0a, from); i !== -1 && i < to; i = data.indexOf(0x0a, i + 1)) count++;
  return count;
}
