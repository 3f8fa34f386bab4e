import * as glob from '@actions/glob';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Inputs } from './inputs.js';
import { InputError } from './inputs.js';

/** Most bundles one step scans; more belong in a matrix (README, "Several bundles"). */
export const MAX_BUNDLES = 100;

const GLOB_MAGIC = /[*?[\]{}]/;

/**
 * What the step scans: the `directory`, or every file the `bundle` input names. `bundle` holds one path or
 * glob per line; `!pattern` lines exclude glob matches. A literal path is kept as given (a missing file is
 * intake's error, which names it); a glob that matches nothing is an error naming the glob. Symbolic links are
 * not followed while globbing. Paths are returned relative to `cwd` when inside it, sorted, without duplicates.
 */
export async function locateTargets(inputs: Pick<Inputs, 'bundle' | 'directory'>, cwd: string): Promise<string[]> {
  if (inputs.directory) return [inputs.directory];
  const lines = (inputs.bundle ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const literals = lines.filter((line) => !line.startsWith('!') && !GLOB_MAGIC.test(line));
  const patterns = lines.filter((line) => line.startsWith('!') || GLOB_MAGIC.test(line));
  const found = new Set(literals.map((path) => display(resolve(cwd, path), cwd, path)));
  const positive = patterns.filter((p) => !p.startsWith('!'));
  for (const pattern of positive) {
    const matches = await globFiles([pattern, ...patterns.filter((p) => p.startsWith('!'))]);
    if (matches.length === 0) throw new InputError(`bundle: the pattern "${pattern}" matched no file`);
    for (const match of matches) found.add(display(match, cwd, match));
  }
  if (found.size === 0) throw new InputError('bundle: no bundle to scan');
  if (found.size > MAX_BUNDLES) {
    throw new InputError(`bundle: ${found.size} bundles match, more than ${MAX_BUNDLES} in one step; scan them in a matrix of jobs`);
  }
  return [...found].sort();
}

async function globFiles(patterns: string[]): Promise<string[]> {
  const globber = await glob.create(patterns.join('\n'), {
    followSymbolicLinks: false,
    matchDirectories: false,
    implicitDescendants: false,
  });
  return globber.glob();
}

function display(absolute: string, cwd: string, given: string): string {
  const rel = relative(cwd, absolute);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? (isAbsolute(given) ? given : absolute) : rel;
}
