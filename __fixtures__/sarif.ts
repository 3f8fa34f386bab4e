import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import AjvDraft04 from 'ajv-draft-04';
import formats from 'ajv-formats';

const require = createRequire(import.meta.url);

// Both packages are CommonJS: under NodeNext their default import is the module object.
const AjvDraft04Class = ((AjvDraft04 as unknown as { default?: unknown }).default ?? AjvDraft04) as typeof Ajv2020;
const addFormats = formats.default;

/**
 * The SARIF 2.1.0 JSON Schemas: the draft-04 one @microsoft/jest-sarif ships (the OASIS schema) and the
 * draft 2020-12 one the SARIF Multitool validates with.
 */
const validators = [
  { name: 'jest-sarif', Ajv: AjvDraft04Class, path: require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') },
  { name: 'multitool', Ajv: Ajv2020, path: join(require.resolve('@microsoft/sarif-multitool-linux/package.json'), '..', 'sarif-2.1.0.json') },
].map(({ name, Ajv: AjvClass, path }) => {
  // The schemas' `language` pattern has a stray `]` that only a non-unicode RegExp accepts.
  const ajv = new AjvClass({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return { name, validate: ajv.compile(JSON.parse(readFileSync(path, 'utf8')) as object) };
});

/** Schema errors of a SARIF log against both 2.1.0 schemas ("name: path message"); empty when valid. */
export function sarifSchemaErrors(log: unknown): string[] {
  return validators.flatMap(({ name, validate }) =>
    validate(log) ? [] : (validate.errors ?? []).map((e) => `${name}: ${e.instancePath} ${e.message}`),
  );
}

/** The Multitool's native binary (the npm package's bin.js runs it through a shell, which splits "Sarif;Gh"). */
export function multitoolBinary(): string {
  return require(`@microsoft/sarif-multitool-${process.platform}`) as string;
}

export interface MultitoolIssue {
  rule: string;
  level: string;
  message: string;
}

/**
 * Runs `Sarif.Multitool validate --rule-kind Sarif;Gh` (GitHub's ingestion rules plus SARIF's own) on the
 * files and returns every issue it reports. The tool exits 0 even when it finds errors: the issues are read
 * from its own SARIF output.
 */
export async function multitoolIssues(files: readonly string[]): Promise<MultitoolIssue[]> {
  const dir = await mkdtemp(join(tmpdir(), 'mtf-multitool-'));
  const output = join(dir, 'validation.sarif');
  try {
    await promisify(execFile)(multitoolBinary(), ['validate', ...files, '--rule-kind', 'Sarif;Gh', '--output', output, '--log', 'ForceOverwrite'], {
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
      maxBuffer: 64 * 1024 * 1024,
    });
    const log = JSON.parse(await readFile(output, 'utf8')) as {
      runs: { results?: { ruleId: string; level?: string; message: { text?: string } }[] }[];
    };
    return log.runs.flatMap((run) =>
      (run.results ?? []).map((r) => ({ rule: r.ruleId, level: r.level ?? 'warning', message: r.message.text ?? '' })),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
