import { processAccessOf } from '../../analysis/apis.js';
import { shellCommandLineOf, usesShell } from '../../analysis/capabilities.js';
import type { CallFact, HtmlWrite, StringFact, ValueFact } from '../../analysis/types.js';
import type { Severity } from '../../spec/levels.js';
import { findings, skip, type Control } from '../control.js';
import { applySuppressions, looksLikeSql, serverFiles, type CodeFinding } from './code-findings.js';

/**
 * CQ-05 Safe Execution Patterns (MTF 3.4): exactly the spec's two tables, matched on call facts whose
 * callees are resolved through imports and aliases, so `from os import system as s; s(x)` and a
 * multi-line `child_process.exec(` are caught while `yaml.load(x, Loader=SafeLoader)`, `execFile` and
 * `regex.exec()` are not.
 *
 * Python: `subprocess.*(shell=True)` HIGH (and its equivalent `subprocess.run(["sh", "-c", cmd])` with a command
 * built at run time), `os.system()` HIGH, `os.popen()` HIGH, `eval()`/`exec()` with
 * external input CRITICAL, `pickle.load()`/`pickle.loads()` HIGH, `yaml.load()` without `Loader=SafeLoader`
 * HIGH. JavaScript/TypeScript: `child_process.exec()` HIGH, `child_process.execSync()` HIGH, `eval()` HIGH,
 * `new Function()` with external input MEDIUM, `setTimeout(string)` / `setInterval(string)` MEDIUM, template
 * literals in SQL HIGH, `.innerHTML =` with external input MEDIUM.
 *
 * CRITICAL and HIGH block, MEDIUM warns; a suppression without justification warns.
 */
export const cq05: Control = {
  id: 'CQ-05',
  async check(ctx) {
    const facts = await ctx.facts();
    const server = serverFiles(facts);
    if (server.size === 0) return skip('the bundle has no JavaScript, TypeScript or Python server code to check');
    const found: CodeFinding[] = [];
    for (const call of facts.calls) if (call.role === 'server') found.push(...checkCall(call));
    for (const fact of facts.strings) if (server.has(fact.file)) found.push(...checkSqlTemplate(fact));
    for (const write of facts.htmlWrites) if (server.has(write.file)) found.push(...checkHtmlWrite(write));
    return findings(applySuppressions(found, facts.suppressions.filter((s) => server.has(s.file))));
  },
};

/** Python subprocess APIs that take `shell=`; `getoutput`/`getstatusoutput` always use a shell. */
const PY_SUBPROCESS = new Set(['subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output', 'subprocess.Popen']);
const PY_ALWAYS_SHELL = new Set(['subprocess.getoutput', 'subprocess.getstatusoutput', 'asyncio.create_subprocess_shell']);
const PY_POPEN = new Set(['os.popen', 'os.popen2', 'os.popen3', 'os.popen4']);
const PICKLE = new Set(['pickle.load', 'pickle.loads', 'pickle.Unpickler']);
const YAML_LOADS = new Set(['yaml.load', 'yaml.load_all', 'yaml.unsafe_load', 'yaml.unsafe_load_all']);
const SAFE_LOADER = /(?:^|\.)C?SafeLoader$/;
/** Tagged templates that build parameterized queries (`` sql`... ${x}` ``): the values are bound, not spliced. */
const SAFE_SQL_TAGS = /(?:^|\.)(?:sql|SQL|Sql|raw)$/;

function checkCall(call: CallFact): CodeFinding[] {
  const callee = call.callee;
  if (callee === null) return [];
  const at = (severity: Severity, rule: string, title: string, description: string): CodeFinding[] => [
    {
      rule,
      severity,
      action: severity === 'critical' || severity === 'high' ? 'BLOCK' : 'WARN',
      title,
      description,
      file: call.file,
      line: call.line,
      endLine: call.endLine,
    },
  ];
  if (call.language === 'python') {
    if ((PY_SUBPROCESS.has(callee) && usesShell(call)) || PY_ALWAYS_SHELL.has(callee)) {
      return at('high', 'subprocess-shell', `${callee}() with shell=True`, `${callee} runs its command through a shell: shell injection. Pass an argument list without shell=True.`);
    }
    // `subprocess.run(["bash", "-c", cmd])`: shell=True in all but name.
    if (processAccessOf('python', callee) !== null && hasExternalInput(shellCommandLineOf(call) ?? undefined)) {
      return at('high', 'shell-command-line', `${callee}() of a shell given a command line (sh -c)`, `${callee} starts a shell with a command line built at run time: shell injection, as with shell=True. Run the program itself with an argument list.`);
    }
    if (callee === 'os.system') return at('high', 'os-system', 'os.system()', 'os.system always runs its command through a shell: shell injection. Use subprocess.run with an argument list.');
    if (PY_POPEN.has(callee)) return at('high', 'os-popen', `${callee}()`, `${callee} runs its command through a shell. Use subprocess.run with an argument list.`);
    if ((callee === 'eval' || callee === 'exec') && hasExternalInput(call.args[0])) {
      return at('critical', `python-${callee}`, `${callee}() with external input`, `${callee} runs a string that is not a constant as Python code: arbitrary code execution.`);
    }
    if (PICKLE.has(callee)) return at('high', 'pickle-load', `${callee}()`, 'Unpickling runs code chosen by whoever wrote the data: a deserialization attack. Use json.loads.');
    if (YAML_LOADS.has(callee) && !hasSafeLoader(call)) {
      return at('high', 'yaml-load', `${callee}() without Loader=SafeLoader`, `${callee} can construct arbitrary Python objects from the document. Use yaml.safe_load or Loader=yaml.SafeLoader.`);
    }
    return [];
  }
  if (callee === 'child_process.exec' || callee === 'child_process.execSync') {
    return at('high', callee === 'child_process.exec' ? 'child-process-exec' : 'child-process-exec-sync', `${callee}()`, `${callee} runs a command line through a shell: shell injection. Use execFile/spawn with an argument list.`);
  }
  if (callee === 'eval') return at('high', 'js-eval', 'eval()', 'eval runs a string as code. Use JSON.parse for data.');
  if (callee === 'Function' && call.args.some(hasExternalInput)) {
    return at('medium', 'function-constructor', `${call.isNew ? 'new ' : ''}Function() with external input`, 'The Function constructor compiles a string that is not a constant into code.');
  }
  if ((callee === 'setTimeout' || callee === 'setInterval') && isStringValue(call.args[0])) {
    return at('medium', 'implicit-eval', `${callee}() with a string`, `${callee} given a string evaluates it as code. Pass a function.`);
  }
  return [];
}

/** MTF's "Template literals in SQL": a JS template literal with substitutions whose text is SQL. */
function checkSqlTemplate(fact: StringFact): CodeFinding[] {
  if (fact.language === 'python' || fact.kind !== 'template' || !looksLikeSql(fact.text)) return [];
  if (fact.tag !== undefined && SAFE_SQL_TAGS.test(fact.tag)) return [];
  return [
    {
      rule: 'sql-template',
      severity: 'high',
      action: 'BLOCK',
      title: 'SQL built with a template literal',
      description: `A template literal splices values into SQL text ("${fact.text.slice(0, 80)}"): SQL injection. Use parameterized queries or a sql\`\` tag that binds values.`,
      file: fact.file,
      line: fact.line,
    },
  ];
}

function checkHtmlWrite(write: HtmlWrite): CodeFinding[] {
  if (!hasExternalInput(write.value)) return [];
  return [
    {
      rule: 'inner-html',
      severity: 'medium',
      action: 'WARN',
      title: `.${write.property} = with external input`,
      description: `Assigning a value that is not a constant to ${write.property} renders it as HTML: cross-site scripting. Use textContent.`,
      file: write.file,
      line: write.line,
    },
  ];
}

/** Input that is not a constant of the file. */
function hasExternalInput(value: ValueFact | undefined): boolean {
  return value !== undefined && value.kind !== 'literal' && value.value === undefined && value.kind !== 'function';
}

function isStringValue(value: ValueFact | undefined): boolean {
  if (!value) return false;
  return typeof value.value === 'string' || value.kind === 'template' || value.kind === 'concatenation';
}

function hasSafeLoader(call: CallFact): boolean {
  if (call.callee === 'yaml.unsafe_load' || call.callee === 'yaml.unsafe_load_all') return false;
  const loader = call.keywords.Loader ?? call.args[1];
  return loader?.name !== undefined && SAFE_LOADER.test(loader.name);
}

