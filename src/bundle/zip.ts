import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { IntakeBudget } from './limits.js';
import { describeCause, rejectBundle, rejectEntry } from './messages.js';
import { NameTable, normalizeEntryName, toFileMap } from './paths.js';
import { IntakeError, type BundleFile, type IntakeLimits } from './types.js';

// "Version made by" host systems whose external attributes carry a unix st_mode in the high 16 bits.
const UNIX_HOSTS = new Set([3 /* UNIX */, 19 /* OS X */]);
const S_IFMT = 0o170000;
const FILE_TYPES: ReadonlyMap<number, string | null> = new Map([
  [0, null], // no type recorded (mcpb pack writes only permission bits): a regular file
  [0o100000, null],
  [0o040000, null],
  [0o120000, 'is a symbolic link'],
  [0o020000, 'is a character device'],
  [0o060000, 'is a block device'],
  [0o010000, 'is a FIFO'],
  [0o140000, 'is a socket'],
]);
const FLAG_ENCRYPTED = 0x1;
const CONTROL_BYTES = /[\u0000-\u001f\u007f]/;
const STORED = 0;
const DEFLATED = 8;

/**
 * Reads a whole zip held in memory into files, refusing anything hostile before it is decompressed.
 * Throws IntakeError naming the entry for: unsafe or colliding names, links/devices/FIFOs/sockets,
 * encrypted entries, a local header that names the entry differently from the central directory, a
 * compression method other than stored/deflate, an entry over the size, total or ratio caps, data that
 * does not match its declared size or CRC-32. The entry count is checked before any entry is read.
 */
export async function readZip(data: Buffer, limits: IntakeLimits): Promise<Map<string, BundleFile>> {
  const budget = new IntakeBudget(limits);
  const zipfile = await openZip(data);
  budget.checkDeclaredEntries(zipfile.entryCount);
  const names = new NameTable(limits.maxEntries);
  const files: BundleFile[] = [];
  try {
    for await (const entry of zipfile.eachEntry()) {
      const file = await readEntry(zipfile, entry, budget, names);
      if (file) files.push(file);
    }
  } catch (error) {
    if (error instanceof IntakeError) throw error;
    const position = `entry ${zipfile.entriesRead + 1} of ${zipfile.entryCount}`;
    throw rejectBundle(`the zip's central directory is corrupt at ${position}: ${describeCause(error)}`);
  } finally {
    zipfile.close();
  }
  return toFileMap(files);
}

async function openZip(data: Buffer): Promise<ZipFile> {
  try {
    // decodeStrings: false so that yauzl neither rejects unsafe names with its own message nor turns
    // backslashes into slashes; names are decoded below and checked by normalizeEntryName, which names them.
    return await yauzl.fromBufferPromise(data, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true });
  } catch (error) {
    throw rejectBundle(`not a readable zip archive (truncated or corrupt): ${describeCause(error)}`);
  }
}

async function readEntry(zipfile: ZipFile, entry: Entry, budget: IntakeBudget, names: NameTable): Promise<BundleFile | null> {
  // A name without the UTF-8 flag decodes as CP437, where control bytes read as graphics (0x1b is "←"),
  // but an extractor writes the raw bytes: look for control bytes before decoding.
  if (CONTROL_BYTES.test(entry.fileNameRaw.toString('latin1'))) {
    throw rejectEntry(entry.fileNameRaw.toString('latin1'), 'has a control character in its name');
  }
  const rawName = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
  budget.countEntry(rawName);
  const name = normalizeEntryName(rawName);
  const unix = UNIX_HOSTS.has(entry.versionMadeBy >> 8);
  const stMode = unix ? entry.externalFileAttributes >>> 16 : 0;
  const problem = FILE_TYPES.get(stMode & S_IFMT);
  if (problem === undefined) throw rejectEntry(rawName, `has an unknown file type (mode 0o${stMode.toString(8)})`);
  if (problem !== null) throw rejectEntry(rawName, `${problem}; bundles may hold only regular files and directories`);
  const isDirectory = name.isDirectory || (stMode & S_IFMT) === 0o040000;
  if (name.path === '') {
    if (isDirectory) return null;
    throw rejectEntry(rawName, 'is a file named after the bundle root');
  }
  names.add(name.path, isDirectory ? 'directory' : 'file', rawName);
  if (isDirectory) return null;
  if (entry.generalPurposeBitFlag & FLAG_ENCRYPTED) throw rejectEntry(rawName, 'is encrypted; a bundle must be readable');
  if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
    throw rejectEntry(rawName, `uses compression method ${entry.compressionMethod}; only stored (0) and deflate (8) are accepted`);
  }
  budget.reserveFile(rawName, entry.uncompressedSize);
  budget.checkRatio(rawName, entry.uncompressedSize, entry.compressedSize);
  const data = await readEntryData(zipfile, entry, rawName);
  return { path: name.path, data, mode: stMode & 0o7777 };
}

async function readEntryData(zipfile: ZipFile, entry: Entry, name: string): Promise<Buffer> {
  let stream: Readable;
  try {
    const local = await zipfile.readLocalFileHeaderPromise(entry);
    // A streaming extractor trusts the local header's name, yauzl the central directory's: they must agree.
    if (!local.fileName.equals(entry.fileNameRaw)) {
      throw rejectEntry(name, `has a different name in its local header (${JSON.stringify(local.fileName.toString('latin1'))})`);
    }
    stream = await openDataStream(zipfile, entry, local.fileDataStart);
  } catch (error) {
    if (error instanceof IntakeError) throw error;
    throw rejectEntry(name, `could not be read: ${describeCause(error)}`);
  }
  const data = await collectStream(stream, entry.uncompressedSize, name);
  if (typeof zlib.crc32 === 'function' && zlib.crc32(data) !== entry.crc32) {
    throw rejectEntry(name, 'is corrupt: its CRC-32 does not match its data');
  }
  return data;
}

/**
 * The entry's data, inflated when deflated; yauzl checks the inflated size against the declared one.
 * (yauzl 3.4.0's openReadStreamLowLevelPromise calls openReadStream by mistake, so it is wrapped here.)
 */
function openDataStream(zipfile: ZipFile, entry: Entry, fileDataStart: number): Promise<Readable> {
  return new Promise((resolve, reject) => {
    const size = entry.compressedSize;
    const inflate = entry.compressionMethod === DEFLATED;
    zipfile.openReadStreamLowLevel(fileDataStart, size, 0, size, inflate, entry.uncompressedSize, (error, stream) =>
      error ? reject(error) : resolve(stream),
    );
  });
}

/** Collects a decompressed entry, never holding more than its declared size (yauzl enforces it too). */
function collectStream(stream: Readable, declared: number, name: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (error: unknown) => {
      stream.destroy();
      reject(wrapStreamError(error, declared, name));
    };
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > declared) return fail(new Error('too many bytes in the stream'));
      chunks.push(chunk);
    });
    stream.on('error', fail);
    stream.on('end', () => {
      if (size !== declared) return fail(new Error('not enough bytes in the stream'));
      resolve(Buffer.concat(chunks, size));
    });
  });
}

function wrapStreamError(error: unknown, declared: number, name: string): IntakeError {
  const cause = describeCause(error);
  if (cause.startsWith('too many bytes')) {
    return rejectEntry(name, `expands beyond its declared size of ${declared} bytes (the zip lies about its sizes)`);
  }
  if (cause.startsWith('not enough bytes')) {
    return rejectEntry(name, `holds less data than its declared size of ${declared} bytes (truncated or lying)`);
  }
  return rejectEntry(name, `is corrupt: ${cause}`);
}
