import type { Report } from '../spec/report-schema.js';

/** The JSON report, as printed by `--format json` and written to the action's report file. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
