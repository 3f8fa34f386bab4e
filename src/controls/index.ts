import { ai01 } from './artifact_integrity/ai-01-manifest-validation.js';
import { ai03 } from './artifact_integrity/ai-03-bundle-signing.js';
import { ai05 } from './artifact_integrity/ai-05-bundle-completeness.js';
import { cd01 } from './capability_declaration/cd-01-tool-declaration.js';
import { cd02 } from './capability_declaration/cd-02-permission-correlation.js';
import { cd03 } from './capability_declaration/cd-03-description-safety.js';
import { cq01 } from './code_quality/cq-01-secret-detection.js';
import { cq02 } from './code_quality/cq-02-malware-patterns.js';
import { cq03 } from './code_quality/cq-03-static-analysis.js';
import { cq04 } from './code_quality/cq-04-input-validation.js';
import { cq05 } from './code_quality/cq-05-safe-execution.js';
import type { Control } from './control.js';
import { pr01 } from './provenance/pr-01-source-repository.js';
import { pr02 } from './provenance/pr-02-author-identity.js';
import { rg01 } from './registry_operations/rg-01-namespace-governance.js';
import { rg02 } from './registry_operations/rg-02-name-pattern-review.js';
import { rg07 } from './registry_operations/rg-07-bundle-digest.js';
import { sc01 } from './supply_chain/sc-01-sbom.js';
import { sc02 } from './supply_chain/sc-02-vulnerability-scanning.js';
import { sc03 } from './supply_chain/sc-03-dependency-pinning.js';
import { sc04 } from './supply_chain/sc-04-lockfile-integrity.js';
import { sc05 } from './supply_chain/sc-05-trusted-sources.js';

/**
 * Every control module, registered explicitly, in catalog order. A catalog control missing here is reported as
 * `error` ("not implemented"), never as pass or skip; a test checks this list against the catalog both ways.
 */
export const CONTROLS: readonly Control[] = [
  ai01, ai03, ai05,
  sc01, sc02, sc03, sc04, sc05,
  cq01, cq02, cq03, cq04, cq05,
  cd01, cd02, cd03,
  pr01, pr02,
  rg01, rg02, rg07,
];
