/** MTF compliance levels (spec 1.4). 0 means no level reached. */
export type Level = 1 | 2 | 3 | 4;
export type LevelOrNone = 0 | Level;

export const LEVELS: readonly Level[] = [1, 2, 3, 4];

export const LEVEL_NAMES = ['None', 'Basic', 'Standard', 'Verified', 'Attested'] as const;
export type LevelName = (typeof LEVEL_NAMES)[number];

export function levelName(level: LevelOrNone): LevelName {
  return LEVEL_NAMES[level];
}

export function isLevel(value: unknown): value is Level {
  return value === 1 || value === 2 || value === 3 || value === 4;
}

/** Finding severities, most severe first (report.schema.json `finding.severity`). */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** 0 for critical, 4 for info: lower is more severe. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/**
 * What a finding does to its control (spec 3.1 "Severity": finding-to-action mapping).
 * BLOCK fails the control from the finding's `blocks_from` level; WARN and INFO never fail it.
 */
export type Action = 'BLOCK' | 'WARN' | 'INFO';
