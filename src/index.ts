/**
 * layerwise's library API. Every export here is public and semver-stable once released; the CLI is
 * built only from these.
 */
export { FindingsError, InputError, type Position, UsageError } from './errors.js';
export type * from './shell/ast.js';
export {
  type AnalyzeOptions,
  analyzeArgv,
  analyzeScript,
  type Context,
  type Script,
  type SimpleCommand,
  type TopLevelPart,
} from './shell/commands.js';
export { type HeredocRole, heredocRole } from './shell/heredoc.js';
export { lookalikeOf } from './shell/package-managers/args.js';
export { type CacheUse, cacheUses } from './shell/package-managers/caches.js';
export { packageManagerCalls, packageManagers, recognise } from './shell/package-managers/index.js';
export type * from './shell/package-managers/types.js';
export { canSplitAt, type SplitVerdict, splitPoints } from './shell/split.js';
export type { ShellOption, ShellState, Variable } from './shell/state.js';
export { initShellParser } from './shell/tree-sitter.js';
export { VERSION } from './version.js';
