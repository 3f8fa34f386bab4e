/**
 * CQ-01 secret detection rules (MTF 3.4): what a credential looks like, as data.
 *
 * Several provider patterns are re-expressed from the gitleaks default rule set (config/gitleaks.toml), used
 * under its MIT license:
 *
 *   MIT License
 *   Copyright (c) 2019 Zachary Rice
 *
 *   Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
 *   associated documentation files (the "Software"), to deal in the Software without restriction, including
 *   without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 *   copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the
 *   following conditions:
 *
 *   The above copyright notice and this permission notice shall be included in all copies or substantial
 *   portions of the Software.
 *
 *   THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
 *   LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO
 *   EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
 *   IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR
 *   THE USE OR OTHER DEALINGS IN THE SOFTWARE.
 *
 * Every pattern runs on hostile input, so each is linear: bounded repetitions, no nested quantifiers, no
 * alternatives under a quantifier that can match the same text (__tests__/rules/regex-safety.test.ts checks
 * them statically and on adversarial input). Provider tokens are fenced by lookarounds instead of `\b`, so a
 * token-shaped stretch inside a longer base64 blob (inlined wasm, source maps) is not a match.
 */

import { shannonEntropy } from '../text/entropy.js';
import { hasPlaceholderWords, isPlaceholder } from '../text/placeholder.js';

/**
 * `provider`: a credential format one service issues (its prefix says whose it is); it blocks wherever it is
 * found, dependencies included. `generic`: a format anyone uses (private keys, connection strings, assignments
 * to a secret-looking name); inside a dependency directory it warns (DESIGN.md section 4, "Scope of code
 * analysis"), since packages ship test keys and sample connection strings.
 */
export type SecretKind = 'provider' | 'generic';
export type Confidence = 'high' | 'low';

/** What a rule concluded about one match: the secret (for redaction) and how sure it is. */
export interface SecretJudgement {
  secret: string;
  confidence: Confidence;
}

export interface SecretRule {
  id: string;
  /** What was found, as a title: "GitHub personal access token". */
  title: string;
  kind: SecretKind;
  /** The confidence of a match that passes the rule's checks (the judge may lower it). */
  confidence: Confidence;
  /**
   * Literal strings (case-sensitive) of which one must occur in the text for the pattern to run: the cheap
   * prefilter. Empty: the pattern runs on every file (it starts with a rare character class instead).
   */
  keywords: readonly string[];
  /** Global regex; the named group `secret` holds the credential unless `judge` says otherwise. */
  pattern: RegExp;
  /** Only files whose bundle path matches. */
  paths?: RegExp;
  /**
   * Decides a match: null when it is not a secret (placeholder, low entropy, not a credential name), else the
   * secret and confidence. Default: the `secret` group, dropped when it is an obvious placeholder.
   */
  judge?: (match: RegExpExecArray, text: string) => SecretJudgement | null;
  /** A line the rule must report and one it must not (the rule table test runs both through CQ-01). */
  examples: { match: string; noMatch: string };
}

/** Left fence of a token: not preceded by a character that could continue it. */
const B = String.raw`(?<![A-Za-z0-9_+/-])`;

// Example credentials are assembled from pieces so that this file never holds a literal that matches a rule.
const j = (...parts: string[]) => parts.join('');
const BASE62_36 = 'R7kPq2Lm9Xw4Tz8Vb3Nc6Hd1Jf5Gs0Ya2Ue8';

/** A PEM private key (random bytes behind an RSA key's DER header) for the examples, assembled from pieces. */
const EXAMPLE_PEM = j(
  '-----BEGIN RSA PRIVATE', ' KEY-----\n',
  'MIIEowIBAAKCAQEAEkizau7M+YyC3SSYfLGuLnoyIz2LMDREwAoMMfFVYoI4JvNn\n',
  'aQ+IvHkjAx+l2DjLhtMu1p4enbSpedDf3K33Tvtr2HbZsXFkMO69kiBafahrZ/b4\n',
  '-----END RSA PRIVATE', ' KEY-----\n',
);

export const SECRET_RULES: readonly SecretRule[] = [
  {
    id: 'aws-access-key-id',
    title: 'AWS access key ID',
    kind: 'provider',
    confidence: 'high',
    keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    pattern: new RegExp(String.raw`${B}(?<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9])`, 'g'),
    examples: { match: j('aws_access_key_id = AK', 'IA', 'Q3T7WZ4K2M5N6P7R'), noMatch: 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE' },
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    kind: 'provider',
    confidence: 'high',
    keywords: ['secret_access_key', 'SECRET_ACCESS_KEY', 'secretAccessKey', 'SecretAccessKey', 'secretaccesskey'],
    pattern: new RegExp(
      String.raw`(?<![A-Za-z0-9])(?:aws_?)?secret_?access_?key["'\x60]?[ \t]{0,4}(?:=|:|:=|=>|,)[ \t]{0,4}["'\x60]?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
      'gi',
    ),
    examples: {
      match: j('aws_secret_access_key = ', 'q8Vw3Zr7Tn2Kx5Lm9Pb4Hs6Jd1Fg0', 'Yc2Ue7Ai3Ox'),
      noMatch: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    },
  },
  {
    id: 'github-pat',
    title: 'GitHub personal access token',
    kind: 'provider',
    confidence: 'high',
    keywords: ['ghp_'],
    pattern: new RegExp(String.raw`${B}(?<secret>ghp_[A-Za-z0-9]{36})(?![A-Za-z0-9_])`, 'g'),
    examples: { match: j('GITHUB_TOKEN=gh', 'p_', BASE62_36), noMatch: j('GITHUB_TOKEN=gh', 'p_', 'x'.repeat(36)) },
  },
  {
    id: 'github-oauth-token',
    title: 'GitHub OAuth access token',
    kind: 'provider',
    confidence: 'high',
    keywords: ['gho_'],
    pattern: new RegExp(String.raw`${B}(?<secret>gho_[A-Za-z0-9]{36})(?![A-Za-z0-9_])`, 'g'),
    examples: { match: j('token: "gh', 'o_', BASE62_36, '"'), noMatch: j('if (token.startsWith("gh', 'o_")) return "oauth";') },
  },
  {
    id: 'github-app-token',
    title: 'GitHub App token',
    kind: 'provider',
    confidence: 'high',
    keywords: ['ghu_', 'ghs_'],
    pattern: new RegExp(String.raw`${B}(?<secret>gh[us]_[A-Za-z0-9]{36})(?![A-Za-z0-9_])`, 'g'),
    examples: { match: j('auth = "gh', 's_', BASE62_36, '"'), noMatch: j('auth = "gh', 's_', '<installation-token-here>', '"') },
  },
  {
    id: 'github-refresh-token',
    title: 'GitHub refresh token',
    kind: 'provider',
    confidence: 'high',
    keywords: ['ghr_'],
    pattern: new RegExp(String.raw`${B}(?<secret>ghr_[A-Za-z0-9]{36})(?![A-Za-z0-9_])`, 'g'),
    examples: { match: j('refresh: gh', 'r_', BASE62_36), noMatch: j('refresh: gh', 'r_', BASE62_36, 'Z') },
  },
  {
    id: 'github-fine-grained-pat',
    title: 'GitHub fine-grained personal access token',
    kind: 'provider',
    confidence: 'high',
    keywords: ['github_pat_'],
    pattern: new RegExp(String.raw`${B}(?<secret>github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])`, 'g'),
    examples: {
      match: j('GH_PAT=github', '_pat_', '11AB3CD5E', '0', BASE62_36.slice(0, 12), '_', BASE62_36, BASE62_36.slice(0, 23)),
      noMatch: j('GH_PAT=github', '_pat_', 'XXXXXXXXXXXXXXXXXXXXXX'),
    },
  },
  {
    id: 'gitlab-pat',
    title: 'GitLab personal access token',
    kind: 'provider',
    confidence: 'high',
    keywords: ['glpat-'],
    pattern: new RegExp(String.raw`${B}(?<secret>glpat-[A-Za-z0-9_-]{20,64})(?![A-Za-z0-9_-])`, 'g'),
    examples: { match: j('GITLAB_TOKEN=gl', 'pat-', 'Xw4Tz8Vb3Nc6Hd1Jf5Gs'), noMatch: j('GITLAB_TOKEN=gl', 'pat-', 'your-token') },
  },
  {
    id: 'stripe-live-key',
    title: 'Stripe live secret key',
    kind: 'provider',
    confidence: 'high',
    keywords: ['sk_live_', 'rk_live_'],
    pattern: new RegExp(String.raw`${B}(?<secret>[sr]k_live_[A-Za-z0-9]{16,247})(?![A-Za-z0-9])`, 'g'),
    examples: { match: j("stripe.api_key = 'sk", '_live_', '51Hx', BASE62_36, "'"), noMatch: j("stripe.api_key = 'sk", '_live_', "...'") },
  },
  {
    id: 'stripe-test-key',
    title: 'Stripe test-mode secret key',
    kind: 'provider',
    confidence: 'low',
    keywords: ['sk_test_', 'rk_test_'],
    pattern: new RegExp(String.raw`${B}(?<secret>[sr]k_test_[A-Za-z0-9]{16,247})(?![A-Za-z0-9])`, 'g'),
    examples: { match: j('STRIPE_KEY=sk', '_test_', '51Hx', BASE62_36), noMatch: j('STRIPE_KEY=sk', '_test_', '4eC39HqLyjWDarjtT1zdp7dc') },
  },
  {
    id: 'slack-token',
    title: 'Slack token',
    kind: 'provider',
    confidence: 'high',
    keywords: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxo-', 'xoxe-', 'xoxe.'],
    pattern: new RegExp(String.raw`${B}(?<secret>xox[abposre]-(?:[0-9]{1,16}-){1,3}[A-Za-z0-9]{8,200})(?![A-Za-z0-9-])`, 'g'),
    examples: {
      match: j('SLACK_BOT_TOKEN=xo', 'xb-', '2851946371-5829174638219-', 'Kq7Wz2Rt9Yp4Lm8Nv3Bx6Cd1'),
      noMatch: 'SLACK_BOT_TOKEN=xoxb-your-bot-token',
    },
  },
  {
    id: 'slack-app-token',
    title: 'Slack app-level token',
    kind: 'provider',
    confidence: 'high',
    keywords: ['xapp-'],
    pattern: new RegExp(String.raw`${B}(?<secret>xapp-[0-9]-[A-Za-z0-9]{6,16}-[0-9]{6,16}-[A-Za-z0-9]{32,80})(?![A-Za-z0-9])`, 'g'),
    examples: {
      match: j('SLACK_APP_TOKEN=xa', 'pp-1-', 'A02BQ7K9L3M-', '4829174638219-', '9f2c7a1e5b3d8f6a0c4e2b9d7f1a3c5e8b6d'),
      noMatch: 'SLACK_APP_TOKEN=xapp-1-A0000-0000-short',
    },
  },
  {
    id: 'slack-webhook',
    title: 'Slack incoming webhook URL',
    kind: 'provider',
    confidence: 'high',
    keywords: ['hooks.slack.com'],
    pattern: /hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<secret>[A-Za-z0-9+/]{43,120})(?![A-Za-z0-9+/])/g,
    examples: {
      match: j('url = "https://hooks.', 'slack.com/services/', 'T04M9QZ2K/B05N7RT3X/', 'Kq7Wz2Rt9Yp4Lm8Nv3Bx6Cd1', '"'),
      noMatch: 'url = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"',
    },
  },
  {
    id: 'google-api-key',
    title: 'Google API key',
    kind: 'provider',
    confidence: 'high',
    keywords: ['AIza'],
    pattern: new RegExp(String.raw`${B}(?<secret>AIza[A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])`, 'g'),
    examples: { match: j('const key = "AI', 'za', 'SyB3k', BASE62_36.slice(0, 30), '";'), noMatch: j('const key = "AI', 'za', 'Sy', BASE62_36.slice(0, 30), '";') },
  },
  {
    id: 'google-oauth-token',
    title: 'Google OAuth access token',
    kind: 'provider',
    confidence: 'high',
    keywords: ['ya29.'],
    pattern: new RegExp(String.raw`${B}(?<secret>ya29\.[A-Za-z0-9_-]{30,2048})(?![A-Za-z0-9_-])`, 'g'),
    examples: { match: j('Authorization: Bearer ya', '29.', 'a0AfB_by', BASE62_36, 'Qw'), noMatch: 'Authorization: Bearer ya29.<access-token>' },
  },
  {
    id: 'openai-api-key',
    title: 'OpenAI API key',
    kind: 'provider',
    confidence: 'high',
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'T3BlbkFJ'],
    pattern: new RegExp(
      String.raw`${B}(?<secret>sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![A-Za-z0-9_-])`,
      'g',
    ),
    examples: {
      match: j('OPENAI_API_KEY=sk', '-proj-', BASE62_36, 'T3Blbk', 'FJ', BASE62_36),
      noMatch: j('OPENAI_API_KEY=sk', '-proj-', '...'),
    },
  },
  {
    id: 'anthropic-api-key',
    title: 'Anthropic API key or OAuth token',
    kind: 'provider',
    confidence: 'high',
    keywords: ['sk-ant-'],
    pattern: new RegExp(String.raw`${B}(?<secret>sk-ant-(?:api|admin|oat|ort)[0-9]{2}-[A-Za-z0-9_-]{40,250})(?![A-Za-z0-9_-])`, 'g'),
    examples: {
      match: j('ANTHROPIC_API_KEY=sk', '-ant-', 'api03-', BASE62_36, BASE62_36, 'Kq7Wz2Rt9Yp4Lm8Nv3Bx6Cd1Qw', 'AA'),
      noMatch: j('ANTHROPIC_API_KEY=sk', '-ant-', 'api03-', '***'),
    },
  },
  {
    id: 'huggingface-token',
    title: 'Hugging Face access token',
    kind: 'provider',
    confidence: 'high',
    keywords: ['hf_'],
    pattern: new RegExp(String.raw`${B}(?<secret>hf_[A-Za-z]{34})(?![A-Za-z0-9_])`, 'g'),
    examples: { match: j('HF_TOKEN=h', 'f_', 'RkPqLmXwTzVbNcHdJfGsYaUeQwErTyUiOp'), noMatch: j('HF_TOKEN=h', 'f_', 'RkPqLmXwTzVbNcHdJfGsYaUeQwErTyUiO1') },
  },
  {
    id: 'sendgrid-api-key',
    title: 'SendGrid API key',
    kind: 'provider',
    confidence: 'high',
    keywords: ['SG.'],
    pattern: new RegExp(String.raw`${B}(?<secret>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])`, 'g'),
    examples: {
      match: j('SENDGRID_API_KEY=S', 'G.', 'Kq7Wz2Rt9Yp4Lm8Nv3Bx6C', '.', BASE62_36, 'Qw3Er5T'),
      noMatch: 'SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    },
  },
  {
    id: 'npm-token',
    title: 'npm access token',
    kind: 'provider',
    confidence: 'high',
    keywords: ['npm_'],
    pattern: new RegExp(String.raw`${B}(?<secret>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])`, 'g'),
    examples: { match: j('//registry.npmjs.org/:_authToken=np', 'm_', BASE62_36), noMatch: j('const npm_', 'config_cache = process.env.npm_config_cache;') },
  },
  {
    id: 'npmrc-auth',
    title: 'npm registry credential in .npmrc',
    kind: 'provider',
    confidence: 'high',
    keywords: ['_authToken', '_auth', '_password'],
    paths: /(?:^|\/)\.npmrc$/,
    pattern: /(?:_authToken|_auth|_password)[ \t]*=[ \t]*(?<secret>[^\s"'$][^\s"']{7,500})/g,
    examples: {
      match: j('//npm.pkg.example.com/:_auth', 'Token=', '9f2c7a1e-5b3d-4f6a-8c4e-2b9d7f1a3c5e'),
      noMatch: '//registry.npmjs.org/:_authToken=${NPM_TOKEN}',
    },
  },
  {
    id: 'pypi-token',
    title: 'PyPI API token',
    kind: 'provider',
    confidence: 'high',
    keywords: ['pypi-AgE'],
    pattern: new RegExp(String.raw`${B}(?<secret>pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,1000})(?![A-Za-z0-9_-])`, 'g'),
    examples: {
      match: j('password = py', 'pi-AgEIcHlwaS5vcmc', 'CJ', BASE62_36, 'Kq7Wz2Rt9Yp4Lm8Nv3Bx6Cd1'),
      noMatch: 'password = pypi-AgEIcHlwaS5vcmc<token>',
    },
  },
  {
    id: 'private-key',
    title: 'Private key',
    kind: 'generic',
    confidence: 'high',
    keywords: ['PRIVATE KEY'],
    pattern: /-----BEGIN (?<type>(?:[A-Z0-9]{1,10} ){0,3})PRIVATE KEY(?: BLOCK)?-----/g,
    judge: judgePrivateKey,
    examples: {
      match: EXAMPLE_PEM,
      noMatch: "const HEADER = '-----BEGIN RSA PRIVATE KEY-----';",
    },
  },
  {
    id: 'private-key-base64',
    title: 'Private key (base64-encoded PEM)',
    kind: 'generic',
    confidence: 'high',
    // "-----BEGIN" in base64, as it starts a base64-encoded PEM file (Kubernetes secrets, CI variables, code).
    keywords: ['LS0tLS1CRUdJTi'],
    pattern: /(?<![A-Za-z0-9+/])LS0tLS1CRUdJTi[A-Za-z0-9+/]{60,16384}={0,2}(?![A-Za-z0-9+/=])/g,
    judge: judgeEncodedPrivateKey,
    examples: {
      match: j('DEPLOY_KEY_B64 = "', Buffer.from(EXAMPLE_PEM).toString('base64'), '"'),
      noMatch: j('CA_B64 = "', Buffer.from(EXAMPLE_PEM.replace(/RSA PRIVATE KEY/g, 'CERTIFICATE')).toString('base64'), '"'),
    },
  },
  {
    id: 'connection-string-password',
    title: 'Connection string with an embedded password',
    kind: 'generic',
    confidence: 'high',
    keywords: ['mongodb://', 'mongodb+srv://', 'postgres://', 'postgresql://', 'mysql://', 'mariadb://', 'redis://', 'rediss://', 'amqp://', 'amqps://', 'mssql://', 'sqlserver://', 'clickhouse://', 'neo4j://', 'neo4j+s://', 'cockroachdb://'],
    pattern:
      /(?<![A-Za-z0-9+])(?<scheme>mongodb(?:\+srv)?|postgres(?:ql)?|mysql|mariadb|rediss?|amqps?|mssql|sqlserver|clickhouse|neo4j(?:\+s)?|cockroachdb):\/\/(?<user>[^\s:@/'"\x60<>]{0,128}):(?<secret>[^\s@/'"\x60<>]{1,256})@(?<host>[A-Za-z0-9._-]{1,253})/g,
    judge: judgeConnectionString,
    examples: {
      match: j('DATABASE_URL=postgres://app:Vb3Nc6Hd1Jf5', '@db.prod.acme-corp.com:5432/app'),
      noMatch: 'DATABASE_URL=postgres://postgres:postgres@localhost:5432/app',
    },
  },
  {
    id: 'generic-secret-assignment',
    title: 'Possible secret assigned to a credential name',
    kind: 'generic',
    confidence: 'low',
    keywords: [],
    pattern: /[=:][>=]?[ \t]{0,4}(?<quote>["'\x60])(?<secret>[^\s"'\x60\\]{16,200})\k<quote>/g,
    judge: judgeGenericAssignment,
    examples: { match: j('const apiKey = "Zq8', 'Vw3Zr7Tn2Kx5Lm9Pb4Hs";'), noMatch: 'const apiKey = process.env.API_KEY ?? "";' },
  },
  {
    id: 'generic-secret-config-line',
    title: 'Possible secret in a configuration file',
    kind: 'generic',
    confidence: 'low',
    keywords: [],
    paths: /(?:^|\/)(?:\.env(?:\.[\w.-]+)?|[\w.-]+\.env|[\w.-]+\.(?:ini|cfg|conf|properties|ya?ml|toml))$/,
    pattern: /^[ \t]*(?:export[ \t]+)?(?<name>[A-Za-z0-9_.-]{1,80})[ \t]*[=:][ \t]*(?<secret>[^\s"'\x60#]{16,200})(?=[ \t]*(?:#|\r?$))/gm,
    judge: judgeConfigLine,
    examples: { match: j('DB_PASSWORD=Zq8Vw3', 'Zr7Tn2Kx5Lm9'), noMatch: 'LOG_LEVEL=informational-verbose' },
  },
];

// ---- judges ---------------------------------------------------------------------------------------------

const PEM_LOOKAHEAD = 8192;
/** One full PEM line is 64 base64 characters; less than that after a private key header is not a key. */
const PEM_MIN_BODY = 64;

/**
 * A private key header counts when key material follows it: at least one line's worth of base64 after
 * optional `Name: value` headers (encrypted PEM, PGP armor), through real or escaped (`\n` in JSON) line
 * breaks and string concatenation. A bare header in code that parses PEM is not a key.
 */
function judgePrivateKey(match: RegExpExecArray, text: string): SecretJudgement | null {
  const after = text.slice(match.index + match[0].length, match.index + match[0].length + PEM_LOOKAHEAD);
  const lines = after.split(/\r\n|\r|\n|\\r\\n|\\n/);
  let body = '';
  for (const raw of lines) {
    const line = raw.replace(/^[\s"'\x60+,]+|[\s"'\x60+,;]+$/g, '');
    if (line === '') {
      if (body.length > 0) break;
      continue;
    }
    if (body.length === 0 && /^[A-Za-z-]{1,30}:/.test(line)) continue;
    if (!/^[A-Za-z0-9+/=]+$/.test(line)) break;
    body += line;
  }
  // Runs of `A` are zero bytes, which every OpenSSH key holds: only placeholder words and one repeated character
  // mark a placeholder body.
  if (body.length < PEM_MIN_BODY || hasPlaceholderWords(body) || body.replaceAll(body[0]!, '') === '') return null;
  return { secret: body, confidence: 'high' };
}

/** Encoded PEM text decoded and read by this much at most (a key is a few kilobytes). */
const MAX_ENCODED_PEM = 16384;

/** A base64 blob that decodes to a PEM private key with key material (not a certificate or a public key). */
function judgeEncodedPrivateKey(match: RegExpExecArray): SecretJudgement | null {
  const decoded = Buffer.from(match[0].slice(0, MAX_ENCODED_PEM), 'base64').toString('latin1');
  const header = /-----BEGIN (?:(?:[A-Z0-9]{1,10} ){0,3})PRIVATE KEY(?: BLOCK)?-----/.exec(decoded);
  if (!header || header.index > 0) return null;
  return judgePrivateKey(header, decoded) ? { secret: match[0], confidence: 'high' } : null;
}

const LOCAL_HOST =
  /^(?:localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|host\.docker\.internal|[A-Za-z0-9_-]+|.*\.(?:local|localhost|test|example|invalid|internal)|(?:.*\.)?example\.(?:com|org|net))$/i;
const PLACEHOLDER_PASSWORDS = /^(?:pass(?:word)?|passwd|pwd|secret|root|admin|user(?:name)?|test|guest|changeme|\*+|x+)$/i;

/**
 * A connection string's password counts unless it is a placeholder or equals the user name (`root:root`). A
 * host that is local or reserved for documentation (localhost, a bare docker service name, *.local,
 * example.com) makes it a development credential: low confidence.
 */
function judgeConnectionString(match: RegExpExecArray): SecretJudgement | null {
  const { user = '', secret = '', host = '' } = match.groups ?? {};
  if (secret === user || PLACEHOLDER_PASSWORDS.test(secret) || isPlaceholder(secret) || /^[$%{<]/.test(secret)) return null;
  return { secret, confidence: LOCAL_HOST.test(host) ? 'low' : 'high' };
}

/** The last words of a name that make a value assigned to it a credential (`apiKey`, `DB_PASSWORD`, `github_token`). */
const SECRET_LAST_WORD: ReadonlySet<string> = new Set([
  'secret', 'token', 'password', 'passwd', 'pwd', 'pass', 'passphrase', 'credential', 'credentials', 'apikey',
]);
const SECRET_KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  'api', 'access', 'private', 'auth', 'signing', 'master', 'encryption', 'secret', 'session', 'license', 'consumer', 'app',
]);

/** A cheap first test: every credential name ends with one of these (case aside). */
const SECRET_NAME_ENDING = /(?:secret|token|passw(?:or)?d|pwd|pass|passphrase|credentials?|key)$/i;

/** Whether a variable, property or key name names a credential: its last word(s), not anywhere inside it. */
export function isSecretName(name: string): boolean {
  if (!SECRET_NAME_ENDING.test(name)) return false;
  const words = name
    .slice(name.lastIndexOf('.') + 1)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  const last = words[words.length - 1];
  if (!last) return false;
  if (SECRET_LAST_WORD.has(last)) return true;
  return last === 'key' && words.length > 1 && SECRET_KEY_QUALIFIERS.has(words[words.length - 2]!);
}

const HEX = /^[0-9a-fA-F]+$/;

/**
 * The value test of the generic rules: long enough, not a placeholder or a reference to the environment, not
 * a plain word or identifier, not a URL or a file path, and random-looking (Shannon entropy at least 3.5 bits
 * per character, 3.0 for hex, the thresholds gitleaks' generic rule uses).
 */
export function looksRandom(value: string): boolean {
  if (value.length < 16 || isPlaceholder(value)) return false;
  if (/^[A-Za-z]+(?:[_.-][A-Za-z]+)*$/.test(value)) return false;
  if (/^[A-Za-z][A-Za-z0-9+.-]{0,20}:\/\//.test(value) || /[/\\][^/\\]*\.[A-Za-z0-9]{1,5}$/.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((c) => c.test(value)).length;
  if (classes < 2) return false;
  return shannonEntropy(value) >= (HEX.test(value) ? 3.0 : 3.5);
}

/** The identifier right before an assignment operator at `index`: `apiKey` in `apiKey = "..."`, `"api_key": "..."`. */
function nameBefore(text: string, index: number): string {
  let end = index;
  while (end > 0 && (text.charCodeAt(end - 1) === 0x20 || text.charCodeAt(end - 1) === 0x09)) end--;
  if (end > 0 && '"\'`]'.includes(text[end - 1]!)) end--;
  let start = end;
  while (start > 0 && end - start < 80 && isNameChar(text.charCodeAt(start - 1))) start--;
  return text.slice(start, end);
}

/** `[A-Za-z0-9_$.-]` */
function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x24 || c === 0x2e || c === 0x2d;
}

function judgeGenericAssignment(match: RegExpExecArray, text: string): SecretJudgement | null {
  const secret = match.groups?.secret ?? '';
  if (!isSecretName(nameBefore(text, match.index)) || !looksRandom(secret)) return null;
  return { secret, confidence: 'low' };
}

function judgeConfigLine(match: RegExpExecArray): SecretJudgement | null {
  const { name = '', secret = '' } = match.groups ?? {};
  if (!isSecretName(name) || !looksRandom(secret)) return null;
  return { secret, confidence: 'low' };
}
