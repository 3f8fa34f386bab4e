import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { slug } from '../report/category.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown, type MarkdownContext } from '../report/markdown.js';
import { renderSarif, sarifNotes, type SarifOutput } from '../report/sarif.js';
import type { BundleScan } from './scan-bundle.js';
import type { Workflow } from './workflow.js';

/** A scan with its code scanning category and the name of its folder in the artifact. */
export interface NamedScan extends BundleScan {
  category: string;
  /** Folder of this bundle's files in the artifact (unique per step). */
  name: string;
}

/** The files the step wrote. */
export interface WrittenResults {
  /** Absolute paths of the JSON reports, in scan order. */
  reportFiles: string[];
  /** Absolute path of the SARIF log. */
  sarifFile: string;
  sarif: SarifOutput;
  /** Notes about the SARIF caps, for the summaries. */
  sarifNotes: string[];
  /** The artifact's root folder (in RUNNER_TEMP) and its files. */
  artifactRoot: string;
  artifactFiles: string[];
}

/**
 * Writes the JSON report of each bundle (`report-file`; with several bundles, `<stem>.<bundle>.json`), one SARIF
 * log with a run per bundle (`sarif-file`), and stages for the artifact a folder per bundle holding its report,
 * its full Markdown summary (never truncated) and, when the action packed it, the .mcpb.
 */
export async function writeResults(
  scans: readonly NamedScan[],
  files: { reportFile: string; sarifFile: string },
  workflow: Workflow,
): Promise<WrittenResults> {
  const sarif = renderSarif(scans.map((s) => ({ report: s.report, map: s.map, category: s.category })));
  const notes = sarifNotes(sarif);
  const sarifFile = resolve(files.sarifFile);
  await writeText(sarifFile, sarif.text);

  await mkdir(workflow.runnerTemp, { recursive: true });
  const artifactRoot = await mkdtemp(join(workflow.runnerTemp, 'mtf-results-'));
  const artifactFiles: string[] = [];
  const stage = async (path: string, data: string) => {
    await writeText(join(artifactRoot, path), data);
    artifactFiles.push(join(artifactRoot, path));
  };
  await stage(basename(sarifFile), sarif.text);

  const reportFiles: string[] = [];
  for (const scan of scans) {
    const reportFile = resolve(scans.length === 1 ? files.reportFile : withSuffix(files.reportFile, scan.name));
    const json = renderJson(scan.report);
    await writeText(reportFile, json);
    reportFiles.push(reportFile);
    await stage(`${scan.name}/report.json`, json);
    const markdown = renderMarkdown(scan.report, scan.verdict, markdownContext(scan, workflow, notes));
    await stage(`${scan.name}/summary.md`, markdown);
    if (scan.packed) {
      const packed = join(artifactRoot, scan.name, basename(scan.bundlePath));
      await copyFile(scan.bundlePath, packed);
      artifactFiles.push(packed);
    }
  }
  return { reportFiles, sarifFile, sarif, sarifNotes: notes, artifactRoot, artifactFiles };
}

/** How a scan's Markdown is rendered, in the job summary, the PR comment and the artifact alike. */
export function markdownContext(scan: NamedScan, workflow: Workflow, notes: readonly string[]): MarkdownContext {
  const ctx: MarkdownContext = { map: scan.map, category: scan.category, notes };
  if (workflow.linkBase) ctx.linkBase = workflow.linkBase;
  return ctx;
}

/** Unique folder names for the artifact, from the categories. */
export function artifactFolderNames(categories: readonly string[]): string[] {
  const used = new Set<string>();
  return categories.map((category) => {
    const base = slug(category);
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return name;
  });
}

/** `mtf-report.json` with suffix `acme-weather` is `mtf-report.acme-weather.json`. */
function withSuffix(file: string, suffix: string): string {
  const ext = extname(file);
  return `${file.slice(0, file.length - ext.length)}.${suffix}${ext}`;
}

async function writeText(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}
