import { z } from 'zod';

/**
 * `_meta["org.mpaktrust"]`: the MTF manifest extension (spec 4.3), equivalent to the normative
 * ../shared/mtf/schemas/mtf-extension.schema.json (a test checks both accept and reject the same documents).
 * schemas/mtf-extension.schema.json is generated from this definition.
 */

export const PERMISSION_VALUES = {
  filesystem: ['none', 'read', 'write', 'full'],
  network: ['none', 'outbound', 'inbound', 'full'],
  environment: ['none', 'read', 'write'],
  subprocess: ['none', 'restricted', 'full'],
  native: ['none', 'required'],
} as const;

export const PermissionsSchema = z
  .object({
    filesystem: z.enum(PERMISSION_VALUES.filesystem).default('none'),
    network: z.enum(PERMISSION_VALUES.network).default('none'),
    environment: z.enum(PERMISSION_VALUES.environment).default('none'),
    subprocess: z.enum(PERMISSION_VALUES.subprocess).default('none'),
    native: z.enum(PERMISSION_VALUES.native).default('none'),
  })
  .partial()
  .strict();

export const TokenHandlingSchema = z
  .object({
    storage: z.enum(['memory', 'disk', 'keychain']).default('memory').describe('Where tokens are stored'),
    max_lifetime_seconds: z.int().min(0).describe('Maximum token lifetime in seconds'),
    refresh: z.boolean().default(true).describe('Whether token refresh is enabled'),
  })
  .partial()
  .strict();

export const CredentialSchema = z
  .object({
    provider: z.string().describe("Service provider identifier (e.g., 'google', 'github', 'slack')"),
    scopes: z.array(z.string()).min(1).describe('Required OAuth scopes or API permissions'),
    justification: z.string().describe('Why these scopes are needed'),
    token_handling: TokenHandlingSchema.optional(),
  })
  .strict();

export const SourceSchema = z
  .object({
    commit: z.string().regex(/^[a-f0-9]{40}$/).describe('Full SHA-1 commit hash'),
    signed: z.boolean().optional().describe('Whether commit is GPG signed'),
  })
  .strict();

export const BuildSchema = z
  .object({
    builder: z.string().describe("Builder identity (e.g., 'github-actions')"),
    reproducible: z.boolean().optional().describe('Whether build is reproducible'),
  })
  .strict();

export const SignatureSchema = z
  .object({
    type: z.enum(['sigstore', 'gpg', 'minisign']),
    bundle_path: z.string().optional().describe('Path to signature bundle (sigstore)'),
    signature_path: z.string().optional().describe('Path to detached signature (gpg/minisign)'),
    public_key: z.string().optional().describe('Public key or key ID'),
    signer_identity: z.url().optional().describe('OIDC identity URI (sigstore keyless)'),
  })
  .strict();

export const AttestationSchema = z
  .object({
    type: z.literal('https://slsa.dev/provenance/v1'),
    bundle_path: z.string().optional().describe('Path to attestation bundle'),
    bundle_url: z.url().optional().describe('URL to attestation bundle'),
  })
  .strict();

export const ScorecardSchema = z
  .object({
    score: z.number().min(0).max(10),
    checks: z.record(z.string(), z.number().min(-1).max(10)).optional(),
    scan_date: z.iso.date(),
    report_url: z.url().optional(),
  })
  .strict();

export const ExtensionSchema = z
  .object({
    mtf_version: z.string().regex(/^[0-9]+\.[0-9]+$/).describe('MTF specification version'),
    level: z.int().min(1).max(4).optional().describe('Declared MTF compliance level'),
    permissions: PermissionsSchema.optional().describe('System access requirements (CD-02)'),
    credentials: z.array(CredentialSchema).optional().describe('OAuth/API credential requirements (CD-04, CD-05)'),
    source: SourceSchema.optional().describe('Source commit linkage (PR-04)'),
    build: BuildSchema.optional().describe('Build provenance metadata (PR-03)'),
    signature: SignatureSchema.optional().describe('Bundle signature (AI-03)'),
    attestation: AttestationSchema.optional().describe('SLSA provenance attestation (PR-03)'),
    scorecard: ScorecardSchema.optional().describe('OpenSSF Scorecard results (PR-05)'),
  })
  .strict()
  .meta({ title: 'MTF Extension', description: "MTF security extension for mcpb manifests: _meta['org.mpaktrust']" });

export type Extension = z.infer<typeof ExtensionSchema>;
export type Permissions = z.infer<typeof PermissionsSchema>;

/**
 * Fields the spec text documents (4.3.3, 4.3.4, 4.4) that the normative schema does not define. AI-01 reports
 * them as a WARN rather than a BLOCK: a manifest that follows the spec's prose should not fail on them, but
 * other validators of the normative schema will reject it.
 */
export const DOCUMENTED_EXTRAS: readonly string[] = ['source.tag', 'build.instructions', 'signature.bundle'];
