import * as cvssModule from 'ae-cvss-calculator';

/**
 * CVSS base scores from the vectors OSV records carry (`severity[].type` CVSS_V2 / CVSS_V3 / CVSS_V4, `score` the
 * vector), computed with FIRST's formulas by ae-cvss-calculator (v2.0, v3.0, v3.1, v4.0).
 */

// The package is a webpack UMD bundle marked __esModule: Node's ESM loader hands it over as the default export,
// ncc's bundler as the namespace itself (whose `default` is then undefined). Take the classes from where they are.
const cvssLibrary: typeof cvssModule = 'Cvss3P1' in cvssModule ? cvssModule : (cvssModule as unknown as { default: typeof cvssModule }).default;
const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = cvssLibrary;

export type CvssVersion = '2.0' | '3.0' | '3.1' | '4.0';

export interface CvssScore {
  version: CvssVersion;
  /** Base score 0.0-10.0 (CVSS-B for v4.0). */
  score: number;
  vector: string;
}

/** Real vectors are under 200 characters; anything longer is not parsed. */
const MAX_VECTOR_LENGTH = 512;

/** The base score of one OSV severity entry; null when the type is not CVSS or the vector is incomplete or invalid. */
export function scoreSeverity(type: string, vector: string): CvssScore | null {
  const text = vector.trim();
  if (text.length === 0 || text.length > MAX_VECTOR_LENGTH) return null;
  const version = versionOf(type, text);
  if (!version) return null;
  try {
    const calculator =
      version === '4.0'
        ? new Cvss4P0(text)
        : version === '3.1'
          ? new Cvss3P1(text)
          : version === '3.0'
            ? new Cvss3P0(text)
            : new Cvss2(text.replace(/^CVSS:2\.0\//, ''));
    const base = (calculator.calculateScores() as { base?: number }).base;
    // An incomplete vector leaves the base undefined; a vector with unknown parts may parse to fewer metrics.
    if (typeof base !== 'number' || !Number.isFinite(base) || base < 0 || base > 10) return null;
    return { version, score: base, vector: text };
  } catch {
    return null;
  }
}

function versionOf(type: string, vector: string): CvssVersion | null {
  const prefix = /^CVSS:(\d\.\d)\//.exec(vector)?.[1];
  if (prefix === '4.0' || prefix === '3.1' || prefix === '3.0') return prefix;
  if (type === 'CVSS_V2' && (prefix === undefined || prefix === '2.0')) return '2.0';
  return null;
}

/**
 * Qualitative severity labels (GitHub's `database_specific.severity`, ecosystem_specific labels) mapped to the
 * lowest score of the CVSS band they name. SC-02's thresholds (4.0, 7.0, 9.0) are the band edges, so the
 * decision for any score inside a band is the decision for its lowest score: a label decides exactly as a
 * vector in that band would.
 */
const LABEL_FLOORS: Record<string, number> = { CRITICAL: 9.0, HIGH: 7.0, MODERATE: 4.0, MEDIUM: 4.0, LOW: 0.1 };

export function labelFloor(label: string): number | null {
  return LABEL_FLOORS[label.trim().toUpperCase()] ?? null;
}
