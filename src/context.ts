import { analyze } from './analysis/analyze.js';
import { findEntryPoints } from './analysis/entry-points.js';
import type { Facts } from './analysis/types.js';
import type { Bundle } from './bundle/types.js';
import { buildDependencyModel } from './deps/model.js';
import type { DependencyModel } from './deps/types.js';
import { ControlInputError } from './controls/control.js';
import type { Logger } from './logger.js';
import { readManifest, type Manifest, type ManifestState } from './manifest/manifest.js';
import type { Config } from './spec/config-schema.js';
import type { Level } from './spec/levels.js';
import type { VulnerabilitySource } from './vuln/source.js';

/**
 * Everything a control may read. Expensive inputs (the analysis pass) are computed on first use and shared,
 * so each file is parsed once per scan whichever controls ask.
 */
export interface ScanContext {
  readonly bundle: Bundle;
  readonly manifestState: ManifestState;
  /** The level statuses are judged at: required, else the manifest's declared level, else 1. */
  readonly targetLevel: Level;
  readonly config: Config;
  readonly logger: Logger;
  /** The parsed manifest; throws (the control reports `error`) when AI-01 found none it could read. */
  manifest(): Manifest;
  facts(): Promise<Facts>;
  /** Every dependency the bundle's lockfiles, declarations and vendored packages show. */
  dependencies(): DependencyModel;
  /** OSV, EPSS and CISA KEV (SC-02); the only network access a control has, and only when not offline. */
  readonly vulnerabilities: VulnerabilitySource;
  /**
   * The repository the workflow runs in, as `https://host/owner/repo` or `owner/repo` (github.com), when the
   * scan runs in a GitHub workflow (the action fills it from GITHUB_SERVER_URL and GITHUB_REPOSITORY); else null.
   */
  readonly workflowRepository: string | null;
}

/** Inputs of a context that come from the door rather than the bundle. */
export interface ContextSources {
  vulnerabilities: VulnerabilitySource;
  workflowRepository?: string | null;
}

export function createContext(
  bundle: Bundle,
  config: Config,
  logger: Logger,
  requiredLevel: Level | null,
  sources: ContextSources,
): ScanContext {
  const manifestState = readManifest(bundle);
  const declared = manifestState.ok ? manifestState.manifest.declaredLevel : null;
  let facts: Promise<Facts> | undefined;
  let dependencies: DependencyModel | undefined;
  return {
    bundle,
    manifestState,
    targetLevel: requiredLevel ?? declared ?? 1,
    config,
    logger,
    manifest() {
      if (!manifestState.ok) throw new ControlInputError(`manifest.json could not be read (see AI-01): ${manifestState.message}`);
      return manifestState.manifest;
    },
    facts() {
      facts ??= analyze(bundle, logger, findEntryPoints(manifestState.ok ? manifestState.manifest : null, bundle.files));
      return facts;
    },
    dependencies() {
      dependencies ??= buildDependencyModel(bundle);
      return dependencies;
    },
    vulnerabilities: sources.vulnerabilities,
    workflowRepository: sources.workflowRepository ?? null,
  };
}
