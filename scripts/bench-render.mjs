// npm run bench:render: what rendering costs for a bundle with 10,000 findings, measured on the BUILT CLI.
// The bundle is a directory whose manifest declares 10,000 tools without a description (CD-01 reports each one).
// Each format is timed over several whole-process runs (median); the difference between a format and `json` is the
// cost of that renderer plus the repository map. A benchmark, not a test: it asserts nothing.
// Options: --findings N (default 10000), --runs N (default 5).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const arg = (name, fallback) => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const findings = arg('--findings', 10_000);
const runs = arg('--runs', 5);
const cli = resolve('dist/cli/index.js');
const work = mkdtempSync(join(tmpdir(), 'mtf-bench-render-'));

const dir = join(work, 'many-tools');
mkdirSync(dir);
const tools = Array.from({ length: findings }, (_, i) => ({ name: `tool_${i}` }));
writeFileSync(
  join(dir, 'manifest.json'),
  JSON.stringify(
    {
      manifest_version: '0.3',
      name: '@bench/many-tools',
      version: '1.0.0',
      description: 'A bundle with a finding per declared tool',
      author: { name: 'Bench', email: 'bench@example.com' },
      server: { type: 'python', entry_point: 'server.py', mcp_config: { command: 'python', args: ['${__dirname}/server.py'] } },
      tools,
    },
    null,
    2,
  ),
);
writeFileSync(join(dir, 'server.py'), 'print("hello")\n');

function time(format) {
  const times = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [cli, 'scan', 'many-tools', '--format', format, '--offline', '--level', '2'], {
      cwd: work,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (child.status !== 0 && child.status !== 1) throw new Error(`mtf scan --format ${format} exited ${child.status}: ${child.stderr}`);
    bytes = Buffer.byteLength(child.stdout);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], bytes };
}

try {
  const base = time('json');
  console.log(`${findings} findings, median of ${runs} runs (whole process: intake, scan, render)`);
  console.log(`  json      ${base.median.toFixed(0).padStart(6)} ms  ${(base.bytes / 1e6).toFixed(2)} MB`);
  for (const format of ['sarif', 'markdown']) {
    const result = time(format);
    console.log(
      `  ${format.padEnd(9)} ${result.median.toFixed(0).padStart(6)} ms  ${(result.bytes / 1e6).toFixed(2)} MB  (${(result.median - base.median).toFixed(0)} ms more than json)`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
