import { constants as bufferConstants } from 'node:buffer';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { IntakeBudget } from './limits.js';
import { describeCause, formatBytes, rejectBundle, rejectEntry } from './messages.js';
import { NameTable, normalizeEntryName, toFileMap } from './paths.js';
import { IntakeError, type BundleFile, type IntakeLimits } from './types.js';

const gunzip = promisify(zlib.gunzip);

// Per entry a tar spends a 512-byte header, up to 511 bytes of padding and often a pax header (another
// 1024): the slack lets the unpacked tar exceed the file total by that much and no more.
const TAR_OVERHEAD_PER_ENTRY = 2048;
const TAR_OVERHEAD_FIXED = 64 * 1024;
// A pax or GNU long-name header above this is refused, not skipped (node-tar would skip it silently and
// fall back to the short name, while GNU tar would honour it: two readers, two names).
const MAX_META_ENTRY_BYTES = 64 * 1024;

const REGULAR_FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
const REJECTED_TYPES: ReadonlyMap<string, string> = new Map([
  ['SymbolicLink', 'is a symbolic link'],
  ['Link', 'is a hard link'],
  ['CharacterDevice', 'is a character device'],
  ['BlockDevice', 'is a block device'],
  ['FIFO', 'is a FIFO'],
]);

/**
 * Reads a gzip-compressed tar held in memory into files. The gzip stream may not expand past the total
 * size cap (plus tar's own overhead), so a gzip bomb ends as an IntakeError before it costs memory. Then
 * each entry is checked like a zip entry: safe, unique names (a leading `./` is stripped), regular files
 * and directories only (pax and GNU long-name headers are read by the parser), the size and count caps.
 */
export async function readTarGz(data: Buffer, limits: IntakeLimits): Promise<Map<string, BundleFile>> {
  const tar = await gunzipBounded(data, limits);
  if (tar.length >= 2 && tar[0] === 0x1f && tar[1] === 0x8b) {
    // node-tar would sniff the inner gzip and inflate it again, past our bound.
    throw rejectBundle('the .tar.gz holds another compressed stream instead of a tar archive');
  }
  return parseTar(tar, limits);
}

async function gunzipBounded(data: Buffer, limits: IntakeLimits): Promise<Buffer> {
  const slack = TAR_OVERHEAD_FIXED + TAR_OVERHEAD_PER_ENTRY * limits.maxEntries;
  const maxOutputLength = Math.min(limits.maxTotalBytes + slack, bufferConstants.MAX_LENGTH);
  try {
    return await gunzip(data, { maxOutputLength });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw rejectBundle(
        `the gzip stream expands beyond ${formatBytes(maxOutputLength)} (the total size limit plus tar overhead; a gzip bomb?)`,
      );
    }
    throw rejectBundle(`not a readable gzip stream (truncated or corrupt): ${describeCause(error)}`);
  }
}

/** Runs node-tar's Parser over the whole buffer; the first problem found wins and the rest is skipped. */
function parseTar(tar: Buffer, limits: IntakeLimits): Promise<Map<string, BundleFile>> {
  const budget = new IntakeBudget(limits);
  const names = new NameTable(limits.maxEntries);
  const files: BundleFile[] = [];
  let failure: IntakeError | undefined;
  return new Promise((resolve, reject) => {
    // strict: every parser warning (bad checksum, truncated input, not a tar at all) is an error.
    const parser = new Parser({ strict: true, maxMetaEntrySize: MAX_META_ENTRY_BYTES, zstd: false });
    parser.on('entry', (entry: ReadEntry) => {
      if (failure) return entry.resume();
      try {
        acceptEntry(entry, budget, names, files);
      } catch (error) {
        failure = error instanceof IntakeError ? error : rejectEntry(entry.path, `could not be read: ${describeCause(error)}`);
        entry.resume();
      }
    });
    parser.on('ignoredEntry', (entry: ReadEntry) => {
      failure ??= entry.meta
        ? rejectEntry(entry.path, `is a tar ${entry.type} of ${entry.size} bytes, over the ${MAX_META_ENTRY_BYTES} accepted`)
        : rejectEntry(entry.path, `has an unsupported tar entry type (${entry.type}); bundles may hold only regular files and directories`);
    });
    parser.on('error', (error: unknown) => {
      reject(failure ?? rejectBundle(`not a readable tar archive (truncated or corrupt): ${describeCause(error)}`));
    });
    parser.on('end', () => (failure ? reject(failure) : resolve(toFileMap(files))));
    try {
      parser.end(tar);
    } catch (error) {
      reject(failure ?? rejectBundle(`not a readable tar archive: ${describeCause(error)}`));
    }
  });
}

function acceptEntry(entry: ReadEntry, budget: IntakeBudget, names: NameTable, files: BundleFile[]): void {
  // The pax path when there is one. On Windows node-tar has already turned backslashes into slashes (as
  // Windows extractors would), so `a\..\..\x` is caught there as a `..` segment rather than a backslash.
  const rawName = entry.path;
  budget.countEntry(rawName);
  const name = normalizeEntryName(rawName);
  const rejected = REJECTED_TYPES.get(entry.type);
  if (rejected) throw rejectEntry(rawName, `${rejected}; bundles may hold only regular files and directories`);
  const isDirectory = entry.type === 'Directory';
  if (!isDirectory && !REGULAR_FILE_TYPES.has(entry.type)) {
    throw rejectEntry(rawName, `has an unsupported tar entry type (${entry.type}); bundles may hold only regular files and directories`);
  }
  if (name.path === '') {
    if (!isDirectory) throw rejectEntry(rawName, 'is a file named after the bundle root');
    entry.resume();
    return;
  }
  if (name.isDirectory && !isDirectory) throw rejectEntry(rawName, 'is a file whose name ends in "/"');
  names.add(name.path, isDirectory ? 'directory' : 'file', rawName);
  if (isDirectory) {
    entry.resume();
    return;
  }
  const size = entry.size;
  budget.reserveFile(rawName, size);
  const chunks: Buffer[] = [];
  let received = 0;
  entry.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received <= size) chunks.push(chunk);
  });
  entry.on('end', () => {
    files.push({ path: name.path, data: Buffer.concat(chunks, Math.min(received, size)), mode: (entry.mode ?? 0) & 0o7777 });
  });
}
