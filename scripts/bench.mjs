// npm run bench: whole-process wall time and peak memory of the BUILT CLI (`node dist/cli/index.js scan`) on a small
// bundle (the example), on a node bundle with ~3,000 vendored files (real packages copied from this project's
// node_modules), and on a bundle with 1,000 locked and vendored dependencies (package-lock.json v3 + SBOM). Runs each
// several times and reports the median time and the largest peak RSS, then the time the supply-chain controls take
// inside the scan (the report's duration_ms; SC-01 runs first, so it includes building the dependency model) and the
// time of `mtf sbom` on the 1,000-dependency bundle. A benchmark, not a test: it asserts nothing. Options: --runs N
// (default 5), --keep (leave the generated bundles in the temp dir).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/**
 * A node server with 1,000 locked dependencies: this project's own package-lock.json entries (real names, versions,
 * integrity) padded with generated ones, each also vendored as node_modules/<name>/package.json, and the SBOM
 * `mtf sbom` writes for it. SC-02 (vulnerability queries) belongs to its own benchmark; this one runs offline.
 */
function makeLockedBundle(count) {
  const dir = join(work, 'locked-server');
  mkdirSync(join(dir, 'server'), { recursive: true });
  writeFileSync(join(dir, 'server', 'index.js'), NODE_SERVER);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...NODE_MANIFEST, name: '@bench/locked-server' }, null, 2));
  const own = JSON.parse(readFileSync('package-lock.json', 'utf8')).packages;
  const entries = Object.entries(own)
    .filter(([key, value]) => key.startsWith('node_modules/') && !key.slice(13).includes('node_modules/') && value.version && value.integrity && !value.link)
    .map(([key, value]) => [key.slice(13), { version: value.version, resolved: value.resolved, integrity: value.integrity, license: value.license }]);
  for (let i = entries.length; i < count; i++) {
    const name = `@bench/pkg-${String(i).padStart(4, '0')}`;
    const version = `1.${i % 17}.${i % 5}`;
    const integrity = `sha512-${createHash('sha512').update(name + version).digest('base64')}`;
    entries.push([name, { version, resolved: `https://registry.npmjs.org/${name}/-/pkg-${String(i).padStart(4, '0')}-${version}.tgz`, integrity, license: 'MIT' }]);
  }
  const chosen = entries.slice(0, count);
  const direct = Object.fromEntries(chosen.slice(0, 40).map(([name, value]) => [name, `^${value.version}`]));
  const packages = { '': { name: 'locked-server', version: '1.0.0', dependencies: direct } };
  for (const [name, value] of chosen) {
    packages[`node_modules/${name}`] = value;
    mkdirSync(join(dir, 'node_modules', name), { recursive: true });
    writeFileSync(join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, version: value.version, license: value.license ?? 'MIT' }, null, 2));
  }
  const lock = JSON.stringify({ name: 'locked-server', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'locked-server', version: '1.0.0', type: 'module', dependencies: direct }, null, 2));
  writeFileSync(join(dir, 'package-lock.json'), lock);
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', '.package-lock.json'), lock);
  execFileSync(process.execPath, [cli, 'sbom', dir, '-o', join(dir, 'sbom.cdx.json')], { stdio: 'ignore' });
  const out = join(work, 'locked-server.mcpb');
  execFileSync(process.execPath, [cli, 'pack', dir, '-o', out], { stdio: 'ignore' });
  return { path: out, files: countFiles(dir), dir };
}

/** Median wall time of `mtf sbom` on a bundle (whole process). */
function measureSbom(bundle) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [cli, 'sbom', bundle], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (child.status !== 0) throw new Error(`sbom of ${bundle} exited ${child.status}: ${child.stderr}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function measure(bundle) {
  const times = [];
  let peak = 0;
  let level = null;
  const controls = {};
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
    const report = JSON.parse(child.stdout);
    level = report.compliance.level;
    for (const [id, result] of Object.entries(report.domains.supply_chain?.controls ?? {})) (controls[id] ??= []).push(result.duration_ms);
  }
  const controlMedians = Object.fromEntries(Object.entries(controls).map(([id, list]) => [id, list.sort((a, b) => a - b)[Math.floor(list.length / 2)]]));
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times.at(-1), peakMiB: peak / 1024, level, controls: controlMedians };
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
    { name: 'node, 1,000 locked + vendored dependencies', ...makeLockedBundle(1000) },
  ];
  console.log(`mtf scan, whole process (node ${process.version}, ${runs} runs each, --offline)\n`);
  console.log('| bundle | files | size | median | min-max | peak RSS | level |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  const supply = [];
  for (const bundle of bundles) {
    const m = measure(bundle.path);
    const size = `${(statSync(bundle.path).size / 1024).toFixed(0)} KiB`;
    console.log(`| ${bundle.name} | ${bundle.files} | ${size} | ${m.median.toFixed(0)} ms | ${m.min.toFixed(0)}-${m.max.toFixed(0)} ms | ${m.peakMiB.toFixed(0)} MiB | L${m.level} |`);
    supply.push([bundle.name, m.controls]);
  }
  console.log('\nSupply-chain controls inside the scan (median duration_ms; SC-01 includes building the dependency model)\n');
  console.log('| bundle | SC-01 | SC-03 | SC-04 | SC-05 |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [name, c] of supply) console.log(`| ${name} | ${c['SC-01']} ms | ${c['SC-03']} ms | ${c['SC-04']} ms | ${c['SC-05']} ms |`);
  const locked = bundles.at(-1);
  console.log(`\nmtf sbom on the 1,000-dependency bundle (whole process, median of ${runs}): ${measureSbom(locked.path).toFixed(0)} ms`);
} finally {
  if (keep) console.log(`\nbundles kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
