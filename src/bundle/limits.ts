import type { Config } from '../spec/config-schema.js';
import { formatBytes, rejectBundle, rejectEntry } from './messages.js';
import { DEFAULT_LIMITS, type IntakeLimits } from './types.js';

/** Intake limits from the config's `limits` block; `ratioMinBytes` is not configurable and keeps its default. */
export function toIntakeLimits(config: Config['limits']): IntakeLimits {
  return {
    maxArchiveBytes: config['max-archive-bytes'],
    maxEntries: config['max-entries'],
    maxFileBytes: config['max-file-bytes'],
    maxTotalBytes: config['max-total-bytes'],
    maxCompressionRatio: config['max-compression-ratio'],
    ratioMinBytes: DEFAULT_LIMITS.ratioMinBytes,
  };
}

/**
 * What one archive or directory has spent of its limits so far. Every check runs on declared sizes before
 * any byte is decompressed or read, so a hostile entry is refused before it costs memory.
 */
export class IntakeBudget {
  private entries = 0;
  private totalBytes = 0;

  constructor(readonly limits: IntakeLimits) {}

  /** Refuses an archive whose table of contents already declares too many entries. */
  checkDeclaredEntries(count: number): void {
    if (count > this.limits.maxEntries) {
      throw rejectBundle(`archive declares ${count} entries, over the limit of ${this.limits.maxEntries}`);
    }
  }

  /** Counts one entry (file or directory). */
  countEntry(name: string): void {
    this.entries += 1;
    if (this.entries > this.limits.maxEntries) {
      throw rejectEntry(name, `brings the number of entries over the limit of ${this.limits.maxEntries}`);
    }
  }

  /** Reserves room for a file of `size` bytes (uncompressed) against the per-file and total caps. */
  reserveFile(name: string, size: number): void {
    if (size > this.limits.maxFileBytes) {
      throw rejectEntry(
        name,
        `is ${formatBytes(size)} uncompressed, over the per-file limit of ${formatBytes(this.limits.maxFileBytes)}`,
      );
    }
    if (this.totalBytes + size > this.limits.maxTotalBytes) {
      throw rejectEntry(
        name,
        `brings the uncompressed total to ${formatBytes(this.totalBytes + size)}, over the limit of ${formatBytes(this.limits.maxTotalBytes)}`,
      );
    }
    this.totalBytes += size;
  }

  /** Refuses a compressed entry that expands suspiciously (a zip bomb); small entries are exempt. */
  checkRatio(name: string, uncompressed: number, compressed: number): void {
    if (uncompressed < this.limits.ratioMinBytes) return;
    const ratio = compressed === 0 ? Infinity : uncompressed / compressed;
    if (ratio > this.limits.maxCompressionRatio) {
      const shown = Number.isFinite(ratio) ? `${Math.round(ratio)}:1` : 'unbounded';
      throw rejectEntry(
        name,
        `expands from ${formatBytes(compressed)} to ${formatBytes(uncompressed)} (ratio ${shown}, over the limit of ${this.limits.maxCompressionRatio}:1; a zip bomb?)`,
      );
    }
  }
}
