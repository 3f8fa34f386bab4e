import * as cache from '@actions/cache';
import * as core from '@actions/core';
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/**
 * Persists SC-02's vulnerability cache (src/vuln/cache.ts) between workflow runs with the Actions cache. Cache
 * entries are immutable, so each save is keyed by a fingerprint of the directory's contents and a restore takes
 * the newest entry with the prefix; a run that added nothing saves nothing. Both functions fail soft: the scan
 * works the same without the cache, only slower.
 */

const KEY_PREFIX = `mtf-vuln-cache-v1-${process.platform}-`;
/** A cache directory this large in file count is not ours to walk. */
const MAX_FILES = 200_000;

/**
 * The directory the action keeps the cache in: MTF_CACHE_DIR when set (`off`: none), else `mtf-vuln-cache` in
 * RUNNER_TEMP, which the runner empties after the job. Sets MTF_CACHE_DIR so the engine's SC-02 uses the same one.
 */
export function prepareVulnCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env.MTF_CACHE_DIR?.trim();
  if (configured === 'off') return null;
  if (configured) return configured;
  const dir = join(env.RUNNER_TEMP || tmpdir(), 'mtf-vuln-cache');
  env.MTF_CACHE_DIR = dir;
  return dir;
}

/** Restores the newest saved cache into `dir`; returns the key restored, or undefined (none, or no cache service). */
export async function restoreVulnCache(dir: string): Promise<string | undefined> {
  if (!cache.isFeatureAvailable()) {
    core.debug('vulnerability cache: the Actions cache service is not available; starting empty');
    return undefined;
  }
  try {
    const key = await cache.restoreCache([dir], `${KEY_PREFIX}latest`, [KEY_PREFIX]);
    core.info(key ? `vulnerability cache restored (${key})` : 'vulnerability cache: nothing saved yet');
    return key;
  } catch (e) {
    core.warning(`vulnerability cache not restored: ${(e as Error).message}`);
    return undefined;
  }
}

/** Saves `dir` unless it is empty or unchanged since `restoredKey` was restored. */
export async function saveVulnCache(dir: string, restoredKey?: string): Promise<void> {
  if (!cache.isFeatureAvailable()) return;
  try {
    const fingerprint = await fingerprintOf(dir);
    if (fingerprint === null) return;
    const key = `${KEY_PREFIX}${fingerprint}`;
    if (key === restoredKey) {
      core.debug('vulnerability cache unchanged; not saved');
      return;
    }
    await cache.saveCache([dir], key);
    core.info(`vulnerability cache saved (${key})`);
  } catch (e) {
    core.warning(`vulnerability cache not saved: ${(e as Error).message}`);
  }
}

/** A digest of every file's path, size and modification time; null for an empty or missing directory. */
async function fingerprintOf(dir: string): Promise<string | null> {
  const lines: string[] = [];
  const pending = [dir];
  while (pending.length > 0 && lines.length < MAX_FILES) {
    const current = pending.pop()!;
    let entries;
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile() && !entry.name.endsWith('.tmp')) {
        const info = await stat(path);
        lines.push(`${relative(dir, path)}\0${info.size}\0${Math.floor(info.mtimeMs)}`);
      }
    }
  }
  if (lines.length === 0) return null;
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex').slice(0, 32);
}
