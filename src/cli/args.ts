import { parseArgs } from 'node:util';
import { FAIL_ON, type FailOn } from '../spec/config-schema.js';
import type { LevelOrNone } from '../spec/levels.js';

/** A command line that cannot be run: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export type Command =
  | { name: 'help' }
  | { name: 'version' }
  | {
      name: 'scan';
      path: string;
      level?: LevelOrNone;
      format: Format;
      output?: string;
      /** Also write a SARIF 2.1.0 log here. */
      sarif?: string;
      /** Also write the Markdown summary here. */
      summary?: string;
      /** Code scanning category of the SARIF run (default mtf/<bundle name>). */
      category?: string;
      config?: string;
      failOn?: FailOn;
      offline: boolean;
      debug: boolean;
      color: boolean;
    }
  | { name: 'pack'; directory: string; output: string; config?: string; debug: boolean; sbom: boolean }
  | { name: 'sbom'; path: string; output?: string; config?: string; debug: boolean };

export const USAGE = `Usage:
  mtf scan PATH [options]      Verify a bundle (.mcpb, .dxt, .zip, .tar.gz/.tgz, or a directory) against MTF v0.1
  mtf pack DIR -o OUT.mcpb     Pack a directory the way \`mcpb pack\` ships it (lockfiles kept), deterministically;
                               --sbom adds a generated CycloneDX SBOM (sbom.cdx.json) to the pack
  mtf sbom PATH [-o FILE]      Write a CycloneDX 1.6 SBOM of a bundle or directory (stdout without -o), deterministically

Scan options:
  --level N          Required level 0-4; exit 1 below it (default: the level the manifest declares, else 1; 0 never fails)
  --fail-on SEV      Also exit 1 on any finding at or above SEV: none, critical, high, medium, low (default none)
  --format FMT       Report on stdout: text (default), json, sarif or markdown
  --output FILE      Write the report to FILE instead of stdout
  --sarif FILE       Also write a SARIF 2.1.0 log for GitHub code scanning to FILE
  --summary FILE     Also write the Markdown summary (as the action's job summary) to FILE
  --category NAME    Code scanning category of the SARIF run (default mtf/<bundle name>)
  --config FILE      Read settings (min-level, fail-on, limits, ...) from a YAML or JSON file
  --offline          Never reach vulnerability data sources over the network
  --no-color         Plain text output
  --debug            Log progress to stderr and show stack traces

Other:
  -h, --help         Show this help
  --version          Show the version

Exit codes: 0 passed, 1 below the required level (or --fail-on), 2 usage error or unreadable input.
`;

export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        level: { type: 'string' },
        'fail-on': { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        sarif: { type: 'string' },
        summary: { type: 'string' },
        category: { type: 'string' },
        config: { type: 'string' },
        offline: { type: 'boolean' },
        sbom: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { name: 'help' };
  if (values.version) return { name: 'version' };
  const [command, ...rest] = positionals;
  if (command === undefined) return { name: 'help' };
  if (command === 'scan') {
    if (rest.length !== 1) throw new UsageError('mtf scan takes exactly one PATH');
    return {
      name: 'scan',
      path: rest[0]!,
      level: values.level === undefined ? undefined : parseLevel(values.level),
      format: parseChoice('--format', values.format ?? 'text', FORMATS),
      output: values.output,
      sarif: values.sarif,
      summary: values.summary,
      category: values.category,
      config: values.config,
      failOn: values['fail-on'] === undefined ? undefined : parseChoice('--fail-on', values['fail-on'], FAIL_ON),
      offline: values.offline ?? false,
      debug: values.debug ?? false,
      color: !values['no-color'] && process.stdout.isTTY === true && !process.env.NO_COLOR,
    };
  }
  if (command === 'pack') {
    if (rest.length !== 1) throw new UsageError('mtf pack takes exactly one DIR');
    if (!values.output) throw new UsageError('mtf pack needs -o OUT.mcpb');
    return { name: 'pack', directory: rest[0]!, output: values.output, config: values.config, debug: values.debug ?? false, sbom: values.sbom ?? false };
  }
  if (command === 'sbom') {
    if (rest.length !== 1) throw new UsageError('mtf sbom takes exactly one PATH');
    return { name: 'sbom', path: rest[0]!, output: values.output, config: values.config, debug: values.debug ?? false };
  }
  throw new UsageError(`unknown command "${command}"`);
}

function parseLevel(value: string): LevelOrNone {
  if (!/^[0-4]$/.test(value)) throw new UsageError(`--level must be 0, 1, 2, 3 or 4, not "${value}"`);
  return Number(value) as LevelOrNone;
}

function parseChoice<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be one of ${choices.join(', ')}, not "${value}"`);
  }
  return value as T;
}
