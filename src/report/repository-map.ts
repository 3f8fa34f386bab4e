import { createHash } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Bundle } from '../bundle/types.js';
import type { Report } from '../spec/report-schema.js';
import { MANIFEST_PATH, type RepositoryMap } from './locations.js';

/**
 * Builds the RepositoryMap the renderers use: the one module of src/report/ that reads the disk (the
 * checkout), so that the renderers stay pure functions of their inputs.
 */

/** Most distinct finding files looked up in the checkout; the rest fall back to the bundle's path. */
export const MAX_MAPPED_FILES = 10_000;

/**
 * Maps the files a report's findings name (and manifest.json) from the bundle to `root` (the repository
 * checkout: GITHUB_WORKSPACE in the action, the working directory in the CLI).
 *
 * - A bundle packed from a directory: each file is `relative(root, resolve(directory, file))`.
 * - A bundle file: a file counts as the bundle's only when a file at the same relative path under the
 *   archive's directory or under `root` has the same SHA-256 (a bundle built from other sources than the
 *   checkout must not point reviewers at unrelated lines). Otherwise findings fall back to the archive's own
 *   repository path, so that every SARIF result still has a location.
 * Paths outside `root` are never produced: they fall back to the bundle's base name.
 */
export async function buildRepositoryMap(bundle: Bundle, report: Report, root: string): Promise<RepositoryMap> {
  const absoluteRoot = resolve(root);
  const wanted = findingFiles(report, bundle);
  const files = new Map<string, string>();
  const source = resolve(bundle.source.path);

  if (bundle.source.kind === 'directory') {
    for (const path of wanted) {
      const uri = repositoryPath(absoluteRoot, join(source, path));
      if (uri !== null) files.set(path, uri);
    }
    const fallback = repositoryPath(absoluteRoot, join(source, MANIFEST_PATH)) ?? MANIFEST_PATH;
    return { files, fallback };
  }

  const candidates = [...new Set([dirname(source), absoluteRoot])];
  for (const path of wanted) {
    const file = bundle.files.get(path);
    if (!file) continue;
    const digest = sha256(file.data);
    for (const base of candidates) {
      const candidate = join(base, path);
      const uri = repositoryPath(absoluteRoot, candidate);
      if (uri !== null && (await hasContent(candidate, file.data.length, digest))) {
        files.set(path, uri);
        break;
      }
    }
  }
  return { files, fallback: repositoryPath(absoluteRoot, source) ?? basename(source) };
}

/**
 * The bundle files findings name, in report order, capped at MAX_MAPPED_FILES, plus manifest.json (for a
 * directory even when it is missing: a finding about the missing manifest still names where it belongs).
 * A finding path that is not a bundle file (say an entry point the manifest names but the bundle lacks) is
 * not mapped: it may hold `..` segments.
 */
function findingFiles(report: Report, bundle: Bundle): string[] {
  const wanted = new Set<string>();
  if (bundle.files.has(MANIFEST_PATH) || bundle.source.kind === 'directory') wanted.add(MANIFEST_PATH);
  for (const finding of report.findings) {
    if (wanted.size >= MAX_MAPPED_FILES) break;
    if (finding.file !== null && bundle.files.has(finding.file)) wanted.add(finding.file);
  }
  return [...wanted];
}

/** `path` relative to `root` with forward slashes, or null when it is not strictly inside `root`. */
export function repositoryPath(root: string, path: string): string | null {
  const rel = relative(root, resolve(path));
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}

/** A regular file (never followed through a symlink) of `size` bytes whose SHA-256 is `digest`. */
async function hasContent(path: string, size: number, digest: string): Promise<boolean> {
  try {
    const stats = await lstat(path);
    if (!stats.isFile() || stats.size !== size) return false;
    return sha256(await readFile(path)) === digest;
  } catch {
    return false;
  }
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
