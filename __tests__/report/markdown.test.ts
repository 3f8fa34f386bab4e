import { beforeAll, describe, expect, test } from '@jest/globals';
import { marked } from 'marked';
import { hostileFindings, manifestProblems, manyFindings, type ScannedFixture } from '../../__fixtures__/reports.js';
import { escapeMarkdown, fitMarkdown, renderMarkdown, type MarkdownContext } from '../../src/report/markdown.js';

const LINKS = 'https://github.com/acme/weather/blob/0123456789abcdef0123456789abcdef01234567';

let problems: ScannedFixture;
let hostile: ScannedFixture;
let many: ScannedFixture;

beforeAll(async () => {
  [problems, hostile, many] = await Promise.all([manifestProblems(), hostileFindings(), manyFindings(10_000)]);
});

function context(fixture: ScannedFixture, extra: Partial<MarkdownContext> = {}): MarkdownContext {
  return { map: fixture.map, linkBase: LINKS, category: 'mtf/acme-weather-server', ...extra };
}

function html(markdown: string): string {
  return marked.parse(markdown, { gfm: true, async: false });
}

describe('renderMarkdown', () => {
  test('the headline gives the level reached against the level required, and the verdict', () => {
    const md = renderMarkdown(problems.report, problems.verdict, context(problems));
    const lines = md.split('\n');
    expect(lines[0]).toBe('### ❌ MTF L0 None · required L2 · @\u200bacme/weather-server');
    expect(lines[2]).toBe('**`FAILED`** reached L0, required L2: 1 finding blocks L1, 3 controls could not complete');
    expect(md).toContain(`- **SHA-256:** \`${problems.report.bundle.hash}\``);
    expect(md).toContain('- **Code scanning category:** `mtf/acme-weather-server`');
  });

  test('a passing bundle says PASSED', async () => {
    const verdict = { passed: true, requiredLevel: 0, reasons: [] };
    expect(renderMarkdown(problems.report, verdict, context(problems))).toMatch(/^### ✅ MTF L0 None · no level required/);
  });

  test('lists what blocks the next level with links to the exact file and line of the commit', () => {
    const md = renderMarkdown(problems.report, problems.verdict, context(problems));
    const section = md.slice(md.indexOf('#### What blocks L1 Basic'), md.indexOf('#### Controls'));
    expect(section).toContain(`- 🛑 **AI-01** [manifest.json:4](${LINKS}/manifest.json#L4) **Invalid semver**:`);
    expect(section).toContain('- ⚠️ **SC-01** SBOM Generation could not complete: not implemented');
    expect(section).not.toContain('CQ-05');
  });

  test('has a control table per domain with each control\'s status', () => {
    const md = renderMarkdown(problems.report, problems.verdict, context(problems));
    expect(md).toContain('**Code Quality**\n\n| Control | Level | Status | Notes |\n| --- | --- | --- | --- |\n');
    expect(md).toContain('| CQ-05 Safe Execution Patterns | L3 | ❌ fail | 1 finding |');
    expect(md).toContain('| SC-02 Vulnerability Scanning | L2 | ⚠️ error | vulnerability data unreachable |');
    const rendered = html(md);
    expect(rendered.match(/<table>/g)).toHaveLength(6);
  });

  test('collapses every finding into <details>, grouped by severity', () => {
    const md = renderMarkdown(problems.report, problems.verdict, context(problems));
    const details = md.slice(md.indexOf('<details>'));
    expect(details).toContain('<summary>All findings (4)</summary>');
    expect(details).toContain(`- 🛑 **CQ-05** [server.py:9](${LINKS}/server.py#L9) **subprocess with shell=True**: A shell runs a command built from tool input.`);
    expect(details.indexOf('**HIGH** (2)')).toBeLessThan(details.indexOf('**MEDIUM** (2)'));
    expect(html(md)).toMatch(/<details>[\s\S]*<li>[\s\S]*<\/details>/);
  });

  test('without a link base, or for a file not in the checkout, the location is plain text', () => {
    const plain = renderMarkdown(problems.report, problems.verdict, { map: problems.map });
    expect(plain).toContain('- 🛑 **CQ-05** server.py:9 **subprocess');
    const unmapped = renderMarkdown(problems.report, problems.verdict, context(problems, { map: { files: new Map(), fallback: 'x.mcpb' } }));
    expect(unmapped).toContain('- 🛑 **CQ-05** server.py:9 **subprocess');
  });

  test('notes are appended as quotes', () => {
    const md = renderMarkdown(problems.report, problems.verdict, context(problems, { notes: ['SARIF: something was capped.'] }));
    expect(md.trimEnd().endsWith('> SARIF: something was capped.')).toBe(true);
  });

  test('matches the golden rendering of the manifest-problems fixture', () => {
    expect(renderMarkdown(problems.report, problems.verdict, context(problems))).toMatchSnapshot();
  });
});

describe('hostile bundle text', () => {
  test('renders literally: no HTML, images, links or mentions of its own', () => {
    const md = renderMarkdown(hostile.report, hostile.verdict, context(hostile));
    const rendered = html(md);
    expect(rendered).not.toMatch(/<img|<script|<!--|evil\.example"/);
    const links = [...rendered.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
    for (const link of links) expect(link!.startsWith(`${LINKS}/`)).toBe(true);
    expect(rendered).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(md).not.toMatch(/@(octocat|github|me)\b/);
    // The <details> block is closed by us only: the attacker's </details> stays text.
    expect(rendered.match(/<\/details>/g)).toHaveLength(1);
  });

  test('a hostile file name links to its percent-encoded path', () => {
    const md = renderMarkdown(hostile.report, hostile.verdict, context(hostile));
    expect(md).toContain(`(${LINKS}/src/%3Cb%3Ex%3C/b%3E%20%5Ba%5D%28b%29%20%40me%7Cpipe.js#L1)`);
  });

  test('hostile text in a table cell does not break the table', () => {
    const md = renderMarkdown(hostile.report, hostile.verdict, context(hostile));
    const row = md.split('\n').find((l) => l.startsWith('| PR-05 '))!;
    expect(row.split(/(?<!\\)\|/)).toHaveLength(6);
  });

  test('escapeMarkdown keeps one line and clips', () => {
    expect(escapeMarkdown('a\nb\r\nc', 100)).toBe('a b c');
    expect(escapeMarkdown('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(escapeMarkdown('see www.example.com or mail a@b.c', 100)).toBe('see www\u200b.example.com or mail a@\u200bb.c');
  });
});

describe('fitMarkdown', () => {
  const render = (fixture: ScannedFixture) => (limit: number) => renderMarkdown(fixture.report, fixture.verdict, context(fixture), { maxFindings: limit });

  test('keeps a summary that fits as it is', () => {
    const fitted = fitMarkdown(render(problems), 1_000_000, 'shortened');
    expect(fitted).toEqual({ markdown: render(problems)(Infinity), truncated: false });
  });

  test('10,000 findings stay under GitHub\'s 1 MiB step-summary limit, with a note saying where the rest is', () => {
    const full = render(many)(Infinity);
    expect(Buffer.byteLength(full)).toBeGreaterThan(1_000_000);
    const fitted = fitMarkdown(render(many), 1_000_000, 'The artifact holds the full summary.');
    expect(fitted.truncated).toBe(true);
    expect(Buffer.byteLength(fitted.markdown)).toBeLessThanOrEqual(1_000_000);
    expect(fitted.markdown.trimEnd().endsWith('> The artifact holds the full summary.')).toBe(true);
    expect(fitted.markdown).toMatch(/- … and \d+ more \w+ findings \(see the JSON report\)/);
    expect(html(fitted.markdown).match(/<\/details>/g)).toHaveLength(1);
  });

  test('a tiny budget still yields whole lines, a closed <details> and the note', () => {
    const fitted = fitMarkdown(render(many), 3_000, 'See the artifact.');
    expect(Buffer.byteLength(fitted.markdown)).toBeLessThanOrEqual(3_000);
    expect(fitted.markdown).toContain('> See the artifact.');
    expect(fitted.markdown.split('\n')[0]).toMatch(/^### ❌ MTF/);
  });
});
