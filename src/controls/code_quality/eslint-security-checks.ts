import { fileAccessOf, processAccessOf, takesShellOption } from '../../analysis/apis.js';
import { shellCommandLineOf, usesShell } from '../../analysis/capabilities.js';
import type { CallFact, CapabilityUse, ImportFact, StringFact, ValueFact } from '../../analysis/types.js';
import type { Severity } from '../../spec/levels.js';
import { actionFor, type CodeFinding, type Rating, mapRating } from './code-findings.js';
import { isUnsafeRegex } from './unsafe-regex.js';

/**
 * The eslint-plugin-security rules MTF 3.4 CQ-03 requires for JavaScript/TypeScript (detect-child-process,
 * detect-eval-with-expression, detect-non-literal-fs-filename) and the rest of its recommended set that
 * applies to a server, implemented on the analysis facts (eslint is not run: it would parse every file a
 * second time). The rules carry no rating, so they are rated as DESIGN.md section 4 says: code-execution sinks
 * reached by non-literal input HIGH/HIGH; the others MEDIUM/MEDIUM. TypeScript is covered by the same facts.
 *
 * Not mirrored: detect-object-injection (flags every `obj[key]`), detect-possible-timing-attacks and
 * detect-no-csrf-before-method-override (web-app concerns), detect-buffer-noassert (removed from Node),
 * detect-disable-mustache-escape, detect-bidi-characters (a text-level check, CQ-02 / CD-03).
 */

const SINK: readonly [Rating, Rating] = ['HIGH', 'HIGH'];
const ADVISORY: readonly [Rating, Rating] = ['MEDIUM', 'MEDIUM'];

const VM_SINKS = new Set(['vm.runInNewContext', 'vm.runInThisContext', 'vm.runInContext', 'vm.compileFunction', 'vm.Script', 'vm.SourceTextModule']);
const SHELL_EXEC = new Set(['child_process.exec', 'child_process.execSync']);
const CHILD_PROCESS_MODULES = new Set(['child_process', 'node:child_process']);

export function checkJsCall(call: CallFact): CodeFinding[] {
  const callee = call.callee;
  if (callee === null) return [];
  const found: CodeFinding[] = [];
  const add = (rule: string, rating: readonly [Rating, Rating], title: string, description: string) =>
    found.push(jsFinding(call, rule, rating, title, description));
  const first = call.args[0];

  if (callee === 'eval' && first && !isStatic(first)) {
    add('detect-eval-with-expression', SINK, 'eval() of a non-literal expression', 'eval() runs a string built at run time as code (eslint-plugin-security detect-eval-with-expression).');
  }
  if (callee === 'Function' && call.args.some((arg) => !isStatic(arg))) {
    add('detect-function-constructor', SINK, `${call.isNew ? 'new ' : ''}Function() with non-literal code`, 'The Function constructor compiles a string built at run time into code.');
  }
  if (VM_SINKS.has(callee) && first && !isStatic(first)) {
    add('detect-vm-code', SINK, `${callee}() of non-literal code`, `${callee} compiles and runs a string built at run time.`);
  }
  if (SHELL_EXEC.has(callee) && first && !isStatic(first)) {
    add('detect-child-process', SINK, `${callee}() with a non-literal command`, `${callee} runs a command line built at run time through a shell (eslint-plugin-security detect-child-process: "Found child_process.exec() with non Literal first argument").`);
  }
  if (takesShellOption(callee) && processAccessOf(call.language, callee) !== null && usesShell(call)) {
    const literal = call.args.slice(0, 2).every((arg) => isStatic(arg) || (arg.kind === 'array' && (arg.elements ?? []).every(isStatic)));
    if (!literal) add('detect-child-process', SINK, `${callee}() with shell: true and non-literal arguments`, `${callee} with the shell option runs its arguments as a shell command line; they are built at run time.`);
  } else if (processAccessOf(call.language, callee) !== null) {
    // `spawn("sh", ["-c", cmd])`: a shell command line, as with exec() or `shell: true`.
    const commandLine = shellCommandLineOf(call);
    if (commandLine && !isStatic(commandLine)) add('detect-child-process', SINK, `${callee}() of a shell given a non-literal command line (sh -c)`, `${callee} starts a shell with a command line built at run time: shell injection, as with child_process.exec().`);
  }
  if (fileAccessOf(call.language, callee, undefined) !== null || fileAccessOf(call.language, callee, 'r') !== null) {
    const pathArgs = call.args.slice(0, /\.(?:copyFile|rename|cp|link|symlink|copy|move)(?:Sync)?$/.test(callee) ? 2 : 1);
    if (pathArgs.some((arg) => !isStatic(arg) && !isStaticPath(arg))) {
      add('detect-non-literal-fs-filename', ADVISORY, `${callee}() with a non-literal path`, `${callee} opens a path built at run time; check it cannot be steered outside the intended directory (eslint-plugin-security detect-non-literal-fs-filename).`);
    }
  }
  if (callee === 'require' && first && !isStatic(first)) {
    add('detect-non-literal-require', ADVISORY, 'require() of a non-literal module name', 'require() loads a module whose name is computed at run time (eslint-plugin-security detect-non-literal-require).');
  }
  if (callee === 'RegExp' && first) {
    if (!isStatic(first)) {
      add('detect-non-literal-regexp', ADVISORY, 'RegExp() built from a non-literal pattern', 'A regular expression built from run-time input can be made to backtrack catastrophically (eslint-plugin-security detect-non-literal-regexp).');
    } else if (typeof first.value === 'string' && isUnsafeRegex(first.value)) {
      add('detect-unsafe-regex', ADVISORY, 'Potentially catastrophic regular expression', `The pattern /${first.value.slice(0, 80)}/ repeats a group that itself repeats (eslint-plugin-security detect-unsafe-regex).`);
    }
  }
  if (callee === 'crypto.pseudoRandomBytes') {
    add('detect-pseudoRandomBytes', ADVISORY, 'crypto.pseudoRandomBytes()', 'pseudoRandomBytes is not cryptographically secure; use crypto.randomBytes (eslint-plugin-security detect-pseudoRandomBytes).');
  }
  if (callee === 'Buffer' && call.isNew && first && !isStatic(first)) {
    add('detect-new-buffer', ADVISORY, 'new Buffer() with a non-literal argument', 'new Buffer(n) with a computed number allocates uninitialised memory (eslint-plugin-security detect-new-buffer).');
  }
  for (const arg of call.args) {
    const option = arg.properties?.rejectUnauthorized;
    if (option && option.kind === 'literal' && option.value === false) {
      add('tls-verification-disabled', SINK, 'TLS certificate verification disabled (rejectUnauthorized: false)', `${callee} is given rejectUnauthorized: false: the connection accepts any certificate (the JavaScript form of Bandit B501).`);
      break;
    }
  }
  return found;
}

/** detect-child-process's first message: `require("child_process")` (and its import form). */
export function checkJsImport(fact: ImportFact): CodeFinding[] {
  if (!CHILD_PROCESS_MODULES.has(fact.specifier)) return [];
  const at = { file: fact.file, line: fact.line, endLine: fact.line };
  return [
    {
      ...rated(ADVISORY),
      rule: 'detect-child-process',
      title: `${fact.kind === 'import' ? 'import' : 'require'} of child_process`,
      description: 'The module loads child_process (eslint-plugin-security detect-child-process: "Found require(\\"child_process\\")"); its calls are checked one by one.',
      ...at,
    },
  ];
}

export function checkJsString(fact: StringFact): CodeFinding[] {
  if (fact.kind !== 'regex' || !isUnsafeRegex(fact.text)) return [];
  return [
    {
      ...rated(ADVISORY),
      rule: 'detect-unsafe-regex',
      title: 'Potentially catastrophic regular expression',
      description: `The pattern /${fact.text.slice(0, 80)}/ repeats a group that itself repeats (eslint-plugin-security detect-unsafe-regex).`,
      file: fact.file,
      line: fact.line,
    },
  ];
}

/** `process.env.NODE_TLS_REJECT_UNAUTHORIZED = ...`: turns off certificate checks for the whole process. */
export function checkJsEnvWrite(use: CapabilityUse): CodeFinding[] {
  if (use.capability !== 'environment' || use.access !== 'write' || use.target !== 'NODE_TLS_REJECT_UNAUTHORIZED') return [];
  return [
    {
      ...rated(SINK),
      rule: 'tls-verification-disabled',
      title: 'NODE_TLS_REJECT_UNAUTHORIZED set by the code',
      description: 'Setting NODE_TLS_REJECT_UNAUTHORIZED (to "0") disables certificate verification for every TLS connection of the process.',
      file: use.file,
      line: use.line,
    },
  ];
}

function rated([severity, confidence]: readonly [Rating, Rating]): { severity: Severity; action: 'BLOCK' | 'WARN' | 'INFO' } {
  const mapped = mapRating(severity, confidence);
  return { severity: mapped, action: actionFor(mapped) };
}

function jsFinding(call: CallFact, rule: string, rating: readonly [Rating, Rating], title: string, description: string): CodeFinding {
  return {
    ...rated(rating),
    rule,
    title,
    description: `${description} Rated ${rating[0]}/${rating[1]} (DESIGN.md section 4).`,
    file: call.file,
    line: call.line,
    endLine: call.endLine,
  };
}

/** A literal, or a template/concatenation whose value the file fixes. */
function isStatic(value: ValueFact): boolean {
  return value.kind === 'literal' || value.value !== undefined;
}

/** A path the code builds from constants only (`path.join(__dirname, "data.json")`). */
function isStaticPath(value: ValueFact): boolean {
  return value.path !== undefined && !value.path.includes('*') && !value.path.includes('{cwd}');
}
