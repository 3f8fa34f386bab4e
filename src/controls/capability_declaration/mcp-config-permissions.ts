import { isObject, MANIFEST_FILE, type JsonPath, type Manifest } from '../../manifest/manifest.js';
import type { Severity } from '../../spec/levels.js';
import type { FindingInput } from '../control.js';
import type { Permissions } from './cd-02-permission-correlation.js';

/**
 * MTF 3.5 CD-02: "Execution configuration (`server`, `mcp_config`) MUST NOT enable behavior outside declared
 * permissions". What a client runs is judged for each config (`mcp_config` and its `platform_overrides`):
 *
 * - a shell command line (`bash -c "..."`, `cmd /c ...`, `powershell -Command ...`): runs anything, HIGH
 *   (block) unless `subprocess: full`; a shell running a bundled script: MEDIUM (warn) unless `full`;
 * - a launcher that fetches code at start (`npx`, `bunx`, `uvx`, `pipx run`, `npm exec`, `pnpm dlx`,
 *   `yarn dlx`, `uv tool run`, `uv run --with`, `deno run <url>`, `docker run`): the code that runs is not the
 *   bundle's, HIGH (block) whatever is declared;
 * - inline code (`node -e`, `python -c`) or a preload of code outside the bundle (`node --require x`): HIGH;
 * - Deno `--allow-*` flags beyond the declared permissions, rated as CD-02 rates the capability;
 * - env: NODE_OPTIONS preloading code, LD_PRELOAD / DYLD_INSERT_LIBRARIES (native code, CRITICAL unless
 *   `native: required`), BASH_ENV, TLS verification turned off (HIGH); proxies, custom CA bundles, an import
 *   path outside the bundle (MEDIUM, warn).
 */
export function checkMcpConfig(manifest: Manifest, permissions: Permissions): FindingInput[] {
  const config = manifest.mcpConfig;
  if (!config || !isObject(config.value)) return [];
  const out: FindingInput[] = [...checkOne(manifest, config.value, config.path, permissions)];
  const overrides = config.value.platform_overrides;
  if (isObject(overrides)) {
    for (const [platform, override] of Object.entries(overrides)) {
      if (isObject(override)) out.push(...checkOne(manifest, override, [...config.path, 'platform_overrides', platform], permissions));
    }
  }
  return out;
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'csh', 'tcsh', 'cmd', 'powershell', 'pwsh']);
/** `-c` and combined short flags holding it (`-lc`, `-ec`); cmd's `/c` `/k`; PowerShell's `-Command`. */
function isShellCommandFlag(program: string, arg: string): boolean {
  if (program === 'cmd') return /^\/[ckCK]$/.test(arg);
  if (program === 'powershell' || program === 'pwsh') return /^-(?:c|command|encodedcommand|e|ec)$/i.test(arg);
  return /^-[a-z]{0,4}$/.test(arg) && arg.includes('c');
}
const FETCHING_LAUNCHERS = new Set(['npx', 'bunx', 'pnpx', 'uvx', 'pipx']);
const PACKAGE_MANAGERS = new Set(['npm', 'pnpm', 'yarn', 'bun']);
const INLINE_CODE_FLAGS: Readonly<Record<string, readonly string[]>> = {
  node: ['-e', '--eval', '-p', '--print'],
  python: ['-c'],
  deno: ['eval'],
  bun: ['-e', '--eval'],
};
const PRELOAD_FLAGS = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader']);
const DENO_ALLOW: Readonly<Record<string, { capability: keyof Permissions; needs: string }>> = {
  '--allow-net': { capability: 'network', needs: 'outbound' },
  '--allow-run': { capability: 'subprocess', needs: 'full' },
  '--allow-ffi': { capability: 'native', needs: 'required' },
  '--allow-write': { capability: 'filesystem', needs: 'write' },
  '--allow-read': { capability: 'filesystem', needs: 'read' },
  '--allow-env': { capability: 'environment', needs: 'read' },
  '--allow-sys': { capability: 'environment', needs: 'read' },
};
const LEVEL_ORDER: Readonly<Record<keyof Permissions, readonly string[]>> = {
  filesystem: ['none', 'read', 'write', 'full'],
  network: ['none', 'outbound', 'full'],
  environment: ['none', 'read', 'write'],
  subprocess: ['none', 'restricted', 'full'],
  native: ['none', 'required'],
};
const DIRNAME = '${__dirname}';

function checkOne(manifest: Manifest, config: Record<string, unknown>, at: JsonPath, permissions: Permissions): FindingInput[] {
  const out: FindingInput[] = [];
  const add = (severity: Severity, action: 'BLOCK' | 'WARN', rule: string, title: string, description: string, path: JsonPath) =>
    out.push({ rule, severity, action, title, description, file: MANIFEST_FILE, line: manifest.lineOf(path) });
  const written = typeof config.command === 'string' ? config.command : '';
  const writtenArgs = Array.isArray(config.args) ? config.args.map((arg) => (typeof arg === 'string' ? arg : '')) : [];
  const { command, args, origins } = unwrapLaunchers(written, writtenArgs);
  const program = programName(command);
  const argPath = (i: number): JsonPath => [...at, 'args', origins[i] ?? i];
  const commandPath: JsonPath = origins.command === null ? [...at, 'command'] : [...at, 'args', origins.command];
  const where = `${formatPath(at)} runs "${[written, ...writtenArgs].join(' ').slice(0, 160)}"`;

  if (SHELLS.has(program) && permissions.subprocess !== 'full') {
    const flag = args.findIndex((arg) => isShellCommandFlag(program, arg));
    if (flag >= 0) {
      add('high', 'BLOCK', 'config-shell-command', `mcp_config runs a ${program} command line`, `${where}: a shell command line can do anything, beyond permissions.subprocess = "${permissions.subprocess}".`, argPath(flag));
    } else {
      add('medium', 'WARN', 'config-shell-script', `mcp_config starts the server through ${program}`, `${where}: the shell script's commands are not analysed and may exceed permissions.subprocess = "${permissions.subprocess}".`, commandPath);
    }
  }
  const fetching = fetchesCode(program, args);
  if (fetching !== null) {
    add('high', 'BLOCK', 'config-remote-code', `mcp_config runs code fetched at start (${fetching})`, `${where}: ${fetching} downloads and runs code that is not in the bundle, so no control here has reviewed it and no permission covers it.`, commandPath);
  }
  const inline = INLINE_CODE_FLAGS[program]?.find((flag) => args.includes(flag));
  if (inline) {
    add('high', 'BLOCK', 'config-inline-code', `mcp_config runs inline code (${program} ${inline})`, `${where}: code written in the configuration is not part of the analysed bundle.`, argPath(args.indexOf(inline)));
  }
  if (program === 'node' || program === 'bun' || program === 'tsx') {
    args.forEach((arg, i) => {
      const [flag, inlineValue] = arg.split('=', 2);
      if (!PRELOAD_FLAGS.has(flag!)) return;
      const target = inlineValue ?? args[i + 1] ?? '';
      if (!target.startsWith(`${DIRNAME}/`)) {
        add('high', 'BLOCK', 'config-preload', `mcp_config preloads code from outside the bundle (${flag} ${target})`, `${where}: "${target}" runs before the entry point and is not part of the bundle.`, argPath(i));
      }
    });
  }
  if (program === 'deno') out.push(...checkDenoFlags(manifest, args, at, permissions, where));
  const env = config.env;
  if (isObject(env)) {
    for (const [name, value] of Object.entries(env)) {
      if (typeof value === 'string') out.push(...checkEnv(manifest, name, value, [...at, 'env', name], permissions, formatPath(at)));
    }
  }
  return out;
}

/** What fetches code at start: `npx x`, `uvx x`, `npm exec`, `uv run --with x`, `deno run https://...`, `docker run`. */
function fetchesCode(program: string, args: readonly string[]): string | null {
  if (FETCHING_LAUNCHERS.has(program)) return program;
  if (PACKAGE_MANAGERS.has(program) && ['exec', 'dlx', 'x'].includes(args[0] ?? '')) return `${program} ${args[0]}`;
  if (program === 'uv' && ((args[0] === 'tool' && args[1] === 'run') || args.some((arg) => arg === '--with' || arg.startsWith('--with=')))) {
    return args[0] === 'tool' ? 'uv tool run' : 'uv run --with';
  }
  if (program === 'deno' && args.some((arg) => /^(?:https?:|npm:|jsr:)/.test(arg))) return 'deno run of a remote module';
  if ((program === 'docker' || program === 'podman') && args[0] === 'run') return `${program} run`;
  return null;
}

function checkDenoFlags(manifest: Manifest, args: readonly string[], at: JsonPath, permissions: Permissions, where: string): FindingInput[] {
  const out: FindingInput[] = [];
  args.forEach((arg, i) => {
    const flag = arg.split('=', 1)[0]!;
    const all = flag === '--allow-all' || flag === '-A';
    const grants = all ? Object.values(DENO_ALLOW) : DENO_ALLOW[flag] ? [DENO_ALLOW[flag]] : [];
    for (const grant of grants) {
      const order = LEVEL_ORDER[grant.capability];
      if (order.indexOf(permissions[grant.capability]) >= order.indexOf(grant.needs)) continue;
      const severity: Severity = grant.capability === 'subprocess' || grant.capability === 'native' ? 'critical' : grant.capability === 'network' ? 'high' : grant.capability === 'environment' ? 'low' : 'medium';
      const action = severity === 'critical' || severity === 'high' ? 'BLOCK' : severity === 'medium' ? 'WARN' : 'INFO';
      out.push({
        rule: 'config-deno-permission',
        severity,
        action,
        title: `mcp_config grants ${all ? arg : flag} beyond permissions.${grant.capability}`,
        description: `${where}: Deno's ${arg} lets the server use ${grant.capability} ("${grant.needs}"), but the manifest declares "${permissions[grant.capability]}".`,
        file: MANIFEST_FILE,
        line: manifest.lineOf([...at, 'args', i]),
      });
      if (!all) break;
    }
  });
  return out;
}

function checkEnv(manifest: Manifest, name: string, value: string, path: JsonPath, permissions: Permissions, where: string): FindingInput[] {
  const line = manifest.lineOf(path);
  const finding = (severity: Severity, action: 'BLOCK' | 'WARN', rule: string, title: string, why: string): FindingInput[] => [
    { rule, severity, action, title, description: `${where} sets ${name}="${value.slice(0, 120)}": ${why}`, file: MANIFEST_FILE, line },
  ];
  const upper = name.toUpperCase();
  if (upper === 'NODE_OPTIONS') {
    const words = value.split(/\s+/);
    const preload = words.findIndex((word, i) => PRELOAD_FLAGS.has(word.split('=', 1)[0]!) && !(word.split('=', 2)[1] ?? words[i + 1] ?? '').startsWith(`${DIRNAME}/`));
    if (preload >= 0) return finding('high', 'BLOCK', 'config-env-preload', 'mcp_config env preloads code through NODE_OPTIONS', 'code outside the bundle runs in the server before its entry point.');
    if (words.some((word) => word.startsWith('--inspect'))) return finding('high', 'BLOCK', 'config-env-inspector', 'mcp_config env opens the Node inspector', 'the inspector lets anyone who reaches its port run code in the server.');
    return [];
  }
  if (upper === 'LD_PRELOAD' || upper.startsWith('DYLD_INSERT') || upper === 'LD_LIBRARY_PATH' || upper === 'DYLD_LIBRARY_PATH') {
    if (permissions.native === 'required') return [];
    return finding('critical', 'BLOCK', 'config-env-native', `mcp_config env sets ${name}`, 'native code is loaded into the server process, but permissions.native is "none".');
  }
  if (upper === 'BASH_ENV' || upper === 'ENV') return finding('high', 'BLOCK', 'config-env-shell-startup', `mcp_config env sets ${name}`, 'every shell the server starts runs this file first.');
  if ((upper === 'NODE_TLS_REJECT_UNAUTHORIZED' || upper === 'PYTHONHTTPSVERIFY') && value.trim() === '0') {
    return finding('high', 'BLOCK', 'config-env-tls-off', `mcp_config env turns off TLS verification (${name}=0)`, 'every HTTPS connection of the server accepts any certificate.');
  }
  if (/^(?:https?|all)_proxy$/i.test(name)) {
    return finding('medium', 'WARN', 'config-env-proxy', `mcp_config env routes traffic through a proxy (${name})`, 'the server\'s network traffic goes through a proxy that can read it.');
  }
  if (upper === 'NODE_EXTRA_CA_CERTS' || upper === 'SSL_CERT_FILE' || upper === 'REQUESTS_CA_BUNDLE' || upper === 'CURL_CA_BUNDLE') {
    return finding('medium', 'WARN', 'config-env-ca', `mcp_config env replaces trusted certificates (${name})`, 'a custom certificate authority can intercept TLS traffic.');
  }
  if ((upper === 'PYTHONPATH' || upper === 'NODE_PATH') && value.split(/[:;]/).some((part) => part !== '' && !part.startsWith(DIRNAME) && !part.startsWith('${'))) {
    return finding('medium', 'WARN', 'config-env-import-path', `mcp_config env imports code from outside the bundle (${name})`, 'modules outside the bundle can shadow the server\'s own.');
  }
  return [];
}

/** Programs that only run the program named after them: `env [-i] [NAME=value ...] program args`, `nohup program`. */
const LAUNCHERS = new Set(['env', 'nohup']);
const MAX_LAUNCHERS = 4;
/** Options and assignments read per launcher; real ones have a handful. */
const MAX_LAUNCHER_OPTIONS = 64;

interface Launched {
  command: string;
  args: string[];
  /** The index in the written `args` of each argument (and of the command, when a launcher runs it). */
  origins: number[] & { command: number | null };
}

/**
 * What `/usr/bin/env bash -c "..."` or `nohup node x.js` actually runs: the program after the launcher's own
 * options and variable assignments (`env -S "bash -c ..."` split into words). Otherwise a shell command line or
 * inline code hides behind a harmless-looking first word.
 */
function unwrapLaunchers(command: string, args: readonly string[]): Launched {
  let current = command;
  let rest = args.map((arg, i) => ({ arg, origin: i }));
  let commandOrigin: number | null = null;
  for (let hop = 0; hop < MAX_LAUNCHERS && LAUNCHERS.has(programName(current)); hop++) {
    let i = 0;
    if (programName(current) === 'env') {
      for (let steps = 0; steps < MAX_LAUNCHER_OPTIONS && i < rest.length && (rest[i]!.arg.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[i]!.arg)); steps++) {
        const option = rest[i]!.arg;
        if (option === '-S' || option === '--split-string' || option.startsWith('--split-string=') || option.startsWith('-S')) {
          const text = option === '-S' || option === '--split-string' ? (rest[i + 1]?.arg ?? '') : option.replace(/^(?:--split-string=|-S)/, '');
          const origin = option === '-S' || option === '--split-string' ? (rest[i + 1]?.origin ?? rest[i]!.origin) : rest[i]!.origin;
          const words = text.trim().split(/\s+/).filter((word) => word !== '').map((word) => ({ arg: word, origin }));
          rest = [...rest.slice(0, i), ...words, ...rest.slice(option === '-S' || option === '--split-string' ? i + 2 : i + 1)];
          continue;
        }
        i += option === '-u' || option === '--unset' || option === '-C' || option === '--chdir' ? 2 : 1;
      }
    }
    const next = rest[i];
    if (!next) break;
    current = next.arg;
    commandOrigin = next.origin;
    rest = rest.slice(i + 1);
  }
  const origins = Object.assign(rest.map((item) => item.origin), { command: commandOrigin });
  return { command: current, args: rest.map((item) => item.arg), origins };
}

/** `/usr/bin/python3.12` and `C:\\Python\\python.exe` are `python`; `node20` is `node`. */
function programName(command: string): string {
  const base = command.split(/[\\/]/).pop()!.toLowerCase().replace(/\.exe$/, '');
  if (/^python[\d.]*$/.test(base)) return 'python';
  if (/^node\d*$/.test(base)) return 'node';
  return base;
}

function formatPath(path: JsonPath): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : part)).join('.').replace(/\.\[/g, '[');
}
