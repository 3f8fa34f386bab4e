import { describe, expect, test } from '@jest/globals';
import { l2Manifest, makeBundle, manifestJson } from '../../__fixtures__/bundle.js';
import { lineContaining, resultOf, scanWith } from '../../__fixtures__/scan.js';
import { findings, type Control } from '../../src/controls/control.js';
import { rg01 } from '../../src/controls/registry_operations/rg-01-namespace-governance.js';
import { rg02 } from '../../src/controls/registry_operations/rg-02-name-pattern-review.js';
import { rg07 } from '../../src/controls/registry_operations/rg-07-bundle-digest.js';
import { RUN_ORDER, type ControlId } from '../../src/spec/catalog.js';
import { ConfigSchema } from '../../src/spec/config-schema.js';
import { lookalikes, scriptsOf, skeleton } from '../../src/rules/name-patterns.js';

async function scanName(name: string, overrides: Record<string, unknown> = {}, controls: Control[] = [rg01, rg02, rg07]) {
  const text = manifestJson(l2Manifest({ name, ...overrides }));
  const bundle = makeBundle({ 'manifest.json': text, 'server.py': '' });
  const report = await scanWith(bundle, controls, { requiredLevel: 2 });
  return { report, text, bundle };
}

const rulesOf = async (id: ControlId, name: string, overrides: Record<string, unknown> = {}) => {
  const { report } = await scanName(name, overrides);
  return resultOf(report, id).findings.map((f) => `${f.rule}:${f.action}:${f.severity}`);
};

describe('RG-01 Namespace Governance (spec 3.7)', () => {
  test('a scoped name passes', async () => {
    const { report } = await scanName('@acme/weather-server');
    expect(resultOf(report, 'RG-01')).toMatchObject({ status: 'pass', gates: 'opt-in', findings: [] });
  });

  test('an unscoped name blocks RG-01 at the name line, but gates nothing by default', async () => {
    const { report, text } = await scanName('weather-server');
    expect(resultOf(report, 'RG-01')).toMatchObject({ status: 'fail', gates: 'opt-in' });
    expect(resultOf(report, 'RG-01').findings).toEqual([expect.objectContaining({ rule: 'unscoped-name', action: 'BLOCK', line: lineContaining(text, '"name"') })]);
  });

  test('with gate-registry-operations the blocking RG-01 finding holds the level down', async () => {
    const text = manifestJson(l2Manifest({ name: 'weather-server' }));
    const others: Control[] = RUN_ORDER.filter((id) => id !== 'RG-01').map((id) => ({ id, check: () => findings([]) }));
    const bundle = makeBundle({ 'manifest.json': text, 'server.py': '' });
    const ungated = await scanWith(bundle, [rg01, ...others], { requiredLevel: 2 });
    const gated = await scanWith(bundle, [rg01, ...others], { requiredLevel: 2, config: ConfigSchema.parse({ 'gate-registry-operations': true }) });
    expect([ungated.compliance.level, gated.compliance.level]).toEqual([4, 1]);
  });

  test('a malformed scoped name blocks', async () => {
    expect(await rulesOf('RG-01', '@Acme/Weather')).toEqual(['invalid-scoped-name:BLOCK:medium']);
  });

  test('a known organization scope is a reserved namespace: INFO for the registry', async () => {
    expect(await rulesOf('RG-01', '@stripe/payments')).toEqual(['reserved-namespace:INFO:info']);
  });
});

describe('RG-02 Name Pattern Review (spec 3.7)', () => {
  test('an ordinary name has no findings', async () => {
    expect(await rulesOf('RG-02', '@acme/weather-server')).toEqual([]);
  });

  test.each([
    ['scope mimicry (Levenshtein <= 2 from a known organization)', '@modelcontextprotocl/server-weather', 'scope-mimicry:BLOCK:critical'],
    ['typosquatting a service (stripe-mcp vs strpe-mcp)', '@acme/strpe-mcp', 'similar-name:BLOCK:high'],
    ['typosquatting a well-known MCP server package', '@acme/server-filesystme', 'similar-name:BLOCK:high'],
    ['a version-like suffix on a known name', '@acme/github2', 'version-like-suffix:BLOCK:high'],
    ['a -next suffix on a known name', '@acme/playwright-next', 'version-like-suffix:BLOCK:high'],
    ['a generic utils-* compound', '@acme/utils-weather', 'generic-compound:BLOCK:high'],
    ['a generic *-tools compound', '@acme/weather-tools', 'generic-compound:BLOCK:high'],
    ['a generic *-helper compound', '@acme/weather-helper', 'generic-compound:BLOCK:high'],
    ['a framework plugin (fastapi-*-middleware)', '@acme/fastapi-auth-middleware', 'generic-compound:BLOCK:high'],
    ['the name of a well-known scoped package under another scope', '@acme/server-filesystem', 'same-name-other-scope:BLOCK:high'],
  ])('%s: %s', async (_, name, expected) => {
    expect(await rulesOf('RG-02', name)).toContain(expected);
  });

  test('a service-name compound without an affiliation disclaimer blocks', async () => {
    expect(await rulesOf('RG-02', '@acme/stripe-invoices')).toEqual(['service-name-without-disclaimer:BLOCK:high']);
    expect(await rulesOf('RG-02', '@acme/mcp-server-google-drive')).toEqual(['service-name-without-disclaimer:BLOCK:high']);
  });

  test('with "not affiliated with" or "unofficial" in the description it is an INFO', async () => {
    expect(await rulesOf('RG-02', '@acme/stripe-invoices', { description: 'Invoices from Stripe. Not affiliated with Stripe, Inc.' })).toEqual(['service-name-disclaimed:INFO:info']);
    expect(await rulesOf('RG-02', '@acme/github-issues', { description: 'An unofficial GitHub issues server' })).toEqual(['service-name-disclaimed:INFO:info']);
  });

  test("the service's own scope needs no disclaimer", async () => {
    expect(await rulesOf('RG-02', '@stripe/stripe-invoices')).toEqual([]);
    expect(await rulesOf('RG-02', '@notionhq/notion-pages')).toEqual([]);
  });

  test('a Cyrillic homoglyph blocks as critical and is caught by the similarity check too', async () => {
    const rules = await rulesOf('RG-02', '@acme/strіpe-mcp'); // U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I
    expect(rules[0]).toBe('homoglyph:BLOCK:critical');
    expect(rules).toContain('service-name-without-disclaimer:BLOCK:high');
  });

  test('a homoglyph in the scope reads as the organization it imitates', async () => {
    const { report } = await scanName('@аnthropic/tools-server'); // U+0430 CYRILLIC SMALL LETTER A
    const [finding] = resultOf(report, 'RG-02').findings;
    expect(finding).toMatchObject({ rule: 'homoglyph', title: 'Homoglyph in name: "@аnthropic/tools-server" reads as "@anthropic/tools-server"' });
    expect(finding!.description).toContain('"а" (U+0430) reads as "a"');
  });

  test('mixed scripts without a Latin lookalike block', async () => {
    expect(await rulesOf('RG-02', '@acme/weather-日本')).toEqual(['mixed-script:BLOCK:critical']);
  });
});

describe('name analysis', () => {
  test('skeletons fold fullwidth, accented, invisible and lookalike characters', () => {
    expect(skeleton('ｓｔｒｉｐｅ')).toBe('stripe');
    expect(skeleton('strípe')).toBe('stripe');
    expect(skeleton('stri\u200bpe')).toBe('stripe');
    expect(skeleton('ѕtrіpе')).toBe('stripe');
    expect(lookalikes('stri\u200bpe')).toEqual([{ character: '\u200b', codePoint: 'U+200B', reads: '' }]);
    expect(scriptsOf('gitһub')).toEqual(['Latin', 'Cyrillic']);
  });
});

describe('RG-07 Bundle Digest (spec 3.7)', () => {
  test("reports the archive's SHA-256 as an INFO and passes", async () => {
    const { report, bundle } = await scanName('@acme/weather-server');
    const result = resultOf(report, 'RG-07');
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'bundle-digest', action: 'INFO', title: `Bundle SHA-256 ${bundle.sha256}` })]);
    expect(report.bundle.hash).toBe(bundle.sha256);
  });
});
