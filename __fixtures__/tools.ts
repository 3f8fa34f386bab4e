import { readFileSync } from 'node:fs';
import { expect } from '@jest/globals';
import { analyze } from '../src/analysis/analyze.js';
import { silentLogger } from '../src/logger.js';
import { makeBundle, type FixtureFile } from './bundle.js';

/** A server source file from __tests__/fixtures/analysis/. */
export function readAnalysisFixture(name: string): string {
  return readFileSync(new URL(`../__tests__/fixtures/analysis/${name}`, import.meta.url), 'utf8');
}

/** The tool registrations the analysis pass finds in `files` (which must all analyse without a problem). */
export async function findTools(files: Record<string, FixtureFile>) {
  const facts = await analyze(makeBundle(files), silentLogger);
  expect(facts.problems).toEqual([]);
  return facts.tools.map(({ name, description, line, form }) => ({ name, description, line, form }));
}
