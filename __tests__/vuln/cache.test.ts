import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDirFromEnv, VulnCache } from '../../src/vuln/cache.js';
import type { Logger } from '../../src/logger.js';

let dir: string;
const warnings: string[] = [];
const logger: Logger = { debug() {}, info() {}, warn: (m) => warnings.push(m) };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtf-vuln-cache-unit-'));
  warnings.length = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('records are keyed by id and modified time', async () => {
  const cache = new VulnCache(join(dir, 'c'), logger);
  await cache.writeRecord('GHSA-1', '2026-01-01T00:00:00Z', { id: 'GHSA-1' });
  await expect(cache.readRecord('GHSA-1', '2026-01-01T00:00:00Z')).resolves.toEqual({ id: 'GHSA-1' });
  await expect(cache.readRecord('GHSA-1', '2026-01-02T00:00:00Z')).resolves.toBeNull();
  expect(await readdir(join(dir, 'c', 'osv'))).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.json$/)]);
});

test('fresh values expire after their time to live; a stored null is a hit', async () => {
  let now = 1_000_000;
  const cache = new VulnCache(join(dir, 'c'), logger, () => now);
  await cache.writeFresh('epss', 'CVE-2026-1', null);
  await cache.writeFresh('epss', 'CVE-2026-2', { epss: 0.5 });
  await expect(cache.readFresh('epss', 'CVE-2026-1', 1_000)).resolves.toBeNull();
  await expect(cache.readFresh('epss', 'CVE-2026-2', 1_000)).resolves.toEqual({ epss: 0.5 });
  now += 1_000;
  await expect(cache.readFresh('epss', 'CVE-2026-2', 1_000)).resolves.toBeUndefined();
});

test('a corrupt entry is a miss', async () => {
  const cache = new VulnCache(join(dir, 'c'), logger);
  await cache.writeRecord('GHSA-1', 'm', { id: 'GHSA-1' });
  const [file] = await readdir(join(dir, 'c', 'osv'));
  await writeFile(join(dir, 'c', 'osv', file!), '{"id": "GHSA-1", "modi');
  await expect(cache.readRecord('GHSA-1', 'm')).resolves.toBeNull();
});

test('a cache directory that is a symlink is not used', async () => {
  await symlink(tmpdir(), join(dir, 'link'));
  const cache = new VulnCache(join(dir, 'link'), logger);
  await cache.writeRecord('GHSA-1', 'm', { id: 'GHSA-1' });
  await expect(cache.readRecord('GHSA-1', 'm')).resolves.toBeNull();
  expect(warnings).toEqual([expect.stringContaining('is not a directory owned by this user')]);
});

test('MTF_CACHE_DIR chooses the directory; off disables the cache', () => {
  expect(cacheDirFromEnv({ MTF_CACHE_DIR: '/var/cache/mtf' })).toBe('/var/cache/mtf');
  expect(cacheDirFromEnv({ MTF_CACHE_DIR: 'off' })).toBeNull();
  expect(cacheDirFromEnv({})).toBe(join(tmpdir(), `mtf-vuln-cache-${process.getuid?.() ?? 'user'}`));
});
