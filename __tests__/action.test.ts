import { afterAll, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Sarif from 'sarif';
import * as artifact from '../__fixtures__/artifact.js';
import * as cache from '../__fixtures__/cache.js';
import { l2Manifest, manifestJson } from '../__fixtures__/bundle.js';
import * as core from '../__fixtures__/core.js';
import * as github from '../__fixtures__/github.js';
import { sarifSchemaErrors } from '../__fixtures__/sarif.js';
import { packDirectory } from '../src/bundle/pack.js';

jest.unstable_mockModule('@actions/core', () => core);
jest.unstable_mockModule('@actions/github', () => github);
jest.unstable_mockModule('@actions/artifact', () => artifact);
jest.unstable_mockModule('@actions/cache', () => cache);
const { run } = await import('../src/action/main.js');

const SHA = '0123456789abcdef0123456789abcdef01234567';
const example = join(process.cwd(), 'examples', 'weather-server.mcpb');
let work: string;
let workspace: string;

/** A server directory in the checkout whose manifest has an invalid version and `tools` tools without a description. */
async function serverDir(name: string, tools = 12, overrides: Record<string, unknown> = {}): Promise<string> {
  const dir = join(workspace, 'servers', name);
  await mkdir(dir, { recursive: true });
  const declared = Array.from({ length: tools }, (_, i) => ({ name: `tool_${i}` }));
  await writeFile(join(dir, 'manifest.json'), manifestJson(l2Manifest({ name: `@acme/${name}`, version: '1.0', tools: declared, ...overrides })));
  await writeFile(join(dir, 'server.py'), 'print("hello")\n');
  return dir;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mtf-action-'));
  workspace = join(work, 'workspace');
  await mkdir(workspace, { recursive: true });
  Object.assign(process.env, {
    RUNNER_TEMP: join(work, 'runner-temp'),
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'acme/servers',
    GITHUB_SHA: SHA,
    GITHUB_SERVER_URL: 'https://github.com',
  });
});
afterAll(async () => {
  for (const name of ['RUNNER_TEMP', 'GITHUB_WORKSPACE', 'GITHUB_REPOSITORY', 'GITHUB_SHA', 'GITHUB_SERVER_URL']) delete process.env[name];
  await rm(work, { recursive: true, force: true });
});
beforeEach(() => {
  jest.clearAllMocks();
  core.resetSummary();
  github.resetGitHub();
  artifact.uploadArtifact.mockImplementation(async () => ({ id: 42, size: 1 }));
});

function inputs(values: Record<string, string>): void {
  core.useInputs({ 'report-file': join(work, 'out', 'report.json'), 'sarif-file': join(work, 'out', 'mtf.sarif'), ...values });
}

async function readSarif(file = join(work, 'out', 'mtf.sarif')): Promise<Sarif.Log> {
  return JSON.parse(await readFile(file, 'utf8')) as Sarif.Log;
}

describe('the action', () => {
  test('scans a bundle, writes the report and the SARIF log and sets every output', async () => {
    inputs({ bundle: example, 'min-level': '0' });
    await run();
    expect(core.setFailed).not.toHaveBeenCalled();
    const reportFile = join(work, 'out', 'report.json');
    const report = JSON.parse(await readFile(reportFile, 'utf8'));
    expect(core.outputs()).toEqual({
      level: report.compliance.level,
      'level-name': report.compliance.level_name,
      passed: true,
      'risk-score': report.risk_score,
      'report-file': reportFile,
      'sarif-file': join(work, 'out', 'mtf.sarif'),
      'bundle-path': example,
      'bundle-sha256': report.bundle.hash,
      findings: report.findings.length,
    });
    const log = await readSarif();
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0]!.automationDetails!.id).toBe('mtf/acme-weather-server/');
  });

  test('packs a directory, writes the .mcpb to the runner temp dir and puts it in the artifact', async () => {
    inputs({ directory: 'examples/weather-server', 'min-level': '0' });
    await run();
    const out = core.outputs();
    expect(out['bundle-path']).toMatch(new RegExp(`^${work}/runner-temp/mtf/.+\\.mcpb$`));
    const packed = await readFile(out['bundle-path'] as string);
    expect(Buffer.compare(packed, await readFile(example))).toBe(0);
    const [name, files, root] = artifact.uploadArtifact.mock.calls[0]!;
    expect(name).toBe('mtf-acme-weather-server');
    expect(files.map((f) => f.slice(root.length + 1)).sort()).toEqual([
      `mtf-acme-weather-server/${(out['bundle-path'] as string).split('/').pop()}`,
      'mtf-acme-weather-server/report.json',
      'mtf-acme-weather-server/summary.md',
      'mtf.sarif',
    ]);
  });

  test('fails the job below min-level with a one-line reason', async () => {
    inputs({ bundle: example, 'min-level': '4' });
    await run();
    expect(core.setFailed).toHaveBeenCalledTimes(1);
    expect(core.setFailed.mock.calls[0]![0]).toMatch(/^reached L[0-3], required L4: [^\n]+$/);
    expect(core.outputs().passed).toBe(false);
  });

  test('fail-on fails on a finding at or above the severity even when the level is not required', async () => {
    inputs({ directory: await serverDir('fail-on', 1), 'min-level': '0', 'fail-on': 'high' });
    await run();
    expect(core.setFailed).toHaveBeenCalledWith(expect.stringMatching(/^\d+ findings? at or above high severity \(fail-on\)$/));
  });

  test('a config file sets the same policy; inputs win over it', async () => {
    const config = join(work, 'mtf.yml');
    await writeFile(config, 'min-level: 0\nfail-on: high\n');
    const dir = await serverDir('config', 1);
    inputs({ directory: dir, config });
    await run();
    expect(core.setFailed).toHaveBeenCalledWith(expect.stringContaining('fail-on'));
    jest.clearAllMocks();
    inputs({ directory: dir, config, 'fail-on': 'none' });
    await run();
    expect(core.setFailed).not.toHaveBeenCalled();
  });

  test.each([
    [{}, 'set exactly one of the inputs "bundle" and "directory"'],
    [{ bundle: 'a.mcpb', directory: '.' }, 'set exactly one of the inputs "bundle" and "directory"'],
    [{ bundle: 'a.mcpb', 'min-level': 'high' }, 'min-level: must be 0, 1, 2, 3 or 4'],
    [{ bundle: 'a.mcpb', 'fail-on': 'severe' }, 'fail-on:'],
    [{ bundle: 'a.mcpb', comment: 'sometimes' }, 'comment:'],
    [{ bundle: 'a.mcpb', annotations: 'yes' }, 'annotations:'],
  ])('rejects invalid inputs %j naming the input', async (values, message) => {
    core.useInputs(values);
    await run();
    expect(core.setFailed).toHaveBeenCalledWith(expect.stringContaining(message));
  });

  test('a hostile or unreadable bundle fails the step with the intake message', async () => {
    const bad = join(work, 'bad.mcpb');
    await writeFile(bad, 'not a zip');
    core.useInputs({ bundle: bad });
    await run();
    expect(core.setFailed).toHaveBeenCalledWith(expect.stringContaining('is not a bundle archive'));
    expect(core.setOutput).not.toHaveBeenCalled();
  });
});

describe('sbom: generate', () => {
  test('adds a generated CycloneDX SBOM to the bundle packed from a directory', async () => {
    const dir = await serverDir('with-sbom', 1);
    await writeFile(join(dir, 'requirements.txt'), 'httpx==0.27.0 --hash=sha256:' + 'a'.repeat(64) + '\n');
    inputs({ directory: dir, 'min-level': '0', sbom: 'generate' });
    await run();
    const report = JSON.parse(await readFile(core.outputs()['report-file'] as string, 'utf8'));
    expect(report.findings.filter((f: { rule: string }) => f.rule === 'sbom-missing')).toEqual([]);
    const { files } = await import('../src/bundle/open.js').then((m) => m.openBundle(core.outputs()['bundle-path'] as string));
    const sbom = JSON.parse(files.get('sbom.cdx.json')!.data.toString('utf8'));
    expect(sbom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    expect(sbom.components.map((c: { purl: string }) => c.purl)).toContain('pkg:pypi/httpx@0.27.0');
  });

  test('is an input error with a bundle file, which must ship its own SBOM', async () => {
    inputs({ bundle: example, sbom: 'generate' });
    await run();
    expect(core.setFailed).toHaveBeenCalledWith(expect.stringContaining('sbom: "generate" applies when the action packs "directory"'));
  });
});

describe('the vulnerability cache', () => {
  test('is restored before the scans and saved after them when the cache service is available', async () => {
    delete process.env.MTF_CACHE_DIR; // the default location, RUNNER_TEMP/mtf-vuln-cache (no-network.ts turns it off)
    cache.isFeatureAvailable.mockReturnValue(true);
    const dir = join(work, 'runner-temp', 'mtf-vuln-cache');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'entry.json'), '{}');
    inputs({ bundle: example, 'min-level': '0' });
    await run();
    expect(cache.restoreCache).toHaveBeenCalledWith([dir], expect.any(String), expect.any(Array));
    expect(cache.saveCache).toHaveBeenCalledWith([dir], expect.stringMatching(/^mtf-vuln-cache-v1-/));
    expect(cache.restoreCache.mock.invocationCallOrder[0]!).toBeLessThan(cache.saveCache.mock.invocationCallOrder[0]!);
    cache.isFeatureAvailable.mockReturnValue(false);
    process.env.MTF_CACHE_DIR = 'off';
  });

  test('is left alone offline', async () => {
    cache.isFeatureAvailable.mockReturnValue(true);
    inputs({ bundle: example, 'min-level': '0', offline: 'true' });
    await run();
    expect(cache.restoreCache).not.toHaveBeenCalled();
    expect(cache.saveCache).not.toHaveBeenCalled();
    cache.isFeatureAvailable.mockReturnValue(false);
  });
});

describe('workflow context reaches the engine', () => {
  test("PR-01 warns when the manifest's repository is not the workflow's repository", async () => {
    inputs({ directory: await serverDir('other-repo', 1), 'min-level': '0' });
    await run();
    const report = JSON.parse(await readFile(core.outputs()['report-file'] as string, 'utf8'));
    const finding = report.findings.find((f: { rule: string }) => f.rule === 'repository-differs-from-workflow');
    expect(finding).toMatchObject({ control: 'PR-01', action: 'WARN', file: 'manifest.json' });
    expect(finding.description).toContain('acme/servers');
  });

  test('the repository the workflow runs in raises no such warning', async () => {
    inputs({ directory: await serverDir('same-repo', 1, { repository: { type: 'git', url: 'https://github.com/acme/servers' } }), 'min-level': '0' });
    await run();
    const report = JSON.parse(await readFile(core.outputs()['report-file'] as string, 'utf8'));
    expect(report.findings.filter((f: { rule: string }) => f.rule === 'repository-differs-from-workflow')).toEqual([]);
  });
});

describe('job summary', () => {
  test('shows the level against the requirement, with links to the commit', async () => {
    inputs({ directory: await serverDir('summary'), 'min-level': '2' });
    await run();
    expect(core.summaryWrites).toHaveLength(1);
    const md = core.summaryWrites[0]!;
    expect(md).toMatch(/^### ❌ MTF L0 None · required L2 · @\u200bacme\/summary/);
    expect(md).toContain(`[servers/summary/manifest.json:4](https://github.com/acme/servers/blob/${SHA}/servers/summary/manifest.json#L4) **Invalid semver**`);
    const report = JSON.parse(await readFile(core.outputs()['report-file'] as string, 'utf8'));
    expect(report.findings.length).toBeGreaterThan(1);
    expect(md).toContain(`<summary>All findings (${report.findings.length})</summary>`);
  });

  test('stays under 1 MiB for thousands of findings; the artifact keeps the full Markdown', async () => {
    inputs({ directory: await serverDir('huge', 6000), 'min-level': '2' });
    await run();
    const md = core.summaryWrites[0]!;
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(1_000_000);
    expect(md).toContain('the artifact `mtf-acme-huge` holds the full summary (summary.md)');
    const [, files] = artifact.uploadArtifact.mock.calls[0]!;
    const full = await readFile(files.find((f) => f.endsWith('summary.md'))!, 'utf8');
    expect(Buffer.byteLength(full)).toBeGreaterThan(1_000_000);
    const report = JSON.parse(await readFile(core.outputs()['report-file'] as string, 'utf8'));
    expect(report.findings.length).toBeGreaterThan(6000);
    expect(full).toContain(`<summary>All findings (${report.findings.length})</summary>`);
    const log = await readSarif();
    expect(log.runs[0]!.results).toHaveLength(5000);
  });

  test('without an uploaded artifact, a shortened summary points at the JSON report instead', async () => {
    artifact.uploadArtifact.mockRejectedValueOnce(new artifact.GHESNotSupportedError());
    inputs({ directory: await serverDir('huge-ghes', 6000), 'min-level': '2' });
    await run();
    expect(core.summaryWrites[0]).toContain("shortened to fit GitHub's limits: the JSON report (`report-file`) lists every finding");
  });

  test('summary: false writes none; an intake failure still says why', async () => {
    inputs({ bundle: example, 'min-level': '0', summary: 'false' });
    await run();
    expect(core.summaryWrites).toHaveLength(0);
    process.env.GITHUB_STEP_SUMMARY = join(work, 'summary.md');
    try {
      inputs({ bundle: join(work, 'missing.mcpb') });
      await run();
      expect(core.summaryWrites[0]).toContain('### ❌ MTF: no verdict');
      expect(core.summaryWrites[0]).toContain('does not exist');
    } finally {
      delete process.env.GITHUB_STEP_SUMMARY;
    }
  });
});

describe('annotations', () => {
  test('at most 10 errors for blocking findings at file and line, then one notice with the rest', async () => {
    inputs({ directory: await serverDir('annotate', 12), 'min-level': '2' });
    await run();
    expect(core.error).toHaveBeenCalledTimes(10);
    expect(core.error).toHaveBeenCalledWith(
      expect.stringContaining('Invalid semver'),
      expect.objectContaining({ file: 'servers/annotate/manifest.json', startLine: 4, title: 'MTF AI-01: high, blocks L1' }),
    );
    const report = JSON.parse(await readFile(core.outputs()['report-file'] as string, 'utf8'));
    const count = (action: string) => report.findings.filter((f: { action: string }) => f.action === action).length;
    expect(count('BLOCK')).toBeGreaterThan(10);
    expect(core.notice).toHaveBeenCalledTimes(1);
    expect(core.notice.mock.calls[0]![0]).toContain(
      `${count('BLOCK') - 10} more blocking findings and ${Math.max(0, count('WARN') - 10)} more warnings are not annotated`,
    );
  });

  test('below the level a finding blocks at, it is a warning annotation', async () => {
    inputs({ directory: await serverDir('warn', 2), 'min-level': '1' });
    await run();
    expect(core.warning).toHaveBeenCalledWith(expect.stringContaining('has no description'), expect.objectContaining({ file: 'servers/warn/manifest.json' }));
  });

  test('annotations: false annotates nothing', async () => {
    inputs({ directory: await serverDir('quiet', 12), 'min-level': '2', annotations: 'false' });
    await run();
    expect(core.error).not.toHaveBeenCalled();
    expect(core.notice).not.toHaveBeenCalled();
  });
});

describe('PR comment', () => {
  const pr = { pull_request: { number: 7, head: { sha: SHA } } };

  test('creates one comment per bundle, then updates it in place on the next run', async () => {
    github.resetGitHub({}, pr);
    inputs({ bundle: example, 'min-level': '0', comment: 'always', token: 't0ken' });
    await run();
    await run();
    expect(github.state.comments).toHaveLength(1);
    expect(github.octokit.rest.issues.createComment).toHaveBeenCalledTimes(1);
    expect(github.octokit.rest.issues.updateComment).toHaveBeenCalledTimes(1);
    expect(github.state.comments[0]!.body.split('\n')[0]).toBe('<!-- mtf-action:mtf/acme-weather-server -->');
    expect(github.state.comments[0]!.body).toContain('### ✅ MTF');
  });

  test('does not take over a comment someone else wrote with our marker', async () => {
    github.resetGitHub({ comments: [{ id: 1, body: '<!-- mtf-action:mtf/acme-weather-server -->\nhi', user: { login: 'mallory', type: 'User' } }] }, pr);
    inputs({ bundle: example, 'min-level': '0', comment: 'always', token: 't0ken' });
    await run();
    expect(github.octokit.rest.issues.updateComment).not.toHaveBeenCalled();
    expect(github.state.comments).toHaveLength(2);
  });

  test('on-failure comments only on a failing bundle', async () => {
    github.resetGitHub({}, pr);
    inputs({ bundle: example, 'min-level': '0', comment: 'on-failure', token: 't0ken' });
    await run();
    expect(github.state.comments).toHaveLength(0);
    inputs({ bundle: example, 'min-level': '4', comment: 'on-failure', token: 't0ken' });
    await run();
    expect(github.state.comments).toHaveLength(1);
    expect(github.state.comments[0]!.body).toContain('### ❌ MTF');
  });

  test('a token without permission (a fork\'s pull request) is a notice, not a failure', async () => {
    github.resetGitHub({ failWrites: 403 }, pr);
    inputs({ bundle: example, 'min-level': '0', comment: 'always', token: 't0ken' });
    await run();
    expect(core.setFailed).not.toHaveBeenCalled();
    expect(core.notice).toHaveBeenCalledWith(expect.stringContaining('PR comment skipped'));
  });

  test('never (the default) and runs outside a pull request post nothing', async () => {
    github.resetGitHub({}, pr);
    inputs({ bundle: example, 'min-level': '0', token: 't0ken' });
    await run();
    github.resetGitHub({}, {});
    inputs({ bundle: example, 'min-level': '0', comment: 'always', token: 't0ken' });
    await run();
    expect(github.getOctokit).not.toHaveBeenCalled();
  });
});

describe('artifact', () => {
  test('where the artifact service is unavailable (GitHub Enterprise Server) it warns and the job goes on', async () => {
    artifact.uploadArtifact.mockRejectedValueOnce(new artifact.GHESNotSupportedError());
    inputs({ bundle: example, 'min-level': '0' });
    await run();
    expect(core.warning).toHaveBeenCalledWith(expect.stringContaining('artifact upload skipped: the artifact service is not available on GitHub Enterprise Server'));
    expect(core.setFailed).not.toHaveBeenCalled();
  });

  test('upload-artifact: false uploads nothing', async () => {
    inputs({ bundle: example, 'min-level': '0', 'upload-artifact': 'false' });
    await run();
    expect(artifact.uploadArtifact).not.toHaveBeenCalled();
  });
});

describe('several bundles', () => {
  let dist: string;
  beforeAll(async () => {
    dist = join(workspace, 'dist');
    await mkdir(dist, { recursive: true });
    for (const name of ['alpha', 'beta']) {
      const { archive } = await packDirectory(await serverDir(name, 1));
      await writeFile(join(dist, `${name}.mcpb`), archive);
    }
    await copyFile(example, join(dist, 'weather.mcpb'));
  });

  async function inWorkspace(action: () => Promise<void>): Promise<void> {
    const cwd = process.cwd();
    process.chdir(workspace);
    try {
      await action();
    } finally {
      process.chdir(cwd);
    }
  }

  test('a glob scans each bundle, one SARIF run and one report per bundle, each with its own category', async () => {
    inputs({ bundle: 'dist/*.mcpb\n!dist/weather.mcpb', 'min-level': '0' });
    await inWorkspace(run);
    expect(core.setFailed).not.toHaveBeenCalled();
    const log = await readSarif();
    expect(log.runs.map((r) => r.automationDetails!.id)).toEqual(['mtf/acme-alpha/', 'mtf/acme-beta/']);
    const uris = log.runs.flatMap((r) => r.results!.map((x) => x.locations![0]!.physicalLocation!.artifactLocation!.uri));
    // Packed from servers/<name>/ into dist/: neither candidate root (dist/, the checkout root) holds the
    // sources, so findings point at each .mcpb itself.
    expect(new Set(uris)).toEqual(new Set(['dist/alpha.mcpb', 'dist/beta.mcpb']));
    const out = core.outputs();
    expect(out['report-file']).toBe([join(work, 'out', 'report.mtf-acme-alpha.json'), join(work, 'out', 'report.mtf-acme-beta.json')].join('\n'));
    expect((out['bundle-path'] as string).split('\n')).toEqual([join(dist, 'alpha.mcpb'), join(dist, 'beta.mcpb')]);
    expect(core.summaryWrites[0]).toMatch(/^## ✅ MTF: 2 bundles, 2 passed, 0 failed/);
  });

  test('a newline-separated list works too, and the job fails naming each bundle below min-level', async () => {
    inputs({ bundle: 'dist/alpha.mcpb\ndist/weather.mcpb', 'min-level': '4' });
    await inWorkspace(run);
    const message = core.setFailed.mock.calls[0]![0] as string;
    expect(message.split('\n')).toEqual([
      expect.stringMatching(/^@acme\/alpha: reached L0, required L4: /),
      expect.stringMatching(/^@acme\/weather-server: reached L[0-3], required L4: /),
    ]);
  });

  test('an unreadable bundle among several fails the job, and the others are still judged and shown', async () => {
    await writeFile(join(dist, 'broken.mcpb'), 'not a zip');
    try {
      inputs({ bundle: 'dist/alpha.mcpb\ndist/broken.mcpb', 'min-level': '0' });
      await inWorkspace(run);
    } finally {
      await rm(join(dist, 'broken.mcpb'));
    }
    expect(core.setFailed).toHaveBeenCalledWith(expect.stringMatching(/^dist\/broken\.mcpb: bundle rejected: .*not a bundle archive/));
    expect((await readSarif()).runs.map((r) => r.automationDetails!.id)).toEqual(['mtf/acme-alpha/']);
    expect(core.summaryWrites[0]).toMatch(/^## ❌ MTF: 2 bundles, 1 passed, 1 failed/);
    expect(core.summaryWrites[0]).toContain('| dist/broken.mcpb | could not be read |');
    expect(core.outputs().passed).toBe(false);
  });

  test('a glob that matches nothing is an error naming it', async () => {
    inputs({ bundle: 'nowhere/*.mcpb' });
    await inWorkspace(run);
    expect(core.setFailed).toHaveBeenCalledWith('bundle: the pattern "nowhere/*.mcpb" matched no file');
  });
});
