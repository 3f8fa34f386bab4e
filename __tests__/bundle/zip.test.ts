import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { openArchive } from '../../src/bundle/open.js';
import { DEFAULT_LIMITS, IntakeError, type IntakeLimits } from '../../src/bundle/types.js';
import {
  centralRecords,
  manyEntriesZip,
  normalZip,
  patchFlags,
  patchLocalName,
  patchUncompressedSize,
  zipOf,
} from '../helpers/archives.js';

/** Opens the zip and returns the IntakeError it must be rejected with. */
async function rejection(zip: Buffer, limits: IntakeLimits = DEFAULT_LIMITS): Promise<IntakeError> {
  const error = await openArchive(zip, 'test.mcpb', limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof IntakeError)) throw new Error(`expected an IntakeError, got ${String(error)}`);
  expect(error.message).not.toContain('\n');
  return error;
}

const SYMLINK = { os: 3, attrs: (0o120777 << 16) >>> 0 };

describe('opening a zip bundle', () => {
  it('reads every file into memory, sorted by path, with its unix mode', async () => {
    const zip = zipOf({
      'server/index.js': ['console.log(1)', { os: 3, attrs: (0o100755 << 16) >>> 0 }],
      'manifest.json': '{}',
      'lib/': new Uint8Array(0),
    });
    const bundle = await openArchive(zip, 'demo.mcpb');
    expect([...bundle.files.keys()]).toEqual(['manifest.json', 'server/index.js']);
    expect(bundle.files.get('server/index.js')!.data.toString()).toBe('console.log(1)');
    expect(bundle.files.get('server/index.js')!.mode).toBe(0o755);
    expect(bundle.source).toEqual({ kind: 'file', path: 'demo.mcpb', format: 'zip' });
    expect(bundle.size).toBe(zip.length);
    expect(bundle.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(bundle.signature).toBeUndefined();
  });

  it('orders files by bytes, not by locale', async () => {
    const bundle = await openArchive(zipOf({ b: 'x', a: 'x', Z: 'x', 'a-b': 'x', a_b: 'x' }), 'x.zip');
    expect([...bundle.files.keys()]).toEqual(['Z', 'a', 'a-b', 'a_b', 'b']);
  });

  it('accepts a .dxt or any other name: the format comes from the content', async () => {
    const bundle = await openArchive(normalZip(), 'weather.dxt');
    expect(bundle.files.has('manifest.json')).toBe(true);
  });

  it('records mode 0 when the zip was not made on unix', async () => {
    const bundle = await openArchive(zipOf({ 'a.txt': ['x', { os: 0, attrs: 0x20 }] }), 'x.zip');
    expect(bundle.files.get('a.txt')!.mode).toBe(0);
  });

  it('rejects zip-slip (../x) naming the entry', async () => {
    const error = await rejection(zipOf({ 'manifest.json': '{}', '../../etc/passwd': 'x' }));
    expect(error.message).toBe('bundle rejected: entry "../../etc/passwd" escapes the bundle root (zip-slip)');
    expect(error.entry).toBe('../../etc/passwd');
  });

  it('rejects an absolute path', async () => {
    const error = await rejection(zipOf({ '/etc/cron.d/x': 'x' }));
    expect(error.message).toBe('bundle rejected: entry "/etc/cron.d/x" is an absolute path');
  });

  it('rejects a backslash path', async () => {
    const error = await rejection(zipOf({ '..\\..\\evil.js': 'x' }));
    expect(error.message).toContain('entry "..\\\\..\\\\evil.js" has a backslash');
    expect(error.entry).toBe('..\\..\\evil.js');
  });

  it('rejects a symbolic link entry', async () => {
    const error = await rejection(zipOf({ 'manifest.json': '{}', 'link': ['/etc/passwd', SYMLINK] }));
    expect(error.message).toBe(
      'bundle rejected: entry "link" is a symbolic link; bundles may hold only regular files and directories',
    );
  });

  it('rejects character devices and FIFOs', async () => {
    const device = await rejection(zipOf({ dev: ['', { os: 3, attrs: (0o020644 << 16) >>> 0 }] }));
    expect(device.message).toContain('entry "dev" is a character device');
    const fifo = await rejection(zipOf({ pipe: ['', { os: 3, attrs: (0o010644 << 16) >>> 0 }] }));
    expect(fifo.message).toContain('entry "pipe" is a FIFO');
  });

  it('rejects duplicate names', async () => {
    // fflate keys are unique, so the second copy is made by renaming another entry in both headers.
    const zip = zipOf({ 'a.js': '1', 'b.js': '2' });
    const twice = Buffer.from(zip.toString('latin1').replaceAll('b.js', 'a.js'), 'latin1');
    const error = await rejection(twice);
    expect(error.message).toBe('bundle rejected: entry "a.js" appears more than once in the archive (duplicate name)');
  });

  it('rejects names that differ only in case', async () => {
    const error = await rejection(zipOf({ 'README.md': 'a', 'readme.md': 'b' }));
    expect(error.message).toBe(
      'bundle rejected: entry "readme.md" collides with "README.md" (the names differ only in case or Unicode normalization)',
    );
  });

  it('rejects names that differ only in Unicode normalization (NFC/NFD)', async () => {
    const nfc = 'caf\u00e9.js';
    const nfd = 'cafe\u0301.js';
    const error = await rejection(zipOf({ [nfc]: 'a', [nfd]: 'b' }));
    expect(error.entry).toBe(nfd);
    expect(error.message).toContain(`collides with "${nfc}"`);
  });

  it('rejects a name that is both a file and a directory', async () => {
    const error = await rejection(zipOf({ a: 'file', 'a/b': 'inside' }));
    expect(error.message).toBe('bundle rejected: entry "a/b" is inside "a", which is also a file in the bundle');
    const reversed = await rejection(zipOf({ 'a/b': 'inside', a: 'file' }));
    expect(reversed.message).toBe('bundle rejected: entry "a" is both a file and a directory in the bundle');
  });

  it('rejects an archive declaring 100,000 entries from its entry count, before reading any entry', async () => {
    const zip = manyEntriesZip(100_000);
    // Every entry is individually fine, so only the count can reject it, and the message says it did.
    const error = await rejection(zip);
    expect(error.message).toBe('bundle rejected: archive declares 100000 entries, over the limit of 50000');
    const allowed = await openArchive(zip, 'many.zip', { ...DEFAULT_LIMITS, maxEntries: 100_000 });
    expect(allowed.files.size).toBe(100_000);
  });

  it('rejects a 1 GB declared entry over the per-file cap before inflating it', async () => {
    const zip = patchUncompressedSize(zipOf({ 'manifest.json': '{}', 'big.bin': Buffer.alloc(1000) }), 'big.bin', 1 << 30);
    const error = await rejection(zip);
    expect(error.message).toBe(
      'bundle rejected: entry "big.bin" is 1.0 GiB (1073741824 bytes) uncompressed, over the per-file limit of 256.0 MiB (268435456 bytes)',
    );
  });

  it('rejects a 1 GB declared entry on its compression ratio when the size caps allow it', async () => {
    const zip = patchUncompressedSize(zipOf({ 'big.bin': Buffer.alloc(1000) }), 'big.bin', 1 << 30);
    const limits = { ...DEFAULT_LIMITS, maxFileBytes: 2 ** 31, maxTotalBytes: 2 ** 31 };
    const error = await rejection(zip, limits);
    expect(error.entry).toBe('big.bin');
    expect(error.message).toMatch(/^bundle rejected: entry "big\.bin" expands from .* to 1\.0 GiB .*ratio \d+:1, over the limit of 200:1/);
  });

  it('rejects entries whose sizes add up over the total cap', async () => {
    const zip = zipOf({ 'a.bin': Buffer.alloc(600), 'b.bin': Buffer.alloc(600) });
    const error = await rejection(zip, { ...DEFAULT_LIMITS, maxTotalBytes: 1000 });
    expect(error.message).toContain('entry "b.bin" brings the uncompressed total to 1.2 KiB (1200 bytes), over the limit');
  });

  it('rejects a zip that lies about its size: the stream may not exceed what it declares', async () => {
    const honest = zipOf({ 'manifest.json': '{}', 'liar.txt': Buffer.alloc(100_000, 'a') });
    const zip = patchUncompressedSize(honest, 'liar.txt', 10);
    const error = await rejection(zip);
    expect(error.message).toBe(
      'bundle rejected: entry "liar.txt" expands beyond its declared size of 10 bytes (the zip lies about its sizes)',
    );
  });

  it('bounds entries over 1 MiB too (they inflate off the main thread)', async () => {
    const text = Buffer.from(randomBytes(1536 * 1024).toString('hex'));
    const honest = zipOf({ 'big.txt': text });
    expect((await openArchive(honest, 'x.zip')).files.get('big.txt')!.data.equals(text)).toBe(true);
    const error = await rejection(patchUncompressedSize(honest, 'big.txt', 2 * 1024 * 1024));
    expect(error.message).toBe(
      'bundle rejected: entry "big.txt" expands beyond its declared size of 2097152 bytes (the zip lies about its sizes)',
    );
  });

  it('rejects an entry with less data than it declares', async () => {
    const zip = patchUncompressedSize(zipOf({ 'short.txt': 'hello world' }), 'short.txt', 5000);
    const error = await rejection(zip);
    expect(error.message).toContain('entry "short.txt" holds less data than its declared size of 5000 bytes');
  });

  it('rejects an entry whose CRC-32 does not match', async () => {
    const zip = zipOf({ 'a.txt': ['hello', { level: 0 }] });
    const corrupt = Buffer.from(zip.toString('latin1').replace('hello', 'jello'), 'latin1');
    const error = await rejection(corrupt);
    expect(error.message).toBe('bundle rejected: entry "a.txt" is corrupt: its CRC-32 does not match its data');
  });

  it('rejects an entry flagged as encrypted', async () => {
    const error = await rejection(patchFlags(normalZip(), 'server/index.js', 0x1));
    expect(error.message).toBe('bundle rejected: entry "server/index.js" is encrypted; a bundle must be readable');
  });

  it('rejects an entry whose local header carries another name', async () => {
    const error = await rejection(patchLocalName(zipOf({ 'safe.js': 'x' }), 'safe.js', '../x.js'));
    expect(error.message).toContain('entry "safe.js" has a different name in its local header');
  });

  it('rejects an unsupported compression method naming the entry', async () => {
    const zip = zipOf({ 'a.txt': 'abc' });
    const { central, local } = centralRecords(zip)[0]!;
    zip.writeUInt16LE(12, central + 10);
    zip.writeUInt16LE(12, local + 8);
    const error = await rejection(zip);
    expect(error.message).toContain('entry "a.txt" uses compression method 12');
  });

  it('rejects an empty zip', async () => {
    const empty = zipOf({});
    expect(empty.subarray(0, 4)).toEqual(Buffer.from('PK\x05\x06', 'latin1'));
    const error = await rejection(empty);
    expect(error.message).toBe('bundle rejected: "test.mcpb" holds no files (it is empty or has only directories)');
  });

  it('rejects a zip of directories only', async () => {
    const error = await rejection(zipOf({ 'a/': new Uint8Array(0), 'a/b/': new Uint8Array(0) }));
    expect(error.message).toBe('bundle rejected: "test.mcpb" holds no files (it is empty or has only directories)');
  });

  it('rejects a truncated zip', async () => {
    const zip = normalZip();
    const error = await rejection(zip.subarray(0, zip.length - 30));
    expect(error.message).toMatch(/^bundle rejected: not a readable zip archive \(truncated or corrupt\): /);
  });

  it('rejects a zip whose deflate data is garbage, naming the entry', async () => {
    const zip = zipOf({ 'a.txt': Buffer.alloc(5000, 'z') });
    const { local } = centralRecords(zip)[0]!;
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    zip.fill(0xff, start, start + 8);
    const error = await rejection(zip);
    expect(error.message).toMatch(/^bundle rejected: entry "a\.txt" is corrupt: /);
  });

  it('rejects a text file: not a bundle archive', async () => {
    const error = await rejection(Buffer.from('just some text\n'));
    expect(error.message).toBe('bundle rejected: "test.mcpb" is not a bundle archive (neither a zip nor a gzip-compressed tar)');
  });

  it('rejects control characters and escapes them in the message', async () => {
    const error = await rejection(zipOf({ 'evil\u001b[31m.js': 'x' }));
    expect(error.message).toBe('bundle rejected: entry "evil\\u001b[31m.js" has a control character in its name');
  });

  it('accepts a zip whose deflated entry is real and large but within the caps', async () => {
    const text = 'line of server code\n'.repeat(10_000);
    const zip = zipOf({ 'big.js': text });
    expect(deflateRawSync(text).length).toBeLessThan(text.length);
    const bundle = await openArchive(zip, 'x.zip');
    expect(bundle.files.get('big.js')!.data.toString()).toBe(text);
  });
});
