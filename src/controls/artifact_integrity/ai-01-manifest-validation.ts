import semver from 'semver';
import type { Bundle } from '../../bundle/types.js';
import type { Facts } from '../../analysis/types.js';
import { executionTargets, modulePaths, moduleMatchesEntryPoint, normalizeRelativePath } from '../../manifest/execution.js';
import { isObject, MANIFEST_FILE, type JsonPath, type Manifest, type ManifestState } from '../../manifest/manifest.js';
import { chooseVersion, formatPath, validateMcpb, type SchemaIssue } from '../../manifest/mcpb-schema.js';
import { DOCUMENTED_EXTRAS, ExtensionSchema } from '../../spec/extension-schema.js';
import { findings, type Control, type FindingInput } from '../control.js';

/**
 * AI-01 Manifest Validation (MTF 3.2): manifest.json at the root, valid against the mcpb schema of its own
 * version, required fields present, consistent execution targets, semver, and from L2 a scoped name and the
 * MTF extension. Readings from DESIGN.md section 4: a top-level `mcp_config` is read as `server.mcp_config`
 * (WARN), a missing `author` warns at L1 and blocks from L2; everything else the schema rejects blocks.
 */
export const ai01: Control = {
  id: 'AI-01',
  async check(ctx) {
    if (!ctx.manifestState.ok) return findings([unreadable(ctx.manifestState, ctx.bundle)]);
    const manifest = ctx.manifestState.manifest;
    return findings([
      ...duplicateKeys(manifest),
      ...requiredFields(manifest),
      ...schemaValidation(manifest),
      ...extensionValidation(manifest),
      ...(await executionConsistency(manifest, ctx.bundle, () => ctx.facts())),
    ]);
  },
};

/** Schema findings past this many are summarized in one: a hostile manifest must not flood the report. */
const MAX_SCHEMA_FINDINGS = 50;

/** Fields MTF requires at L1 (3.2 "Required Fields (L1)"); manifest_version is checked with the schema choice. */
const L1_FIELDS = ['name', 'version', 'description', 'server', 'tools'] as const;

const SCOPED_NAME = /^@[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/;

function block(rule: string, title: string, description: string, line: number, extra: Partial<FindingInput> = {}): FindingInput {
  return { rule, severity: 'high', action: 'BLOCK', title, description, file: MANIFEST_FILE, line, ...extra };
}

/** Step 1: "Parse JSON (reject malformed)", and "Missing manifest.json". */
function unreadable(state: Extract<ManifestState, { ok: false }>, bundle: Bundle): FindingInput {
  if (state.problem === 'missing') {
    const nested = [...bundle.files.keys()].find((p) => p.endsWith(`/${MANIFEST_FILE}`) && p.split('/').length === 2);
    const hint = nested ? ` A manifest was found at ${nested}: pack the contents of that directory, not the directory itself.` : '';
    return { rule: 'manifest-missing', severity: 'high', action: 'BLOCK', title: 'Missing manifest.json', description: state.message + hint };
  }
  return block('manifest-invalid-json', 'Invalid JSON in manifest.json', state.message, state.line ?? 1);
}

function duplicateKeys(manifest: Manifest): FindingInput[] {
  return manifest.duplicateKeys.map(({ path, line }) =>
    block(
      'duplicate-key',
      `Duplicate key ${formatPath(path)}`,
      `"${formatPath(path)}" appears more than once in the same object. JSON parsers disagree on which value wins, so a client may read a different manifest than the one reviewed.`,
      line,
    ),
  );
}

/** Step 3 and 5-6: required fields, semver, and the L2 additions (author, repository, extension, scoped name). */
function requiredFields(manifest: Manifest): FindingInput[] {
  const { data } = manifest;
  const out: FindingInput[] = [];
  for (const field of L1_FIELDS) {
    const value = data[field];
    if (value === undefined || (typeof value === 'string' && value.trim() === '')) {
      const hint = field === 'tools' ? ' Declare the tools the server provides; an empty array is allowed.' : '';
      out.push(block('required-field', `Missing required field "${field}"`, `MTF L1 requires "${field}" in manifest.json.${hint}`, 1));
    }
  }
  if (typeof data.version === 'string' && data.version.trim() !== '' && !isStrictSemver(data.version)) {
    out.push(
      block('invalid-semver', 'Invalid semver', `version "${data.version}" is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.0.0).`, manifest.lineOf(['version'])),
    );
  }
  const l2 = (field: string, description: string, below: 'WARN' | 'INFO' = 'INFO'): FindingInput => ({
    rule: 'required-field-l2',
    severity: 'low',
    action: 'BLOCK',
    blocksFrom: 2,
    below,
    title: `Missing field "${field}" (required from L2)`,
    description,
    file: MANIFEST_FILE,
    line: 1,
  });
  if (data.author === undefined) {
    out.push(l2('author', 'MTF L2 requires "author" (name, email); the mcpb schema requires it at every level, so mcpb tooling rejects this manifest.', 'WARN'));
  }
  if (data.repository === undefined) out.push(l2('repository', 'MTF L2 requires "repository" (type, url).'));
  if (manifest.extension === undefined) out.push(l2('_meta["org.mpaktrust"]', 'MTF L2 requires the MTF extension object _meta["org.mpaktrust"] (mtf_version, level, permissions).'));
  if (typeof data.name === 'string' && data.name !== '' && !SCOPED_NAME.test(data.name)) {
    out.push({
      rule: 'unscoped-name',
      severity: 'low',
      action: 'BLOCK',
      blocksFrom: 2,
      title: 'Unscoped name (required from L2)',
      description: `name "${data.name}" is not a scoped name (@scope/name, lowercase); MTF requires one from L2.`,
      file: MANIFEST_FILE,
      line: manifest.lineOf(['name']),
    });
  }
  return out;
}

/** semver.valid also accepts "v1.0.0" and "=1.0.0"; the manifest must hold the canonical form. */
function isStrictSemver(version: string): boolean {
  return semver.valid(version) !== null && /^\d/.test(version) && version === version.trim();
}

/** Step 2: the mcpb schema of the manifest's own version. */
function schemaValidation(manifest: Manifest): FindingInput[] {
  const choice = chooseVersion(manifest.data);
  if (choice.kind === 'missing') {
    return [block('required-field', 'Missing required field "manifest_version"', 'manifest.json must declare manifest_version (or the legacy dxt_version).', 1)];
  }
  if (choice.kind === 'unsupported') {
    return [
      block(
        'unsupported-manifest-version',
        `Unsupported ${choice.field}`,
        `${choice.field} ${JSON.stringify(choice.declared)} is not an mcpb manifest version (known: 0.1-0.4).`,
        manifest.lineOf([choice.field]),
      ),
    ];
  }
  const out: FindingInput[] = [];
  const input = structuredClone(manifest.data);
  if (choice.kind === 'newer') {
    input[choice.field] = choice.version;
    out.push({
      rule: 'newer-manifest-version',
      severity: 'low',
      action: 'WARN',
      title: `${choice.field} ${choice.declared} is newer than this scanner knows`,
      description: `Validated against the newest mcpb schema known (${choice.version}); fields added since may be reported as unknown. Update mtf-action.`,
      file: MANIFEST_FILE,
      line: manifest.lineOf([choice.field]),
    });
  }
  if (manifest.mcpConfig?.path[0] === 'mcp_config' && isObject(input.server)) {
    input.server = { ...input.server, mcp_config: input.mcp_config };
    delete input.mcp_config;
    out.push({
      rule: 'top-level-mcp-config',
      severity: 'low',
      action: 'WARN',
      title: 'mcp_config at the top level',
      description: 'mcp_config belongs under "server" in every mcpb schema version; it is read as server.mcp_config. Move it there.',
      file: MANIFEST_FILE,
      line: manifest.lineOf(['mcp_config']),
    });
  }
  const issues = validateMcpb(input, choice.version).filter((issue) => !isReportedElsewhere(issue));
  for (const issue of issues.slice(0, MAX_SCHEMA_FINDINGS)) {
    out.push(schemaFinding(issue, choice.version, manifest));
  }
  if (issues.length > MAX_SCHEMA_FINDINGS) {
    out.push(
      block('schema-invalid', `${issues.length - MAX_SCHEMA_FINDINGS} more schema errors`, `The mcpb ${choice.version} schema reports ${issues.length} errors in all; the first ${MAX_SCHEMA_FINDINGS} are listed.`, 1),
    );
  }
  return out;
}

/** Missing required fields are reported by requiredFields (author with its L1/L2 reading), not twice. */
function isReportedElsewhere(issue: SchemaIssue): boolean {
  if (!issue.missing || issue.path.length !== 1) return false;
  return ['author', ...L1_FIELDS].includes(String(issue.path[0]));
}

function schemaFinding(issue: SchemaIssue, version: string, manifest: Manifest): FindingInput {
  const where = formatPath(issue.path) || 'manifest';
  const line = manifest.lineOf(issue.path);
  // MTF CD-01 asks tool declarations to carry inputSchema/outputSchema, which the strict mcpb schema rejects.
  if (issue.unrecognizedKey && issue.path.length === 3 && issue.path[0] === 'tools' && ['inputSchema', 'outputSchema'].includes(issue.unrecognizedKey)) {
    return {
      rule: 'tool-schema-field',
      severity: 'low',
      action: 'WARN',
      title: `${where} is not in the mcpb ${version} schema`,
      description: `MTF CD-01 recommends ${issue.unrecognizedKey} on tool declarations, but mcpb's schema does not define it: \`mcpb validate\` and clients that validate strictly reject this manifest.`,
      file: MANIFEST_FILE,
      line,
    };
  }
  const hint =
    issue.unrecognizedKey === '_meta' && (version === '0.1' || version === '0.2')
      ? ' _meta (and with it the MTF extension) exists from manifest_version 0.3: raise manifest_version.'
      : '';
  return block('schema-invalid', `Schema validation failure at ${where}`, `mcpb ${version} schema: ${where}: ${issue.message}.${hint}`, line);
}

/** MTF extension: validated whenever present (4.1 "Validation is two-step"); required from L2 by requiredFields. */
function extensionValidation(manifest: Manifest): FindingInput[] {
  if (manifest.extension === undefined) return [];
  const base: JsonPath = ['_meta', 'org.mpaktrust'];
  const result = ExtensionSchema.safeParse(manifest.extension);
  if (result.success) return [];
  return result.error.issues.slice(0, MAX_SCHEMA_FINDINGS).flatMap((issue): FindingInput[] => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [null];
    return keys.map((key) => {
      const path = key === null ? [...base, ...(issue.path as JsonPath)] : [...base, ...(issue.path as JsonPath), key];
      const where = formatPath(path);
      const relative = formatPath(path.slice(2));
      if (key !== null && DOCUMENTED_EXTRAS.includes(relative)) {
        return {
          rule: 'extension-documented-extra',
          severity: 'low',
          action: 'WARN',
          title: `${where} is not in the normative MTF extension schema`,
          description: `The MTF spec text documents ${relative}, but the normative mtf-extension schema does not allow it: other MTF validators will reject this manifest.`,
          file: MANIFEST_FILE,
          line: manifest.lineOf(path),
        };
      }
      const message = key === null ? issue.message : `unknown field "${key}"`;
      return block('extension-invalid', `MTF extension invalid at ${where}`, `_meta["org.mpaktrust"] fails the MTF extension schema: ${where}: ${message}.`, manifest.lineOf(path));
    });
  });
}

/**
 * Step 4 and the entry point: `server.entry_point` is a safe relative path that exists in the bundle, and
 * `mcp_config` executes the same entry point (or module); every file it names with `${__dirname}` exists.
 * A module run with `-m` runs the entry point when it names it or imports it: `python -m pkg` runs
 * `pkg/__main__.py`, which by convention only imports the server module and starts it.
 */
async function executionConsistency(manifest: Manifest, bundle: Bundle, facts: () => Promise<Facts>): Promise<FindingInput[]> {
  const server = manifest.data.server;
  if (!isObject(server) || typeof server.entry_point !== 'string') return [];
  const out: FindingInput[] = [];
  const line = manifest.lineOf(['server', 'entry_point']);
  const entryPoint = normalizeRelativePath(server.entry_point);
  if (entryPoint === null) {
    return [
      block('unsafe-entry-point', 'Unsafe entry point', `server.entry_point "${server.entry_point}" must be a relative path inside the bundle (no leading /, drive letter, backslash or "..").`, line),
    ];
  }
  if (!bundle.files.has(entryPoint)) {
    out.push(block('entry-point-missing', 'Entry point not in bundle', `server.entry_point "${server.entry_point}" does not exist in the bundle.`, line));
  }
  const targets = executionTargets(manifest, bundle.files);
  for (const target of targets) {
    if (target.kind === 'file' && !target.exists) {
      out.push(
        block('execution-target-missing', 'mcp_config runs a file that is not in the bundle', `${formatPath(target.path)} runs "${target.value}", which does not exist in the bundle.`, manifest.lineOf(target.path)),
      );
    }
  }
  // Each config (mcp_config and every platform override) that names bundle code must run the entry point;
  // other files it names (a config file argument, say) are fine.
  const configs = new Map<string, typeof targets>();
  for (const target of targets) configs.set(JSON.stringify(target.config), [...(configs.get(JSON.stringify(target.config)) ?? []), target]);
  for (const group of configs.values()) {
    const runsEntryPoint = group.some((t) => (t.kind === 'file' ? t.value === entryPoint : moduleMatchesEntryPoint(t.value, entryPoint)));
    if (runsEntryPoint) continue;
    const modules = group.filter((t) => t.kind === 'module' && t.exists).map((t) => t.value);
    if (modules.length > 0 && modulesImport(modules, entryPoint, bundle.files, await facts())) continue;
    const named = group.map((t) => (t.kind === 'module' ? `-m ${t.value}` : t.value)).join(', ');
    out.push(
      block(
        'inconsistent-execution-target',
        'server and mcp_config run different code',
        `server.entry_point is "${entryPoint}" but ${formatPath(group[0]!.config)} runs ${named}: the reviewed entry point is not what a client executes.`,
        manifest.lineOf(group[0]!.path),
      ),
    );
  }
  return out;
}

/** Whether a `-m` module (its file and the `__init__.py` files Python runs before it) imports the entry point. */
function modulesImport(modules: readonly string[], entryPoint: string, files: ReadonlyMap<string, unknown>, facts: Facts): boolean {
  const edges = new Map<string, string[]>();
  for (const fact of facts.imports) edges.set(fact.file, [...(edges.get(fact.file) ?? []), ...fact.resolved]);
  const reached = new Set<string>();
  for (const module of modules) {
    const file = modulePaths(module).find((path) => files.has(path));
    if (!file) continue;
    const root = file.startsWith('src/') ? ['src'] : [];
    const parts = module.split('.');
    for (let i = 1; i <= parts.length; i++) reached.add([...root, ...parts.slice(0, i), '__init__.py'].join('/'));
    reached.add(file);
  }
  const pending = [...reached].filter((path) => files.has(path));
  for (let next = 0; next < pending.length; next++) {
    for (const target of edges.get(pending[next]!) ?? []) {
      if (reached.has(target)) continue;
      reached.add(target);
      pending.push(target);
    }
  }
  return reached.has(entryPoint);
}
