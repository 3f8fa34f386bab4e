import type { Bundle } from '../src/bundle/types.js';
import type { Control } from '../src/controls/control.js';
import { scan, type ScanOptions } from '../src/engine.js';
import { CATALOG, type ControlId } from '../src/spec/catalog.js';
import type { ControlResult, Report } from '../src/spec/report-schema.js';

/** Scans with the given controls only (the others report "not implemented"). */
export function scanWith(bundle: Bundle, controls: readonly Control[], options: ScanOptions = {}): Promise<Report> {
  return scan(bundle, { ...options, controls });
}

export function resultOf(report: Report, id: ControlId): ControlResult {
  const result = report.domains[CATALOG[id].domain]?.controls[id];
  if (!result) throw new Error(`${id} missing from the report`);
  return result;
}

/** The 1-based line of the first line of `text` containing `needle`. */
export function lineContaining(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`"${needle}" not found`);
  return index + 1;
}
