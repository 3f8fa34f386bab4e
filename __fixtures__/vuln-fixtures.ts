import { l2Manifest, makeBundle, manifestJson, type FixtureFile } from './bundle.js';
import { npmRecord, type FixtureData } from './vuln-server.js';
import type { Bundle } from '../src/bundle/types.js';

/**
 * Fixture vulnerabilities with hand-computed CVSS base scores (FIRST's formulas worked by hand, see each vector),
 * one package per case of SC-02's criteria. Ids are made up; none is a real advisory.
 */
export const VECTORS = {
  /** 3.1 AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H: impact 6.42*0.9148=5.873, exploitability 3.887, roundup(9.76) = 9.8. */
  v31_98: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  /** 3.1 scope changed, AC:H: 1.08*(6.048+2.221) = 8.930, roundup = 9.0 (the blocking edge). */
  v31_90: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H',
  /** 3.1 PR:L: 5.873 + 2.835 = 8.708, roundup = 8.8. */
  v31_88: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
  /** 3.1 UI:R, C:L/I:L: 6.42*0.3916 = 2.514, + 2.835 = 5.349, roundup = 5.4. */
  v31_54: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N',
  /** 3.1 local, AC:H, PR:H, UI:R, C:L: 1.412 + 0.333 = 1.745, roundup = 1.8. */
  v31_18: 'CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N',
  /** 2.0 AV:N/AC:L/Au:N/C:P/I:P/A:P: impact 6.443, exploitability 10.0, round_to_1(7.49) = 7.5. */
  v2_75: 'AV:N/AC:L/Au:N/C:P/I:P/A:P',
  /** 2.0 AV:N/AC:M/Au:N/C:P/I:N/A:N: impact 2.862, exploitability 8.6, round_to_1(4.29) = 4.3. */
  v2_43: 'AV:N/AC:M/Au:N/C:P/I:N/A:N',
  /** 4.0 network, no privileges, high impact on the vulnerable system only: macrovector 000200, score 9.3. */
  v4_93: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
} as const;

const v3 = (score: string) => [{ type: 'CVSS_V3', score }];

export const FIXTURE_DATA: FixtureData = {
  records: [
    npmRecord({ id: 'GHSA-crit-0001-aaaa', aliases: ['CVE-2026-10001'], summary: 'Remote code execution in crit-pkg', name: 'crit-pkg', versions: ['1.0.0'], fixed: '1.0.1', severity: v3(VECTORS.v31_98) }),
    npmRecord({ id: 'GHSA-edge-0002-aaaa', aliases: ['CVE-2026-10002'], summary: 'Edge case at CVSS 9.0', name: 'edge-pkg', versions: ['1.0.0'], severity: v3(VECTORS.v31_90) }),
    npmRecord({ id: 'GHSA-expl-0003-aaaa', aliases: ['CVE-2026-10003'], summary: 'Likely exploited', name: 'exploited-pkg', versions: ['2.0.0'], fixed: '2.0.5', severity: v3(VECTORS.v31_88) }),
    npmRecord({ id: 'GHSA-quie-0004-aaaa', aliases: ['CVE-2026-10004'], summary: 'High but unlikely to be exploited', name: 'quiet-pkg', versions: ['2.0.0'], severity: v3(VECTORS.v31_88) }),
    npmRecord({ id: 'GHSA-kevv-0005-aaaa', aliases: ['CVE-2026-10005'], summary: 'Medium, but exploited in the wild', name: 'kev-pkg', versions: ['1.0.0'], severity: v3(VECTORS.v31_54) }),
    npmRecord({ id: 'GHSA-medi-0006-aaaa', aliases: ['CVE-2026-10006'], summary: 'Medium', name: 'medium-pkg', versions: ['1.0.0'], severity: v3(VECTORS.v31_54) }),
    npmRecord({ id: 'GHSA-loww-0007-aaaa', aliases: ['CVE-2026-10007'], summary: 'Low', name: 'low-pkg', versions: ['1.0.0'], severity: v3(VECTORS.v31_18) }),
    npmRecord({ id: 'GHSA-oldv-0008-aaaa', aliases: ['CVE-2026-10008'], summary: 'Only a CVSS v2 vector', name: 'old-pkg', versions: ['1.0.0'], severity: [{ type: 'CVSS_V2', score: VECTORS.v2_75 }] }),
    npmRecord({ id: 'GHSA-v4v4-0009-aaaa', summary: 'Only a CVSS v4 vector, no CVE', name: 'v4-pkg', versions: ['1.0.0'], severity: [{ type: 'CVSS_V4', score: VECTORS.v4_93 }] }),
    npmRecord({ id: 'GHSA-mixd-0010-aaaa', aliases: ['CVE-2026-10010'], summary: 'Two vectors', name: 'mixed-pkg', versions: ['1.0.0'], severity: [{ type: 'CVSS_V2', score: VECTORS.v2_43 }, ...v3(VECTORS.v31_98)] }),
    npmRecord({ id: 'GHSA-lblc-0011-aaaa', summary: 'Label only, critical', name: 'label-critical-pkg', versions: ['1.0.0'], database_specific: { severity: 'CRITICAL' } }),
    npmRecord({ id: 'GHSA-lblm-0012-aaaa', summary: 'Label only, moderate', name: 'label-moderate-pkg', versions: ['1.0.0'], database_specific: { severity: 'MODERATE' } }),
    npmRecord({ id: 'GHSA-none-0013-aaaa', summary: 'No severity at all', name: 'unscored-pkg', versions: ['1.0.0'] }),
    npmRecord({ id: 'GHSA-alia-0014-aaaa', aliases: ['CVE-2026-10014'], summary: 'One flaw', name: 'alias-pkg', versions: ['1.0.0'], severity: v3(VECTORS.v31_54) }),
    npmRecord({ id: 'OSV-2026-0014', aliases: ['CVE-2026-10014'], summary: 'The same flaw, another database', name: 'alias-pkg', versions: ['1.0.0'], severity: v3(VECTORS.v31_54) }),
    npmRecord({ id: 'GHSA-dev0-0015-aaaa', aliases: ['CVE-2026-10015'], summary: 'In a dev dependency', name: 'dev-pkg', versions: ['1.0.0'], severity: v3(VECTORS.v31_98) }),
    npmRecord({ id: 'GHSA-many-0016-aaaa', summary: 'First of three', name: 'many-pkg', versions: ['1.0.0'], severity: v3(VECTORS.v31_54) }),
    npmRecord({ id: 'GHSA-many-0017-aaaa', summary: 'Second of three', name: 'many-pkg', versions: ['1.0.0'], severity: v3(VECTORS.v31_54) }),
    npmRecord({ id: 'GHSA-many-0018-aaaa', summary: 'Third of three', name: 'many-pkg', versions: ['1.0.0'], severity: v3(VECTORS.v31_18) }),
    npmRecord({ id: 'MAL-2026-0022', summary: 'Malicious code in evil-pkg (npm)', name: 'evil-pkg', versions: ['1.0.0'], database_specific: { 'malicious-packages-origins': [{ source: 'fixture' }] } }),
    npmRecord({ id: 'GHSA-wdrn-0019-aaaa', summary: 'Withdrawn', name: 'withdrawn-pkg', versions: ['1.0.0'], severity: v3(VECTORS.v31_98), withdrawn: '2026-01-16T00:00:00Z' }),
    {
      id: 'PYSEC-2026-0020',
      modified: '2026-01-15T10:00:00Z',
      aliases: ['CVE-2026-10020'],
      summary: 'In a Python package',
      affected: [{ package: { ecosystem: 'PyPI', name: 'fixture-lib' }, versions: ['2.1.0'], severity: v3(VECTORS.v31_98) }],
    },
    {
      id: 'GO-2026-0021',
      modified: '2026-01-15T10:00:00Z',
      aliases: ['CVE-2026-10021'],
      summary: 'In a Go module',
      affected: [{ package: { ecosystem: 'Go', name: 'example.com/fixture/mod' }, versions: ['1.4.0'] }],
      severity: v3(VECTORS.v31_54),
    },
  ],
  epss: {
    'CVE-2026-10001': 0.01,
    'CVE-2026-10002': 0.02,
    'CVE-2026-10003': 0.25,
    'CVE-2026-10004': 0.1,
    'CVE-2026-10005': 0.03,
    'CVE-2026-10006': 0.5,
    'CVE-2026-10008': 0.5,
    'CVE-2026-10014': 0.2,
  },
  kev: ['CVE-2026-10005', 'CVE-2099-99999'],
};

export interface LockedPackage {
  name: string;
  version: string;
  dev?: boolean;
}

/** A package-lock.json (v3) locking `packages` from the npm registry, one entry per line block. */
export function packageLock(packages: readonly LockedPackage[]): string {
  const entries: Record<string, object> = {
    '': { name: 'weather', version: '1.0.0', dependencies: Object.fromEntries(packages.filter((p) => !p.dev).map((p) => [p.name, `^${p.version}`])) },
  };
  for (const p of packages) {
    entries[`node_modules/${p.name}`] = {
      version: p.version,
      resolved: `https://registry.npmjs.org/${p.name}/-/${p.name.split('/').pop()}-${p.version}.tgz`,
      integrity: 'sha512-AAAA',
      ...(p.dev ? { dev: true } : {}),
    };
  }
  return `${JSON.stringify({ name: 'weather', version: '1.0.0', lockfileVersion: 3, requires: true, packages: entries }, null, 2)}\n`;
}

/** An L2 bundle whose package-lock.json locks `packages`; `extra` files (vex.json ...) are added as given. */
export function bundleWithLock(packages: readonly LockedPackage[], extra: Record<string, FixtureFile> = {}): { bundle: Bundle; lock: string } {
  const lock = packageLock(packages);
  const bundle = makeBundle({ 'manifest.json': manifestJson(l2Manifest()), 'server.py': '', 'package-lock.json': lock, ...extra });
  return { bundle, lock };
}
