import type { Finding } from '../spec/report-schema.js';

/**
 * Where a report's bundle-relative paths live in the repository, so that SARIF results, annotations and
 * summary links point at files a reviewer can open. Built by a door (src/report/repository-map.ts reads the
 * checkout); renderers only look it up.
 */
export interface RepositoryMap {
  /** Bundle-relative path to repository-relative path (forward slashes), for files found in the checkout. */
  files: ReadonlyMap<string, string>;
  /**
   * Repository-relative path that findings fall back to when their file is not in the checkout or they name
   * no file and the manifest is not in the checkout either: the .mcpb itself, or the packed directory's
   * manifest.json.
   */
  fallback: string;
}

/** A finding's place in the repository. `line` is null when the finding's own line does not apply there. */
export interface RepositoryLocation {
  uri: string;
  line: number | null;
  /** False when the finding's file is not in the checkout and the location is the fallback. */
  mapped: boolean;
}

export const MANIFEST_PATH = 'manifest.json';

/**
 * Maps a finding to the repository: its own file when the checkout holds it (same line), the manifest for
 * bundle-level findings, else the fallback (the bundle's own path, no line).
 */
export function locateFinding(finding: Pick<Finding, 'file' | 'line'>, map: RepositoryMap): RepositoryLocation {
  if (finding.file !== null) {
    const uri = map.files.get(finding.file);
    return uri === undefined ? { uri: map.fallback, line: null, mapped: false } : { uri, line: finding.line, mapped: true };
  }
  const manifest = map.files.get(MANIFEST_PATH);
  return manifest === undefined ? { uri: map.fallback, line: null, mapped: false } : { uri: manifest, line: null, mapped: true };
}

/** A map for a report whose bundle-relative paths are shown as they are (no checkout to map them to). */
export function bundleRelativeMap(paths: Iterable<string>, fallback = MANIFEST_PATH): RepositoryMap {
  return { files: new Map([...paths].map((p) => [p, p])), fallback };
}
