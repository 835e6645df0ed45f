/** The model stage's public API. */
export { buildModel, instructionText, neededStages } from './build.js';
export { addEnv, DEFAULT_PATH, envMap, envStrings } from './env.js';
export { parseMount } from './mounts.js';
export { cleanPath, destRelativeToWorkdir, normalizePath } from './paths.js';
export type * from './types.js';
