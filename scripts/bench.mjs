// npm run bench: whole-process wall time and peak memory of the BUILT CLI (`node dist/cli/index.js scan`) on a small
// bundle (the example), on a node bundle with ~3,000 vendored files (real packages copied from this project's
// node_modules), and on a bundle with 1,000 locked and vendored dependencies (package-lock.json v3 + SBOM), all
// --offline. Runs each several times and reports the median time and the largest peak RSS, then the time the
// supply-chain controls take inside the scan (the report's duration_ms; SC-01 runs first, so it includes building the
// dependency model) and the time of `mtf sbom` on the 1,000-dependency bundle. benchVulnerabilities() then scans a
// bundle locking ~1,000 npm dependencies ONLINE (SC-02) against a loopback OSV/EPSS/KEV server started in this
// process, cold cache (a fresh MTF_CACHE_DIR per run) and warm. A benchmark, not a test: it asserts nothing.
// Options: --runs N (default 5), --keep (leave the generated bundles in the temp dir).
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
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

/**
 * SC-02 at scale: a bundle whose package-lock.json locks `count` registry packages, 20 of them with fixture
 * vulnerabilities (with CVE aliases, EPSS scores and 2 KEV listings), scanned by the built CLI with MTF_OSV_API,
 * MTF_EPSS_API and MTF_KEV_URL pointing at a loopback server in this process. The server answers in the public
 * services' shapes; the KEV feed carries 1,500 entries like the real one. Cold: a new cache directory each run.
 * Warm: the same directory, filled by a first scan.
 */
async function benchVulnerabilities(count) {
  const names = Array.from({ length: count }, (_, i) => `bench-dep-${String(i).padStart(4, '0')}`);
  const vulnerable = new Map(names.filter((_, i) => i % 50 === 7).map((name, i) => [name, `GHSA-bnch-${String(i).padStart(4, '0')}-xxxx`]));
  const records = new Map(
    [...vulnerable].map(([name, id], i) => [
      id,
      {
        id,
        modified: '2026-01-15T10:00:00Z',
        aliases: [`CVE-2026-2${String(i).padStart(4, '0')}`],
        summary: `Fixture vulnerability ${i}`,
        severity: [{ type: 'CVSS_V3', score: i % 3 === 0 ? 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H' : 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N' }],
        affected: [{ package: { ecosystem: 'npm', name }, versions: ['1.0.0'], ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }] }],
      },
    ]),
  );
  const cves = [...records.values()].map((r) => r.aliases[0]);
  const kev = Array.from({ length: 1500 }, (_, i) => ({ cveID: `CVE-2020-${10000 + i}`, vendorProject: 'Bench', product: 'bench', vulnerabilityName: `Bench ${i}`, dateAdded: '2026-01-01', shortDescription: 'A benchmark entry.', requiredAction: 'Apply updates.', dueDate: '2026-02-01', knownRansomwareCampaignUse: 'Unknown', notes: '', cwes: [] }));
  kev.push(...cves.slice(0, 2).map((cveID) => ({ ...kev[0], cveID })));
  const counts = { querybatch: 0, vulns: 0, epss: 0, kev: 0 };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url, 'http://127.0.0.1');
      const json = (body) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST' && url.pathname === '/v1/querybatch') {
        counts.querybatch++;
        const { queries } = JSON.parse(Buffer.concat(chunks).toString());
        return json({ results: queries.map((q) => (vulnerable.has(q.package.name) && q.version === '1.0.0' ? { vulns: [{ id: vulnerable.get(q.package.name), modified: '2026-01-15T10:00:00Z' }] } : {})) });
      }
      if (url.pathname.startsWith('/v1/vulns/')) {
        counts.vulns++;
        return json(records.get(decodeURIComponent(url.pathname.slice(10))));
      }
      if (url.pathname === '/epss') {
        counts.epss++;
        const asked = (url.searchParams.get('cve') ?? '').split(',');
        return json({ status: 'OK', 'status-code': 200, version: '1.0', total: asked.length, offset: 0, limit: 100, data: asked.map((cve, i) => ({ cve, epss: (i % 4 === 0 ? 0.2 : 0.01).toFixed(9), percentile: '0.5', date: '2026-02-01' })) });
      }
      if (url.pathname === '/kev.json') {
        counts.kev++;
        return json({ title: 'Bench KEV', catalogVersion: '2026.01.01', dateReleased: '2026-01-01T00:00:00.000Z', count: kev.length, vulnerabilities: kev });
      }
      res.writeHead(404).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const dir = join(work, 'vuln-server');
    mkdirSync(join(dir, 'server'), { recursive: true });
    writeFileSync(join(dir, 'server', 'index.js'), NODE_SERVER);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(NODE_MANIFEST, null, 2));
    const packages = { '': { name: 'bench-server', version: '1.0.0', dependencies: Object.fromEntries(names.map((n) => [n, '^1.0.0'])) } };
    for (const name of names) {
      packages[`node_modules/${name}`] = { version: '1.0.0', resolved: `https://registry.npmjs.org/${name}/-/${name}-1.0.0.tgz`, integrity: `sha512-${Buffer.from(name).toString('base64')}` };
    }
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'bench-server', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2));
    const bundle = join(work, 'vuln-server.mcpb');
    execFileSync(process.execPath, [cli, 'pack', dir, '-o', bundle], { stdio: 'ignore' });
    const env = { ...process.env, MTF_OSV_API: base, MTF_EPSS_API: `${base}/epss`, MTF_KEV_URL: `${base}/kev.json` };
    const scanOnce = (cacheDir) =>
      new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        execFile(
          process.execPath,
          ['--import', 'data:text/javascript,process.on("exit",()=>process.stderr.write(`\\nmaxrss=${process.resourceUsage().maxRSS}\\n`))', cli, 'scan', bundle, '--format', 'json', '--level', '0'],
          { env: { ...env, MTF_CACHE_DIR: cacheDir }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
          (error, stdout, stderr) => {
            if (error) return reject(new Error(`scan of ${bundle} failed: ${stderr}`));
            const report = JSON.parse(stdout);
            resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, rssKiB: Number(/maxrss=(\d+)/.exec(stderr)?.[1] ?? 0), sc02: report.domains.supply_chain.controls['SC-02'] });
          },
        );
      });
    const summarize = async (label, cacheDirFor) => {
      const runsOut = [];
      for (let i = 0; i < runs; i++) runsOut.push(await scanOnce(cacheDirFor(i)));
      const times = runsOut.map((r) => r.ms).sort((a, b) => a - b);
      const last = runsOut.at(-1).sc02;
      const blocking = last.findings.filter((f) => f.action === 'BLOCK').length;
      console.log(`| ${label} | ${count} | ${times[Math.floor(times.length / 2)].toFixed(0)} ms | ${times[0].toFixed(0)}-${times.at(-1).toFixed(0)} ms | ${(Math.max(...runsOut.map((r) => r.rssKiB)) / 1024).toFixed(0)} MiB | ${last.status}, ${last.findings.length} findings (${blocking} BLOCK) |`);
    };
    console.log(`\nSC-02 online against a loopback OSV/EPSS/KEV server (${runs} runs each; ${vulnerable.size} vulnerable packages)\n`);
    console.log('| cache | locked deps | median | min-max | peak RSS | SC-02 |');
    console.log('| --- | ---: | ---: | ---: | ---: | --- |');
    await summarize('cold', (i) => join(work, `cache-cold-${i}`));
    const before = { ...counts };
    await summarize('warm', () => join(work, 'cache-cold-0'));
    const per = (key) => ((counts[key] - before[key]) / runs).toFixed(0);
    console.log(`\nrequests per warm scan: querybatch ${per('querybatch')}, vulns ${per('vulns')}, epss ${per('epss')}, kev ${per('kev')}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

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
  await benchVulnerabilities(1000);
} finally {
  if (keep) console.log(`\nbundles kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
