import type { Level } from './levels.js';

/**
 * The MTF v0.1 control catalog as data (spec section 3, Appendix A).
 *
 * Only the controls a scanner can evaluate from a bundle are listed: the scanner domains (AI, SC, CQ, CD, PR,
 * 25 controls; AI-02 is reserved and never reported) and the registry checks a CI can evaluate from the bundle
 * (RG-01, RG-02, RG-07), which gate nothing unless the configuration asks (DESIGN.md section 4).
 */

export const DOMAINS = [
  'artifact_integrity',
  'supply_chain',
  'code_quality',
  'capability_declaration',
  'provenance',
  'registry_operations',
] as const;
export type Domain = (typeof DOMAINS)[number];

export const DOMAIN_TITLES: Record<Domain, string> = {
  artifact_integrity: 'Artifact Integrity',
  supply_chain: 'Supply Chain',
  code_quality: 'Code Quality',
  capability_declaration: 'Capability Declaration',
  provenance: 'Provenance',
  registry_operations: 'Registry Operations',
};

export type Enforcement = 'Scanner' | 'Registry' | 'Client';

export interface ControlSpec {
  id: ControlId;
  name: string;
  domain: Domain;
  /** Minimum compliance level at which the control is required. */
  level: Level;
  enforcement: Enforcement;
  /** Spec section that defines the control. */
  section: string;
  /** `level`: the control decides compliance levels. `opt-in`: reported, gates only when the config asks. */
  gates: 'level' | 'opt-in';
  /** The spec's requirement in one sentence (used in SARIF rule help and the summary). */
  requirement: string;
  /** What a bundle author does to satisfy the control. */
  remediation: string;
}

export const CONTROL_IDS = [
  'AI-01', 'AI-03', 'AI-04', 'AI-05',
  'SC-01', 'SC-02', 'SC-03', 'SC-04', 'SC-05',
  'CQ-01', 'CQ-02', 'CQ-03', 'CQ-04', 'CQ-05', 'CQ-06',
  'CD-01', 'CD-02', 'CD-03', 'CD-04', 'CD-05',
  'PR-01', 'PR-02', 'PR-03', 'PR-04', 'PR-05',
  'RG-01', 'RG-02', 'RG-07',
] as const;
export type ControlId = (typeof CONTROL_IDS)[number];

type Row = Omit<ControlSpec, 'id' | 'gates'> & { gates?: ControlSpec['gates'] };

const ROWS: Record<ControlId, Row> = {
  'AI-01': {
    name: 'Manifest Validation', domain: 'artifact_integrity', level: 1, enforcement: 'Scanner', section: '3.2',
    requirement: 'The bundle has manifest.json at its root, valid against the mcpb schema of its manifest_version, with every required field, a semver version, consistent execution targets and, from L2, a scoped name and the MTF extension.',
    remediation: 'Fix manifest.json so that `mcpb validate` accepts it, give it a semver version and, for L2, an `@scope/name`, `author`, `repository` and `_meta["org.mpaktrust"]`.',
  },
  'AI-03': {
    name: 'Bundle Signing', domain: 'artifact_integrity', level: 3, enforcement: 'Scanner', section: '3.2',
    requirement: 'The bundle carries a signature over the manifest and SBOM hashes, verifiable against the publisher identity.',
    remediation: 'Sign the canonical signing payload (spec 5.1) with Sigstore keyless signing and ship manifest.sig.json or .sigstore/.',
  },
  'AI-04': {
    name: 'Reproducible Builds', domain: 'artifact_integrity', level: 4, enforcement: 'Scanner', section: '3.2',
    requirement: 'The build is declared reproducible and produces bit-identical output from the same source.',
    remediation: 'Declare `build.reproducible: true` with build instructions and make the build deterministic.',
  },
  'AI-05': {
    name: 'Bundle Completeness', domain: 'artifact_integrity', level: 2, enforcement: 'Client', section: '3.2',
    requirement: 'The bundle contains no executable file that the manifest does not reference.',
    remediation: 'Remove files the server does not use, or reference them from the entry point or mcp_config.',
  },
  'SC-01': {
    name: 'SBOM Generation', domain: 'supply_chain', level: 1, enforcement: 'Scanner', section: '3.3',
    requirement: 'The bundle includes a CycloneDX 1.4-1.6 or SPDX 2.3+ SBOM enumerating every direct and transitive dependency.',
    remediation: 'Generate an SBOM (`mtf sbom DIR` or the action\'s `sbom: generate`) and ship it as sbom.json, sbom.cdx.json or sbom.spdx.json.',
  },
  'SC-02': {
    name: 'Vulnerability Scanning', domain: 'supply_chain', level: 2, enforcement: 'Scanner', section: '3.3',
    requirement: 'No component has a vulnerability with CVSS >= 9.0, CVSS >= 7.0 and EPSS > 0.10, or a CISA KEV listing.',
    remediation: 'Upgrade the affected dependencies, or document non-applicability in an OpenVEX statement (spec 5.4).',
  },
  'SC-03': {
    name: 'Dependency Pinning', domain: 'supply_chain', level: 2, enforcement: 'Scanner', section: '3.3',
    requirement: 'Every dependency is pinned to an exact version in a lockfile with integrity hashes.',
    remediation: 'Ship a lockfile with exact versions and integrity hashes (package-lock.json v2+, uv.lock, requirements.txt with --hash ...).',
  },
  'SC-04': {
    name: 'Lockfile Integrity', domain: 'supply_chain', level: 2, enforcement: 'Client', section: '3.3',
    requirement: 'Vendored dependencies match the bundle\'s lockfile.',
    remediation: 'Reinstall dependencies from the lockfile before packing, and ship the lockfile in the bundle.',
  },
  'SC-05': {
    name: 'Trusted Sources', domain: 'supply_chain', level: 3, enforcement: 'Scanner', section: '3.3',
    requirement: 'Every dependency comes from an approved registry or an organizational allow-list.',
    remediation: 'Resolve dependencies from the ecosystem\'s public registry, or add the source to the allow-list in the config.',
  },
  'CQ-01': {
    name: 'Secret Detection', domain: 'code_quality', level: 1, enforcement: 'Scanner', section: '3.4',
    requirement: 'No file in the bundle contains a credential.',
    remediation: 'Remove the secret from the bundle, rotate it, and read it from the environment at run time.',
  },
  'CQ-02': {
    name: 'Malware Patterns', domain: 'code_quality', level: 1, enforcement: 'Scanner', section: '3.4',
    requirement: 'No file in the bundle matches a known malicious pattern (exfiltration, reverse shell, miner, obfuscated execution, suspicious install hook).',
    remediation: 'Remove the malicious or obfuscated code and any install hook that fetches or runs code.',
  },
  'CQ-03': {
    name: 'Static Analysis', domain: 'code_quality', level: 2, enforcement: 'Scanner', section: '3.4',
    requirement: 'Server code has no HIGH-severity static analysis finding.',
    remediation: 'Fix the flagged code, or suppress a reviewed false positive with `# nosec: <reason>` / `// nosec: <reason>`.',
  },
  'CQ-04': {
    name: 'Input Validation', domain: 'code_quality', level: 3, enforcement: 'Scanner', section: '3.4',
    requirement: 'Every tool handler validates its input with a typed schema at entry.',
    remediation: 'Declare tool input with zod/JSON Schema (TS/JS) or typed parameters / pydantic models (Python).',
  },
  'CQ-05': {
    name: 'Safe Execution Patterns', domain: 'code_quality', level: 3, enforcement: 'Scanner', section: '3.4',
    requirement: 'Server code uses no unsafe execution pattern (shell execution, eval, unsafe deserialization, SQL templates).',
    remediation: 'Use the safe alternative (execFile with an argument list, JSON.parse, yaml.safe_load, parameterized SQL).',
  },
  'CQ-06': {
    name: 'Behavioral Analysis', domain: 'code_quality', level: 4, enforcement: 'Registry', section: '3.4',
    requirement: 'Runtime behaviour observed in a sandbox matches the declared permissions.',
    remediation: 'Run the bundle through a registry\'s behavioral analysis sandbox.',
  },
  'CD-01': {
    name: 'Tool Declaration', domain: 'capability_declaration', level: 1, enforcement: 'Scanner', section: '3.5',
    requirement: 'The manifest declares every tool the server provides, each with a name and a description.',
    remediation: 'List every tool the server registers in manifest.json `tools`, with a name and a description.',
  },
  'CD-02': {
    name: 'Permission Correlation', domain: 'capability_declaration', level: 2, enforcement: 'Scanner', section: '3.5',
    requirement: 'What the code does stays within `_meta["org.mpaktrust"].permissions`.',
    remediation: 'Declare the permissions the server needs, or remove the code that exceeds them.',
  },
  'CD-03': {
    name: 'Description Safety', domain: 'capability_declaration', level: 2, enforcement: 'Scanner', section: '3.5',
    requirement: 'Tool and prompt descriptions contain no injection, exfiltration, obfuscation or hidden instructions.',
    remediation: 'Rewrite the description as a plain statement of what the tool does.',
  },
  'CD-04': {
    name: 'Credential Scope Declaration', domain: 'capability_declaration', level: 3, enforcement: 'Scanner', section: '3.5',
    requirement: 'OAuth scopes are declared with justification and follow least privilege.',
    remediation: 'Declare `credentials` with the narrowest scopes and a justification for each.',
  },
  'CD-05': {
    name: 'Token Lifetime Limits', domain: 'capability_declaration', level: 3, enforcement: 'Scanner', section: '3.5',
    requirement: 'Token handling (storage, lifetime, refresh) is declared, and long-lived storage is justified.',
    remediation: 'Declare `token_handling` for each credential, keep tokens in memory and short-lived.',
  },
  'PR-01': {
    name: 'Source Repository', domain: 'provenance', level: 2, enforcement: 'Scanner', section: '3.6',
    requirement: 'The manifest names a valid HTTPS source repository on a recognized host.',
    remediation: 'Add `repository: {"type": "git", "url": "https://github.com/org/repo"}` to manifest.json.',
  },
  'PR-02': {
    name: 'Author Identity', domain: 'provenance', level: 2, enforcement: 'Registry', section: '3.6',
    requirement: 'The manifest names an author with a valid email.',
    remediation: 'Add `author: {"name": ..., "email": ...}` to manifest.json.',
  },
  'PR-03': {
    name: 'Build Attestation', domain: 'provenance', level: 3, enforcement: 'Scanner', section: '3.6',
    requirement: 'The bundle ships a SLSA Provenance v1 attestation from a trusted builder, linked to the source commit.',
    remediation: 'Build with slsa-github-generator (or another trusted builder) and ship attestation.json.',
  },
  'PR-04': {
    name: 'Commit Linkage', domain: 'provenance', level: 4, enforcement: 'Scanner', section: '3.6',
    requirement: 'The manifest declares the exact 40-character source commit.',
    remediation: 'Set `_meta["org.mpaktrust"].source.commit` to the full commit SHA the bundle was built from.',
  },
  'PR-05': {
    name: 'Repository Health', domain: 'provenance', level: 3, enforcement: 'Scanner', section: '3.6',
    requirement: 'The source repository meets the OpenSSF Scorecard threshold for the level.',
    remediation: 'Improve the repository\'s Scorecard results (branch protection, token permissions, safe workflows).',
  },
  'RG-01': {
    name: 'Namespace Governance', domain: 'registry_operations', level: 2, enforcement: 'Registry', section: '3.7', gates: 'opt-in',
    requirement: 'L2+ packages use scoped names (`@scope/package-name`).',
    remediation: 'Publish under an `@scope/name` the publisher controls.',
  },
  'RG-02': {
    name: 'Name Pattern Review', domain: 'registry_operations', level: 2, enforcement: 'Registry', section: '3.7', gates: 'opt-in',
    requirement: 'The package name does not imitate a well-known package, scope or service.',
    remediation: 'Choose a distinct name, or state the affiliation (or its absence) in the description.',
  },
  'RG-07': {
    name: 'Bundle Digest', domain: 'registry_operations', level: 2, enforcement: 'Registry', section: '3.7', gates: 'opt-in',
    requirement: 'The SHA-256 digest of the bundle archive is computed and published alongside it.',
    remediation: 'Publish the bundle\'s SHA-256 digest (the `bundle-sha256` output) with the download.',
  },
};

export const CATALOG: Readonly<Record<ControlId, ControlSpec>> = Object.fromEntries(
  CONTROL_IDS.map((id) => [id, { id, gates: 'level', ...ROWS[id] }]),
) as Record<ControlId, ControlSpec>;

/** Spec 6.6 "Control Enforcement Order": AI-01, SC-01, CQ-01, CQ-02, CD-01, then the rest in catalog order. */
const FIRST: readonly ControlId[] = ['AI-01', 'SC-01', 'CQ-01', 'CQ-02', 'CD-01'];
export const RUN_ORDER: readonly ControlId[] = [...FIRST, ...CONTROL_IDS.filter((id) => !FIRST.includes(id))];

export function isControlId(value: string): value is ControlId {
  return (CONTROL_IDS as readonly string[]).includes(value);
}
