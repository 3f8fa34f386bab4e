import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { formatBytes } from './messages.js';
import { IntakeError } from './types.js';

// O_NONBLOCK: opening a FIFO swapped in after our stat must not hang; O_NOFOLLOW: nor may a symlink be.
// Both are absent on Windows, where 0 leaves the flag out.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

export interface ReadOptions {
  /** Largest size accepted, in bytes. */
  maxBytes: number;
  /** Refuse to open a symbolic link (the caller has resolved links itself). */
  noFollow: boolean;
  /** Builds the error for a file that is not regular or is too large: the caller knows how to name it. */
  reject: (reason: string) => IntakeError;
}

/**
 * Reads a regular file whole, at most `maxBytes`, checking the type and size on the open handle so the
 * file cannot be swapped between the check and the read. Returns the data and the handle's stat.
 */
export async function readRegularFile(path: string, options: ReadOptions): Promise<{ data: Buffer; stats: Stats }> {
  const handle = await open(path, READ_FLAGS | (options.noFollow ? NO_FOLLOW : 0)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ELOOP') throw options.reject('was replaced by a symbolic link while being read');
    throw options.reject(`could not be opened: ${error.message}`);
  });
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw options.reject(`is a ${describeFileType(stats)}, not a regular file`);
    if (stats.size > options.maxBytes) {
      throw options.reject(`is ${formatBytes(stats.size)}, over the limit of ${formatBytes(options.maxBytes)}`);
    }
    const data = Buffer.alloc(stats.size);
    let filled = 0;
    while (filled < data.length) {
      const { bytesRead } = await handle.read(data, filled, data.length - filled, filled);
      if (bytesRead === 0) throw options.reject('shrank while being read');
      filled += bytesRead;
    }
    return { data, stats };
  } finally {
    await handle.close();
  }
}

/** "directory", "FIFO", "socket", "character device", "block device" or "symbolic link". */
export function describeFileType(stats: Stats): string {
  if (stats.isDirectory()) return 'directory';
  if (stats.isFIFO()) return 'FIFO';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice()) return 'character device';
  if (stats.isBlockDevice()) return 'block device';
  if (stats.isSymbolicLink()) return 'symbolic link';
  return stats.isFile() ? 'regular file' : 'special file';
}
