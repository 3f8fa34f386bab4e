import { isInstallScript } from '../../analysis/prefilter.js';
import { posix } from 'node:path';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import type { Bundle, BundleFile } from '../../bundle/types.js';
import { isRecord, jsonOf } from '../../deps/common.js';
import type { ScanContext } from '../../context.js';
import {
  BENIGN_HOOK_COMMAND,
  HOOK_RULES,
  INSTALL_HOOKS,
  LOCAL_SCRIPT,
  REQUIRE_LOCAL_WRAPPER,
  RUN_SCRIPT,
  SCRIPT_SIGNALS,
  type HookRule,
} from '../../rules/install-hooks.js';
import { fileText } from '../../text/file-text.js';
import type { FindingInput } from '../control.js';

const rule = (id: string): HookRule => HOOK_RULES.find((r) => r.id === id)!;
const FETCH_AND_RUN = rule('hook-fetch-and-run');
const INLINE_CODE = rule('hook-inline-code');
const CREDENTIALS = rule('hook-credentials');
const NETWORK = rule('hook-network');

/** How many `npm run x` indirections a hook is followed through. */
const MAX_RUN_DEPTH = 3;
/** Hook commands longer than this are judged as they are, without splitting (real hooks are one line). */
const MAX_HOOK_LENGTH = 16 * 1024;

/**
 * The lifecycle scripts of every package.json in the bundle, node_modules included (MTF 3.4 CQ-02 "Install
 * hooks"): a hook that downloads and runs code, runs an inline code payload or touches credentials blocks;
 * one that only reaches the network warns. `npm run x` indirections and local scripts the hook runs
 * (`node install.js`, `sh setup.sh`, core-js's `node -e "try{require('./postinstall')}catch(e){}"`) are
 * followed one level and judged by their content. Common benign hooks (node-gyp, prebuild-install, husky,
 * patch-package, tsc) pass.
 */
export async function detectInstallHooks(ctx: ScanContext): Promise<FindingInput[]> {
  const out: FindingInput[] = [];
  const parsed = new Set((await ctx.facts()).files.filter((f) => f.parsed).map((f) => f.path));
  for (const file of ctx.bundle.files.values()) {
    if (posix.basename(file.path) !== 'package.json') continue;
    const { text, lines } = fileText(file);
    if (!text.includes('"scripts"')) continue;
    const scripts = readScripts(file);
    if (!scripts || !INSTALL_HOOKS.some((hook) => typeof scripts[hook] === 'string')) continue;
    const root = parseTree(text);
    const pkg: PackageHooks = { bundle: ctx.bundle, manifestPath: file.path, dir: posix.dirname(file.path), scripts, parsed };
    for (const hook of INSTALL_HOOKS) {
      const command = scripts[hook];
      if (typeof command !== 'string') continue;
      const node = root && findNodeAtLocation(root, ['scripts', hook]);
      const line = node ? lines.lineAt(node.offset) : 1;
      out.push(...judgeHook(pkg, hook, command, line));
    }
  }
  return out;
}

interface PackageHooks {
  bundle: Bundle;
  manifestPath: string;
  /** The package's directory ('.' for the bundle root). */
  dir: string;
  /** Files the analysis pass parsed: the syntax-tree detectors judge their code. */
  parsed: ReadonlySet<string>;
  scripts: Record<string, unknown>;
}

/** The `scripts` of a package.json, parsed once per scan with the dependency model's reader. */
function readScripts(file: BundleFile): Record<string, unknown> | null {
  const parsed = jsonOf(file);
  if ('error' in parsed || !isRecord(parsed.value)) return null;
  const scripts = parsed.value.scripts;
  return isRecord(scripts) ? scripts : null;
}

interface Verdict {
  rule: HookRule;
  /** What the hook ran to get there, for the description: `postinstall → npm run setup`. */
  via: string;
}

function judgeHook(pkg: PackageHooks, hook: string, command: string, line: number): FindingInput[] {
  const verdicts: Verdict[] = [];
  const scriptFindings: FindingInput[] = [];
  judgeCommand(pkg, command, hook, 0, new Set([hook]), verdicts, scriptFindings);
  const blocking = verdicts.filter((v) => v.rule.action === 'BLOCK');
  const shown = blocking.length > 0 ? uniqueByRule(blocking) : verdicts.slice(0, 1);
  return [
    ...shown.map(({ rule, via }) => ({
      rule: rule.id,
      severity: rule.severity,
      action: rule.action,
      title: `${rule.title} (${hook} in ${pkg.manifestPath})`,
      description: `${rule.why} The ${hook} script of ${pkg.manifestPath} runs: ${quote(via)}.`,
      file: pkg.manifestPath,
      line,
      remediation:
        rule.action === 'BLOCK'
          ? 'Remove the hook (or the dependency that ships it); install steps must not fetch and run code, run inline payloads or read credentials.'
          : 'Review what the hook downloads; prefer shipping the artifact in the bundle or fetching it from the registry with integrity checks.',
    })),
    ...scriptFindings,
  ];
}

function uniqueByRule(verdicts: Verdict[]): Verdict[] {
  const seen = new Set<string>();
  return verdicts.filter((v) => !seen.has(v.rule.id) && seen.add(v.rule.id));
}

/**
 * Judges one hook command: whole-command rules first (a download piped or chained into a shell spans
 * several commands), then each command between `&&`, `||` and `;`, following `npm run` and local scripts.
 */
function judgeCommand(
  pkg: PackageHooks,
  command: string,
  via: string,
  depth: number,
  visited: Set<string>,
  verdicts: Verdict[],
  scriptFindings: FindingInput[],
): void {
  if (FETCH_AND_RUN.pattern.test(command)) verdicts.push({ rule: FETCH_AND_RUN, via: depth === 0 ? command : `${via}: ${command}` });
  const parts = command.length > MAX_HOOK_LENGTH ? [command] : command.split(/&&|\|\||;/);
  for (const raw of parts) {
    const part = stripEnvironment(raw.trim());
    if (part === '' || BENIGN_HOOK_COMMAND.test(part)) continue;
    const run = RUN_SCRIPT.exec(part);
    if (run) {
      const name = run[1]!;
      const target = pkg.scripts[name];
      if (typeof target === 'string' && depth < MAX_RUN_DEPTH && !visited.has(name)) {
        visited.add(name);
        judgeCommand(pkg, target, `${via} → npm run ${name}`, depth + 1, visited, verdicts, scriptFindings);
      }
      continue;
    }
    const script = localScriptOf(part);
    if (script !== null) {
      // A script that is not in the bundle cannot run from it; there is nothing more to judge.
      const path = resolveScript(pkg, script);
      if (path) scriptFindings.push(...judgeScript(pkg, path, `${via} → ${part}`));
      continue;
    }
      const matched = HOOK_RULES.filter((r) => r !== FETCH_AND_RUN).find((r) => r.pattern.test(part));
    if (matched) verdicts.push({ rule: matched, via: depth === 0 ? part : `${via}: ${part}` });
  }
}

/** `FOO=1 cmd`, `cross-env FOO=1 cmd` → `cmd`. */
function stripEnvironment(command: string): string {
  return command.replace(/^(?:cross-env\s+)?(?:[A-Za-z_][A-Za-z0-9_]{0,60}=\S{0,200}\s+){0,10}/, '');
}

/** The local file a command runs: `node install.js`, `sh ./setup.sh`, or the file of a require-only `node -e`. */
function localScriptOf(command: string): string | null {
  const payload = inlinePayload(command);
  if (payload !== null) return REQUIRE_LOCAL_WRAPPER.exec(payload.replace(/\s+/g, ''))?.[1] ?? null;
  if (INLINE_CODE.pattern.test(command)) return null;
  const match = LOCAL_SCRIPT.exec(command);
  return match ? match[1]! : null;
}

/** The code of `node -e "..."` / `node -e '...'`, or null when the command is not one. */
function inlinePayload(command: string): string | null {
  const match = /^node(?:js)?\s+(?:-e|--eval)\s+(["'])([\s\S]{0,4096})\1\s*$/.exec(command);
  return match ? match[2]!.replace(/\\(["'\\])/g, '$1') : null;
}

/** A script path relative to the package, as Node would find it (`postinstall` → `postinstall.js`), if it is in the bundle. */
function resolveScript(pkg: PackageHooks, reference: string): string | null {
  const joined = posix.normalize(posix.join(pkg.dir, reference));
  if (joined.startsWith('../') || joined === '..') return null;
  for (const candidate of [joined, `${joined}.js`, `${joined}.cjs`, `${joined}.mjs`, `${joined}/index.js`]) {
    if (pkg.bundle.files.has(candidate)) return candidate;
  }
  return null;
}

/**
 * Judges a script an install hook runs, by its content: credential access, or the whole environment
 * together with network access, blocks; network access alone warns. Shell scripts get the hook-command
 * rules. Download-and-execute in JavaScript or Python is not judged here: prebuilt-binary installers do
 * exactly that, over the registry, and the syntax-tree detectors judge code. Those detectors also judge
 * exfiltration in every file the analysis pass parsed, and network access in the parsed files they recognize as
 * install scripts (malware-code.ts), at the exact call: those are not judged again here.
 */
function judgeScript(pkg: PackageHooks, path: string, via: string): FindingInput[] {
  const { text, lines } = fileText(pkg.bundle.files.get(path)!);
  const at = (pattern: RegExp) => {
    const match = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(text);
    return match ? lines.lineAt(match.index) : null;
  };
  const finding = (rule: HookRule, line: number, title: string, why: string): FindingInput => ({
    rule: `script-${rule.id.replace(/^hook-/, '')}`,
    severity: rule.severity,
    action: rule.action,
    title,
    description: `${why} It runs at install time: ${pkg.manifestPath} ${quote(via)}.`,
    file: path,
    line,
  });
  const [fetchAndRun, inline, credentials, network] = [FETCH_AND_RUN, INLINE_CODE, CREDENTIALS, NETWORK];
  const shell = /\.(?:sh|bash)$/.test(path) || /^#!.{0,40}\b(?:ba|z|da)?sh\b/.test(text);
  if (shell) {
    const rule = [fetchAndRun, inline, credentials, network].find((r) => at(r.pattern) !== null);
    return rule ? [finding(rule, at(rule.pattern)!, `${rule.title.replace('Install hook', 'Install script')}: ${path}`, rule.why)] : [];
  }
  const credentialLine = at(credentials.pattern);
  if (credentialLine !== null) {
    return [finding(credentials, credentialLine, `Install script touches credentials: ${path}`, credentials.why)];
  }
  const parsed = pkg.parsed.has(path);
  const networkLine = at(SCRIPT_SIGNALS.network);
  const dumpLine = at(SCRIPT_SIGNALS.environmentDump);
  if (networkLine !== null && dumpLine !== null && !parsed) {
    return [
      {
        ...finding(credentials, dumpLine, `Install script sends the environment over the network: ${path}`, 'The script collects every environment variable (where tokens and keys live) and reaches the network.'),
        rule: 'script-environment-exfiltration',
      },
    ];
  }
  if (networkLine !== null && !(parsed && isInstallScript(path))) {
    return [finding(network, networkLine, `Install script accesses the network: ${path}`, network.why)];
  }
  return [];
}

function quote(command: string): string {
  const oneLine = command.replace(/\s+/g, ' ');
  return `\`${oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine}\``;
}
