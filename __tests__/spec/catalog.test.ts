import { expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { describeWithShared, readShared } from '../../__fixtures__/shared.js';
import { CONTROLS } from '../../src/controls/index.js';
import { CATALOG, CONTROL_IDS, RUN_ORDER } from '../../src/spec/catalog.js';
import { SCANNER_VERSION } from '../../src/version.js';

describeWithShared('the catalog matches the spec (Appendix A.1) both ways', () => {
  const rows = readShared('MTF-0.1.md')
    .split('\n')
    .map((line) => /^\| \*\*([A-Z]{2}-\d{2})\*\* \| (.+?)\s+\| (L\d|—)\s+\| (\S+)\s+\| ([\d.]+|—)\s+\|$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, id, name, level, enforcement, section]) => ({ id: id!, name: name!.trim(), level, enforcement, section }));

  // The table has 45 rows (AI-02 reserved, RG-01..07); its "Total: 41 controls" line is the spec's own miscount.
  test('the appendix parses into its 45 rows', () => {
    expect(rows).toHaveLength(45);
  });

  test('every catalog control is a spec control with the same name, level, enforcement and section', () => {
    for (const id of CONTROL_IDS) {
      const row = rows.find((r) => r.id === id);
      expect(row).toBeDefined();
      const spec = CATALOG[id];
      expect([spec.name, `L${spec.level}`, spec.enforcement, spec.section]).toEqual([row!.name, row!.level, row!.enforcement, row!.section]);
    }
  });

  test('every scanner-domain spec control (AI, SC, CQ, CD, PR) is in the catalog, except reserved AI-02', () => {
    const scannerDomains = rows.filter((r) => /^(AI|SC|CQ|CD|PR)-/.test(r.id) && r.id !== 'AI-02').map((r) => r.id);
    expect(scannerDomains).toHaveLength(25);
    for (const id of scannerDomains) expect(CONTROL_IDS).toContain(id);
  });
});

test('the level-bearing controls are 5/14/22/25 at L1-L4 (DESIGN.md section 4)', () => {
  const gating = CONTROL_IDS.filter((id) => CATALOG[id].gates === 'level');
  expect([1, 2, 3, 4].map((l) => gating.filter((id) => CATALOG[id].level <= l).length)).toEqual([5, 14, 22, 25]);
  expect(CONTROL_IDS.filter((id) => CATALOG[id].gates === 'opt-in')).toEqual(['RG-01', 'RG-02', 'RG-07']);
});

test('controls run in the order of spec 6.6: AI-01, SC-01, CQ-01, CQ-02, CD-01, then the rest', () => {
  expect(RUN_ORDER.slice(0, 5)).toEqual(['AI-01', 'SC-01', 'CQ-01', 'CQ-02', 'CD-01']);
  expect([...RUN_ORDER].sort()).toEqual([...CONTROL_IDS].sort());
});

test('every registered control is in the catalog, once', () => {
  const ids = CONTROLS.map((c) => c.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(CONTROL_IDS).toContain(id);
});

test('the scanner version is the package version', () => {
  expect(SCANNER_VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
});
