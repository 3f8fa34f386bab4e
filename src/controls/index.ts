import type { Control } from './control.js';

/**
 * Every implemented control, registered explicitly. A catalog control missing here is reported as `error`
 * ("not implemented"), never as pass or skip; a test checks this list against the catalog both ways.
 */
export const CONTROLS: readonly Control[] = [];
