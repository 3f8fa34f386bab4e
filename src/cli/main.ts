import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { openBundle } from '../bundle/open.js';
import { packDirectory } from '../bundle/pack.js';
import { IntakeError } from '../bundle/types.js';
import { toIntakeLimits } from '../bundle/limits.js';
import { ConfigError, loadConfig } from '../config/load.js';
import { sbomOfFiles } from '../deps/sbom/generate.js';
import { scan } from '../engine.js';
import { stderrLogger } from '../logger.js';
import { evaluateGate } from '../policy.js';
import { renderJson } from '../report/json.js';
import { renderText } from '../report/text.js';
import { SCANNER_VERSION } from '../version.js';
import { parseCommand, USAGE, UsageError, type Command } from './args.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const EXIT = { ok: 0, belowLevel: 1, usage: 2 } as const;

/** Runs one `mtf` command line and returns the exit code; every error becomes a message and exit code 2. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let command: Command | undefined;
  try {
    command = parseCommand(argv);
    switch (command.name) {
      case 'help':
        io.stdout(USAGE);
        return EXIT.ok;
      case 'version':
        io.stdout(`${SCANNER_VERSION}\n`);
        return EXIT.ok;
      case 'pack':
        return await runPack(command, io);
      case 'scan':
        return await runScan(command, io);
      case 'sbom':
        return await runSbom(command, io);
    }
  } catch (e) {
    const debug = command !== undefined && 'debug' in command && command.debug;
    io.stderr(`mtf: ${describeError(e)}\n`);
    if (e instanceof UsageError) io.stderr(`\n${USAGE}`);
    else if (debug && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
    return EXIT.usage;
  }
}

async function runScan(command: Extract<Command, { name: 'scan' }>, io: Io): Promise<number> {
  const config = await loadConfig(command.config, {
    'min-level': command.level,
    'fail-on': command.failOn,
    offline: command.offline || undefined,
  });
  const logger = stderrLogger(command.debug);
  const bundle = await openBundle(command.path, toIntakeLimits(config.limits));
  const report = await scan(bundle, { config, logger });
  const verdict = evaluateGate(report, config);
  const rendered = command.format === 'json' ? renderJson(report) : renderText(report, verdict, { color: command.color && !command.output });
  if (command.output) {
    await writeOutput(command.output, rendered);
    if (command.format !== 'json') io.stderr(verdict.passed ? 'mtf: passed\n' : `mtf: failed: ${verdict.reasons.join('; ')}\n`);
  } else {
    io.stdout(rendered);
  }
  if (command.format === 'json' && !verdict.passed) io.stderr(`mtf: failed: ${verdict.reasons.join('; ')}\n`);
  return verdict.passed ? EXIT.ok : EXIT.belowLevel;
}

async function runPack(command: Extract<Command, { name: 'pack' }>, io: Io): Promise<number> {
  const config = await loadConfig(command.config);
  const { archive, files } = await packDirectory(command.directory, toIntakeLimits(config.limits));
  await writeOutput(command.output, archive);
  io.stderr(`mtf: packed ${files.size} files from ${command.directory} into ${command.output} (${archive.length} bytes)\n`);
  return EXIT.ok;
}

/** `mtf sbom PATH`: the CycloneDX SBOM of what a scan of PATH would see (a directory is read as it would be packed). */
async function runSbom(command: Extract<Command, { name: 'sbom' }>, io: Io): Promise<number> {
  const config = await loadConfig(command.config);
  const bundle = await openBundle(command.path, toIntakeLimits(config.limits));
  const sbom = sbomOfFiles(bundle.files, basename(command.path).replace(/\.(mcpb|dxt|zip|tar\.gz|tgz)$/i, ''));
  if (command.output) {
    await writeOutput(command.output, sbom);
    io.stderr(`mtf: wrote a CycloneDX 1.6 SBOM of ${command.path} to ${command.output}\n`);
  } else {
    io.stdout(sbom);
  }
  return EXIT.ok;
}

async function writeOutput(file: string, data: string | Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, data);
}

function describeError(e: unknown): string {
  if (e instanceof UsageError || e instanceof IntakeError || e instanceof ConfigError) return e.message;
  const err = e as NodeJS.ErrnoException;
  if (err?.code && err.path) return `${err.path}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.code}`;
  return `internal error: ${err?.message ?? String(e)} (run with --debug for the stack trace)`;
}
