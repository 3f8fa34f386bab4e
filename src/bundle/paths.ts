import { rejectEntry } from './messages.js';
import type { BundleFile } from './types.js';

/**
 * Longest entry name accepted, in UTF-8 bytes. Real bundles stay far below it (deep node_modules paths are
 * ~200); the cap bounds the work and memory the collision table spends per name (DESIGN §5: bound
 * everything). Not a config knob: no legitimate bundle comes near it.
 */
export const MAX_NAME_BYTES = 1024;

export interface EntryName {
  /** Bundle-relative path: forward slashes, no leading `./`, no trailing `/`. Empty for the root itself. */
  path: string;
  /** The name ended in `/` (an archive's way of saying "directory"). */
  isDirectory: boolean;
}

// C0 controls (NUL included), DEL and C1 controls: never part of a real file name.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Checks one entry name from an archive or a directory walk and returns its normalized path.
 * Rejects (IntakeError naming the entry): empty names, control characters, names that were not UTF-8,
 * absolute paths (`/x`, `\\server`, `C:x`), backslashes, `..` segments (zip-slip), and `.` or empty segments
 * anywhere but a leading `./`, which is stripped (tar writes `./x`). `./` and `.` name the root itself and
 * come back as path ""; the caller decides whether its archive may list the root (a directory may; a file
 * never).
 * A `.`/empty segment in the middle is rejected rather than normalized: no packer writes one, and
 * different extractors resolve it differently, so a name that needs normalizing is a smell.
 */
export function normalizeEntryName(name: string): EntryName {
  if (name.length === 0) throw rejectEntry(name, 'has an empty name');
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) {
    throw rejectEntry(name, `has a name longer than ${MAX_NAME_BYTES} bytes`);
  }
  if (CONTROL_CHARS.test(name)) throw rejectEntry(name, 'has a control character in its name');
  // Decoders turn bytes that are not UTF-8 into U+FFFD, so two different raw names could read the same.
  if (name.includes('\ufffd')) throw rejectEntry(name, 'has a name that is not valid UTF-8');
  if (/^[/\\]/.test(name) || /^[A-Za-z]:/.test(name)) throw rejectEntry(name, 'is an absolute path');
  if (name.includes('\\')) {
    throw rejectEntry(name, 'has a backslash in its name (a path separator on Windows, where it can escape the bundle root)');
  }
  let rest = name;
  while (rest.startsWith('./')) rest = rest.slice(2);
  if (rest === '.') rest = '';
  const isDirectory = rest.endsWith('/') || (rest === '' && name.endsWith('/'));
  if (rest.endsWith('/')) rest = rest.slice(0, -1);
  if (rest === '') return { path: '', isDirectory };
  for (const segment of rest.split('/')) {
    if (segment === '..') throw rejectEntry(name, 'escapes the bundle root (zip-slip)');
    if (segment === '' || segment === '.') throw rejectEntry(name, 'has an empty or "." path segment');
  }
  return { path: rest, isDirectory };
}

/** How two names are compared for collisions: Unicode NFC, then lower case (macOS and Windows fold both). */
function collisionKey(path: string): string {
  return path.normalize('NFC').toLowerCase();
}

interface NameRecord {
  path: string;
  kind: 'file' | 'directory';
  /** Listed by the archive itself, not only implied by a deeper path. */
  listed: boolean;
}

/**
 * Every name of one bundle, to reject exact duplicates, names that collide after case folding or Unicode
 * normalization (`README.md`/`readme.md`, NFC/NFD), and a file that is also a directory (`a` and `a/b`).
 * Directories implied by file paths are recorded too, and capped, so a flood of deep unique paths cannot
 * grow the table without bound.
 */
export class NameTable {
  private readonly records = new Map<string, NameRecord>();
  private directories = 0;

  constructor(private readonly maxDirectories: number) {}

  /** Records a file or directory entry; `name` is the entry's name as the archive gave it, for messages. */
  add(path: string, kind: 'file' | 'directory', name: string): void {
    this.addParents(path, name);
    const key = collisionKey(path);
    const existing = this.records.get(key);
    if (existing === undefined) {
      this.insert(key, { path, kind, listed: true }, name);
      return;
    }
    if (existing.path !== path) {
      throw rejectEntry(name, `collides with "${existing.path}" (the names differ only in case or Unicode normalization)`);
    }
    if (existing.kind !== kind) {
      throw rejectEntry(name, 'is both a file and a directory in the bundle');
    }
    if (kind === 'directory' && !existing.listed) {
      existing.listed = true;
      return;
    }
    throw rejectEntry(name, 'appears more than once in the archive (duplicate name)');
  }

  /** Walks parents from the deepest up and stops at the first one already known: each is checked once. */
  private addParents(path: string, name: string): void {
    for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1)) {
      const parent = path.slice(0, cut);
      const key = collisionKey(parent);
      const existing = this.records.get(key);
      if (existing === undefined) {
        this.insert(key, { path: parent, kind: 'directory', listed: false }, name);
        continue;
      }
      if (existing.kind === 'file') {
        throw rejectEntry(name, `is inside "${parent}", which is also a file in the bundle`);
      }
      if (existing.path !== parent) {
        throw rejectEntry(
          name,
          `is inside "${parent}", which collides with "${existing.path}" (the names differ only in case or Unicode normalization)`,
        );
      }
      return;
    }
  }

  private insert(key: string, record: NameRecord, name: string): void {
    if (record.kind === 'directory') {
      this.directories += 1;
      if (this.directories > this.maxDirectories) {
        throw rejectEntry(name, `brings the number of directories over the limit of ${this.maxDirectories}`);
      }
    }
    this.records.set(key, record);
  }
}

/** Orders files by path in UTF-8 byte order (what `sort` does with LC_ALL=C), independent of locale. */
export function sortFilesByPath(files: Iterable<BundleFile>): BundleFile[] {
  const keyed = [...files].map((file) => ({ file, key: Buffer.from(file.path, 'utf8') }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  return keyed.map(({ file }) => file);
}

/** The files as the Bundle contract wants them: a map in byte order of path. */
export function toFileMap(files: Iterable<BundleFile>): Map<string, BundleFile> {
  return new Map(sortFilesByPath(files).map((file) => [file.path, file]));
}
