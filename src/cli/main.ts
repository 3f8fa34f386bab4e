import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { openBundle } from '../bundle/open.js';
import { packDirectory } from '../bundle/pack.js';
import { IntakeError } from '../bundle/types.js';
import { toIntakeLimits } from '../bundle/limits.js';
import { ConfigError, loadConfig } from '../config/load.js';
import { sbomOfFiles, withGeneratedSbom } from '../deps/sbom/generate.js';
import { scan } from '../engine.js';
import { stderrLogger } from '../logger.js';
import { evaluateGate } from '../policy.js';
import { renderJson } from '../report/json.js';
import { renderText } from '../report/text.js';
import { assignCategories } from '../report/category.js';
import { bundleRelativeMap } from '../report/locations.js';
import { renderMarkdown } from '../report/markdown.js';
import { buildRepositoryMap } from '../report/repository-map.js';
import { renderSarif, sarifNotes, type SarifOutput } from '../report/sarif.js';
import type { Bundle } from '../bundle/types.js';
import type { Verdict } from '../policy.js';
import type { Report } from '../spec/report-schema.js';
import { SCANNER_VERSION } from '../version.js';
import { parseCommand, USAGE, UsageError, type Command, type Format } from './args.js';

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
  const views = await renderViews(command, bundle, report, verdict);
  if (command.sarif) await writeOutput(command.sarif, views.sarif());
  if (command.summary) await writeOutput(command.summary, views.markdown());
  const rendered = views[command.format]();
  if (command.output) {
    await writeOutput(command.output, rendered);
    if (command.format === 'text') io.stderr(verdict.passed ? 'mtf: passed\n' : `mtf: failed: ${verdict.reasons.join('; ')}\n`);
  } else {
    io.stdout(rendered);
  }
  if (command.format !== 'text' && !verdict.passed) io.stderr(`mtf: failed: ${verdict.reasons.join('; ')}\n`);
  return verdict.passed ? EXIT.ok : EXIT.belowLevel;
}

/**
 * Every view of one scan, rendered on demand. SARIF and Markdown locate findings in the working directory
 * (taken as the repository root) the way the action does in GITHUB_WORKSPACE.
 */
async function renderViews(command: Extract<Command, { name: 'scan' }>, bundle: Bundle, report: Report, verdict: Verdict): Promise<Record<Format, () => string>> {
  const needsMap = command.format === 'sarif' || command.format === 'markdown' || command.sarif || command.summary;
  const map = needsMap ? await buildRepositoryMap(bundle, report, process.cwd()) : bundleRelativeMap([]);
  const [category] = assignCategories([report.bundle.name], command.category);
  let sarif: SarifOutput | undefined;
  const renderSarifOnce = () => (sarif ??= renderSarif([{ report, map, category: category! }]));
  return {
    text: () => renderText(report, verdict, { color: command.color && !command.output }),
    json: () => renderJson(report),
    sarif: () => renderSarifOnce().text,
    markdown: () => renderMarkdown(report, verdict, { map, category, notes: command.sarif || command.format === 'sarif' ? sarifNotes(renderSarifOnce()) : [] }),
  };
}

async function runPack(command: Extract<Command, { name: 'pack' }>, io: Io): Promise<number> {
  const config = await loadConfig(command.config);
  const { archive, files } = await packDirectory(command.directory, toIntakeLimits(config.limits), command.sbom ? withGeneratedSbom : undefined);
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
