#!/usr/bin/env node
// Writes a set of hostile bundles for trying the scanner by hand:
//   node scripts/make-hostile-bundles.mjs /tmp/hostile && for f in /tmp/hostile/*; do npx mtf scan "$f"; done
// The zips are written by hand (not with a zip library) so that each can be exactly as broken as wanted.
// The 1 GiB entry is a real deflate stream, made in 1 MiB chunks, so this script stays small in memory.
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import zlib from 'node:zlib';

const CHUNK = 1024 * 1024;
const MANIFEST = { name: 'hostile', version: '1.0.0', manifest_version: '0.3', server: { type: 'node', entry_point: 'server/index.js', mcp_config: { command: 'node', args: ['${__dirname}/server/index.js'] } } };
const file = (name, data, mode = 0o100644) => ({ name, data: Buffer.from(data), mode });
const manifest = (data = JSON.stringify(MANIFEST)) => file('manifest.json', data);
const server = file('server/index.js', 'console.log("hello")\n');

/** Deflates `source` (an async iterable of Buffers) into `handle` at `position`; returns sizes and CRC. */
async function deflateInto(handle, position, source) {
  const deflate = zlib.createDeflateRaw({ level: 9 });
  let crc = 0;
  let size = 0;
  let written = 0;
  const drained = (async () => {
    for await (const out of deflate) {
      await handle.write(out, 0, out.length, position + written);
      written += out.length;
    }
  })();
  for await (const chunk of source) {
    crc = zlib.crc32(chunk, crc);
    size += chunk.length;
    if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await drained;
  return { crc, size, compressed: written };
}

async function* zeros(total) {
  const chunk = Buffer.alloc(CHUNK);
  for (let left = total; left > 0; left -= CHUNK) yield left >= CHUNK ? chunk : chunk.subarray(0, left);
}

/**
 * Writes a zip of entries ({ name, data, mode } stored, or { name, zeros } deflated from a stream), with
 * zip64 end records when there are more than 65,535 entries. Small writes are batched.
 */
async function writeZip(path, entries) {
  const handle = await open(path, 'w');
  const central = [];
  let pending = [];
  let offset = 0;
  let flushed = 0;
  const flush = async () => {
    const bytes = Buffer.concat(pending);
    await handle.write(bytes, 0, bytes.length, flushed);
    flushed += bytes.length;
    pending = [];
  };
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const header = Buffer.alloc(30);
    let sizes;
    if (entry.zeros === undefined) {
      sizes = { crc: zlib.crc32(entry.data), size: entry.data.length, compressed: entry.data.length };
    } else {
      await flush();
      sizes = await deflateInto(handle, offset + 30 + name.length, zeros(entry.zeros));
    }
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0x800, 6); // names are UTF-8
    header.writeUInt16LE(entry.zeros === undefined ? 0 : 8, 8); // stored or deflate
    header.writeUInt16LE(0x21, 12); // 1980-01-01
    header.writeUInt32LE(sizes.crc, 14);
    header.writeUInt32LE(sizes.compressed, 18);
    header.writeUInt32LE(sizes.size, 22);
    header.writeUInt16LE(name.length, 26);
    if (entry.zeros === undefined) {
      pending.push(header, name, entry.data);
    } else {
      await handle.write(Buffer.concat([header, name]), 0, 30 + name.length, offset);
      flushed = offset + 30 + name.length + sizes.compressed;
    }
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE((3 << 8) | 20, 4); // made by unix: the mode below is a unix st_mode
    header.copy(record, 6, 4, 30);
    record.writeUInt32LE(((entry.mode ?? 0o100644) << 16) >>> 0, 38);
    record.writeUInt32LE(offset, 42);
    central.push(record, name);
    offset += 30 + name.length + sizes.compressed;
  }
  const directory = Buffer.concat(central);
  const count = entries.length;
  pending.push(directory);
  if (count > 0xffff) {
    const end64 = Buffer.alloc(56);
    end64.writeUInt32LE(0x06064b50, 0);
    end64.writeBigUInt64LE(44n, 4);
    end64.writeUInt16LE(45, 12);
    end64.writeUInt16LE(45, 14);
    end64.writeBigUInt64LE(BigInt(count), 24);
    end64.writeBigUInt64LE(BigInt(count), 32);
    end64.writeBigUInt64LE(BigInt(directory.length), 40);
    end64.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
    locator.writeUInt32LE(1, 16);
    pending.push(end64, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(count, 0xffff), 8);
  end.writeUInt16LE(Math.min(count, 0xffff), 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  pending.push(end);
  await flush();
  await handle.close();
}

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: node scripts/make-hostile-bundles.mjs OUT_DIR');
  process.exit(2);
}
await mkdir(outDir, { recursive: true });
const bundles = {
  'zip-slip.mcpb': [manifest(), server, file('../../../tmp/evil.sh', '#!/bin/sh\necho pwned\n', 0o100755)],
  'symlink.mcpb': [manifest(), server, file('server/config.json', '/etc/passwd', 0o120777)],
  'bomb-1gib.mcpb': [manifest(), server, { name: 'assets/zeros.bin', zeros: 1024 * 1024 * 1024 }],
  'entries-100k.mcpb': [manifest(), ...Array.from({ length: 100_000 }, (_, i) => file(`f/${i}.txt`, ''))],
  'manifest-array.mcpb': [manifest('[{"name":"hostile"}]'), server],
  'manifest-invalid-utf8.mcpb': [manifest(Buffer.concat([Buffer.from('{"name":"host'), Buffer.from([0xff, 0xfe]), Buffer.from('ile","version":"1.0.0"}')])), server],
};
for (const [name, entries] of Object.entries(bundles)) {
  await writeZip(join(outDir, name), entries);
  console.log(join(outDir, name));
}
await writeFile(join(outDir, 'not-a-zip.mcpb'), 'This is a text file with a .mcpb name.\n');
console.log(join(outDir, 'not-a-zip.mcpb'));
