import type { AnalysisProblem, Facts } from '../../analysis/types.js';
import { findings, skip, type Control, type FindingInput } from '../control.js';
import { checkPythonCall, checkPythonString } from './bandit-checks.js';
import { applySuppressions, bareSuppressionWarning, serverFiles, type CodeFinding } from './code-findings.js';
import { checkJsCall, checkJsEnvWrite, checkJsImport, checkJsString } from './eslint-security-checks.js';

/**
 * CQ-03 Static Analysis (MTF 3.4): server code has no HIGH-severity static analysis finding. Python gets the
 * Bandit checks (bandit-checks.ts), JavaScript and TypeScript the eslint-plugin-security rules
 * (eslint-security-checks.ts), both on the shared analysis facts. Scope: server code only, which includes
 * every file the entry point reaches, whatever its path (DESIGN.md section 4).
 *
 * | Finding                           | Action      |
 * | HIGH severity in server code      | BLOCK       |
 * | MEDIUM severity                   | WARN        |
 * | LOW/INFO                          | Report only |
 * | Suppression without justification | WARN        |
 *
 * A server file that could not be parsed is a WARN: it was not analysed.
 */
export const cq03: Control = {
  id: 'CQ-03',
  async check(ctx) {
    const facts = await ctx.facts();
    const serverSources = facts.files.filter((file) => file.role === 'server');
    if (serverSources.length === 0) return skip('the bundle has no JavaScript, TypeScript or Python server code to analyse');
    const server = serverFiles(facts);
    const code = collectFindings(facts, server);
    const out = applySuppressions(code, facts.suppressions.filter((s) => server.has(s.file)));
    // A bare nosec that silences nothing still says nothing about why: reported once, here.
    const reported = new Set(out.filter((f) => f.rule === 'suppression-without-reason').map((f) => `${f.file}:${f.line}`));
    for (const suppression of facts.suppressions) {
      if (suppression.reason === null && server.has(suppression.file) && !reported.has(`${suppression.file}:${suppression.line}`)) {
        out.push(bareSuppressionWarning(suppression));
      }
    }
    for (const problem of facts.problems) if (server.has(problem.file)) out.push(notAnalysed(problem));
    return findings(out);
  },
};

function collectFindings(facts: Facts, server: ReadonlySet<string>): CodeFinding[] {
  const out: CodeFinding[] = [];
  const executed = new Set<string>();
  for (const call of facts.calls) {
    if (call.role !== 'server') continue;
    const found = call.language === 'python' ? checkPythonCall(call) : checkJsCall(call);
    for (const finding of found) {
      if (finding.rule.startsWith('B608')) executed.add(`${call.file}:${call.line}`);
      out.push(finding);
    }
  }
  for (const fact of facts.strings) {
    if (!server.has(fact.file)) continue;
    out.push(...(fact.language === 'python' ? checkPythonString(fact, executed) : checkJsString(fact)));
  }
  for (const fact of facts.imports) if (server.has(fact.file) && fact.language !== 'python') out.push(...checkJsImport(fact));
  for (const use of facts.capabilities) if (use.role === 'server' && use.language !== 'python') out.push(...checkJsEnvWrite(use));
  return out;
}

function notAnalysed(problem: AnalysisProblem): FindingInput {
  const partly = problem.kind === 'truncated';
  return {
    rule: 'not-analysed',
    severity: 'medium',
    action: 'WARN',
    title: partly ? 'Server file only partly analysed' : `Server file not analysed (${problem.kind})`,
    description: partly
      ? `${problem.file} was analysed only in part: ${problem.message}. The secret and malware scans still read all of it as text.`
      : `${problem.file} could not be statically analysed: ${problem.message}. Its code was not checked; the secret and malware scans still read it as text.`,
    file: problem.file,
    ...(problem.line === null ? {} : { line: problem.line }),
    remediation: 'Ship readable source (not minified or generated beyond the parse limit), or review the file by hand.',
  };
}
