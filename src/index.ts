/**
 * layerwise's library API. Every export here is public and semver-stable once released; the CLI is
 * built only from these.
 */

export {
  type Env,
  type ExpandedWord,
  expandWord,
  expandWordDetailed,
  expandWords,
  type LexOptions,
  WordError,
} from './dockerfile/words.js';
export { FindingsError, InputError, type Position, UsageError } from './errors.js';
export { VERSION } from './version.js';
