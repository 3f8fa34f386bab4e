import * as core from '@actions/core';
import { z } from 'zod';
import { describeIssues } from '../config/load.js';
import { FAIL_ON } from '../spec/config-schema.js';

/** Every input the action reads, by its name in action.yml. */
export const INPUT_NAMES = [
  'bundle',
  'directory',
  'min-level',
  'fail-on',
  'config',
  'offline',
  'report-file',
  'sarif-file',
  'category',
  'summary',
  'annotations',
  'upload-artifact',
  'comment',
  'token',
  'sbom',
] as const;
type InputName = (typeof INPUT_NAMES)[number];

/** YAML booleans reach an action as strings; accept the spellings core.getBooleanInput accepts. */
const booleanInput = z.enum(['true', 'True', 'TRUE', 'false', 'False', 'FALSE']).transform((v) => v.toLowerCase() === 'true');

export const COMMENT_MODES = ['never', 'on-failure', 'always'] as const;
export type CommentMode = (typeof COMMENT_MODES)[number];

/**
 * The action's inputs. Policy settings (min-level, fail-on, offline) have no default here: unset, they fall
 * through to the config file and then to the defaults of ConfigSchema, so each default lives in one place.
 * The action-only settings (where files go, what the workflow shows) have their defaults here.
 */
export const InputsSchema = z
  .object({
    bundle: z
      .string()
      .optional()
      .describe('Bundle files to scan: a path, a glob, or several of either on separate lines'),
    directory: z.string().optional().describe('A directory to pack the way `mcpb pack` does, then scan'),
    'min-level': z
      .string()
      .regex(/^[0-4]$/, 'must be 0, 1, 2, 3 or 4')
      .transform(Number)
      .optional(),
    'fail-on': z.enum(FAIL_ON).optional(),
    config: z.string().optional(),
    offline: booleanInput.optional(),
    'report-file': z.string().default('mtf-report.json'),
    'sarif-file': z.string().default('mtf.sarif'),
    category: z.string().optional().describe('Code scanning category; default mtf/<bundle name>'),
    summary: booleanInput.default(true),
    annotations: booleanInput.default(true),
    'upload-artifact': booleanInput.default(true),
    comment: z.enum(COMMENT_MODES).default('never'),
    token: z.string().optional(),
    sbom: z.enum(['keep', 'generate']).default('keep').describe('generate: add a CycloneDX SBOM when packing `directory`'),
  })
  .superRefine((inputs, ctx) => {
    if (Boolean(inputs.bundle) === Boolean(inputs.directory)) {
      ctx.addIssue({ code: 'custom', message: 'set exactly one of the inputs "bundle" and "directory"', path: ['bundle'] });
    }
    if (inputs.sbom === 'generate' && !inputs.directory) {
      ctx.addIssue({ code: 'custom', message: '"generate" applies when the action packs "directory"; a built bundle must ship its own SBOM', path: ['sbom'] });
    }
  });

export type Inputs = z.infer<typeof InputsSchema>;

/** Reads every input as a raw string (empty means unset) and parses them once. */
export function readInputs(read: (name: string) => string = (name) => core.getInput(name)): Inputs {
  const raw = Object.fromEntries(
    INPUT_NAMES.map((name: InputName) => [name, read(name).trim() || undefined]).filter(([, v]) => v !== undefined),
  );
  const result = InputsSchema.safeParse(raw);
  if (!result.success) throw new InputError(`invalid inputs: ${describeIssues(result.error)}`);
  return result.data;
}

export class InputError extends Error {
  override name = 'InputError';
}
