import { z } from 'zod';
import { CONTROL_IDS, DOMAINS } from './catalog.js';
import { LEVEL_NAMES, SEVERITIES } from './levels.js';

/**
 * The JSON report: the normative MTF report schema (../shared/mtf/schemas/report.schema.json) plus the extra
 * fields DESIGN.md section 3 welcomes (per-finding action and blocks_from, level_claimed, degraded ...).
 * schemas/report.schema.json is generated from this definition; a test validates reports against both.
 */

export const REPORT_VERSION = '1.0.0';

const level = z.int().min(0).max(4);
const gatingLevel = z.int().min(1).max(4);

export const FindingSchema = z
  .object({
    id: z.string().describe('Unique finding identifier within the report: control id and a sequence number'),
    control: z.enum(CONTROL_IDS).describe('Control that produced the finding'),
    rule: z.string().describe('Stable id of the check within the control'),
    severity: z.enum(SEVERITIES),
    action: z.enum(['BLOCK', 'WARN', 'INFO']).describe('The spec action at the level the control was judged at'),
    blocks_from: gatingLevel.nullable().describe('Lowest level at which this finding blocks; null if it never does'),
    title: z.string(),
    description: z.string(),
    file: z.string().nullable().describe('Bundle-relative path of the file the finding is about'),
    line: z.int().min(1).nullable(),
    remediation: z.string().nullable(),
  })
  .strict();

export const ControlResultSchema = z
  .object({
    name: z.string(),
    level: gatingLevel.describe('Level from which the control is required'),
    gates: z.enum(['level', 'opt-in']).describe('Whether the control decides the compliance level'),
    status: z.enum(['pass', 'fail', 'skip', 'error']),
    judged_at: gatingLevel.describe('The level the status was judged at: max(target level, control level)'),
    findings: z.array(FindingSchema),
    error: z.string().optional().describe('Why the control could not complete (status error)'),
    skip_reason: z.string().optional().describe('Why the control does not apply (status skip)'),
    duration_ms: z.int().min(0),
  })
  .strict();

export const BlockersSchema = z
  .object({
    level: gatingLevel,
    findings: z.array(z.string()).describe('Ids of the findings that block this level'),
    errors: z.array(z.enum(CONTROL_IDS)).describe('Controls in error that this level requires'),
  })
  .strict();

export const ReportSchema = z
  .object({
    version: z.string().regex(/^\d+\.\d+\.\d+$/),
    bundle: z
      .object({
        name: z.string(),
        version: z.string().regex(/^\d+\.\d+\.\d+/).describe('Manifest version; 0.0.0 when it is missing or not semver'),
        hash: z.string().regex(/^[a-f0-9]{64}$/).describe('SHA-256 of the bundle archive'),
        path: z.string().describe('The archive or directory that was scanned'),
        format: z.enum(['zip', 'tar.gz']),
        packed: z.boolean().describe('True when the bundle was packed from a directory'),
        size: z.int().min(0).describe('Archive size in bytes'),
        files: z.int().min(0).describe('Number of files in the bundle'),
        signed: z.boolean().describe('An mcpb signature block is appended (not MTF signing compliance)'),
      })
      .strict(),
    scan: z
      .object({
        timestamp: z.iso.datetime(),
        scanner: z.string(),
        scanner_version: z.string(),
        duration_ms: z.int().min(0),
        offline: z.boolean(),
      })
      .strict(),
    level_claimed: gatingLevel.nullable().describe('Level the manifest declares in _meta["org.mpaktrust"].level'),
    level_verified: level.describe('Level the scan verified (same as compliance.level)'),
    compliance: z
      .object({
        level,
        level_name: z.enum(LEVEL_NAMES),
        controls_passed: z.int().min(0),
        controls_failed: z.int().min(0),
        controls_total: z.int().min(0).describe('Controls checked, excluding skipped ones'),
        target_level: gatingLevel.describe('Level statuses are judged at: required, else claimed, else 1'),
        required_level: level.nullable().describe('Level the user required (--level / min-level), if any'),
        degraded: z.boolean().describe('A control in error is what holds the level down'),
        blockers: z.array(BlockersSchema).describe('For each level above the one reached, what stands in the way'),
      })
      .strict(),
    risk_score: z.enum(['NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']),
    domains: z.partialRecord(z.enum(DOMAINS), z.object({ controls: z.record(z.string(), ControlResultSchema) }).strict()),
    findings: z.array(FindingSchema),
  })
  .strict()
  .meta({ title: 'MTF Security Report (mtf-action)' });

export type Finding = z.infer<typeof FindingSchema>;
export type ControlResult = z.infer<typeof ControlResultSchema>;
export type Blockers = z.infer<typeof BlockersSchema>;
export type Report = z.infer<typeof ReportSchema>;
export type ControlStatus = ControlResult['status'];
