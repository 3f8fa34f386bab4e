import { describe, expect, test } from '@jest/globals';
import { makeBundle } from '../../__fixtures__/bundle.js';
import { resultOf, scanWith } from '../../__fixtures__/scan.js';
import { cq01 } from '../../src/controls/code_quality/cq-01-secret-detection.js';
import { isSecretName, looksRandom, SECRET_RULES, type SecretRule } from '../../src/rules/secrets.js';
import { redact } from '../../src/text/redact.js';

/** A file name the rule applies to (rules with a path filter name their files). */
function fileFor(rule: SecretRule): string {
  if (!rule.paths) return 'src/config.js';
  return ['.npmrc', '.env', 'config/app.yaml'].find((p) => rule.paths!.test(p))!;
}

async function cq01Findings(path: string, content: string) {
  const report = await scanWith(makeBundle({ [path]: `// header\n${content}\n` }), [cq01], { requiredLevel: 1 });
  return resultOf(report, 'CQ-01').findings;
}

describe('secret rule table (every rule has a true and a false example)', () => {
  test('rule ids are unique kebab-case and every pattern is global', () => {
    const ids = SECRET_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of SECRET_RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(rule.pattern.flags).toContain('g');
    }
  });

  test.each(SECRET_RULES.map((r) => [r.id, r] as const))('%s reports its true example on line 2, redacted', async (_id, rule) => {
    const found = await cq01Findings(fileFor(rule), rule.examples.match);
    const finding = found.find((f) => f.rule === rule.id);
    expect(finding).toEqual(
      expect.objectContaining({ file: fileFor(rule), line: 2, action: rule.confidence === 'high' ? 'BLOCK' : 'WARN' }),
    );
    // The finding shows the first characters and the length, never the secret itself.
    expect(finding!.title).toMatch(/… \(\d+ chars\)/);
    const long = rule.examples.match.match(/[A-Za-z0-9_+/=.-]{12,}/g) ?? [];
    for (const part of long) {
      expect(finding!.title).not.toContain(part);
      expect(finding!.description).not.toContain(part);
    }
  });

  test.each(SECRET_RULES.map((r) => [r.id, r] as const))('%s does not report its false example', async (_id, rule) => {
    expect(await cq01Findings(fileFor(rule), rule.examples.noMatch)).toEqual([]);
  });
});

describe('redaction', () => {
  test('shows four characters of a long secret and its length', () => {
    expect(redact(['gh', 'p_', 'R7kPq2Lm9Xw4Tz8Vb3Nc6Hd1Jf5Gs0Ya2Ue8'].join(''))).toBe('ghp_… (40 chars)');
  });

  test('shows at most a quarter of a short secret', () => {
    expect(redact('hunter22')).toBe('hu… (8 chars)');
    expect(redact('abc')).toBe('… (3 chars)');
  });
});

describe('credential names and random values (the generic rules)', () => {
  test.each(['apiKey', 'API_KEY', 'db_password', 'githubToken', 'client_secret', 'x-api-key', 'PRIVATE_KEY', 'settings.auth.token', 'smtpPass'])(
    '%s names a credential',
    (name) => expect(isSecretName(name)).toBe(true),
  );

  test.each(['tokenType', 'token_endpoint', 'publicKey', 'cacheKey', 'primaryKey', 'bypass', 'passwordField', 'secretary', 'key', 'keyId'])(
    '%s does not',
    (name) => expect(isSecretName(name)).toBe(false),
  );

  test.each(['Zq8Vw3Zr7Tn2Kx5Lm9Pb4Hs', '9f2c7a1e5b3d8f6a0c4e2b9d7f1a3c5e'])('%s looks random', (value) => expect(looksRandom(value)).toBe(true));

  test.each(['access_token_here', 'correcthorsebatterystaple', 'https://auth.example.com/oauth/token', 'certs/private-key.pem', 'your-api-key-goes-here', '${API_TOKEN_FROM_ENV}', 'aaaaaaaaaaaaaaaaaaaa'])(
    '%s does not',
    (value) => expect(looksRandom(value)).toBe(false),
  );
});
