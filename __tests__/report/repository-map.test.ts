import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { l2Manifest, manifestJson } from '../../__fixtures__/bundle.js';
import { reportingControls, scanFixture, SERVER_PY } from '../../__fixtures__/reports.js';
import { openBundle } from '../../src/bundle/open.js';
import { packDirectory } from '../../src/bundle/pack.js';
import { assignCategories, slug } from '../../src/report/category.js';
import { locateFinding } from '../../src/report/locations.js';
import { buildRepositoryMap, repositoryPath } from '../../src/report/repository-map.js';

let repo: string;
const controls = reportingControls({
  'CQ-05': [{ rule: 'shell', severity: 'high', action: 'BLOCK', title: 'shell', description: 'd', file: 'server.py', line: 9 }],
  'SC-03': [{ rule: 'lock', severity: 'medium', action: 'WARN', title: 'no lockfile', description: 'd' }],
});

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), 'mtf-repo-'));
  const server = join(repo, 'servers', 'weather');
  await mkdir(server, { recursive: true });
  await writeFile(join(server, 'manifest.json'), manifestJson(l2Manifest()));
  await writeFile(join(server, 'server.py'), SERVER_PY);
});
afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe('buildRepositoryMap', () => {
  test('a packed directory maps each bundle file to its path under the directory', async () => {
    const bundle = await openBundle(join(repo, 'servers', 'weather'));
    const { report } = await scanFixture(bundle, controls);
    const map = await buildRepositoryMap(bundle, report, repo);
    expect(map.files.get('server.py')).toBe('servers/weather/server.py');
    expect(map.fallback).toBe('servers/weather/manifest.json');
    const shell = report.findings.find((f) => f.control === 'CQ-05')!;
    expect(locateFinding(shell, map)).toEqual({ uri: 'servers/weather/server.py', line: 9, mapped: true });
    const lockfile = report.findings.find((f) => f.control === 'SC-03')!;
    expect(locateFinding(lockfile, map)).toEqual({ uri: 'servers/weather/manifest.json', line: null, mapped: true });
  });

  test('a bundle file beside its sources maps files whose content matches', async () => {
    const { archive } = await packDirectory(join(repo, 'servers', 'weather'));
    await writeFile(join(repo, 'servers', 'weather', 'weather.mcpb'), archive);
    const bundle = await openBundle(join(repo, 'servers', 'weather', 'weather.mcpb'));
    const { report } = await scanFixture(bundle, controls);
    const map = await buildRepositoryMap(bundle, report, repo);
    expect(map.files.get('server.py')).toBe('servers/weather/server.py');
    expect(map.fallback).toBe('servers/weather/weather.mcpb');
  });

  test('a file whose checkout copy differs is not mapped: its findings fall back to the .mcpb', async () => {
    const dir = join(repo, 'changed');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'manifest.json'), manifestJson(l2Manifest()));
    await writeFile(join(dir, 'server.py'), SERVER_PY);
    const { archive } = await packDirectory(dir);
    await writeFile(join(dir, 'dist.mcpb'), archive);
    await writeFile(join(dir, 'server.py'), `${SERVER_PY}# edited after packing\n`);
    const bundle = await openBundle(join(dir, 'dist.mcpb'));
    const { report } = await scanFixture(bundle, controls);
    const map = await buildRepositoryMap(bundle, report, repo);
    expect(map.files.get('manifest.json')).toBe('changed/manifest.json');
    expect(map.files.has('server.py')).toBe(false);
    expect(map.fallback).toBe('changed/dist.mcpb');
    expect(locateFinding(report.findings.find((f) => f.control === 'CQ-05')!, map)).toEqual({ uri: 'changed/dist.mcpb', line: null, mapped: false });
  });

  test('a symbolic link in the checkout is never followed', async () => {
    const dir = join(repo, 'linked');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'manifest.json'), manifestJson(l2Manifest()));
    await writeFile(join(dir, 'real.py'), SERVER_PY);
    const { archive } = await packDirectory(join(repo, 'servers', 'weather'));
    await writeFile(join(dir, 'b.mcpb'), archive);
    await symlink(join(dir, 'real.py'), join(dir, 'server.py'));
    const bundle = await openBundle(join(dir, 'b.mcpb'));
    const { report } = await scanFixture(bundle, controls);
    expect((await buildRepositoryMap(bundle, report, repo)).files.has('server.py')).toBe(false);
  });

  test('a bundle outside the checkout falls back to its file name', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'mtf-outside-'));
    try {
      const { archive } = await packDirectory(join(repo, 'servers', 'weather'));
      await writeFile(join(outside, 'w.mcpb'), archive);
      const bundle = await openBundle(join(outside, 'w.mcpb'));
      const { report } = await scanFixture(bundle, controls);
      const map = await buildRepositoryMap(bundle, report, repo);
      expect(map.fallback).toBe('w.mcpb');
      // The checkout root is the second candidate: the sources at its root would match, but they are not there.
      expect(map.files.has('server.py')).toBe(false);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  test('repositoryPath refuses paths outside the root', () => {
    expect(repositoryPath('/repo', '/repo/a/b.js')).toBe('a/b.js');
    expect(repositoryPath('/repo', '/repo')).toBeNull();
    expect(repositoryPath('/repo', '/elsewhere/a.js')).toBeNull();
    expect(repositoryPath('/repo', '/repo/../repo2/a.js')).toBeNull();
  });
});

describe('categories', () => {
  test('default to mtf/<bundle name slug>, distinct for repeated names', () => {
    expect(assignCategories(['@acme/weather-server'])).toEqual(['mtf/acme-weather-server']);
    expect(assignCategories(['a', 'a', 'a-2'])).toEqual(['mtf/a', 'mtf/a-2', 'mtf/a-2-2']);
  });

  test('a user category is kept for one bundle and prefixes several', () => {
    expect(assignCategories(['@acme/w'], 'security/mtf')).toEqual(['security/mtf']);
    expect(assignCategories(['@acme/w', '@acme/x'], 'security/mtf/')).toEqual(['security/mtf/acme-w', 'security/mtf/acme-x']);
  });

  test('slug keeps safe characters only', () => {
    expect(slug('@Evil/<img src=x> ../..')).toBe('evil-img-src-x');
    expect(slug('***')).toBe('bundle');
  });
});
