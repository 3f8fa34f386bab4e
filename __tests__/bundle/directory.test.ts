import { describe, expect, it } from '@jest/globals';
import { getAllFilesWithCount, readMcpbIgnorePatterns } from '@anthropic-ai/mcpb/node';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { collectDirectory } from '../../src/bundle/directory.js';
import { DEFAULT_LIMITS, IntakeError } from '../../src/bundle/types.js';
import { withTempDir } from '../helpers/archives.js';

/** Writes files (path -> content) under dir, creating parents. */
async function writeTree(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

async function rejection(dir: string, limits = DEFAULT_LIMITS): Promise<IntakeError> {
  const error = await collectDirectory(dir, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof IntakeError)) throw new Error(`expected an IntakeError, got ${String(error)}`);
  return error;
}

describe('collecting a directory like mcpb pack', () => {
  it("applies mcpb's exclusions but keeps package-lock.json and yarn.lock", async () => {
    await withTempDir(async (dir) => {
      await writeTree(dir, {
        'manifest.json': '{}',
        'package.json': '{}',
        'package-lock.json': '{"lockfileVersion":3}',
        'yarn.lock': '# yarn',
        'server/index.js': 'x',
        'server/index.js.map': 'map',
        'server/types.d.ts': 'types',
        'tsconfig.json': '{}',
        '.env': 'SECRET=1',
        '.env.production': 'SECRET=2',
        '.gitignore': 'x',
        '.git/config': 'x',
        '.DS_Store': 'x',
        'debug.log': 'x',
        'old.mcpb': 'x',
        'node_modules/.bin/tool': 'x',
        'node_modules/.cache/x': 'x',
        'node_modules/dep/index.js': 'dep',
        'node_modules/.package-lock.json': '{}',
      });
      const files = await collectDirectory(dir);
      expect([...files.keys()]).toEqual([
        'manifest.json',
        'node_modules/.package-lock.json',
        'node_modules/dep/index.js',
        'package-lock.json',
        'package.json',
        'server/index.js',
        'yarn.lock',
      ]);
    });
  });

  it("selects the same files as mcpb's own getAllFilesWithCount, lockfiles apart", async () => {
    await withTempDir(async (dir) => {
      await writeTree(dir, {
        '.mcpbignore': 'build/\n*.bak\n',
        'manifest.json': '{}',
        'package-lock.json': '{}',
        'build/out.js': 'x',
        'src/a.js': 'x',
        'src/a.js.bak': 'x',
        'src/.env.local': 'x',
        'node_modules/x/package.json': '{}',
        'node_modules/.bin/x': 'x',
      });
      const ours = [...(await collectDirectory(dir)).keys()];
      const theirs = Object.keys(getAllFilesWithCount(dir, dir, {}, readMcpbIgnorePatterns(dir)).files).sort();
      expect(ours).toEqual([...theirs, 'package-lock.json'].sort());
      expect(ours).toEqual(['manifest.json', 'node_modules/x/package.json', 'package-lock.json', 'src/a.js']);
    });
  });

  it('honours .mcpbignore with gitignore semantics, and leaves .mcpbignore out', async () => {
    await withTempDir(async (dir) => {
      await writeTree(dir, {
        '.mcpbignore': '# comment\n\ntests/\n*.test.js\n!keep.test.js\n/docs\n',
        'manifest.json': '{}',
        'tests/a.js': 'x',
        'src/a.test.js': 'x',
        'src/keep.test.js': 'x',
        'src/docs/readme.md': 'x',
        'docs/index.md': 'x',
      });
      const files = await collectDirectory(dir);
      expect([...files.keys()]).toEqual(['manifest.json', 'src/docs/readme.md', 'src/keep.test.js']);
    });
  });

  it('normalizes modes to 0o755 (any execute bit) or 0o644', async () => {
    await withTempDir(async (dir) => {
      await writeTree(dir, { 'run.sh': '#!/bin/sh', 'data.txt': 'x', 'odd.bin': 'x' });
      await chmod(join(dir, 'run.sh'), 0o700);
      await chmod(join(dir, 'data.txt'), 0o600);
      await chmod(join(dir, 'odd.bin'), 0o641);
      const files = await collectDirectory(dir);
      expect(files.get('run.sh')!.mode).toBe(0o755);
      expect(files.get('data.txt')!.mode).toBe(0o644);
      expect(files.get('odd.bin')!.mode).toBe(0o755);
    });
  });

  it('follows a symlink that stays inside the directory, to a file or a directory', async () => {
    await withTempDir(async (dir) => {
      await writeTree(dir, { 'real/a.js': 'a', 'target.txt': 'target' });
      await symlink('target.txt', join(dir, 'link.txt'));
      await symlink('real', join(dir, 'alias'));
      const files = await collectDirectory(dir);
      expect([...files.keys()]).toEqual(['alias/a.js', 'link.txt', 'real/a.js', 'target.txt']);
      expect(files.get('link.txt')!.data.toString()).toBe('target');
    });
  });

  it('rejects a symlink that points outside the directory, naming the link and its target', async () => {
    await withTempDir(async (outer) => {
      const dir = join(outer, 'bundle');
      await writeTree(outer, { 'secret.txt': 'token', 'bundle/manifest.json': '{}' });
      await symlink('../secret.txt', join(dir, 'leak.txt'));
      const error = await rejection(dir);
      expect(error.message).toBe('bundle rejected: entry "leak.txt" is a symbolic link to "../secret.txt", outside the directory');
      expect(error.entry).toBe('leak.txt');
    });
  });

  it('rejects a symlink to an absolute path outside, and a dangling one', async () => {
    await withTempDir(async (dir) => {
      await writeTree(dir, { 'manifest.json': '{}' });
      await symlink('/etc', join(dir, 'etc'));
      expect((await rejection(dir)).message).toBe('bundle rejected: entry "etc" is a symbolic link to "/etc", outside the directory');
    });
    await withTempDir(async (dir) => {
      await writeTree(dir, { 'manifest.json': '{}' });
      await symlink('missing.js', join(dir, 'gone.js'));
      expect((await rejection(dir)).message).toMatch(/^bundle rejected: entry "gone\.js" is a symbolic link to "missing\.js", which does not resolve/);
    });
  });

  it('rejects a symlink cycle', async () => {
    await withTempDir(async (dir) => {
      await writeTree(dir, { 'a/file.js': 'x' });
      await symlink('..', join(dir, 'a', 'up'));
      const error = await rejection(dir);
      expect(error.message).toBe('bundle rejected: entry "a/up" is a symbolic link to "..", one of its own parent directories (a cycle)');
    });
  });

  it('rejects a FIFO, naming it, without blocking on it', async () => {
    await withTempDir(async (dir) => {
      await writeTree(dir, { 'manifest.json': '{}' });
      execFileSync('mkfifo', [join(dir, 'pipe')]);
      const error = await rejection(dir);
      expect(error.message).toBe('bundle rejected: entry "pipe" is a FIFO; bundles may hold only regular files and directories');
    });
  });

  it('applies the archive caps to directories', async () => {
    await withTempDir(async (dir) => {
      await writeTree(dir, { 'a.txt': 'x'.repeat(100), 'b.txt': 'x'.repeat(100), 'c.txt': 'x' });
      expect((await rejection(dir, { ...DEFAULT_LIMITS, maxFileBytes: 50 })).message).toContain('entry "a.txt" is 100 bytes uncompressed');
      expect((await rejection(dir, { ...DEFAULT_LIMITS, maxTotalBytes: 150 })).entry).toBe('b.txt');
      expect((await rejection(dir, { ...DEFAULT_LIMITS, maxEntries: 2 })).message).toBe(
        'bundle rejected: entry "c.txt" brings the number of entries over the limit of 2',
      );
    });
  });

  it('checks names on disk like archive entries', async () => {
    await withTempDir(async (dir) => {
      await writeTree(dir, { 'a\\b.js': 'x' });
      expect((await rejection(dir)).message).toContain('entry "a\\\\b.js" has a backslash');
    });
  });

  it('reports a missing directory clearly', async () => {
    const error = await rejection('/nonexistent/mtf-dir');
    expect(error.message).toBe('bundle rejected: directory "/nonexistent/mtf-dir" does not exist');
  });
});
