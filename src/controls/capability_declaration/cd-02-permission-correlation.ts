import { isSecretEnvName, isSensitivePath } from '../../analysis/apis.js';
import type { CapabilityUse } from '../../analysis/types.js';
import { isObject, MANIFEST_FILE, type Manifest } from '../../manifest/manifest.js';
import { PERMISSION_VALUES } from '../../spec/extension-schema.js';
import type { Severity } from '../../spec/levels.js';
import { findings, type Control, type FindingInput } from '../control.js';
import { checkMcpConfig } from './mcp-config-permissions.js';

/**
 * CD-02 Permission Correlation (MTF 3.5): what the server code does stays within
 * `_meta["org.mpaktrust"].permissions`, and so does what its execution configuration enables.
 *
 * | Undeclared capability  | Context                                   | Severity         |
 * | subprocess or native   | Any                                       | CRITICAL (block) |
 * | network                | Initialization (import/startup)           | HIGH (block)     |
 * | network                | Runtime (tool handlers)                   | MEDIUM (warn)    |
 * | environment            | Secret patterns (AWS_*, *_TOKEN, *_KEY)   | HIGH (block)     |
 * | environment            | General config                            | LOW (info)       |
 * | filesystem             | Sensitive paths (~/.ssh, ~/.aws, ~/.config) | HIGH (block)   |
 * | filesystem             | Other paths                               | MEDIUM (warn)    |
 *
 * Readings (DESIGN.md section 4 and this module):
 * - Permissions missing from L2 on is a BLOCK. A permission left out of the object is `none` (the schema's
 *   default), so the code is still compared with it.
 * - Exceeding a declared level is undeclared use of what exceeds it, rated as the table says: a write under
 *   `filesystem: read`, an inbound server under `network: outbound`, a variable written under
 *   `environment: read`. A shell command line under `subprocess: restricted` is HIGH (block): restricted
 *   allows running programs with argument lists, not shell command lines.
 * - Reading the whole environment (`JSON.stringify(process.env)`, `dict(os.environ)`) reads its secrets: HIGH.
 *   Handing it to a child process (`env: process.env`) is not a read: the child inherits it anyway.
 * - Writing a variable that changes how code runs (NODE_OPTIONS, LD_PRELOAD, PYTHONPATH, PATH, proxies,
 *   TLS settings) is rated like a secret: HIGH.
 * - Files addressed relative to the code's own directory (`path.join(__dirname, "schema.json")`,
 *   `Path(__file__).parent / "data"`) are the bundle's own files, not filesystem access: `require` and
 *   `import` read them too. `fetch` of a relative, `data:` or `file:` URL is not network access.
 * - `nosec` comments do not silence CD-02: the remedy for a real capability is to declare it.
 */
export const cd02: Control = {
  id: 'CD-02',
  async check(ctx) {
    const manifest = ctx.manifest();
    const declared = readPermissions(manifest);
    const facts = await ctx.facts();
    const out: FindingInput[] = [...declared.findings];
    const seen = new Set<string>();
    for (const use of facts.capabilities) {
      if (use.role !== 'server') continue;
      const finding = judgeUse(use, declared.permissions);
      if (!finding) continue;
      const key = `${finding.rule}\0${use.file}\0${use.line}\0${use.capability}\0${use.access}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(finding);
    }
    out.push(...checkMcpConfig(manifest, declared.permissions));
    const server = new Set(facts.files.filter((file) => file.role === 'server').map((file) => file.path));
    for (const problem of facts.problems) {
      if (!server.has(problem.file)) continue;
      out.push({
        rule: 'not-analysed',
        severity: 'medium',
        action: 'WARN',
        title: 'Server file whose capabilities could not be read',
        description: `${problem.file} was not ${problem.kind === 'truncated' ? 'fully ' : ''}analysed (${problem.message}): what it does may exceed the declared permissions unseen.`,
        file: problem.file,
        ...(problem.line === null ? {} : { line: problem.line }),
      });
    }
    return findings(out);
  },
};

export type Permissions = { [K in keyof typeof PERMISSION_VALUES]: (typeof PERMISSION_VALUES)[K][number] };

const NONE: Permissions = { filesystem: 'none', network: 'none', environment: 'none', subprocess: 'none', native: 'none' };

/** Variables whose value changes what code runs or where traffic goes. */
const EXECUTION_ENV = /^(?:NODE_OPTIONS|NODE_PATH|LD_PRELOAD|LD_LIBRARY_PATH|DYLD_\w+|PYTHONPATH|PYTHONSTARTUP|PYTHONHOME|PATH|BASH_ENV|ENV|(?:HTTPS?|ALL|NO)_PROXY|NODE_TLS_REJECT_UNAUTHORIZED|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|REQUESTS_CA_BUNDLE|PYTHONHTTPSVERIFY)$/i;

function readPermissions(manifest: Manifest): { permissions: Permissions; findings: FindingInput[] } {
  const extension = manifest.extension;
  const value = isObject(extension) ? extension.permissions : undefined;
  if (!isObject(value)) {
    const path = isObject(extension) ? ['_meta', 'org.mpaktrust'] : ['_meta'];
    return {
      permissions: NONE,
      findings: [
        {
          rule: 'permissions-missing',
          severity: 'high',
          action: 'BLOCK',
          blocksFrom: 2,
          title: 'Permissions not declared',
          description:
            '_meta["org.mpaktrust"].permissions is missing: from L2 the manifest must declare the filesystem, network, environment, subprocess and native access the server needs. The code is compared with "none" for each.',
          file: MANIFEST_FILE,
          line: manifest.lineOf(path),
          remediation: 'Add "permissions": {"filesystem": ..., "network": ..., "environment": ..., "subprocess": ..., "native": ...} under _meta["org.mpaktrust"].',
        },
      ],
    };
  }
  const permissions = { ...NONE };
  const out: FindingInput[] = [];
  for (const key of Object.keys(NONE) as (keyof Permissions)[]) {
    const given = value[key];
    if (given === undefined) continue;
    if (typeof given === 'string' && (PERMISSION_VALUES[key] as readonly string[]).includes(given)) {
      (permissions as Record<string, string>)[key] = given;
    } else {
      out.push({
        rule: 'permission-invalid',
        severity: 'medium',
        action: 'WARN',
        title: `permissions.${key} is not a valid value`,
        description: `permissions.${key} is ${JSON.stringify(given)}; it must be one of ${PERMISSION_VALUES[key].join(', ')}. It is read as "none".`,
        file: MANIFEST_FILE,
        line: manifest.lineOf(['_meta', 'org.mpaktrust', 'permissions', key]),
      });
    }
  }
  return { permissions, findings: out };
}

/** Whether the declared level covers an access. */
function covers(permissions: Permissions, use: Pick<CapabilityUse, 'capability' | 'access'>): boolean {
  switch (use.capability) {
    case 'filesystem':
      return permissions.filesystem === 'full' || permissions.filesystem === 'write' || (use.access === 'read' && permissions.filesystem === 'read');
    case 'network':
      return permissions.network === 'full' || permissions.network === use.access;
    case 'environment':
      return permissions.environment === 'write' || (use.access !== 'write' && permissions.environment === 'read');
    case 'subprocess':
      return permissions.subprocess === 'full' || (use.access === 'exec' && permissions.subprocess === 'restricted');
    case 'native':
      return permissions.native === 'required';
  }
}

function judgeUse(use: CapabilityUse, permissions: Permissions): FindingInput | null {
  if (use.capability === 'filesystem' && use.target !== null && use.target.startsWith('{here}')) return null;
  if (covers(permissions, use)) return null;
  const declaredLevel = permissions[use.capability];
  const exceeds = declaredLevel !== 'none';
  const rated = rate(use, exceeds);
  const what = describeUse(use);
  return {
    rule: `${exceeds ? 'exceeds' : 'undeclared'}-${use.capability}`,
    severity: rated.severity,
    action: rated.action,
    title: exceeds ? `${what} exceeds permissions.${use.capability}: "${declaredLevel}"` : `Undeclared ${use.capability}: ${what}`,
    description:
      `${use.file} ${what} (${use.context === 'init' ? 'while the server loads or starts' : 'at run time, in a handler'}), ` +
      `but the manifest declares permissions.${use.capability} = "${declaredLevel}". ${rated.why}`,
    file: use.file,
    line: use.line,
    remediation: `Declare permissions.${use.capability} as "${neededLevel(use)}" (or more) if the server needs it, or remove the code.`,
  };
}

function rate(use: CapabilityUse, exceeds: boolean): { severity: Severity; action: 'BLOCK' | 'WARN' | 'INFO'; why: string } {
  switch (use.capability) {
    case 'subprocess':
      return exceeds
        ? { severity: 'high', action: 'BLOCK', why: 'A shell command line is more than "restricted" subprocess use.' }
        : { severity: 'critical', action: 'BLOCK', why: 'Undeclared subprocess use is critical in any context (MTF 3.5 CD-02).' };
    case 'native':
      return { severity: 'critical', action: 'BLOCK', why: 'Undeclared native code is critical in any context (MTF 3.5 CD-02).' };
    case 'network':
      return use.context === 'init'
        ? { severity: 'high', action: 'BLOCK', why: 'Network access during initialization is how start-up exfiltration works (MTF 2.2.13).' }
        : { severity: 'medium', action: 'WARN', why: 'Undeclared network access in a handler.' };
    case 'environment': {
      if (use.access === 'all') return { severity: 'high', action: 'BLOCK', why: 'Reading the whole environment reads every secret in it.' };
      const name = use.target;
      if (name !== null && isSecretEnvName(name)) return { severity: 'high', action: 'BLOCK', why: `"${name}" matches a secret pattern (AWS_*, *_TOKEN, *_KEY, *_SECRET, *PASSWORD*).` };
      if (use.access === 'write' && name !== null && EXECUTION_ENV.test(name)) return { severity: 'high', action: 'BLOCK', why: `Setting "${name}" changes what code runs or where traffic goes.` };
      if (name === null) return { severity: 'high', action: 'BLOCK', why: 'The variable name is computed at run time, so it may be any secret.' };
      return { severity: 'low', action: 'INFO', why: 'General configuration.' };
    }
    case 'filesystem':
      return use.target !== null && isSensitivePath(use.target)
        ? { severity: 'high', action: 'BLOCK', why: `"${use.target}" is a sensitive path (credentials or system secrets).` }
        : { severity: 'medium', action: 'WARN', why: 'Undeclared filesystem access.' };
  }
}

function describeUse(use: CapabilityUse): string {
  const target = use.target === null ? '' : ` ${JSON.stringify(use.target.slice(0, 120))}`;
  switch (use.capability) {
    case 'network':
      return `${use.access === 'inbound' ? 'listens for connections' : 'connects out'} with ${use.api}${target}`;
    case 'filesystem':
      return `${use.access === 'write' ? 'writes' : 'reads'}${target || ' a path computed at run time'} with ${use.api}`;
    case 'subprocess':
      return `${use.access === 'shell' ? 'runs a shell command line' : 'runs a program'} with ${use.api}${target}`;
    case 'native':
      return `loads native code with ${use.api}${target}`;
    case 'environment':
      return use.access === 'all' ? 'reads the whole environment' : `${use.access === 'write' ? 'writes' : 'reads'} the environment variable${target || ' (name computed at run time)'}`;
  }
}

function neededLevel(use: CapabilityUse): string {
  switch (use.capability) {
    case 'filesystem':
      return use.access;
    case 'network':
      return use.access;
    case 'environment':
      return use.access === 'write' ? 'write' : 'read';
    case 'subprocess':
      return use.access === 'shell' ? 'full' : 'restricted';
    case 'native':
      return 'required';
  }
}
