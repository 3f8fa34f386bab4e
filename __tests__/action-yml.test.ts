import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { INPUT_NAMES } from '../src/action/inputs.js';

const actionYml = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
};

describe('action.yml', () => {
  test('declares exactly the inputs the action reads', () => {
    expect(Object.keys(actionYml.inputs).sort()).toEqual([...INPUT_NAMES].sort());
  });

  test('sets no default but the token\'s, which only the runner can evaluate (defaults live in the zod schemas)', () => {
    const defaults = Object.entries(actionYml.inputs).filter(([, input]) => input.default !== undefined);
    expect(defaults).toEqual([['token', expect.objectContaining({ default: '${{ github.token }}' })]]);
  });

  test('declares every output the action sets', () => {
    expect(Object.keys(actionYml.outputs).sort()).toEqual(
      ['bundle-path', 'bundle-sha256', 'findings', 'level', 'level-name', 'passed', 'report-file', 'risk-score', 'sarif-file'],
    );
  });
});
