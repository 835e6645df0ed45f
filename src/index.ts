/**
 * layerwise's library API. Every export here is public and semver-stable once released; the CLI is
 * built only from these.
 */

export * from './dockerfile/index.js';
export { FindingsError, InputError, type Position, UsageError } from './errors.js';
export { VERSION } from './version.js';
