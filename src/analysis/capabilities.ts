import {
  fileAccessOf,
  loadsNativeCode,
  networkAccessOf,
  processAccessOf,
  takesShellOption,
  writeTargetIndex,
} from './apis.js';
import type { CallFact, CapabilityUse, ValueFact } from './types.js';

/** Environment access through calls (Python's `os.getenv`, `os.environ.get`, `os.environ.copy()` ...). */
const ENV_CALLS: ReadonlyMap<string, 'read' | 'write' | 'all'> = new Map([
  ['os.getenv', 'read'],
  ['os.environ.get', 'read'],
  ['os.getenvb', 'read'],
  ['os.environ.copy', 'all'],
  ['os.environ.items', 'all'],
  ['os.environ.keys', 'all'],
  ['os.environ.values', 'all'],
  ['os.environ.setdefault', 'write'],
  ['os.environ.update', 'write'],
  ['os.environ.pop', 'write'],
  ['os.environ.clear', 'write'],
  ['os.putenv', 'write'],
  ['os.unsetenv', 'write'],
  ['dotenv.load_dotenv', 'write'],
  ['dotenv.dotenv_values', 'read'],
]);

/** A fetch of a relative, `data:`, `blob:` or `file:` URL is not a network connection (Node refuses `file:`). */
const NON_NETWORK_URL = /^(?:data:|blob:|file:|\.{0,2}\/|\{here\})/i;

/**
 * What one call does to the system, from the API tables (apis.ts): the capability facts CD-02 compares
 * with the declared permissions. Pure function of the call fact.
 */
export function deriveCapabilities(call: CallFact): CapabilityUse[] {
  const callee = call.callee;
  if (callee === null) return [];
  const uses: CapabilityUse[] = [];
  const use = (capability: CapabilityUse['capability'], access: string, target: string | null) =>
    uses.push({
      capability,
      access,
      api: callee,
      target,
      file: call.file,
      line: call.line,
      language: call.language,
      role: call.role,
      context: call.context,
    });

  const transport = stringValue(call.keywords.transport) ?? (callee.endsWith('.run') ? stringValue(call.args[0]) : null);
  const network = networkAccessOf(call.language, callee, transport);
  if (network) {
    const target = stringValue(call.args[0]) ?? call.args[0]?.path ?? null;
    if (!(network === 'outbound' && target !== null && NON_NETWORK_URL.test(target))) use('network', network, target);
  }

  const mode = openMode(call);
  const file = fileAccessOf(call.language, callee, mode);
  if (file) {
    const index = file === 'write' ? writeTargetIndex(callee) : 0;
    const target = call.args[index] ?? call.keywords.file ?? call.keywords.path;
    use('filesystem', file, target?.path ?? call.receiver?.path ?? null);
  }

  const process = processAccessOf(call.language, callee);
  if (process) {
    const shell = process === 'shell' || (takesShellOption(callee) && usesShell(call)) || shellCommandLineOf(call) !== null;
    use('subprocess', shell ? 'shell' : 'exec', commandOf(call));
  }

  if (loadsNativeCode(call.language, callee)) use('native', 'load', stringValue(call.args[0]) ?? call.args[0]?.path ?? null);

  const env = ENV_CALLS.get(callee);
  if (env) use('environment', env, env === 'all' ? null : stringValue(call.args[0]));
  return uses;
}

function stringValue(value: ValueFact | undefined): string | null {
  return typeof value?.value === 'string' ? value.value : null;
}

/** The open mode: `open(p, "w")`, `open(p, mode="a")`, `fs.openSync(p, "w+")`; undefined when not given. */
function openMode(call: CallFact): string | null | undefined {
  const given = call.keywords.mode ?? call.keywords.flags ?? call.args[1];
  if (!given) return call.spread ? null : undefined;
  if (typeof given.value === 'string') return given.value;
  if (given.kind === 'member' && given.name) return given.name;
  return null;
}

/** `shell: true` / `shell=True`, or a shell option the code computes (Bandit reads those as true too). */
export function usesShell(call: CallFact): boolean {
  const keyword = call.keywords.shell;
  if (keyword) return isTruthyOrUnknown(keyword);
  for (const arg of call.args) {
    const option = arg.properties?.shell;
    if (option) return isTruthyOrUnknown(option);
  }
  return false;
}

function isTruthyOrUnknown(value: ValueFact): boolean {
  if (value.kind !== 'literal' && value.value === undefined) return true;
  return Boolean(value.value);
}

const SHELL_PROGRAMS = /^(?:sh|bash|zsh|dash|ksh|ash|fish|cmd|powershell|pwsh)(?:\.exe)?$/i;

/**
 * The command line a subprocess call hands to a shell program with its command flag: `spawn("bash", ["-c",
 * cmd])`, `subprocess.run(["sh", "-c", cmd])`, `execFile("cmd.exe", ["/c", cmd])`, `powershell -Command`.
 * That is a shell command line, as much as `exec(cmd)` or `shell=True`. Returns the command's description (its
 * value, if constant), or null when the call runs no shell this way.
 */
export function shellCommandLineOf(call: CallFact): ValueFact | null {
  const first = call.args[0] ?? call.keywords.args;
  if (!first) return null;
  const words = first.elements ? first.elements : [first, ...(call.args[1]?.elements ?? [])];
  const program = typeof words[0]?.value === 'string' ? words[0].value.trim() : '';
  const name = program.slice(program.search(/[^\\/]*$/));
  if (!SHELL_PROGRAMS.test(name)) return null;
  const flag = words.findIndex((word, i) => i > 0 && typeof word.value === 'string' && isCommandFlag(name.toLowerCase().replace(/\.exe$/, ''), word.value));
  return flag > 0 ? (words[flag + 1] ?? { kind: 'other' }) : null;
}

function isCommandFlag(shell: string, word: string): boolean {
  if (shell === 'cmd') return /^\/[ck]$/i.test(word);
  if (shell === 'powershell' || shell === 'pwsh') return /^-(?:c|command|e|ec|encodedcommand)$/i.test(word);
  return /^-[a-z]{0,4}c[a-z]{0,4}$/.test(word);
}

/** The program a subprocess call runs, when written: `"ls -la"`, `["git", "status"]` gives `git status`. */
export function commandOf(call: CallFact): string | null {
  const first = call.args[0] ?? call.keywords.args;
  if (!first) return null;
  if (typeof first.value === 'string') {
    const rest = call.args[1]?.elements;
    const tail = rest ? rest.map((element) => (typeof element.value === 'string' ? element.value : '…')).join(' ') : '';
    return tail ? `${first.value} ${tail}` : first.value;
  }
  if (first.elements) return first.elements.map((element) => (typeof element.value === 'string' ? element.value : '…')).join(' ');
  return null;
}
