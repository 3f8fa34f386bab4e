import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { zipSync, type DeflateOptions, type ZipAttributes } from 'fflate';
import { Header, Pax, type HeaderData } from 'tar';

/** One zip entry: its data, or its data with fflate attributes (os, attrs, flags...). */
export type ZipEntry = string | Uint8Array | [string | Uint8Array, ZipAttributes & DeflateOptions];

const bytes = (data: string | Uint8Array) => (typeof data === 'string' ? Buffer.from(data) : data);

/** A zip of exactly these entries, names taken as given (fflate does not check them). */
export function zipOf(entries: Record<string, ZipEntry>): Buffer {
  const input: Record<string, [Uint8Array, ZipAttributes & DeflateOptions]> = {};
  for (const [name, entry] of Object.entries(entries)) {
    input[name] = Array.isArray(entry) ? [bytes(entry[0]), entry[1]] : [bytes(entry), {}];
  }
  const out = zipSync(input, { level: 6, mtime: new Date(2020, 0, 1) });
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** A minimal valid bundle: a manifest and a server file. */
export function normalZip(): Buffer {
  return zipOf({
    'manifest.json': JSON.stringify({ manifest_version: '0.3', name: 'demo', version: '1.0.0' }),
    'server/index.js': 'console.log("hi")\n',
  });
}

interface CentralRecord {
  /** Offset of the central directory header. */
  central: number;
  /** Offset of the local file header. */
  local: number;
  name: string;
}

/** The central directory records of a (non-zip64) zip, in order. */
export function centralRecords(zip: Buffer): CentralRecord[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const records: CentralRecord[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    records.push({ central: at, local: zip.readUInt32LE(at + 42), name: zip.toString('utf8', at + 46, at + 46 + nameLength) });
    at += 46 + nameLength + extra + comment;
  }
  return records;
}

function recordOf(zip: Buffer, name: string): CentralRecord {
  const record = centralRecords(zip).find((r) => r.name === name);
  if (!record) throw new Error(`no entry ${name}`);
  return record;
}

/** Sets the declared uncompressed size of an entry, in both its local and central headers. */
export function patchUncompressedSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const { central, local } = recordOf(out, name);
  out.writeUInt32LE(size, central + 24);
  out.writeUInt32LE(size, local + 22);
  return out;
}

/** ORs bits into an entry's general purpose flags, in both headers. */
export function patchFlags(zip: Buffer, name: string, flags: number): Buffer {
  const out = Buffer.from(zip);
  const { central, local } = recordOf(out, name);
  out.writeUInt16LE(out.readUInt16LE(central + 8) | flags, central + 8);
  out.writeUInt16LE(out.readUInt16LE(local + 6) | flags, local + 6);
  return out;
}

/** Overwrites the first bytes of an entry's name in its local header only. */
export function patchLocalName(zip: Buffer, name: string, replacement: string): Buffer {
  const out = Buffer.from(zip);
  const { local } = recordOf(out, name);
  out.write(replacement, local + 30, 'utf8');
  return out;
}

/**
 * A real zip of `count` empty stored files (f0000000, f0000001...), written by hand with a zip64 end
 * record so that yauzl sees the true count above 65,535.
 */
export function manyEntriesZip(count: number): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const name = Buffer.from(`f${String(i).padStart(7, '0')}`);
    const local = Buffer.alloc(30 + name.length);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    name.copy(local, 30);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46 + name.length);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    name.copy(central, 46);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const cd = Buffer.concat(centrals);
  const zip64End = Buffer.alloc(56);
  zip64End.writeUInt32LE(0x06064b50, 0);
  zip64End.writeBigUInt64LE(44n, 4);
  zip64End.writeUInt16LE(45, 12);
  zip64End.writeUInt16LE(45, 14);
  zip64End.writeBigUInt64LE(BigInt(count), 24);
  zip64End.writeBigUInt64LE(BigInt(count), 32);
  zip64End.writeBigUInt64LE(BigInt(cd.length), 40);
  zip64End.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset + cd.length), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([...locals, cd, zip64End, locator, end]);
}

/** One tar entry; `type` defaults to a regular file. */
export interface TarEntry extends HeaderData {
  path: string;
  data?: string | Buffer;
}

/** An uncompressed ustar archive of exactly these entries, headers written by node-tar's Header. */
export function tarOf(entries: TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const { data, ...fields } of entries) {
    const body = data === undefined ? Buffer.alloc(0) : Buffer.from(data);
    const headerData: HeaderData = { mode: 0o644, mtime: new Date(2020, 0, 1), type: 'File', size: body.length, ...fields };
    const header = new Header(headerData);
    // A name too long for ustar goes into a pax extended header before the entry, as tar writes it.
    if (header.encode()) blocks.push(new Pax(headerData).encode());
    blocks.push(header.block!, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export function gzip(data: Buffer): Buffer {
  return zlib.gzipSync(data);
}

/** Runs `body` with a fresh private temp directory, removed afterwards. */
export async function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'mtf-intake-'));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
