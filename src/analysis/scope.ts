import type { FileRole, Language } from './types.js';

/** What a bundle file is to the analysis: whose code (role) and, for source code, its language. */
export interface FileClass {
  role: FileRole;
  /** null for files that are not JavaScript, TypeScript or Python source (and for `.d.ts` declarations). */
  language: Language | null;
}

/** Classifies one file of the bundle the classifier was created for; `data` is needed only for shebangs. */
export type FileClassifier = (path: string, data?: Uint8Array) => FileClass;

/** Directories that hold third-party code wherever they appear in a path (MTF 3.4 CQ-03 "Exclusions"). */
const DEPENDENCY_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  'bower_components',
  'deps',
  'vendor',
  'site-packages',
  'dist-packages',
  '.venv',
  'venv',
  '__pypackages__',
]);

/** `lib/` is ambiguous (compiled JavaScript lives there too): it counts only when it holds a Python install. */
const LIB_DIRS: ReadonlySet<string> = new Set(['lib', 'lib64']);
const PYTHON_INSTALL_MARKER = /^(?:[^/]+\.(?:dist-info|egg-info)|python\d+(?:\.\d+)?)$/;

const TEST_DIRS: ReadonlySet<string> = new Set(['test', 'tests', '__tests__', 'spec', 'specs']);

const EXTENSION_LANGUAGES: ReadonlyMap<string, Language> = new Map([
  ['js', 'javascript'],
  ['mjs', 'javascript'],
  ['cjs', 'javascript'],
  ['jsx', 'javascript'],
  ['ts', 'typescript'],
  ['mts', 'typescript'],
  ['cts', 'typescript'],
  ['tsx', 'typescript'],
  ['py', 'python'],
  ['pyw', 'python'],
]);

/**
 * Creates the classifier for one bundle. It needs every path up front because one rule depends on a
 * directory's siblings: a `lib/` directory is vendored Python (a `pip install --target lib` tree) only when
 * it holds `*.dist-info`, `*.egg-info` or `python3.x/` entries.
 */
export function createFileClassifier(paths: Iterable<string>): FileClassifier {
  const vendoredLibs = findVendoredLibDirs(paths);
  return (path, data) => ({ role: classifyRole(path, vendoredLibs), language: detectLanguage(path, data) });
}

function findVendoredLibDirs(paths: Iterable<string>): Set<string> {
  const dirs = new Set<string>();
  for (const path of paths) {
    const segments = path.split('/');
    for (let i = 0; i < segments.length - 1; i++) {
      if (LIB_DIRS.has(segments[i]!) && PYTHON_INSTALL_MARKER.test(segments[i + 1]!)) {
        dirs.add(segments.slice(0, i + 1).join('/'));
      }
    }
  }
  return dirs;
}

function classifyRole(path: string, vendoredLibs: ReadonlySet<string>): FileRole {
  const segments = path.split('/');
  const dirs = segments.slice(0, -1);
  for (let i = 0; i < dirs.length; i++) {
    const dir = dirs[i]!;
    if (DEPENDENCY_DIRS.has(dir)) return 'dependency';
    if (LIB_DIRS.has(dir) && vendoredLibs.has(dirs.slice(0, i + 1).join('/'))) return 'dependency';
  }
  if (dirs.some((dir) => TEST_DIRS.has(dir)) || isTestFileName(segments[segments.length - 1]!)) return 'test';
  return 'server';
}

/**
 * Test files. MTF 3.4 CQ-03 "Exclusions" lists "Test files: `*test*`, `*spec*`". Read as globs those would
 * exclude server code such as `inspector.py`, `latest.ts` or `attestation.js` from static analysis, and let
 * any bundle hide code from CQ-03 by its name. We read them as the test-runner conventions they stand for:
 * pytest (`test_*.py`, `*_test.py`, `conftest.py`), jest/vitest/mocha (`*.test.js`, `*.spec.ts`, in every
 * JS/TS extension), Go (`*_test.go`), and files under a `test/`, `tests/`, `__tests__/`, `spec/` or `specs/`
 * directory.
 */
function isTestFileName(name: string): boolean {
  if (name === 'conftest.py') return true;
  if (/^test_.+\.pyw?$/.test(name) || /.+_test\.(?:pyw?|go)$/.test(name)) return true;
  return /.+\.(?:test|spec)\.[cm]?[jt]sx?$/.test(name);
}

/**
 * The language of a source file, by extension, or for an extensionless file by its `#!` line
 * (`#!/usr/bin/env node`, `#!/usr/bin/python3`, `#!/usr/bin/env -S tsx`). Declaration files (`.d.ts`)
 * hold no code and get null.
 */
export function detectLanguage(path: string, data?: Uint8Array): Language | null {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const dot = name.lastIndexOf('.');
  if (dot > 0) {
    if (/\.d\.[cm]?ts$/.test(name)) return null;
    return EXTENSION_LANGUAGES.get(name.slice(dot + 1)) ?? null;
  }
  return data ? detectShebangLanguage(data) : null;
}

const SHEBANG_SCAN_BYTES = 256;

function detectShebangLanguage(data: Uint8Array): Language | null {
  if (data[0] !== 0x23 || data[1] !== 0x21) return null;
  const head = Buffer.from(data.subarray(0, SHEBANG_SCAN_BYTES)).toString('latin1');
  const end = head.search(/[\r\n]/);
  const words = head.slice(2, end === -1 ? undefined : end).trim().split(/\s+/);
  let interpreter = basename(words[0] ?? '');
  if (interpreter === 'env') {
    interpreter = basename(words.slice(1).find((word) => !word.startsWith('-') && !word.includes('=')) ?? '');
  }
  if (/^python\d*(?:\.\d+)?$/.test(interpreter)) return 'python';
  if (interpreter === 'node' || interpreter === 'nodejs') return 'javascript';
  if (interpreter === 'tsx' || interpreter === 'ts-node') return 'typescript';
  return null;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
