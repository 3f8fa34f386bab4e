import type { ControlId } from '../spec/catalog.js';
import type { Action, Level, Severity } from '../spec/levels.js';
import type { ScanContext } from '../context.js';

/** What a control reports about one problem; the engine turns it into a report finding. */
export interface FindingInput {
  /** Stable kebab-case id of the check within the control, e.g. `schema-invalid`. */
  rule: string;
  severity: Severity;
  /**
   * The spec's action for this finding. BLOCK fails the control from `blocksFrom` upward and is reported
   * as `below` under that level. WARN and INFO never fail the control.
   */
  action: Action;
  /** Lowest level at which a BLOCK finding blocks; defaults to the control's own level. */
  blocksFrom?: Level;
  /**
   * How a BLOCK finding is reported below `blocksFrom`: `WARN` where the spec says "WARN (L1), BLOCK (L2+)",
   * `INFO` (the default) where it only says "BLOCK (L2+)" and the finding is kept to show what blocks L2.
   */
  below?: 'WARN' | 'INFO';
  title: string;
  description: string;
  /** Bundle-relative path; `manifest.json` for findings about the manifest. */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  /** Overrides the catalog remediation when the finding needs a specific one. */
  remediation?: string;
}

/** A control either reports findings, or says it does not apply (skip), or that it could not finish (error). */
export type ControlOutcome =
  | { kind: 'findings'; findings: FindingInput[] }
  | { kind: 'skip'; reason: string; findings: FindingInput[] }
  | { kind: 'error'; reason: string; findings: FindingInput[] };

export interface Control {
  id: ControlId;
  /** Pure function of the context: reads files and facts through it, never does I/O of its own. */
  check(ctx: ScanContext): ControlOutcome | Promise<ControlOutcome>;
}

export function findings(list: FindingInput[]): ControlOutcome {
  return { kind: 'findings', findings: list };
}

export function skip(reason: string, list: FindingInput[] = []): ControlOutcome {
  return { kind: 'skip', reason, findings: list };
}

export function error(reason: string, list: FindingInput[] = []): ControlOutcome {
  return { kind: 'error', reason, findings: list };
}

/**
 * Thrown by a context accessor when a control's input is unavailable (e.g. no readable manifest); the
 * engine reports the control as `error` with this message, like any other exception.
 */
export class ControlInputError extends Error {
  override name = 'ControlInputError';
}
