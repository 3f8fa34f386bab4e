import * as core from '@actions/core';
import { z } from 'zod';
import { describeIssues } from '../config/load.js';
import { FAIL_ON } from '../spec/config-schema.js';

/** Every input the action reads, by its name in action.yml. */
export const INPUT_NAMES = ['bundle', 'directory', 'min-level', 'fail-on', 'config', 'offline', 'report-file'] as const;
type InputName = (typeof INPUT_NAMES)[number];

const booleanInput = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * The action's inputs. Policy settings (min-level, fail-on, offline) have no default here: unset, they fall
 * through to the config file and then to the defaults of ConfigSchema, so each default lives in one place.
 */
export const InputsSchema = z
  .object({
    bundle: z.string().optional().describe('A .mcpb/.dxt/.zip/.tar.gz file to scan'),
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
  })
  .superRefine((inputs, ctx) => {
    if (Boolean(inputs.bundle) === Boolean(inputs.directory)) {
      ctx.addIssue({ code: 'custom', message: 'set exactly one of the inputs "bundle" and "directory"', path: ['bundle'] });
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
