import { zipSync, type Zippable } from 'fflate';
import { collectDirectory } from './directory.js';
import { quoteName, rejectBundle } from './messages.js';
import { sortFilesByPath } from './paths.js';
import { DEFAULT_LIMITS, type BundleFile, type IntakeLimits } from './types.js';

const S_IFREG = 0o100000;

/** 0o755 when any execute bit is set, else 0o644: the only two modes a pack records ("stable modes"). */
export function normalizeMode(mode: number): number {
  return mode & 0o111 ? 0o755 : 0o644;
}

/**
 * Writes a deterministic zip of the files, the way `mcpb pack` does (fflate `zipSync`, deflate level 9,
 * unix host and attributes), but reproducible: entries in byte order of path, one fixed timestamp, modes
 * normalized. The same files give the same bytes on any machine and in any time zone.
 *
 * One quirk is fflate's, not ours: it walks its input object with `for...in`, and JavaScript lists
 * integer-like keys first, so a top-level file named only by digits ("1", "42") is written before the
 * others. The order is still the same on every run.
 */
export function packFiles(files: Iterable<BundleFile>): Buffer {
  // fflate turns mtime into a DOS date with the local-time getters, so the date is built from local
  // components, and at call time: a Date built once would read differently after a change of TZ.
  const mtime = new Date(1980, 0, 1, 0, 0, 0);
  const entries: Zippable = {};
  for (const file of sortFilesByPath(files)) {
    entries[file.path] = [file.data, { os: 3, attrs: ((S_IFREG | normalizeMode(file.mode)) << 16) >>> 0, mtime }];
  }
  const zip = zipSync(entries, { level: 9, mtime });
  return Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
}

/** Changes the collected file set before it is packed (e.g. adds a generated SBOM); must keep paths sorted. */
export type PrepareFiles = (files: ReadonlyMap<string, BundleFile>) => Map<string, BundleFile>;

/**
 * Collects a directory as `mcpb pack` would ship it (keeping lockfiles, see directory.ts), lets `prepare` amend
 * the file set, and packs it. The archive is what a scan of the directory hashes, so `mtf pack DIR` and a scan of
 * DIR agree.
 */
export async function packDirectory(
  dir: string,
  limits: IntakeLimits = DEFAULT_LIMITS,
  prepare?: PrepareFiles,
): Promise<{ files: Map<string, BundleFile>; archive: Buffer }> {
  const collected = await collectDirectory(dir, limits);
  if (collected.size === 0) throw rejectBundle(`directory ${quoteName(dir)} has no files to pack (after exclusions)`);
  const files = prepare ? prepare(collected) : collected;
  return { files, archive: packFiles(files.values()) };
}
