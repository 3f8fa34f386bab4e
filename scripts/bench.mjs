// npm run bench: whole-process wall time and peak memory of the BUILT CLI (`node dist/cli/index.js scan`) on a small
// bundle (the example) and on a node bundle with ~3,000 vendored files (real packages copied from this project's
// node_modules). Runs each several times and reports the median time and the largest peak RSS. A benchmark, not a
// test: it asserts nothing. Options: --runs N (default 5), --keep (leave the generated bundles in the temp dir).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const keep = process.argv.includes('--keep');
const cli = resolve('dist/cli/index.js');
const work = mkdtempSync(join(tmpdir(), 'mtf-bench-'));

function countFiles(dir) {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    n += entry.isDirectory() ? countFiles(join(dir, entry.name)) : entry.isFile() ? 1 : 0;
  }
  return n;
}

/** A node MCP server with ~`target` vendored files: whole packages from node_modules until the count is reached. */
function makeNodeBundle(target) {
  const dir = join(work, 'node-server');
  mkdirSync(join(dir, 'server'), { recursive: true });
  writeFileSync(join(dir, 'server', 'index.js'), NODE_SERVER);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(NODE_MANIFEST, null, 2));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-server', version: '1.0.0', type: 'module' }, null, 2));
  let files = 3;
  const packages = readdirSync('node_modules')
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) => (name.startsWith('@') ? readdirSync(join('node_modules', name)).map((sub) => `${name}/${sub}`) : [name]))
    .sort();
  for (const name of packages) {
    const source = join('node_modules', name);
    if (!statSync(source).isDirectory()) continue;
    const count = countFiles(source);
    if (files + count > target * 1.05) continue;
    cpSync(source, join(dir, 'node_modules', name), { recursive: true, filter: (p) => !lstatSync(p).isSymbolicLink() });
    files += count;
    if (files >= target) break;
  }
  const out = join(work, 'node-server.mcpb');
  execFileSync(process.execPath, [cli, 'pack', dir, '-o', out], { stdio: 'ignore' });
  return { path: out, files };
}

function measure(bundle) {
  const times = [];
  let peak = 0;
  let level = null;
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const child = spawnSync(
      process.execPath,
      ['--import', 'data:text/javascript,process.on("exit",()=>process.stderr.write(`\\nmaxrss=${process.resourceUsage().maxRSS}\\n`))', cli, 'scan', bundle, '--format', 'json', '--offline', '--level', '0'],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (child.status !== 0) throw new Error(`scan of ${bundle} exited ${child.status}: ${child.stderr}`);
    peak = Math.max(peak, Number(/maxrss=(\d+)/.exec(child.stderr)?.[1] ?? 0));
    level = JSON.parse(child.stdout).compliance.level;
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times.at(-1), peakMiB: peak / 1024, level };
}

const NODE_SERVER = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'bench', version: '1.0.0' });
server.registerTool('echo', { description: 'Echo the given text', inputSchema: { text: z.string() } }, async ({ text }) => ({
  content: [{ type: 'text', text }],
}));
await server.connect(new StdioServerTransport());
`;

const NODE_MANIFEST = {
  manifest_version: '0.3',
  name: '@bench/node-server',
  version: '1.0.0',
  description: 'Benchmark bundle with vendored dependencies',
  author: { name: 'Bench', email: 'bench@example.com' },
  repository: { type: 'git', url: 'https://github.com/example/bench' },
  server: { type: 'node', entry_point: 'server/index.js', mcp_config: { command: 'node', args: ['${__dirname}/server/index.js'] } },
  tools: [{ name: 'echo', description: 'Echo the given text' }],
  _meta: { 'org.mpaktrust': { mtf_version: '0.1', level: 2, permissions: { network: 'none' } } },
};

try {
  const bundles = [
    { name: 'small (examples/weather-server.mcpb)', path: resolve('examples/weather-server.mcpb'), files: countFiles('examples/weather-server') },
    { name: 'node, ~3,000 vendored files', ...makeNodeBundle(3000) },
  ];
  console.log(`mtf scan, whole process (node ${process.version}, ${runs} runs each, --offline)\n`);
  console.log('| bundle | files | size | median | min-max | peak RSS | level |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const bundle of bundles) {
    const m = measure(bundle.path);
    const size = `${(statSync(bundle.path).size / 1024).toFixed(0)} KiB`;
    console.log(`| ${bundle.name} | ${bundle.files} | ${size} | ${m.median.toFixed(0)} ms | ${m.min.toFixed(0)}-${m.max.toFixed(0)} ms | ${m.peakMiB.toFixed(0)} MiB | L${m.level} |`);
  }
} finally {
  if (keep) console.log(`\nbundles kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
