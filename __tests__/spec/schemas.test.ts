import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { l2Manifest, makeBundle, manifestJson } from '../../__fixtures__/bundle.js';
import { compileSchema as validator } from '../../__fixtures__/ajv.js';
import { describeWithShared, readSharedJson } from '../../__fixtures__/shared.js';
import { scan } from '../../src/engine.js';
import { ConfigSchema } from '../../src/spec/config-schema.js';
import { ExtensionSchema } from '../../src/spec/extension-schema.js';
import { ReportSchema } from '../../src/spec/report-schema.js';

const generated = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });

describe('schemas/ holds the JSON Schemas generated from the zod definitions', () => {
  const cases: [string, z.ZodType][] = [
    ['report.schema.json', ReportSchema],
    ['mtf-extension.schema.json', ExtensionSchema],
    ['config.schema.json', ConfigSchema],
  ];
  test.each(cases)('%s is up to date (npm run build regenerates it)', (file, schema) => {
    expect(JSON.parse(readFileSync(`schemas/${file}`, 'utf8'))).toEqual(generated(schema));
  });
});

async function sampleReports() {
  const good = makeBundle({ 'manifest.json': manifestJson(l2Manifest()), 'server.py': '' });
  const broken = makeBundle({ 'manifest.json': '[1, 2' });
  const noVersion = makeBundle({ 'manifest.json': '{"name": "x"}' });
  const signed = { ...good, signature: { offset: 10, length: 20, certificates: 1, subject: 'CN=x', algorithm: 'RSA-SHA256' } };
  return Promise.all([scan(good), scan(broken), scan(noVersion), scan(signed, { requiredLevel: 3 })]);
}

describe('reports validate against our schema', () => {
  test('the zod schema and the generated JSON Schema accept every sample report', async () => {
    const validate = validator(generated(ReportSchema));
    for (const report of await sampleReports()) {
      expect(ReportSchema.safeParse(report).error).toBeUndefined();
      expect(validate(JSON.parse(JSON.stringify(report)))).toBe(true);
    }
  });
});

describeWithShared('against the normative MTF schemas (../shared/mtf/schemas)', () => {
  test('every sample report validates against report.schema.json', async () => {
    const validate = validator(readSharedJson('schemas/report.schema.json'));
    for (const report of await sampleReports()) {
      const ok = validate(JSON.parse(JSON.stringify(report)));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  const extensions: [string, unknown][] = [
    ['minimal', { mtf_version: '0.1' }],
    ['full', { mtf_version: '0.1', level: 3, permissions: { network: 'outbound' }, credentials: [{ provider: 'google', scopes: ['a'], justification: 'j', token_handling: { storage: 'keychain', max_lifetime_seconds: 60, refresh: false } }], source: { commit: 'a'.repeat(40), signed: true }, build: { builder: 'gh', reproducible: true }, signature: { type: 'sigstore', bundle_path: 'x', signer_identity: 'https://github.com/x' }, attestation: { type: 'https://slsa.dev/provenance/v1', bundle_url: 'https://x.example/a' }, scorecard: { score: 7.5, checks: { 'Branch-Protection': 8 }, scan_date: '2026-01-02' } }],
    ['missing mtf_version', { level: 2 }],
    ['bad mtf_version', { mtf_version: '0.1.0' }],
    ['level 5', { mtf_version: '0.1', level: 5 }],
    ['level 2.5', { mtf_version: '0.1', level: 2.5 }],
    ['unknown top-level', { mtf_version: '0.1', extra: true }],
    ['bad permission', { mtf_version: '0.1', permissions: { network: 'all' } }],
    ['unknown permission', { mtf_version: '0.1', permissions: { gpu: 'none' } }],
    ['credential without justification', { mtf_version: '0.1', credentials: [{ provider: 'g', scopes: ['a'] }] }],
    ['credential with no scopes', { mtf_version: '0.1', credentials: [{ provider: 'g', scopes: [], justification: 'j' }] }],
    ['storage file', { mtf_version: '0.1', credentials: [{ provider: 'g', scopes: ['a'], justification: 'j', token_handling: { storage: 'file' } }] }],
    ['short commit', { mtf_version: '0.1', source: { commit: 'abc123' } }],
    ['source.tag', { mtf_version: '0.1', source: { commit: 'a'.repeat(40), tag: 'v1' } }],
    ['build without builder', { mtf_version: '0.1', build: { reproducible: true } }],
    ['signature type', { mtf_version: '0.1', signature: { type: 'pgp' } }],
    ['signature.bundle', { mtf_version: '0.1', signature: { type: 'sigstore', bundle: 'x' } }],
    ['attestation type', { mtf_version: '0.1', attestation: { type: 'https://slsa.dev/provenance/v0.2' } }],
    ['scorecard 11', { mtf_version: '0.1', scorecard: { score: 11, scan_date: '2026-01-01' } }],
    ['scorecard date', { mtf_version: '0.1', scorecard: { score: 5, scan_date: 'yesterday' } }],
    ['not an object', ['mtf_version']],
  ];

  test.each(extensions)('the extension schema and the normative one agree on: %s', (_name, document) => {
    const normative = validator(readSharedJson('schemas/mtf-extension.schema.json'));
    expect(ExtensionSchema.safeParse(document).success).toBe(normative(document));
  });

  test('the generated extension schema has the normative properties, enums and required fields', () => {
    const normative = readSharedJson('schemas/mtf-extension.schema.json') as { properties: object; required: string[] };
    const ours = generated(ExtensionSchema) as { properties: object; required: string[] };
    expect(Object.keys(ours.properties).sort()).toEqual(Object.keys(normative.properties).sort());
    expect(ours.required).toEqual(normative.required);
  });
});
