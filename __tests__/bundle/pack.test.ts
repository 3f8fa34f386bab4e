import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openArchive, openBundle } from '../../src/bundle/open.js';
import { packDirectory, packFiles } from '../../src/bundle/pack.js';
import { IntakeError, type BundleFile } from '../../src/bundle/types.js';
import { centralRecords, withTempDir } from '../helpers/archives.js';
import { transpileBundleModules } from '../helpers/transpile.js';

const file = (path: string, data: string, mode = 0o644): BundleFile => ({ path, data: Buffer.from(data), mode });

async function writeTree(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

describe('packing files deterministically', () => {
  it('gives byte-identical output for the same files in any input order', () => {
    const files = [file('b.js', 'b'), file('manifest.json', '{}'), file('a/c.js', 'c', 0o755)];
    const first = packFiles(files);
    const second = packFiles([...files].reverse());
    expect(second.equals(first)).toBe(true);
  });

  it('writes entries in byte order of path with unix regular-file attributes and stable modes', () => {
    const zip = packFiles([file('b', 'x'), file('B', 'x', 0o700), file('a-b', 'x', 0o600), file('a_b', 'x')]);
    const records = centralRecords(zip);
    expect(records.map((r) => r.name)).toEqual(['B', 'a-b', 'a_b', 'b']);
    for (const { central } of records) {
      expect(zip.readUInt16LE(central + 4) >> 8).toBe(3);
    }
    const modes = records.map(({ central }) => (zip.readUInt32LE(central + 38) >>> 16).toString(8));
    expect(modes).toEqual(['100755', '100644', '100644', '100644']);
  });

  it('stamps every entry 1980-01-01 00:00 in DOS time', () => {
    const pack = packFiles([file('manifest.json', '{}'), file('server/index.js', 'run()')]);
    for (const { central, local } of centralRecords(pack)) {
      expect(pack.readUInt16LE(local + 10)).toBe(0); // local header: time 00:00:00
      expect(pack.readUInt16LE(local + 12)).toBe((0 << 9) | (1 << 5) | 1); // date 1980-01-01
      expect(pack.readUInt32LE(central + 12)).toBe(0x00210000); // central header: date << 16 | time
    }
  });

  it('packs to the same bytes in every time zone (child processes with TZ set)', async () => {
    await withTempDir(async (dir) => {
      const packModule = await transpileBundleModules(dir);
      const script = [
        `import { packFiles } from ${JSON.stringify(pathToFileURL(packModule).href)};`,
        `const file = (path, data) => ({ path, data: Buffer.from(data), mode: 0o644 });`,
        `const zip = packFiles([file('manifest.json', '{}'), file('server/index.js', 'run()')]);`,
        `process.stdout.write(new Date(Date.UTC(2025, 0, 1)).getTimezoneOffset() + ' ' + zip.toString('hex'));`,
      ].join('\n');
      const run = (tz: string) =>
        execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TZ: tz } })
          .toString()
          .split(' ');
      const [utcOffset, utcPack] = run('UTC');
      const [kiritimatiOffset, kiritimatiPack] = run('Pacific/Kiritimati');
      const [losAngelesOffset, losAngelesPack] = run('America/Los_Angeles');
      expect([utcOffset, kiritimatiOffset, losAngelesOffset]).toEqual(['0', '-840', '480']);
      expect(kiritimatiPack).toBe(utcPack);
      expect(losAngelesPack).toBe(utcPack);
      expect(utcPack).toBe(packFiles([file('manifest.json', '{}'), file('server/index.js', 'run()')]).toString('hex'));
    });
  });

  it('round-trips: opening the pack gives back the files with their stable modes', async () => {
    const files = [file('manifest.json', '{}'), file('bin/run', '#!/bin/sh', 0o775), file('lib/\u00e9.js', 'x', 0o600)];
    const bundle = await openArchive(packFiles(files), 'x.mcpb');
    expect([...bundle.files.values()]).toEqual([
      { path: 'bin/run', data: Buffer.from('#!/bin/sh'), mode: 0o755 },
      { path: 'lib/\u00e9.js', data: Buffer.from('x'), mode: 0o644 },
      { path: 'manifest.json', data: Buffer.from('{}'), mode: 0o644 },
    ]);
  });
});

describe('scanning a directory vs scanning its pack', () => {
  it('sees the same files and the same sha256 (the scan of a directory hashes its pack)', async () => {
    await withTempDir(async (root) => {
      const dir = join(root, 'server');
      await writeTree(dir, {
        'manifest.json': '{"name":"demo"}',
        'package.json': '{}',
        'package-lock.json': '{}',
        'dist/index.js': 'run()',
        'dist/index.js.map': '{}',
      });
      const fromDir = await openBundle(dir);
      expect(fromDir.source).toEqual({ kind: 'directory', path: dir, format: 'zip' });
      expect([...fromDir.files.keys()]).toEqual(['dist/index.js', 'manifest.json', 'package-lock.json', 'package.json']);

      const { archive } = await packDirectory(dir);
      const packedPath = join(root, 'server.mcpb');
      await writeFile(packedPath, archive);
      const fromFile = await openBundle(packedPath);

      expect(fromFile.sha256).toBe(fromDir.sha256);
      expect(fromFile.size).toBe(fromDir.size);
      expect(fromDir.packed!.equals(archive)).toBe(true);
      expect([...fromFile.files.values()]).toEqual([...fromDir.files.values()]);
    });
  });

  it('packs a directory twice to the same bytes', async () => {
    await withTempDir(async (dir) => {
      await writeTree(dir, { 'manifest.json': '{}', 'a/b/c.js': 'c', 'z.js': 'z' });
      const first = await packDirectory(dir);
      const second = await packDirectory(dir);
      expect(second.archive.equals(first.archive)).toBe(true);
    });
  });

  it('refuses a directory with nothing to pack', async () => {
    await withTempDir(async (dir) => {
      await writeTree(dir, { '.env': 'SECRET=1', 'debug.log': 'x' });
      await expect(packDirectory(dir)).rejects.toThrow(new IntakeError(`bundle rejected: directory "${dir}" has no files to pack (after exclusions)`));
    });
  });
});
