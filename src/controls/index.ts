import { ai01 } from './artifact_integrity/ai-01-manifest-validation.js';
import { ai03 } from './artifact_integrity/ai-03-bundle-signing.js';
import { ai05 } from './artifact_integrity/ai-05-bundle-completeness.js';
import { cd01 } from './capability_declaration/cd-01-tool-declaration.js';
import { cd02 } from './capability_declaration/cd-02-permission-correlation.js';
import { cq03 } from './code_quality/cq-03-static-analysis.js';
import { cq04 } from './code_quality/cq-04-input-validation.js';
import { cq05 } from './code_quality/cq-05-safe-execution.js';
import type { Control } from './control.js';

/**
 * Every control module, registered explicitly. A catalog control missing here is reported as `error`
 * ("not implemented"), never as pass or skip; a test checks this list against the catalog both ways.
 */
export const CONTROLS: readonly Control[] = [ai01, ai03, ai05, cq03, cq04, cq05, cd01, cd02];
