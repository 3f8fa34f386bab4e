import { ai01 } from './artifact_integrity/ai-01-manifest-validation.js';
import { ai03 } from './artifact_integrity/ai-03-bundle-signing.js';
import { cd01 } from './capability_declaration/cd-01-tool-declaration.js';
import { cd03 } from './capability_declaration/cd-03-description-safety.js';
import { cq01 } from './code_quality/cq-01-secret-detection.js';
import { cq02 } from './code_quality/cq-02-malware-patterns.js';
import type { Control } from './control.js';

/**
 * Every control module, registered explicitly. A catalog control missing here is reported as `error`
 * ("not implemented"), never as pass or skip; a test checks this list against the catalog both ways.
 */
export const CONTROLS: readonly Control[] = [ai01, ai03, cq01, cq02, cd01, cd03];
