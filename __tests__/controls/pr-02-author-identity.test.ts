import { describe, expect, test } from '@jest/globals';
import { l2Manifest, makeBundle, manifestJson } from '../../__fixtures__/bundle.js';
import { lineContaining, resultOf, scanWith } from '../../__fixtures__/scan.js';
import { isValidEmail, pr02 } from '../../src/controls/provenance/pr-02-author-identity.js';

async function check(author: unknown, level: 1 | 2 | 3 = 2) {
  const text = manifestJson(l2Manifest({ author }));
  const report = await scanWith(makeBundle({ 'manifest.json': text, 'server.py': '' }), [pr02], { requiredLevel: level });
  return { result: resultOf(report, 'PR-02'), text };
}

const rules = (result: { findings: { rule: string; action: string }[] }) => result.findings.map((f) => `${f.rule}:${f.action}`);

describe('PR-02 severity table (spec 3.6)', () => {
  test('an author with a name and a valid email passes, with an INFO that tiers and owners are registry facts', async () => {
    const { result, text } = await check({ name: 'Acme Corp', email: 'mcp@acme.com' });
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'identity-not-verified', action: 'INFO', line: lineContaining(text, '"author"') })]);
  });

  test('a missing author blocks from L2', async () => {
    const { result } = await check(undefined);
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'author-missing', action: 'BLOCK', blocks_from: 2, line: 1 })]);
  });

  test('a missing email blocks at the author line', async () => {
    const { result, text } = await check({ name: 'Acme Corp', url: 'https://acme.com' });
    expect(result.status).toBe('fail');
    expect(rules(result)).toEqual(['author-email-missing:BLOCK', 'identity-not-verified:INFO']);
    expect(result.findings[0]!.line).toBe(lineContaining(text, '"author"'));
  });

  test('an invalid email blocks at the email line', async () => {
    const { result, text } = await check({ name: 'Acme Corp', email: 'mcp at acme' });
    expect(rules(result)).toEqual(['identity-not-verified:INFO', 'author-email-invalid:BLOCK']);
    expect(result.findings[1]!.line).toBe(lineContaining(text, '"email"'));
  });

  test('a missing name blocks', async () => {
    const { result } = await check({ email: 'mcp@acme.com' });
    expect(rules(result)).toEqual(['author-name-missing:BLOCK', 'identity-not-verified:INFO']);
  });

  test('an npm-style author string is read for its email', async () => {
    expect(rules((await check('Acme Corp <mcp@acme.com> (https://acme.com)')).result)).toEqual(['identity-not-verified:INFO']);
    expect(rules((await check('Acme Corp')).result)).toEqual(['author-email-missing:BLOCK', 'identity-not-verified:INFO']);
  });

  test('an author that is neither object nor string blocks', async () => {
    expect(rules((await check(42)).result)).toEqual(['author-invalid:BLOCK']);
  });

  test('at L3 the INFO names the L3 registry requirements', async () => {
    const { result } = await check({ name: 'Acme Corp', email: 'mcp@acme.com' }, 3);
    expect(result.findings[0]!.description).toContain('Tier 1 or 2 identity and more than one owner');
  });
});

test('isValidEmail accepts addresses and refuses the rest, fast on hostile input', () => {
  for (const ok of ['mcp@acme.com', 'first.last+tag@sub.acme.co.uk', 'x@xn--bcher-kva.example', 'a@bücher.example']) expect(isValidEmail(ok)).toBe(true);
  for (const bad of ['', 'acme.com', '@acme.com', 'mcp@', 'mcp@acme', 'mcp@acme.c', 'mcp@@acme.com', '.mcp@acme.com', 'mc..p@acme.com', 'mcp@acme..com', 'mcp@-acme.com', 'mcp@acme.com/x', 'mcp@127.0.0.1', 'm cp@acme.com', `${'a'.repeat(65)}@acme.com`]) {
    expect(isValidEmail(bad)).toBe(false);
  }
  const started = performance.now();
  isValidEmail(`${'a.'.repeat(100_000)}@${'a-'.repeat(100_000)}`);
  isValidEmail(`a@${'a'.repeat(62)}.${'-'.repeat(100_000)}`);
  expect(performance.now() - started).toBeLessThan(100);
});
