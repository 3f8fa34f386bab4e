import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openBundle } from '../../src/bundle/open.js';
import { DEFAULT_LIMITS, IntakeError } from '../../src/bundle/types.js';
import { gzip, normalZip, tarOf, withTempDir } from '../helpers/archives.js';

async function rejection(promise: Promise<unknown>): Promise<IntakeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof IntakeError)) throw new Error(`expected an IntakeError, got ${String(error)}`);
  return error;
}

describe('opening a bundle path', () => {
  it.each(['weather.mcpb', 'weather.dxt', 'weather.zip', 'weather.bin'])('opens a zip named %s', async (name) => {
    await withTempDir(async (dir) => {
      const zip = normalZip();
      await writeFile(join(dir, name), zip);
      const bundle = await openBundle(join(dir, name));
      expect(bundle.source).toEqual({ kind: 'file', path: join(dir, name), format: 'zip' });
      expect(bundle.sha256).toBe(createHash('sha256').update(zip).digest('hex'));
      expect(bundle.packed).toBeUndefined();
    });
  });

  it.each(['weather.tar.gz', 'weather.tgz'])('opens a gzip-compressed tar named %s', async (name) => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, name), gzip(tarOf([{ path: './manifest.json', data: '{}' }])));
      const bundle = await openBundle(join(dir, name));
      expect(bundle.source.format).toBe('tar.gz');
      expect([...bundle.files.keys()]).toEqual(['manifest.json']);
    });
  });

  it('rejects a directory with nothing to pack, like an empty archive', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, '.DS_Store'), 'x');
      const error = await rejection(openBundle(dir));
      expect(error.message).toContain('has no files to pack');
    });
  });

  it('rejects a path that does not exist', async () => {
    const error = await rejection(openBundle('/nonexistent/weather.mcpb'));
    expect(error.message).toBe('bundle not found: "/nonexistent/weather.mcpb" does not exist');
  });

  it('rejects a FIFO without opening it', async () => {
    await withTempDir(async (dir) => {
      execFileSync('mkfifo', [join(dir, 'bundle.mcpb')]);
      const error = await rejection(openBundle(join(dir, 'bundle.mcpb')));
      expect(error.message).toBe(`bundle "${join(dir, 'bundle.mcpb')}" is a FIFO, not an archive file or a directory`);
    });
  });

  it('rejects a character device', async () => {
    const error = await rejection(openBundle('/dev/null'));
    expect(error.message).toBe('bundle "/dev/null" is a character device, not an archive file or a directory');
  });

  it('rejects an archive file over the size limit before reading it', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'big.mcpb'), normalZip());
      const error = await rejection(openBundle(join(dir, 'big.mcpb'), { ...DEFAULT_LIMITS, maxArchiveBytes: 100 }));
      expect(error.message).toMatch(/^bundle rejected: ".*big\.mcpb" is \d+ bytes, over the limit of 100 bytes$/);
    });
  });

  it('rejects a text file as not a bundle archive', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'notes.mcpb'), 'these are not the bytes you are looking for\n');
      const error = await rejection(openBundle(join(dir, 'notes.mcpb')));
      expect(error.message).toBe(`bundle rejected: "${join(dir, 'notes.mcpb')}" is not a bundle archive (neither a zip nor a gzip-compressed tar)`);
    });
  });
});
