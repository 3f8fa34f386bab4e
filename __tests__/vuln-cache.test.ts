import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import type * as actionsCache from '@actions/cache';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '../__fixtures__/core.js';

const isFeatureAvailable = jest.fn<typeof actionsCache.isFeatureAvailable>();
const restoreCache = jest.fn<typeof actionsCache.restoreCache>();
const saveCache = jest.fn<typeof actionsCache.saveCache>();

jest.unstable_mockModule('@actions/core', () => core);
jest.unstable_mockModule('@actions/cache', () => ({ isFeatureAvailable, restoreCache, saveCache }));
const { prepareVulnCacheDir, restoreVulnCache, saveVulnCache } = await import('../src/action/vuln-cache.js');

let dir: string;

beforeEach(async () => {
  jest.clearAllMocks();
  isFeatureAvailable.mockReturnValue(true);
  dir = await mkdtemp(join(tmpdir(), 'mtf-vuln-cache-action-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function addEntry(name: string, mtime = new Date('2026-01-01T00:00:00Z')) {
  await mkdir(join(dir, 'osv'), { recursive: true });
  await writeFile(join(dir, 'osv', name), '{"id":"x"}');
  await utimes(join(dir, 'osv', name), mtime, mtime);
}

describe('restoreVulnCache', () => {
  test('restores the newest entry with the prefix into the directory and returns its key', async () => {
    restoreCache.mockResolvedValue('mtf-vuln-cache-v1-linux-abc');
    await expect(restoreVulnCache(dir)).resolves.toBe('mtf-vuln-cache-v1-linux-abc');
    expect(restoreCache).toHaveBeenCalledWith([dir], expect.stringMatching(/^mtf-vuln-cache-v1-/), [expect.stringMatching(/^mtf-vuln-cache-v1-\w+-$/)]);
  });

  test('without the cache service it does nothing', async () => {
    isFeatureAvailable.mockReturnValue(false);
    await expect(restoreVulnCache(dir)).resolves.toBeUndefined();
    expect(restoreCache).not.toHaveBeenCalled();
  });

  test('a failing restore is a warning, not a failure', async () => {
    restoreCache.mockRejectedValue(new Error('service down'));
    await expect(restoreVulnCache(dir)).resolves.toBeUndefined();
    expect(core.warning).toHaveBeenCalledWith('vulnerability cache not restored: service down');
    expect(core.setFailed).not.toHaveBeenCalled();
  });
});

describe('saveVulnCache', () => {
  test('saves the directory under a key fingerprinting its contents', async () => {
    await addEntry('a.json');
    await saveVulnCache(dir);
    expect(saveCache).toHaveBeenCalledWith([dir], expect.stringMatching(/^mtf-vuln-cache-v1-\w+-[0-9a-f]{32}$/));
  });

  test('an unchanged directory is not saved again; a new entry is', async () => {
    await addEntry('a.json');
    await saveVulnCache(dir);
    const key = saveCache.mock.calls[0]![1];
    saveCache.mockClear();
    await saveVulnCache(dir, key);
    expect(saveCache).not.toHaveBeenCalled();
    await addEntry('b.json');
    await saveVulnCache(dir, key);
    expect(saveCache).toHaveBeenCalledTimes(1);
    expect(saveCache.mock.calls[0]![1]).not.toBe(key);
  });

  test('an empty or missing directory is not saved', async () => {
    await saveVulnCache(dir);
    await saveVulnCache(join(dir, 'missing'));
    expect(saveCache).not.toHaveBeenCalled();
  });

  test('a failing save is a warning, not a failure', async () => {
    await addEntry('a.json');
    saveCache.mockRejectedValue(new Error('reserve failed'));
    await expect(saveVulnCache(dir)).resolves.toBeUndefined();
    expect(core.warning).toHaveBeenCalledWith('vulnerability cache not saved: reserve failed');
  });
});

describe('prepareVulnCacheDir', () => {
  test('defaults to RUNNER_TEMP/mtf-vuln-cache and exports it as MTF_CACHE_DIR for the engine', () => {
    const env: NodeJS.ProcessEnv = { RUNNER_TEMP: '/runner/temp' };
    expect(prepareVulnCacheDir(env)).toBe('/runner/temp/mtf-vuln-cache');
    expect(env.MTF_CACHE_DIR).toBe('/runner/temp/mtf-vuln-cache');
  });

  test('keeps an MTF_CACHE_DIR the workflow set; off means no cache', () => {
    expect(prepareVulnCacheDir({ MTF_CACHE_DIR: '/cache' })).toBe('/cache');
    expect(prepareVulnCacheDir({ MTF_CACHE_DIR: 'off' })).toBeNull();
  });
});
