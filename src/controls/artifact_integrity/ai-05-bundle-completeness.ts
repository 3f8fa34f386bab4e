import { createFileClassifier } from '../../analysis/scope.js';
import type { Facts } from '../../analysis/types.js';
import type { BundleFile } from '../../bundle/types.js';
import { normalizeRelativePath } from '../../manifest/execution.js';
import { isObject, MANIFEST_FILE, type Manifest } from '../../manifest/manifest.js';
import { error, findings, type Control, type FindingInput } from '../control.js';

/**
 * AI-05 Bundle Completeness (MTF 3.2): no executable file the manifest does not reference.
 *
 * "Referenced" (DESIGN.md section 4): the entry point, files named in mcp_config args, and everything they
 * reach through static imports, requires and path references (the analysis pass's import graph, with
 * Python imports resolved against the entry point's directory and the package roots), plus everything in
 * dependency directories (node_modules/, site-packages/, vendor/ ..., which SC-03/SC-04 govern). Also
 * expected: the spec's always-allowed files, lockfiles, SBOMs, VEX and attestations, dependency
 * declarations (package.json, pyproject.toml, requirements*.txt ...), icons and screenshots the manifest
 * names, the compiled companions of referenced code (source maps, `.d.ts`, `__pycache__`), and data files the
 * server code names in a string.
 *
 * | Finding                        | Action |
 * | Unexpected executable file     | BLOCK  |
 * | Unexpected non-executable file | WARN   |
 *
 * An install hook (`preinstall*`, `postinstall*`) outside dependency packages always blocks.
 */
export const ai05: Control = {
  id: 'AI-05',
  async check(ctx) {
    const manifest = ctx.manifest();
    const facts = await ctx.facts();
    if (facts.entryPoints.length === 0) {
      return error('no entry point of the manifest exists in the bundle (see AI-01), so what it references cannot be determined');
    }
    const classify = createFileClassifier(ctx.bundle.files.keys());
    const expected = expectedFiles(manifest, facts, ctx.bundle.files);
    const namedInCode = dataFileNames(facts);
    const blocks: FindingInput[] = [];
    const warnings: FindingInput[] = [];
    for (const file of ctx.bundle.files.values()) {
      const { path } = file;
      const dependency = classify(path).role === 'dependency';
      if (!dependency && isInstallHook(path)) {
        blocks.push(block(path, 'install-hook', `Install hook ${path}`, `${path} is named as an install hook. Package managers and some clients run such scripts on install; a bundle has no use for one outside its dependencies.`));
        continue;
      }
      if (dependency || expected.has(path) || isAlwaysAllowed(path) || isCachedBytecodeOf(path, expected)) continue;
      const executable = executableKind(file);
      if (executable) {
        blocks.push(block(path, 'unreferenced-executable', `Unreferenced executable ${path}`, `${path} is executable (${executable}) but neither the entry point nor mcp_config reaches it through imports or path references: a phantom component (MTF 2.2.6).`));
      } else if (!namedInCode.has(basename(path))) {
        warnings.push({
          rule: 'unexpected-file',
          severity: 'low',
          action: 'WARN',
          title: `Unexpected file ${path}`,
          description: `${path} is not referenced by the manifest or the server code and is not an expected bundle file.`,
          file: path,
          remediation: 'Remove files the server does not need from the bundle (an .mcpbignore entry), or reference them.',
        });
      }
    }
    return findings([...blocks, ...capWarnings(warnings)]);
  },
};

/** WARNs listed one by one, at most this many, then one summary. */
const MAX_LISTED_WARNINGS = 50;

function capWarnings(warnings: FindingInput[]): FindingInput[] {
  if (warnings.length <= MAX_LISTED_WARNINGS) return warnings;
  const rest = warnings.slice(MAX_LISTED_WARNINGS);
  return [
    ...warnings.slice(0, MAX_LISTED_WARNINGS),
    {
      rule: 'unexpected-file',
      severity: 'low',
      action: 'WARN',
      title: `${rest.length} more unexpected files`,
      description: `${rest.length} more files are not referenced, e.g. ${rest.slice(0, 5).map((f) => f.file).join(', ')}.`,
      file: MANIFEST_FILE,
    },
  ];
}

function block(path: string, rule: string, title: string, description: string): FindingInput {
  return { rule, severity: 'high', action: 'BLOCK', title, description, file: path, line: 1 };
}

/** MTF 3.2 AI-05 "Always Allowed", plus the bundle's supply-chain and provenance documents. */
const ALWAYS_ALLOWED_NAMES = /^(?:manifest\.json|readme(?:\.md|\.txt)?|license(?:\.txt|\.md)?|licence(?:\.txt|\.md)?|changelog(?:\.md|\.txt)?|\.gitignore|\.gitattributes|\.mcpbignore|sbom\.json|sbom\.cdx\.json|sbom\.spdx\.json|bom\.json|vex\.json|attestation\.json|manifest\.sig\.json)$/i;
const ALWAYS_ALLOWED_DIRS = ['.sigstore/', '.vex/', '.slsa/'];
/** Lockfiles and dependency declarations: the manifest's `dependencies` / lockfiles row. */
const DEPENDENCY_FILES = /^(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|package\.json|\.npmrc|\.nvmrc|\.node-version|pyproject\.toml|uv\.lock|poetry\.lock|pdm\.lock|pipfile(?:\.lock)?|requirements[\w.-]*\.(?:txt|in)|constraints[\w.-]*\.txt|setup\.cfg|\.python-version|go\.mod|go\.sum|cargo\.toml|cargo\.lock)$/i;

function isAlwaysAllowed(path: string): boolean {
  const name = basename(path);
  if (path.endsWith('.sig') || ALWAYS_ALLOWED_DIRS.some((dir) => path.startsWith(dir))) return true;
  return ALWAYS_ALLOWED_NAMES.test(name) || DEPENDENCY_FILES.test(name);
}

function isInstallHook(path: string): boolean {
  return /^(?:pre|post)install/i.test(basename(path));
}

/**
 * Files the manifest and the import graph reference, with their compiled companions and, for Python modules, the
 * `__init__.py` of each package they belong to: a module run as a script (`python pkg/server.py`) does not execute
 * them, but they are what makes it a module of its package (`python -m pkg.server`, the installed entry point).
 */
function expectedFiles(manifest: Manifest, facts: Facts, files: ReadonlyMap<string, unknown>): Set<string> {
  const expected = new Set<string>(facts.reachable);
  for (const path of facts.reachable) {
    for (const companion of [`${path}.map`, path.replace(/\.[cm]?js$/, '.d.ts'), `${path.replace(/\.[cm]?js$/, '.d.ts')}.map`]) expected.add(companion);
    if (path.endsWith('__init__.py')) expected.add(path.replace(/__init__\.py$/, 'py.typed'));
    if (path.endsWith('.py')) for (const init of enclosingPackageInits(path, files)) expected.add(init);
  }
  for (const path of manifestNamedFiles(manifest)) expected.add(path);
  return expected;
}

/** `a/b/__init__.py` and `a/__init__.py` for `a/b/mod.py`, as far up as each directory is a package. */
function enclosingPackageInits(path: string, files: ReadonlyMap<string, unknown>): string[] {
  const found: string[] = [];
  for (let dir = path.slice(0, path.lastIndexOf('/')); dir !== '' && files.has(`${dir}/__init__.py`); dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/')))) {
    found.push(`${dir}/__init__.py`);
  }
  return found;
}

/** `pkg/__pycache__/mod.cpython-312.pyc` is the bytecode cache of `pkg/mod.py`. */
function isCachedBytecodeOf(path: string, expected: ReadonlySet<string>): boolean {
  const marker = path.lastIndexOf('__pycache__/');
  if (marker < 0 || !path.endsWith('.pyc')) return false;
  const name = path.slice(marker + '__pycache__/'.length);
  const module = name.slice(0, name.indexOf('.'));
  return module !== '' && expected.has(`${path.slice(0, marker)}${module}.py`);
}

/** icon, icons[].src, screenshots[]: named by the manifest, shown by clients. */
function manifestNamedFiles(manifest: Manifest): string[] {
  const found: string[] = [];
  const add = (value: unknown) => {
    if (typeof value !== 'string') return;
    const path = normalizeRelativePath(value);
    if (path) found.push(path);
  };
  add(manifest.data.icon);
  if (Array.isArray(manifest.data.icons)) for (const icon of manifest.data.icons) if (isObject(icon)) add(icon.src);
  if (Array.isArray(manifest.data.screenshots)) for (const shot of manifest.data.screenshots) add(shot);
  return found;
}

/** Base names of files that the server code spells in a string literal ("schema.json", "./data/cities.csv"). */
function dataFileNames(facts: Facts): Set<string> {
  const server = new Set(facts.files.filter((file) => file.role === 'server').map((file) => file.path));
  const names = new Set<string>();
  for (const fact of facts.strings) {
    if (fact.kind !== 'literal' || !server.has(fact.file) || fact.text.length > 200) continue;
    const name = basename(fact.text);
    if (name.includes('.')) names.add(name);
  }
  return names;
}

const EXECUTABLE_EXTENSIONS = new Set([
  'py', 'pyw', 'pyc', 'pyo', 'pyd', 'js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx', 'go', 'rs', 'sh', 'bash', 'zsh',
  'fish', 'ksh', 'csh', 'ps1', 'psm1', 'bat', 'cmd', 'vbs', 'exe', 'dll', 'so', 'dylib', 'node', 'jar', 'class', 'rb',
  'pl', 'php', 'lua', 'wasm', 'com', 'msi', 'scr', 'app', 'elf',
]);

/** Why a file is executable: its extension (MTF's "Disallowed Unless Referenced"), a `#!` line, or binary magic. */
export function executableKind(file: BundleFile): string | null {
  const name = basename(file.path).toLowerCase();
  if (/\.d\.[cm]?ts$/.test(name)) return null;
  const dot = name.lastIndexOf('.');
  const extension = dot >= 0 ? name.slice(dot + 1) : '';
  if (/\.so(?:\.\d+)+$/.test(name)) return 'shared library';
  if (EXECUTABLE_EXTENSIONS.has(extension)) return `.${extension} file`;
  const data = file.data;
  if (data[0] === 0x23 && data[1] === 0x21) return 'script with a #! line';
  if (data[0] === 0x7f && data[1] === 0x45 && data[2] === 0x4c && data[3] === 0x46) return 'ELF binary';
  if (data.length >= 4) {
    const magic = data.readUInt32BE(0);
    if (magic === 0xfeedface || magic === 0xfeedfacf || magic === 0xcefaedfe || magic === 0xcffaedfe) return 'Mach-O binary';
    if (magic === 0xcafebabe) return 'Mach-O universal binary or Java class';
    if (magic === 0x0061736d) return 'WebAssembly module';
  }
  if (data[0] === 0x4d && data[1] === 0x5a && data.length >= 0x40) {
    const offset = data.readUInt32LE(0x3c);
    if (offset + 4 <= data.length && data.readUInt32BE(offset) === 0x50450000) return 'PE (Windows) executable';
  }
  return null;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
