import type { BundleFile } from '../../bundle/types.js';
import { createFileClassifier } from '../../analysis/scope.js';
import type { FileRole } from '../../analysis/types.js';
import { keywordsIn, TEXT_RULE_KEYWORDS } from '../../rules/index.js';
import { SECRET_RULES, type SecretJudgement, type SecretRule } from '../../rules/secrets.js';
import { isPlaceholder } from '../../text/placeholder.js';
import { redact } from '../../text/redact.js';
import { matchPatterns } from '../../text/rule-scan.js';
import { scanUnits } from '../../text/scan-units.js';
import { findings, type Control, type FindingInput } from '../control.js';

/**
 * CQ-01 Secret Detection (MTF 3.4): no file of the bundle contains a credential. Every file is scanned,
 * dependencies and binaries included (binaries through their printable text), with the rules of
 * src/rules/secrets.ts. A secret is never printed: findings show its first characters and length.
 *
 * | Finding                                              | Action |
 * | High-confidence pattern                              | BLOCK  |
 * | Potential secret (low confidence: entropy, test key) | WARN   |
 * | Generic high-confidence pattern in a dependency dir  | WARN   |
 *
 * The last row is DESIGN.md's reading of "Scope of code analysis": packages ship test keys and sample
 * connection strings, while a provider token (AWS, GitHub, npm ...) in a dependency still blocks.
 * Suppression comments never silence CQ-01 (DESIGN.md "Suppressions"). "Verified secret" (a live check with
 * the provider) is not attempted: the scanner makes no requests with what it finds.
 */
export const cq01: Control = {
  id: 'CQ-01',
  check(ctx) {
    const classify = createFileClassifier(ctx.bundle.files.keys());
    const out: FindingInput[] = [];
    for (const file of ctx.bundle.files.values()) {
      out.push(...detectSecrets(file, classify(file.path).role));
    }
    return findings(out);
  },
};

/** Findings listed per file; past this a single note says how many more there are. */
export const MAX_SECRET_FINDINGS_PER_FILE = 20;

interface Candidate {
  rule: SecretRule;
  judgement: SecretJudgement;
  start: number;
  end: number;
  line: number;
}

/** The secret findings of one file: every rule over every scan unit, overlapping matches reported once. */
export function detectSecrets(file: BundleFile, role: FileRole): FindingInput[] {
  const candidates: Candidate[] = [];
  for (const unit of scanUnits(file)) {
    for (const { rule, match } of matchPatterns(unit, SECRET_RULES, TEXT_RULE_KEYWORDS, keywordsIn(unit))) {
      const judgement = rule.judge ? rule.judge(match, unit.text) : judgeBySecretGroup(rule, match);
      if (!judgement) continue;
      const found = unit.text.indexOf(judgement.secret, match.index);
      const start = found === -1 ? match.index : found;
      candidates.push({ rule, judgement, start, end: start + judgement.secret.length, line: unit.lineAt(start) });
    }
  }
  const kept = dropOverlaps(candidates);
  const out = kept.slice(0, MAX_SECRET_FINDINGS_PER_FILE).map((c) => toFinding(file.path, role, c));
  if (kept.length > MAX_SECRET_FINDINGS_PER_FILE) {
    const rest = kept.slice(MAX_SECRET_FINDINGS_PER_FILE);
    const blocking = rest.some((c) => blocks(c, role));
    out.push({
      rule: 'more-secrets',
      severity: blocking ? 'critical' : 'medium',
      action: blocking ? 'BLOCK' : 'WARN',
      title: `${rest.length} more potential secrets in ${file.path}`,
      description: `CQ-01 lists ${MAX_SECRET_FINDINGS_PER_FILE} findings per file; ${rest.length} more were found in this file, from line ${rest[0]!.line} on.`,
      file: file.path,
      line: rest[0]!.line,
    });
  }
  return out;
}

function judgeBySecretGroup(rule: SecretRule, match: RegExpExecArray): SecretJudgement | null {
  const secret = match.groups?.secret ?? match[0];
  return isPlaceholder(secret) ? null : { secret, confidence: rule.confidence };
}

/**
 * Keeps one finding per stretch of text: where rules overlap (an AWS secret assigned to `secret_access_key`
 * also looks like a generic assignment), the provider rule and the higher confidence win.
 */
function dropOverlaps(candidates: Candidate[]): Candidate[] {
  const rank = (c: Candidate) => (c.judgement.confidence === 'high' ? 0 : 2) + (c.rule.kind === 'provider' ? 0 : 1);
  const byStrength = [...candidates].sort((a, b) => rank(a) - rank(b) || a.start - b.start);
  const kept: Candidate[] = [];
  for (const candidate of byStrength) {
    if (kept.some((k) => candidate.start < k.end && k.start < candidate.end)) continue;
    kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}

function blocks(candidate: Candidate, role: FileRole): boolean {
  return candidate.judgement.confidence === 'high' && (candidate.rule.kind === 'provider' || role !== 'dependency');
}

function toFinding(path: string, role: FileRole, candidate: Candidate): FindingInput {
  const { rule, judgement, line } = candidate;
  const shown = redact(judgement.secret);
  const where = role === 'dependency' ? 'in a dependency directory' : role === 'test' ? 'in a test file shipped with the bundle' : 'in the bundle';
  if (blocks(candidate, role)) {
    return {
      rule: rule.id,
      severity: 'critical',
      action: 'BLOCK',
      title: `${rule.title} (${shown})`,
      description: `A ${rule.title.toLowerCase()} (${shown}) is ${where}. Anyone who downloads the bundle can use it.`,
      file: path,
      line,
      remediation: 'Remove the credential from the bundle, revoke and rotate it, and read it from the environment or a secret store at run time.',
    };
  }
  const reason =
    judgement.confidence === 'high'
      ? `a ${rule.title.toLowerCase()} ${where}: packages often ship test keys and sample connection strings, so this warns instead of blocking`
      : `a low-confidence match (${rule.title.toLowerCase()}) ${where}`;
  return {
    rule: rule.id,
    severity: role === 'dependency' ? 'low' : 'medium',
    action: 'WARN',
    title: `Potential secret: ${rule.title.toLowerCase()} (${shown})`,
    description: `${shown} looks like ${reason}. Review it; if it is a real credential, remove and rotate it.`,
    file: path,
    line,
  };
}
