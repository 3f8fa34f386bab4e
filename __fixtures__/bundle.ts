import { createHash } from 'node:crypto';
import type { Bundle, BundleFile } from '../src/bundle/types.js';

/** A file's content, or its content and Unix mode (default 0o644). */
export type FixtureFile = string | Buffer | { data: string | Buffer; mode: number };

/**
 * Builds a Bundle in memory from `{ path: contents }`, as intake would hand it over: files sorted by path,
 * a digest over the file table standing in for the archive's.
 */
export function createBundle(files: Record<string, FixtureFile>, overrides: Partial<Bundle> = {}): Bundle {
  const table = new Map<string, BundleFile>();
  const hash = createHash('sha256');
  for (const path of Object.keys(files).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) {
    const entry = files[path]!;
    const { data, mode } = typeof entry === 'string' || Buffer.isBuffer(entry) ? { data: entry, mode: 0o644 } : entry;
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
    table.set(path, { path, data: bytes, mode });
    hash.update(path).update('\0').update(bytes).update('\0');
  }
  const size = [...table.values()].reduce((total, file) => total + file.data.length, 0);
  return {
    source: { kind: 'directory', path: 'fixture', format: 'zip' },
    sha256: hash.digest('hex'),
    size,
    files: table,
    ...overrides,
  };
}
