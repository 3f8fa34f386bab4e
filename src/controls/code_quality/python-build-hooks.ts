import { posix } from 'node:path';
import type { BundleFile } from '../../bundle/types.js';
import type { ScanContext } from '../../context.js';
import { HOOK_RULES, SCRIPT_SIGNALS } from '../../rules/install-hooks.js';
import { fileText } from '../../text/file-text.js';
import type { FindingInput } from '../control.js';

const FETCH_AND_RUN = HOOK_RULES.find((r) => r.id === 'hook-fetch-and-run')!;
const CREDENTIALS = HOOK_RULES.find((r) => r.id === 'hook-credentials')!;

/** setup.py commands a `cmdclass` override turns into install-time code. */
const INSTALL_COMMAND_OVERRIDE = /\bcmdclass\s*=|\bclass\s+\w{1,80}\s*\(\s*(?:[\w.]{0,80}\.)?(?:install|develop|egg_info|build_py|build_ext|bdist_wheel|sdist)\s*\)/;

/**
 * Python build hooks (MTF 3.4 CQ-02 "Install hooks", "Network access in setup/install"): every setup.py runs
 * when a source distribution is built or installed, and so does an in-tree build backend named by
 * pyproject.toml (`backend-path`) or a hatch custom build hook. Their text is judged like an install script:
 *
 * | Found                                                         | Action |
 * | A download piped or chained into a shell, in any string       | BLOCK  |
 * | Credential files or tokens read                               | BLOCK  |
 * | Network access together with code execution or an env dump   | BLOCK  |
 * | Network access alone                                          | WARN   |
 * | An in-tree build backend (`backend-path`), code judged above  | WARN   |
 * | A `cmdclass` install/develop/egg_info override, nothing above | INFO   |
 *
 * A text-level check on purpose: these files are rarely server code (the syntax-tree pass parses server
 * files only), and what matters is whether they fetch, execute or read secrets at all.
 */
export function detectPythonBuildHooks(ctx: ScanContext): FindingInput[] {
  const out: FindingInput[] = [];
  for (const file of ctx.bundle.files.values()) {
    const name = posix.basename(file.path);
    if (name === 'setup.py') out.push(...judgeBuildScript(file, 'setup.py runs when the package is built or installed from source.'));
    else if (name === 'pyproject.toml') out.push(...judgePyproject(ctx, file));
  }
  return out;
}

function judgeBuildScript(file: BundleFile, context: string): FindingInput[] {
  const { text, lines } = fileText(file);
  const at = (pattern: RegExp) => {
    const match = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(text);
    return match ? lines.lineAt(match.index) : null;
  };
  const finding = (rule: string, severity: FindingInput['severity'], action: FindingInput['action'], line: number, title: string, why: string): FindingInput => ({
    rule,
    severity,
    action,
    title: `${title}: ${file.path}`,
    description: `${why} ${context}`,
    file: file.path,
    line,
  });
  const fetchLine = at(FETCH_AND_RUN.pattern);
  if (fetchLine !== null) return [finding('build-hook-fetch-and-run', 'critical', 'BLOCK', fetchLine, 'Build hook downloads and runs code', FETCH_AND_RUN.why)];
  const credentialLine = at(CREDENTIALS.pattern);
  if (credentialLine !== null) return [finding('build-hook-credentials', 'critical', 'BLOCK', credentialLine, 'Build hook touches credentials', CREDENTIALS.why)];
  const networkLine = at(SCRIPT_SIGNALS.network);
  const executionLine = at(SCRIPT_SIGNALS.execution);
  const dumpLine = at(SCRIPT_SIGNALS.environmentDump);
  if (networkLine !== null && (executionLine !== null || dumpLine !== null)) {
    const why =
      dumpLine !== null
        ? 'The build code collects the whole environment (where tokens and keys live) and reaches the network.'
        : 'The build code reaches the network and executes code (a subprocess, exec or eval): it can download and run anything at install time.';
    return [finding('build-hook-download-execute', 'critical', 'BLOCK', networkLine, 'Build hook reaches the network and executes code', why)];
  }
  if (networkLine !== null) {
    return [finding('build-hook-network', 'medium', 'WARN', networkLine, 'Build hook accesses the network', 'The build code reaches the network at install time (MTF 3.4: network access in setup/install needs review).')];
  }
  const overrideLine = at(INSTALL_COMMAND_OVERRIDE);
  if (overrideLine !== null && executionLine !== null) {
    return [finding('build-hook-custom-command', 'info', 'INFO', overrideLine, 'Custom install command runs code', 'setup.py overrides an install-time command (cmdclass) and runs subprocesses or exec; no network or credential access was found. Review what it runs.')];
  }
  return [];
}

/**
 * pyproject.toml: an in-tree build backend (`[build-system] backend-path`) or a hatch custom build hook runs
 * the bundle's own code at build time. Read at text level: the two keys are all that matters here, and the
 * judged modules are found from them.
 */
function judgePyproject(ctx: ScanContext, file: BundleFile): FindingInput[] {
  const { text, lines } = fileText(file);
  const out: FindingInput[] = [];
  const dir = posix.dirname(file.path);
  const buildSystem = tomlTable(text, 'build-system');
  if (buildSystem) {
    const backendPath = /(?:^|\n)[ \t]*backend-path[ \t]*=[ \t]*\[([^\]]{0,500})\]/.exec(buildSystem.body);
    const backend = /(?:^|\n)[ \t]*build-backend[ \t]*=[ \t]*["']([A-Za-z0-9_.:]{1,200})["']/.exec(buildSystem.body);
    if (backendPath) {
      const line = lines.lineAt(buildSystem.offset + backendPath.index + backendPath[0].indexOf('backend-path'));
      const module = backend?.[1]?.split(':')[0] ?? '';
      const roots = [...backendPath[1]!.matchAll(/["']([^"']{1,200})["']/g)].map((m) => m[1]!);
      const backendFile = findModule(ctx, dir, roots, module);
      out.push({
        rule: 'in-tree-build-backend',
        severity: 'low',
        action: 'WARN',
        title: `In-tree Python build backend: ${file.path}`,
        description: `pyproject.toml names a build backend${module ? ` (${module})` : ''} inside the bundle (backend-path), so building or installing from source runs the bundle's own code${backendFile ? `, ${backendFile}; it was judged like setup.py` : ''}. Review it.`,
        file: file.path,
        line,
      });
      if (backendFile) out.push(...judgeBuildScript(ctx.bundle.files.get(backendFile)!, `It is the in-tree build backend named by ${file.path}.`));
    }
  }
  const hatchHook = tomlTable(text, 'tool.hatch.build.hooks.custom') ?? tomlTable(text, 'tool.hatch.build.targets.wheel.hooks.custom');
  if (hatchHook) {
    const path = /(?:^|\n)[ \t]*path[ \t]*=[ \t]*["']([^"']{1,200})["']/.exec(hatchHook.body)?.[1] ?? 'hatch_build.py';
    const hookFile = posix.normalize(posix.join(dir, path));
    const hook = ctx.bundle.files.get(hookFile);
    if (hook) out.push(...judgeBuildScript(hook, `It is the hatch build hook named by ${file.path}.`));
  }
  return out;
}

/** The body of a `[name]` table of a TOML text (up to the next table header) and its offset. */
function tomlTable(text: string, name: string): { body: string; offset: number } | null {
  const header = new RegExp(`(?:^|\\n)[ \\t]*\\[[ \\t]*${name.replace(/\./g, '\\.')}[ \\t]*\\][ \\t]*(?:#[^\\n]*)?(?=\\n|$)`).exec(text);
  if (!header) return null;
  const offset = header.index + header[0].length;
  const next = /\n[ \t]*\[/.exec(text.slice(offset));
  return { body: text.slice(offset, next ? offset + next.index : text.length), offset };
}

function findModule(ctx: ScanContext, dir: string, roots: string[], module: string): string | null {
  if (!module) return null;
  const relative = module.replace(/\./g, '/');
  for (const root of roots) {
    const base = posix.normalize(posix.join(dir, root, relative));
    for (const candidate of [`${base}.py`, `${base}/__init__.py`]) {
      if (!candidate.startsWith('../') && ctx.bundle.files.has(candidate)) return candidate;
    }
  }
  return null;
}
