import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from '@jest/globals';

/** ../shared beside the project (always there in CI): the MTF spec and its normative schemas. */
export const SHARED_MTF = join(process.cwd(), '..', 'shared', 'mtf');

/** `describe` when ../shared/mtf exists, else `describe.skip` (a bare clone without the spec beside it). */
export const describeWithShared = existsSync(SHARED_MTF) ? describe : describe.skip;

export function readShared(path: string): string {
  return readFileSync(join(SHARED_MTF, path), 'utf8');
}

export function readSharedJson(path: string): object {
  return JSON.parse(readShared(path)) as object;
}
