import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { describeCause, formatBytes, quoteName, rejectBundle } from './messages.js';
import { packDirectory, type PrepareFiles } from './pack.js';
import { describeFileType, readRegularFile } from './read-file.js';
import { splitSignature } from './signature.js';
import { readTarGz } from './tar.js';
import { DEFAULT_LIMITS, IntakeError, type ArchiveFormat, type Bundle, type IntakeLimits } from './types.js';
import { readZip } from './zip.js';

/**
 * Opens what the user named: an archive file (.mcpb, .dxt, .zip, .tar.gz, .tgz, told apart by content)
 * or a directory, packed in memory as `mcpb pack` would ship it. Nothing is written to disk.
 * Throws IntakeError with a one-line message for a missing path, a FIFO or device, an archive over the
 * size limit, or anything openArchive refuses.
 */
export async function openBundle(path: string, limits: IntakeLimits = DEFAULT_LIMITS, prepare?: PrepareFiles): Promise<Bundle> {
  const stats = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new IntakeError(`bundle not found: ${quoteName(path)} does not exist`);
    throw new IntakeError(`bundle ${quoteName(path)} could not be opened: ${describeCause(error)}`);
  });
  if (stats.isDirectory()) {
    const { files, archive } = await packDirectory(path, limits, prepare);
    return {
      source: { kind: 'directory', path, format: 'zip' },
      sha256: sha256Hex(archive),
      size: archive.length,
      files,
      packed: archive,
    };
  }
  if (!stats.isFile()) {
    throw new IntakeError(`bundle ${quoteName(path)} is a ${describeFileType(stats)}, not an archive file or a directory`);
  }
  const { data } = await readRegularFile(path, {
    maxBytes: limits.maxArchiveBytes,
    noFollow: false,
    reject: (reason) => new IntakeError(`bundle rejected: ${quoteName(path)} ${reason}`),
  });
  return openArchive(data, path, limits);
}

/**
 * Opens an archive held in memory. The format comes from the bytes (a zip local header or an empty zip's
 * end record; the gzip magic), never from the file name. `sha256` covers the whole input, signature
 * block included: it is the digest of the file as distributed.
 */
export async function openArchive(data: Buffer, sourcePath: string, limits: IntakeLimits = DEFAULT_LIMITS): Promise<Bundle> {
  if (data.length > limits.maxArchiveBytes) {
    throw rejectBundle(`${quoteName(sourcePath)} is ${formatBytes(data.length)}, over the limit of ${formatBytes(limits.maxArchiveBytes)}`);
  }
  const format = detectFormat(data);
  if (format === undefined) {
    throw rejectBundle(`${quoteName(sourcePath)} is not a bundle archive (neither a zip nor a gzip-compressed tar)`);
  }
  let bundleFiles;
  let signature;
  if (format === 'zip') {
    const split = splitSignature(data);
    signature = split.signature;
    bundleFiles = await readZip(split.archive, limits);
  } else {
    bundleFiles = await readTarGz(data, limits);
  }
  if (bundleFiles.size === 0) throw rejectBundle(`${quoteName(sourcePath)} holds no files (it is empty or has only directories)`);
  return {
    source: { kind: 'file', path: sourcePath, format },
    sha256: sha256Hex(data),
    size: data.length,
    files: bundleFiles,
    ...(signature ? { signature } : {}),
  };
}

const ZIP_LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ZIP_EMPTY_END = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

function detectFormat(data: Buffer): ArchiveFormat | undefined {
  const startsWith = (magic: Buffer) => data.length >= magic.length && data.subarray(0, magic.length).equals(magic);
  if (startsWith(ZIP_LOCAL_HEADER) || startsWith(ZIP_EMPTY_END)) return 'zip';
  if (startsWith(GZIP_MAGIC)) return 'tar.gz';
  return undefined;
}

function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
