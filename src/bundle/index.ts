export { collectDirectory, EXCLUDE_PATTERNS } from './directory.js';
export { toIntakeLimits } from './limits.js';
export { openArchive, openBundle } from './open.js';
export { packDirectory, packFiles } from './pack.js';
export { splitSignature } from './signature.js';
export * from './types.js';
