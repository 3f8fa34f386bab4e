import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { l2Manifest, manifestJson } from '../__fixtures__/bundle.js';
import { packDirectory } from '../src/bundle/pack.js';
import { mtf } from '../__fixtures__/cli.js';
import type { Report } from '../src/spec/report-schema.js';
import type * as Sarif from 'sarif';
import { sarifSchemaErrors } from '../__fixtures__/sarif.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mtf-cli-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});


/** A small server directory that passes AI-01 and CD-01 at L2. */
async function serverDir(name: string, manifest = l2Manifest()): Promise<string> {
  const dir = join(work, name);
  await mkdir(join(dir, 'node_modules', '.cache'), { recursive: true });
  await writeFile(join(dir, 'manifest.json'), manifestJson(manifest));
  await writeFile(join(dir, 'server.py'), '@mcp.tool()\ndef get_weather(city: str) -> str:\n    """Weather"""\n    return city\n');
  await writeFile(join(dir, '.env'), 'SECRET=excluded by mcpb pack\n');
  await writeFile(join(dir, 'node_modules', '.cache', 'junk'), 'excluded');
  return dir;
}

describe('mtf scan', () => {
  test('a directory and the .mcpb that mtf pack makes of it give the same verdict and digest', async () => {
    const dir = await serverDir('same-verdict');
    const packed = join(work, 'same-verdict.mcpb');
    expect((await mtf('pack', dir, '-o', packed)).code).toBe(0);
    const fromDir = await mtf('scan', dir, '--format', 'json', '--level', '0');
    const fromFile = await mtf('scan', packed, '--format', 'json', '--level', '0');
    const a = JSON.parse(fromDir.stdout) as Report;
    const b = JSON.parse(fromFile.stdout) as Report;
    expect(a.bundle.hash).toBe(b.bundle.hash);
    expect(a.bundle).toMatchObject({ packed: true, files: 2 });
    expect(b.bundle).toMatchObject({ packed: false, files: 2 });
    const verdict = (r: Report) => ({ compliance: r.compliance, findings: r.findings, status: Object.values(r.domains).flatMap((d) => Object.entries(d!.controls).map(([id, c]) => [id, c.status])) });
    expect(verdict(a)).toEqual(verdict(b));
  });

  test('--format json prints only the JSON report on stdout', async () => {
    const result = await mtf('scan', await serverDir('json-only'), '--format', 'json', '--level', '0');
    expect(result.code).toBe(0);
    expect(() => JSON.parse(result.stdout)).not.toThrow();
    expect(result.stdout.trimStart().startsWith('{')).toBe(true);
  });

  test('--format text shows the level, the control table, findings with file:line and the verdict', async () => {
    const manifest = l2Manifest({ version: '1.0', tools: [{ name: 'get_weather' }] });
    const result = await mtf('scan', await serverDir('text', manifest), '--no-color', '--level', '1');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('level    L0 None (claimed L2, judged at L1)');
    expect(result.stdout).toMatch(/AI-01 {2}Manifest Validation +L1 {2}FAIL/);
    expect(result.stdout).toMatch(/BLOCK +AI-01 {2}manifest\.json:4 {2}Invalid semver/);
    expect(result.stdout).toMatch(/WARN +CD-01 {2}manifest\.json:\d+ {2}Tool "get_weather" has no description/);
    expect(result.stdout).toContain('What blocks L1');
    expect(result.stdout).toContain('FAILED  reached L0, required L1: 2 findings block L1');
  });

  test('exit code 1 below the required level, 0 at or above it', async () => {
    const dir = await serverDir('levels', l2Manifest({ name: 'unscoped' }));
    const report = JSON.parse((await mtf('scan', dir, '--format', 'json', '--level', '0')).stdout) as Report;
    const aiBlocksL2 = report.findings.find((f) => f.control === 'AI-01');
    expect(aiBlocksL2).toMatchObject({ rule: 'unscoped-name', blocks_from: 2 });
    expect((await mtf('scan', dir, '--level', '1')).code).toBe(1);
    expect((await mtf('scan', dir, '--level', '0')).code).toBe(0);
  });

  test('--output writes the report to a file and keeps stdout empty', async () => {
    const out = join(work, 'out', 'report.json');
    const result = await mtf('scan', await serverDir('output'), '--format', 'json', '--output', out, '--level', '0');
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(JSON.parse(await readFile(out, 'utf8')).version).toBe('1.0.0');
  });

  test('--fail-on fails on a finding at or above the severity', async () => {
    const dir = await serverDir('fail-on', l2Manifest({ version: 'x' }));
    const result = await mtf('scan', dir, '--level', '0', '--fail-on', 'high', '--format', 'json');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('at or above high severity (fail-on)');
  });

  test('--config reads policy from a YAML file; the command line wins over it', async () => {
    const dir = await serverDir('config', l2Manifest({ version: 'x' }));
    const config = join(work, 'mtf.yml');
    await writeFile(config, 'min-level: 0\nfail-on: high\n');
    expect((await mtf('scan', dir, '--config', config)).code).toBe(1);
    expect((await mtf('scan', dir, '--config', config, '--fail-on', 'none')).code).toBe(0);
  });
});

describe('mtf scan: SARIF and Markdown', () => {
  test('--sarif and --summary write a SARIF log and the Markdown summary beside the report', async () => {
    const sarifFile = join(work, 'views', 'mtf.sarif');
    const summaryFile = join(work, 'views', 'summary.md');
    const dir = await serverDir('views', l2Manifest({ version: '1.0' }));
    const result = await mtf('scan', dir, '--level', '0', '--format', 'json', '--sarif', sarifFile, '--summary', summaryFile);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).bundle.name).toBe('@acme/weather-server');
    const log = JSON.parse(await readFile(sarifFile, 'utf8')) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0]!.automationDetails!.id).toBe('mtf/acme-weather-server/');
    expect(log.runs[0]!.results!.find((r) => r.ruleId === 'MTF/AI-01')).toBeDefined();
    const summary = await readFile(summaryFile, 'utf8');
    expect(summary).toMatch(/^### ✅ MTF L\d \w+ · no level required/);
    expect(summary).toContain('**Invalid semver**');
  });

  test('SARIF locations are relative to the working directory, like the action\'s to the checkout', async () => {
    await serverDir('relative', l2Manifest({ version: '1.0', tools: [{ name: 'get_weather' }] }));
    const cwd = process.cwd();
    let result;
    try {
      process.chdir(work);
      result = await mtf('scan', 'relative', '--level', '0', '--format', 'sarif');
    } finally {
      process.chdir(cwd);
    }
    const log = JSON.parse(result.stdout) as Sarif.Log;
    const uris = log.runs[0]!.results!.map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri);
    expect(uris.length).toBeGreaterThanOrEqual(2);
    for (const uri of uris) expect(uri).toBe('relative/manifest.json');
  });

  test('--format sarif prints only the SARIF log; --category names its category', async () => {
    const result = await mtf('scan', await serverDir('sarif-out'), '--level', '0', '--format', 'sarif', '--category', 'security/mtf');
    expect(result.code).toBe(0);
    const log = JSON.parse(result.stdout) as Sarif.Log;
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.automationDetails!.id).toBe('security/mtf/');
  });

  test('--format markdown prints the summary; failures still exit 1 with the reason on stderr', async () => {
    const result = await mtf('scan', await serverDir('md-out', l2Manifest({ version: 'x' })), '--level', '1', '--format', 'markdown');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^### ❌ MTF L0 None · required L1/);
    expect(result.stderr).toContain('mtf: failed: reached L0, required L1');
  });
});

describe('mtf pack', () => {
  test('packing the same tree twice gives byte-identical files', async () => {
    const dir = await serverDir('twice');
    const [a, b] = [join(work, 'a.mcpb'), join(work, 'b.mcpb')];
    await mtf('pack', dir, '-o', a);
    await mtf('pack', dir, '-o', b);
    expect(Buffer.compare(await readFile(a), await readFile(b))).toBe(0);
  });
});

describe('mtf pack --sbom', () => {
  test('adds a deterministic generated SBOM to the pack', async () => {
    const dir = await serverDir('pack-sbom');
    const [a, b] = [join(work, 'sbom-a.mcpb'), join(work, 'sbom-b.mcpb')];
    expect((await mtf('pack', dir, '-o', a, '--sbom')).code).toBe(0);
    await mtf('pack', dir, '-o', b, '--sbom');
    expect(Buffer.compare(await readFile(a), await readFile(b))).toBe(0);
    const report = JSON.parse((await mtf('scan', a, '--format', 'json', '--level', '0')).stdout) as Report;
    expect(report.bundle.files).toBe(3);
    expect(report.findings.filter((f) => f.control === 'SC-01' && f.action === 'BLOCK')).toEqual([]);
  });
});

describe('bad input exits 2 with a clear message and no stack trace', () => {
  test.each([
    ['a file that is not an archive', async () => writeFile(join(work, 'text.mcpb'), 'hello').then(() => join(work, 'text.mcpb')), 'not a bundle archive'],
    ['a path that does not exist', async () => join(work, 'missing.mcpb'), 'does not exist'],
  ])('%s', async (_name, path, message) => {
    const result = await mtf('scan', await path());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test.each([
    [['scan'], 'exactly one PATH'],
    [['scan', 'x', '--level', '7'], '--level must be 0, 1, 2, 3 or 4'],
    [['scan', 'x', '--format', 'xml'], '--format must be one of'],
    [['scan', 'x', '--bogus'], "Unknown option '--bogus'"],
    [['pack', 'x'], 'needs -o'],
    [['frobnicate'], 'unknown command'],
  ])('usage error %j', async (argv, message) => {
    const result = await mtf(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage:');
  });

  test('an invalid config file names the setting', async () => {
    const config = join(work, 'bad.yml');
    await writeFile(config, 'fail-on: severe\n');
    const result = await mtf('scan', await serverDir('bad-config'), '--config', config);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('fail-on:');
  });
});

test('examples/weather-server.mcpb is the deterministic pack of examples/weather-server/', async () => {
  const { archive } = await packDirectory('examples/weather-server');
  expect(Buffer.compare(archive, await readFile('examples/weather-server.mcpb'))).toBe(0);
});
