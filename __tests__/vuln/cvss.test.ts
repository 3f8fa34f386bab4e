import { expect, test } from '@jest/globals';
import { VECTORS } from '../../__fixtures__/vuln-fixtures.js';
import { labelFloor, scoreSeverity } from '../../src/vuln/cvss.js';

test('base scores of v2, v3.0, v3.1 and v4.0 vectors match the hand-computed values', () => {
  expect(scoreSeverity('CVSS_V3', VECTORS.v31_98)).toEqual({ version: '3.1', score: 9.8, vector: VECTORS.v31_98 });
  expect(scoreSeverity('CVSS_V3', VECTORS.v31_98.replace('3.1', '3.0'))?.score).toBe(9.8);
  expect(scoreSeverity('CVSS_V3', VECTORS.v31_90)?.score).toBe(9.0);
  expect(scoreSeverity('CVSS_V3', VECTORS.v31_88)?.score).toBe(8.8);
  expect(scoreSeverity('CVSS_V3', VECTORS.v31_54)?.score).toBe(5.4);
  expect(scoreSeverity('CVSS_V3', VECTORS.v31_18)?.score).toBe(1.8);
  expect(scoreSeverity('CVSS_V2', VECTORS.v2_75)).toEqual({ version: '2.0', score: 7.5, vector: VECTORS.v2_75 });
  expect(scoreSeverity('CVSS_V2', VECTORS.v2_43)?.score).toBe(4.3);
  expect(scoreSeverity('CVSS_V4', VECTORS.v4_93)).toEqual({ version: '4.0', score: 9.3, vector: VECTORS.v4_93 });
});

test('incomplete, invalid, oversized or non-CVSS entries have no score', () => {
  expect(scoreSeverity('CVSS_V3', 'CVSS:3.1/AV:N')).toBeNull();
  expect(scoreSeverity('CVSS_V3', 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBeNull();
  expect(scoreSeverity('CVSS_V3', `${VECTORS.v31_98}/${'X:X/'.repeat(200)}`)).toBeNull();
  expect(scoreSeverity('Ubuntu', 'high')).toBeNull();
  expect(scoreSeverity('CVSS_V3', 'AV:N/AC:L/Au:N/C:P/I:P/A:P')).toBeNull();
});

test('severity labels read as the lowest score of their band', () => {
  expect([labelFloor('CRITICAL'), labelFloor('high'), labelFloor('MODERATE'), labelFloor('Medium'), labelFloor('LOW'), labelFloor('unknown')]).toEqual([9.0, 7.0, 4.0, 4.0, 0.1, null]);
});
