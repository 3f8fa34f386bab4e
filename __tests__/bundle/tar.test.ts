import { describe, expect, it } from '@jest/globals';
import { openArchive } from '../../src/bundle/open.js';
import { DEFAULT_LIMITS, IntakeError, type IntakeLimits } from '../../src/bundle/types.js';
import { gzip, tarOf, type TarEntry } from '../helpers/archives.js';

async function rejection(data: Buffer, limits: IntakeLimits = DEFAULT_LIMITS): Promise<IntakeError> {
  const error = await openArchive(data, 'test.tar.gz', limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof IntakeError)) throw new Error(`expected an IntakeError, got ${String(error)}`);
  expect(error.message).not.toContain('\n');
  return error;
}

const tgz = (entries: TarEntry[]) => gzip(tarOf(entries));
const manifest: TarEntry = { path: 'manifest.json', data: '{"name":"demo"}' };

describe('opening a .tar.gz bundle', () => {
  it('reads files, strips a leading ./ and keeps modes', async () => {
    const bundle = await openArchive(
      tgz([
        { path: './', type: 'Directory', mode: 0o755 },
        { path: './manifest.json', data: '{"name":"demo"}' },
        { path: './server/', type: 'Directory', mode: 0o755 },
        { path: './server/index.js', data: 'run()', mode: 0o755 },
        { path: './empty.txt', data: '' },
      ]),
      'demo.tgz',
    );
    expect([...bundle.files.keys()]).toEqual(['empty.txt', 'manifest.json', 'server/index.js']);
    expect(bundle.files.get('server/index.js')).toEqual({ path: 'server/index.js', data: Buffer.from('run()'), mode: 0o755 });
    expect(bundle.files.get('empty.txt')!.data.length).toBe(0);
    expect(bundle.source.format).toBe('tar.gz');
    expect(bundle.signature).toBeUndefined();
  });

  it('reads long names carried by pax headers', async () => {
    const long = `deep/${'d'.repeat(300)}/file.js`;
    const bundle = await openArchive(tgz([manifest, { path: long, data: 'x' }]), 'x.tar.gz');
    expect(bundle.files.has(long)).toBe(true);
  });

  it('rejects a pax header too large to read rather than skipping it', async () => {
    const error = await rejection(tgz([{ path: `${'x'.repeat(70_000)}.js`, data: 'x' }]));
    expect(error.message).toMatch(/^bundle rejected: entry ".*" is a tar ExtendedHeader of \d+ bytes, over the 65536 accepted$/);
  });

  it('rejects a symbolic link', async () => {
    const error = await rejection(tgz([manifest, { path: 'link', type: 'SymbolicLink', linkpath: '/etc/passwd' }]));
    expect(error.message).toBe(
      'bundle rejected: entry "link" is a symbolic link; bundles may hold only regular files and directories',
    );
  });

  it('rejects a hard link', async () => {
    const error = await rejection(tgz([manifest, { path: 'hard', type: 'Link', linkpath: 'manifest.json' }]));
    expect(error.message).toBe('bundle rejected: entry "hard" is a hard link; bundles may hold only regular files and directories');
  });

  it('rejects a character device and a FIFO', async () => {
    const device = await rejection(tgz([{ path: 'dev/null', type: 'CharacterDevice' }]));
    expect(device.message).toContain('entry "dev/null" is a character device');
    const fifo = await rejection(tgz([{ path: 'pipe', type: 'FIFO' }]));
    expect(fifo.message).toContain('entry "pipe" is a FIFO');
  });

  it('rejects entry types it does not know', async () => {
    const error = await rejection(tgz([manifest, { path: 'sparse', type: 'SparseFile', data: 'x' }]));
    expect(error.message).toContain('entry "sparse" has an unsupported tar entry type (SparseFile)');
  });

  it('rejects zip-slip, absolute paths and case collisions like a zip', async () => {
    expect((await rejection(tgz([{ path: '../evil.js', data: 'x' }]))).message).toBe(
      'bundle rejected: entry "../evil.js" escapes the bundle root (zip-slip)',
    );
    expect((await rejection(tgz([{ path: '/etc/passwd', data: 'x' }]))).message).toBe(
      'bundle rejected: entry "/etc/passwd" is an absolute path',
    );
    expect((await rejection(tgz([{ path: 'A.js', data: 'x' }, { path: 'a.js', data: 'y' }]))).entry).toBe('a.js');
    expect((await rejection(tgz([manifest, manifest]))).message).toBe(
      'bundle rejected: entry "manifest.json" appears more than once in the archive (duplicate name)',
    );
  });

  it('rejects a gzip bomb: the stream may not expand past the total cap plus tar overhead', async () => {
    const bomb = gzip(tarOf([{ path: 'zeros.bin', data: Buffer.alloc(8 * 1024 * 1024) }]));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const limits = { ...DEFAULT_LIMITS, maxTotalBytes: 1024 * 1024, maxEntries: 10 };
    const error = await rejection(bomb, limits);
    expect(error.message).toBe(
      'bundle rejected: the gzip stream expands beyond 1.1 MiB (1134592 bytes) (the total size limit plus tar overhead; a gzip bomb?)',
    );
  });

  it('rejects a file over the per-file cap before reading it', async () => {
    const error = await rejection(tgz([{ path: 'big.bin', data: Buffer.alloc(5000) }]), { ...DEFAULT_LIMITS, maxFileBytes: 4096 });
    expect(error.message).toBe(
      'bundle rejected: entry "big.bin" is 4.9 KiB (5000 bytes) uncompressed, over the per-file limit of 4.0 KiB (4096 bytes)',
    );
  });

  it('rejects more entries than the cap, naming the first one over it', async () => {
    const entries = [1, 2, 3, 4].map((n) => ({ path: `f${n}`, data: 'x' }));
    const error = await rejection(tgz(entries), { ...DEFAULT_LIMITS, maxEntries: 3 });
    expect(error.message).toBe('bundle rejected: entry "f4" brings the number of entries over the limit of 3');
  });

  it('rejects a tarball holding another gzip stream', async () => {
    const error = await rejection(gzip(tgz([manifest])));
    expect(error.message).toBe('bundle rejected: the .tar.gz holds another compressed stream instead of a tar archive');
  });

  it('rejects gzip that is not a tar, and truncated gzip', async () => {
    expect((await rejection(gzip(Buffer.from('hello, not a tar')))).message).toMatch(
      /^bundle rejected: not a readable tar archive \(truncated or corrupt\): /,
    );
    const whole = tgz([manifest]);
    expect((await rejection(whole.subarray(0, whole.length - 12))).message).toMatch(
      /^bundle rejected: not a readable gzip stream \(truncated or corrupt\): /,
    );
  });

  it('rejects a tar whose last file is cut short', async () => {
    const tar = tarOf([manifest, { path: 'b.bin', data: Buffer.alloc(4096, 1) }]);
    const error = await rejection(gzip(tar.subarray(0, 512 + 512 + 512 + 1000)));
    expect(error.message).toMatch(/^bundle rejected: not a readable tar archive \(truncated or corrupt\): .*Truncated input/);
  });

  it('rejects a tar of directories only', async () => {
    const error = await rejection(tgz([{ path: 'a/', type: 'Directory' }]));
    expect(error.message).toBe('bundle rejected: "test.tar.gz" holds no files (it is empty or has only directories)');
  });
});
