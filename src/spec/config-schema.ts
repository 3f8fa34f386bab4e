import { z } from 'zod';
import { DEFAULT_LIMITS } from '../bundle/types.js';

/**
 * The scan configuration: the policy a config file (`--config FILE`, the action's `config` input) can set.
 * Keys are the action's input names, so a setting reads the same in a workflow and in a file. Defaults live
 * here and nowhere else. schemas/config.schema.json is generated from this definition.
 */

export const FAIL_ON = ['none', 'critical', 'high', 'medium', 'low'] as const;
export type FailOn = (typeof FAIL_ON)[number];

const positiveInt = z.int().min(1);

export const LimitsSchema = z
  .object({
    'max-archive-bytes': positiveInt.default(DEFAULT_LIMITS.maxArchiveBytes),
    'max-entries': positiveInt.default(DEFAULT_LIMITS.maxEntries),
    'max-file-bytes': positiveInt.default(DEFAULT_LIMITS.maxFileBytes),
    'max-total-bytes': positiveInt.default(DEFAULT_LIMITS.maxTotalBytes),
    'max-compression-ratio': positiveInt.default(DEFAULT_LIMITS.maxCompressionRatio),
  })
  .strict()
  .describe('Caps on what bundle intake accepts');

export const VulnerabilitiesSchema = z
  .object({
    'timeout-seconds': positiveInt
      .max(3600)
      .default(120)
      .describe('Longest time SC-02 may spend on vulnerability data (all requests, retries and waits); past it SC-02 is error'),
    'request-timeout-seconds': positiveInt.max(600).default(30).describe('Longest time one request to OSV, EPSS or CISA KEV may take'),
    'max-attempts': positiveInt.max(10).default(3).describe('Attempts per request, the first included, on network errors, 429 and 5xx'),
    'scan-dev-dependencies': z
      .boolean()
      .default(false)
      .describe('Also scan development dependencies the bundle does not ship (those it ships are always scanned)'),
  })
  .strict()
  .describe('Vulnerability data sources (SC-02); endpoints come from MTF_OSV_API, MTF_EPSS_API, MTF_KEV_URL');

export const ConfigSchema = z
  .object({
    'min-level': z
      .int()
      .min(0)
      .max(4)
      .optional()
      .describe('Fail below this level. Unset: the level the manifest declares, else 1. 0 never fails on level.'),
    'fail-on': z.enum(FAIL_ON).default('none').describe('Also fail on any finding at or above this severity'),
    offline: z.boolean().default(false).describe('Never reach vulnerability data sources over the network'),
    'gate-registry-operations': z
      .boolean()
      .default(false)
      .describe('Let the registry_operations controls (RG-01, RG-02, RG-07) decide the level like the others'),
    'allowed-sources': z
      .array(z.string().trim().min(1))
      .max(1000)
      .default([])
      .describe(
        'Organizational allow-list for SC-05 Trusted Sources: package sources beyond the approved public registries, each a host (npm.internal.example), a URL prefix (https://internal.example/pypi/, git+https://github.com/acme/) or a local path prefix (file:../shared/)',
      ),
    limits: LimitsSchema.default(LimitsSchema.parse({})),
    vulnerabilities: VulnerabilitiesSchema.default(VulnerabilitiesSchema.parse({})),
  })
  .strict()
  .meta({ title: 'mtf-action configuration' });

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

export function defaultConfig(): Config {
  return ConfigSchema.parse({});
}
