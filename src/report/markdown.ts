import type { Verdict } from '../policy.js';
import { CATALOG, DOMAIN_TITLES, DOMAINS, type ControlId } from '../spec/catalog.js';
import { levelName, SEVERITIES, type LevelOrNone } from '../spec/levels.js';
import type { ControlResult, Finding, Report } from '../spec/report-schema.js';
import { locateFinding, type RepositoryMap } from './locations.js';
import { count } from '../text/plural.js';

/** What the Markdown summary needs beyond the report. */
export interface MarkdownContext {
  map: RepositoryMap;
  /** Base of file links, e.g. `https://github.com/o/r/blob/<sha>`; without it locations are plain text. */
  linkBase?: string;
  /** The code scanning category of this bundle's SARIF run. */
  category?: string;
  /** Lines appended at the end (SARIF caps, where the full report is). Trusted text, rendered as is. */
  notes?: readonly string[];
}

export interface MarkdownOptions {
  /** Findings listed in each list (blockers, all findings); the rest are counted. Unlimited by default. */
  maxFindings?: number;
}

const STATUS_MARK: Record<ControlResult['status'], string> = { pass: '✅ pass', fail: '❌ fail', skip: '➖ skip', error: '⚠️ error' };
const ACTION_MARK: Record<Finding['action'], string> = { BLOCK: '🛑', WARN: '⚠️', INFO: 'ℹ️' };

/**
 * The job summary for one bundle, as GitHub-flavoured Markdown: a headline with the level reached against the
 * level required, the bundle's identity, what blocks the next level (with links to file and line), a control
 * table per domain, then every finding inside a collapsed <details>. Text that comes from the bundle (titles,
 * descriptions, paths, reasons) is escaped: it can neither inject HTML or links nor mention people.
 */
export function renderMarkdown(report: Report, verdict: Verdict, ctx: MarkdownContext, options: MarkdownOptions = {}): string {
  const max = options.maxFindings ?? Number.POSITIVE_INFINITY;
  const out: string[] = [];
  out.push(...headline(report, verdict, ctx), '');
  out.push(...blockerSection(report, ctx, max));
  out.push(...controlTables(report));
  out.push(...allFindings(report, ctx, max));
  if (ctx.notes && ctx.notes.length > 0) out.push(...ctx.notes.map((note) => `> ${note}`), '');
  return `${out.join('\n').trimEnd()}\n`;
}

function headline(report: Report, verdict: Verdict, ctx: MarkdownContext): string[] {
  const { bundle, compliance } = report;
  const reached = `L${compliance.level} ${compliance.level_name}`;
  const required = verdict.requiredLevel > 0 ? `required L${verdict.requiredLevel}` : 'no level required';
  const mark = verdict.passed ? '✅' : '❌';
  const counts = countActions(report.findings);
  const claimed = report.level_claimed ? `claimed L${report.level_claimed}` : 'no level claimed';
  const lines = [
    `### ${mark} MTF ${reached} · ${required} · ${escapeMarkdown(bundle.name, 120)}`,
    '',
    verdict.passed
      ? `**\`PASSED\`** ${escapeMarkdown(bundle.name, 120)} ${bundle.version} reached **${reached}** (${required}).`
      : `**\`FAILED\`** ${verdict.reasons.map((r) => escapeMarkdown(r, 300)).join('; ')}`,
    '',
    `- **Bundle:** ${escapeMarkdown(bundle.name, 120)} ${bundle.version} · ${escapeMarkdown(bundle.path, 200)} · ${bundle.files} files · ${bundle.size} bytes${bundle.signed ? ' · mcpb signature block appended' : ''}`,
    `- **SHA-256:** \`${bundle.hash}\``,
    `- **Level:** ${reached} (${claimed}, judged at L${compliance.target_level})${compliance.degraded ? ' · **degraded**: a control in error holds the level down' : ''}`,
    `- **Risk:** ${report.risk_score} · **Findings:** ${report.findings.length} (${counts.BLOCK} block, ${counts.WARN} warn, ${counts.INFO} info)`,
  ];
  if (ctx.category) lines.push(`- **Code scanning category:** \`${ctx.category.replace(/`/g, "'")}\``);
  return lines;
}

function blockerSection(report: Report, ctx: MarkdownContext, max: number): string[] {
  const next = report.compliance.blockers[0];
  if (!next) return [];
  const byId = new Map(report.findings.map((f) => [f.id, f]));
  const out = [`#### What blocks L${next.level} ${levelName(next.level as LevelOrNone)}`, ''];
  const findings = next.findings.map((id) => byId.get(id)).filter((f): f is Finding => f !== undefined);
  for (const finding of findings.slice(0, max)) out.push(findingLine(finding, ctx));
  if (findings.length > max) out.push(`- … and ${findings.length - max} more blocking findings (see the JSON report)`);
  for (const id of next.errors) {
    out.push(`- ⚠️ **${id}** ${CATALOG[id].name} could not complete: ${escapeMarkdown(resultOf(report, id)?.error ?? 'error', 300)}`);
  }
  if (findings.length === 0 && next.errors.length === 0) out.push('- nothing (an opt-in or registry control may gate this level)');
  for (const later of report.compliance.blockers.slice(1)) {
    out.push(`- L${later.level}: ${count(later.findings.length, 'blocking finding')}, ${count(later.errors.length, 'control')} in error`);
  }
  out.push('');
  return out;
}

function controlTables(report: Report): string[] {
  const out = ['#### Controls', ''];
  for (const domain of DOMAINS) {
    const controls = report.domains[domain]?.controls;
    if (!controls) continue;
    out.push(`**${DOMAIN_TITLES[domain]}**`, '', '| Control | Level | Status | Notes |', '| --- | --- | --- | --- |');
    for (const [id, result] of Object.entries(controls)) {
      const note =
        result.status === 'error'
          ? escapeMarkdown(result.error ?? '', 200)
          : result.status === 'skip'
            ? escapeMarkdown(result.skip_reason ?? '', 200)
            : result.findings.length > 0
              ? count(result.findings.length, 'finding')
              : '';
      const optIn = result.gates === 'opt-in' ? ' (opt-in)' : '';
      out.push(`| ${id} ${escapeMarkdown(result.name, 80)} | L${result.level} | ${STATUS_MARK[result.status]} | ${note}${optIn} |`);
    }
    out.push('');
  }
  return out;
}

function allFindings(report: Report, ctx: MarkdownContext, max: number): string[] {
  if (report.findings.length === 0) return ['No findings.', ''];
  const out = ['<details>', `<summary>All findings (${report.findings.length})</summary>`, ''];
  let listed = 0;
  for (const severity of SEVERITIES) {
    const group = report.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    out.push(`**${severity.toUpperCase()}** (${group.length})`, '');
    const room = Math.max(0, max - listed);
    for (const finding of group.slice(0, room)) out.push(findingLine(finding, ctx));
    listed += Math.min(room, group.length);
    if (group.length > room) out.push(`- … and ${group.length - room} more ${severity} findings (see the JSON report)`);
    out.push('');
  }
  out.push('</details>', '');
  return out;
}

function findingLine(finding: Finding, ctx: MarkdownContext): string {
  const location = locateFinding(finding, ctx.map);
  const inBundle = finding.file === null ? '(bundle)' : `${finding.file}${finding.line ? `:${finding.line}` : ''}`;
  const text = escapeMarkdown(location.mapped ? `${location.uri}${location.line ? `:${location.line}` : ''}` : inBundle, 200);
  const where =
    ctx.linkBase && location.mapped
      ? `[${text}](${ctx.linkBase}/${encodeUrlPath(location.uri)}${location.line ? `#L${location.line}` : ''})`
      : text;
  const title = escapeMarkdown(finding.title, 200);
  const description = escapeMarkdown(finding.description, 400);
  return `- ${ACTION_MARK[finding.action]} **${finding.control}** ${where} **${title}**: ${description}`;
}

/**
 * Plain text as inline Markdown that renders literally: one line, at most `max` characters, HTML special
 * characters as entities, Markdown punctuation backslash-escaped, and `@name`, `http://` and `www.` broken with
 * a zero-width space so that bundle text can neither mention anyone nor become a link.
 */
export function escapeMarkdown(text: string, max: number): string {
  const oneLine = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  const clipped = oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
  return clipped
    .replace(/[\\`*_[\]|~!#(){}+]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '@\u200b')
    .replace(/:\/\//g, ':\u200b//')
    .replace(/www\./gi, (m) => `${m.slice(0, 3)}\u200b.`);
}

/** Each path segment percent-encoded (parentheses too, which would end a Markdown link). */
function encodeUrlPath(path: string): string {
  return path
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/\(/g, '%28').replace(/\)/g, '%29'))
    .join('/');
}

/**
 * Fits Markdown into `maxBytes` (UTF-8): renders with every finding, then with fewer listed per list, and as
 * a last resort cuts at a line boundary, appending `note` whenever anything was left out.
 */
export function fitMarkdown(render: (maxFindings: number) => string, maxBytes: number, note: string): { markdown: string; truncated: boolean } {
  const noteBlock = `\n> ${note}\n`;
  const full = render(Number.POSITIVE_INFINITY);
  if (byteLength(full) <= maxBytes) return { markdown: full, truncated: false };
  for (const limit of [1000, 300, 100, 30, 10, 0]) {
    const markdown = `${render(limit)}${noteBlock}`;
    if (byteLength(markdown) <= maxBytes) return { markdown, truncated: true };
  }
  return { markdown: cutToBytes(render(0), maxBytes - byteLength(noteBlock)) + noteBlock, truncated: true };
}

/** The longest prefix of whole lines within `maxBytes`, with any <details> left open closed again. */
function cutToBytes(markdown: string, maxBytes: number): string {
  const lines = markdown.split('\n');
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    const bytes = byteLength(line) + 1;
    if (size + bytes > maxBytes - 32) break;
    kept.push(line);
    size += bytes;
  }
  const open = kept.filter((l) => l === '<details>').length - kept.filter((l) => l === '</details>').length;
  return `${kept.join('\n')}\n${open > 0 ? '\n</details>\n' : ''}`;
}

function countActions(findings: readonly Finding[]): Record<Finding['action'], number> {
  const counts = { BLOCK: 0, WARN: 0, INFO: 0 };
  for (const f of findings) counts[f.action]++;
  return counts;
}

function resultOf(report: Report, id: ControlId): ControlResult | undefined {
  return report.domains[CATALOG[id].domain]?.controls[id];
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
