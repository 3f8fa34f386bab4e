import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../logger.js';

/**
 * The vulnerability data cache: JSON files in one directory, the only place the scanner writes outside a private
 * temp dir. OSV records are keyed by id and modified time (a record that changes gets a new key, so entries never
 * go stale); EPSS scores and the KEV catalog, which have no such version, are kept for a time to live.
 *
 * Location: MTF_CACHE_DIR, else `mtf-vuln-cache-<uid>` in the OS temp dir; MTF_CACHE_DIR=off disables it. The
 * action persists the directory between runs with @actions/cache (src/action/vuln-cache.ts).
 *
 * Every failure here is soft: an unreadable, foreign or corrupt entry is a miss, a failed write is logged.
 */
export class VulnCache {
  private ready: Promise<boolean> | undefined;

  constructor(
    readonly dir: string | null,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The OSV record stored for (id, modified), or null. */
  async readRecord(id: string, modified: string): Promise<unknown> {
    const entry = await this.read(this.recordPath(id, modified));
    if (!isObject(entry) || entry.id !== id || entry.modified !== modified) return null;
    return entry.record ?? null;
  }

  async writeRecord(id: string, modified: string, record: unknown): Promise<void> {
    await this.write(this.recordPath(id, modified), { id, modified, record });
  }

  /** A value stored under `key` less than `ttlMs` ago; `undefined` on a miss (a stored null is a hit). */
  async readFresh(kind: string, key: string, ttlMs: number): Promise<unknown> {
    const entry = await this.read(this.freshPath(kind, key));
    if (!isObject(entry) || entry.key !== key || typeof entry.storedAt !== 'number') return undefined;
    const age = this.now() - entry.storedAt;
    return age >= 0 && age < ttlMs ? entry.value : undefined;
  }

  async writeFresh(kind: string, key: string, value: unknown): Promise<void> {
    await this.write(this.freshPath(kind, key), { key, storedAt: this.now(), value });
  }

  private recordPath(id: string, modified: string): string[] {
    return ['osv', `${digest(`${id}\0${modified}`)}.json`];
  }

  private freshPath(kind: string, key: string): string[] {
    return [kind, `${digest(key)}.json`];
  }

  private async read(parts: string[]): Promise<unknown> {
    if (!this.dir || !(await this.usable())) return undefined;
    try {
      return JSON.parse(await readFile(join(this.dir, ...parts), 'utf8'));
    } catch {
      return undefined;
    }
  }

  /** Writes through a temporary file and a rename, so a reader never sees half an entry. */
  private async write(parts: string[], value: unknown): Promise<void> {
    if (!this.dir || !(await this.usable())) return;
    const file = join(this.dir, ...parts);
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(join(this.dir, ...parts.slice(0, -1)), { recursive: true, mode: 0o700 });
      await writeFile(temp, JSON.stringify(value), { mode: 0o600 });
      await rename(temp, file);
    } catch (e) {
      this.logger.debug(`vulnerability cache: cannot write ${file}: ${(e as Error).message}`);
      await rm(temp, { force: true }).catch(() => undefined);
    }
  }

  /**
   * The directory is created private (0700). An existing one must be a real directory owned by this user: a
   * shared temp dir could otherwise hand us entries planted by someone else, or a symlink to elsewhere.
   */
  private usable(): Promise<boolean> {
    this.ready ??= (async () => {
      const dir = this.dir!;
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        const stat = await lstat(dir);
        const ownUid = process.getuid?.();
        if (!stat.isDirectory() || (ownUid !== undefined && stat.uid !== ownUid)) {
          this.logger.warn(`vulnerability cache disabled: ${dir} is not a directory owned by this user`);
          return false;
        }
        return true;
      } catch (e) {
        this.logger.warn(`vulnerability cache disabled: cannot use ${dir}: ${(e as Error).message}`);
        return false;
      }
    })();
    return this.ready;
  }
}

/** Where the cache lives: MTF_CACHE_DIR (`off` disables it), else a per-user directory in the OS temp dir. */
export function cacheDirFromEnv(env: Readonly<Record<string, string | undefined>>): string | null {
  const configured = env.MTF_CACHE_DIR?.trim();
  if (configured === 'off') return null;
  if (configured) return configured;
  return join(tmpdir(), `mtf-vuln-cache-${process.getuid?.() ?? 'user'}`);
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
