import { describe, expect, test } from '@jest/globals';
import { l2Manifest, makeBundle, manifestJson } from '../../__fixtures__/bundle.js';
import { lineContaining, resultOf, scanWith } from '../../__fixtures__/scan.js';
import { cq01 } from '../../src/controls/code_quality/cq-01-secret-detection.js';
import { WHOLE_TEXT_MAX_BYTES } from '../../src/text/scan-units.js';

// Fake credentials, assembled so that this file holds no literal a scanner would match.
const j = (...parts: string[]) => parts.join('');
const GITHUB_PAT = j('gh', 'p_', 'R7kPq2Lm9Xw4Tz8Vb3Nc6Hd1Jf5Gs0Ya2Ue8');
const STRIPE_LIVE = j('sk', '_live_', '51HxR7kPq2Lm9Xw4Tz8Vb3Nc6Hd1Jf5Gs0Ya2Ue8');
const AWS_ID = j('AK', 'IA', 'Q3T7WZ4K2M5N6P7R');
const NPM_TOKEN = j('np', 'm_', 'Kq7Wz2Rt9Yp4Lm8Nv3Bx6Cd1Qw3Er5Ty7Ui9');
const PEM = j(
  '-----BEGIN RSA PRIVATE',
  ' KEY-----\nMIIEowIBAAKCAQEAEkizau7M+YyC3SSYfLGuLnoyIz2LMDREwAoMMfFVYoI4JvNn\n',
  'aQ+IvHkjAx+l2DjLhtMu1p4enbSpedDf3K33Tvtr2HbZsXFkMO69kiBafahrZ/b4\n-----END RSA PRIVATE KEY-----\n',
);

async function check(files: Record<string, string | Buffer>, level: 1 | 2 = 1) {
  const report = await scanWith(makeBundle({ 'manifest.json': manifestJson(l2Manifest()), ...files }), [cq01], { requiredLevel: level });
  return resultOf(report, 'CQ-01');
}

describe('CQ-01 secrets in realistic places (severity table, MTF 3.4)', () => {
  test('a shipped .env with a GitHub token blocks at its line, redacted', async () => {
    const env = `NODE_ENV=production\nGITHUB_TOKEN=${GITHUB_PAT}\n`;
    const result = await check({ '.env': env });
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([
      expect.objectContaining({ rule: 'github-pat', action: 'BLOCK', severity: 'critical', file: '.env', line: 2, title: 'GitHub personal access token (ghp_… (40 chars))' }),
    ]);
    expect(JSON.stringify(result.findings)).not.toContain(GITHUB_PAT);
  });

  test('a live Stripe key in server code blocks; a suppression comment does not silence it', async () => {
    const code = `import Stripe from "stripe";\n\n// nosec: test key\nconst stripe = new Stripe("${STRIPE_LIVE}");\n`;
    const result = await check({ 'server/index.js': code });
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'stripe-live-key', action: 'BLOCK', file: 'server/index.js', line: 4 })]);
  });

  test('a private key in certs/ blocks at the header line', async () => {
    const result = await check({ 'certs/server.key': PEM });
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'private-key', action: 'BLOCK', file: 'certs/server.key', line: 1 })]);
  });

  test('a private key escaped inside a JSON service-account file blocks', async () => {
    const json = JSON.stringify({ type: 'service_account', private_key: PEM }, null, 2);
    const result = await check({ 'config/service-account.json': json });
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'private-key', action: 'BLOCK', line: 3 })]);
  });

  test('a generic password in config.json warns (low confidence)', async () => {
    const config = `{\n  "port": 8080,\n  "db_password": "Zq8Vw3Zr7Tn2Kx5Lm9"\n}\n`;
    const result = await check({ 'config.json': config });
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'generic-secret-assignment', action: 'WARN', severity: 'medium', file: 'config.json', line: 3 })]);
  });

  test('in a dependency, a provider token still blocks while generic matches warn', async () => {
    const fixture = `module.exports = {\n  password: "Zq8Vw3Zr7Tn2Kx5Lm9Pb",\n  npm: "${NPM_TOKEN}",\n};\n`;
    const result = await check({ 'node_modules/some-lib/test/fixture.js': fixture, 'node_modules/some-lib/test/key.pem': PEM });
    expect(result.status).toBe('fail');
    expect(result.findings.map((f) => `${f.file}:${f.line}:${f.rule}:${f.action}`)).toEqual([
      'node_modules/some-lib/test/fixture.js:2:generic-secret-assignment:WARN',
      'node_modules/some-lib/test/fixture.js:3:npm-token:BLOCK',
      'node_modules/some-lib/test/key.pem:1:private-key:WARN',
    ]);
  });

  test('a connection string with a password blocks for a real host and warns for localhost', async () => {
    const yaml = `prod: postgres://app:Vb3Nc6Hd1Jf5@db.prod.acme-corp.com:5432/app\ndev: postgres://app:Vb3Nc6Hd1Jf5@localhost:5432/app\n`;
    const result = await check({ 'config/database.yml': yaml });
    expect(result.findings.map((f) => `${f.line}:${f.action}`)).toEqual(['1:BLOCK', '2:WARN']);
    expect(result.findings[0]!.title).toContain('Vb3… (12 chars)');
  });

  test('an AWS key id in a binary file (NUL bytes, invalid UTF-8) is found in its printable text', async () => {
    const binary = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0xff, 0xfe]), Buffer.from(`\nkey=${AWS_ID}\0`), Buffer.alloc(64)]);
    const result = await check({ 'bin/server': binary });
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'aws-access-key-id', action: 'BLOCK', line: 2 })]);
  });

  test(`a file larger than the whole-text limit is scanned to its end, with the right line`, async () => {
    const filler = `${'x'.repeat(99)}\n`.repeat(Math.ceil(WHOLE_TEXT_MAX_BYTES / 100) + 50_000);
    const result = await check({ 'data/blob.txt': `${filler}token=${GITHUB_PAT}\n` });
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'github-pat', file: 'data/blob.txt', line: filler.split('\n').length })]);
  });

  test('findings past 20 per file collapse into one note that keeps the action', async () => {
    const lines = Array.from({ length: 25 }, (_, i) => `t${i} = "${j('gh', 'p_', String(i).padStart(2, '7'), 'R7kPq2Lm9Xw4Tz8Vb3Nc6Hd1Jf5Gs0Ya2U')}"`).join('\n');
    const result = await check({ 'tokens.py': lines });
    expect(result.findings).toHaveLength(21);
    expect(result.findings[20]).toEqual(expect.objectContaining({ rule: 'more-secrets', action: 'BLOCK', line: 21, title: '5 more potential secrets in tokens.py' }));
  });
});

describe('CQ-01 ordinary bundles (false positives)', () => {
  const LOCKFILE = JSON.stringify(
    {
      name: 'weather',
      lockfileVersion: 3,
      packages: {
        'node_modules/zod': {
          version: '3.23.8',
          resolved: 'https://registry.npmjs.org/zod/-/zod-3.23.8.tgz',
          integrity: 'sha512-XBx9AXhXktjUqnepgTiE5flcKIYWi/rme0Eaj+5Y0lftuGBq+jyRu/md4WnuxqgP1ubdpNCsYEYPxrzVHD8d6g==',
        },
      },
    },
    null,
    2,
  );
  const SERVER = `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
const apiKey = process.env.OPENWEATHER_API_KEY ?? "";
const cacheKey = "weather:v1:3f786850e387550fdab836ed7e6dc881de23001b";
const requestId = "9b2f4c3e-8a1d-4f6b-9c2e-7d5a3b1c0e8f";
const tokenEndpoint = "https://auth.example.com/oauth/token";
const headers = { Authorization: \`Bearer \${apiKey}\` };
const password = getPassword();
const checksum = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
export const PLACEHOLDER = "your-api-key-here";
`;

  test('code reading secrets from the environment, digests, UUIDs and lockfile integrity hashes pass with no finding', async () => {
    const result = await check({
      'server/index.js': SERVER,
      'package-lock.json': LOCKFILE,
      'node_modules/.package-lock.json': LOCKFILE,
      'package.json': JSON.stringify({ name: 'weather', version: '1.0.0', dependencies: { zod: '^3.23.8' } }, null, 2),
      '.env.example': 'OPENWEATHER_API_KEY=your-key-here\nDATABASE_URL=postgres://user:password@localhost:5432/db\n',
      'README.md': 'Set `GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx` and `AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE`.\n',
    });
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([]);
  });

  test('a bare private key header in code that parses PEM is not a key', async () => {
    const code = `const BEGIN = "-----BEGIN RSA PRIVATE KEY-----";\nexport function isPem(s) { return s.startsWith(BEGIN); }\n`;
    expect((await check({ 'node_modules/pem-utils/index.js': code })).findings).toEqual([]);
  });

  test('an assignment to a credential name is reported on the line of the value', async () => {
    const text = `settings:\n  smtp:\n    password: "Zq8Vw3Zr7Tn2Kx5Lm9"\n`;
    const result = await check({ 'settings.yaml': text });
    expect(result.findings).toEqual([expect.objectContaining({ line: lineContaining(text, 'password') })]);
  });
});
