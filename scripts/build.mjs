// Builds dist/ (the action and the CLI, bundled by @vercel/ncc) and schemas/ (JSON Schemas generated from the
// zod definitions in src/spec/). CI rebuilds both and fails when they differ from what is committed.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ncc = (entry, out) =>
  execFileSync('npx', ['ncc', 'build', entry, '-o', out, '--license', 'licenses.txt', '--quiet'], { stdio: 'inherit' });

rmSync('dist', { recursive: true, force: true });
ncc('src/action/index.ts', 'dist');
ncc('src/cli/index.ts', 'dist/cli');

// The grammars are loaded at run time from next to the bundle (src/analysis/tree-sitter.ts finds them).
copyFileSync('node_modules/web-tree-sitter/web-tree-sitter.wasm', 'dist/web-tree-sitter.wasm');
chmodSync('dist/web-tree-sitter.wasm', 0o644);
copyFileSync('node_modules/tree-sitter-python/tree-sitter-python.wasm', 'dist/tree-sitter-python.wasm');

const cli = 'dist/cli/index.js';
const source = readFileSync(cli, 'utf8');
if (!source.startsWith('#!')) writeFileSync(cli, `#!/usr/bin/env node\n${source}`);
chmodSync(cli, 0o755);

const tmp = mkdtempSync(join(tmpdir(), 'mtf-schemas-'));
try {
  ncc('scripts/generate-schemas.ts', tmp);
  execFileSync(process.execPath, [join(tmp, 'index.js'), 'schemas'], { stdio: 'inherit' });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
