/**
 * layerwise's library API. Every export here is public and semver-stable once released; the CLI is
 * built only from these.
 */

export {
  type BuildOptions,
  type BuildRun,
  engineVersion,
  type Frontend as BuildFrontend,
  hasBuildx,
  runBuild,
} from './build/buildkit.js';
export { type OutlineStage, type OutlineStep, outlineDockerfile } from './build/outline.js';
export { PlainProgressReader, parsePlainProgress } from './build/progress-plain.js';
export { JsonObjectStream, parseRawJsonProgress, RawJsonProgressReader } from './build/progress-rawjson.js';
export {
  type BuildRecord,
  RECORD_SCHEMA,
  type RecordedStep,
  type RecordOptions,
  recordBuild,
  type StepStatus,
} from './build/record.js';
export { mapVerticesToSteps, type StepMapping, type StepResult } from './build/steps.js';
export { checkPredictions, type PredictedStep, type PredictionCheck, type PredictionReport } from './build/verify.js';
export { type Progress, parseVertexName, type StepLabel, type Vertex } from './build/vertex.js';
export { ContentTree, FileHasher, type FileHeader, type Selector, tarsumHeader } from './cache/contenthash.js';
export { type ContextOptions, readContextDir } from './cache/context.js';
export { PatternMatcher, readIgnoreFile } from './cache/dockerignore.js';
export { GitRepo } from './cache/git.js';
export { type BuildKeys, computeKeys, type StepKey } from './cache/keys.js';
export {
  BuildCache,
  type BuildInput,
  classify,
  type Prediction,
  type PredictOptions,
  predict,
  type StepPrediction,
  type StepStatus as CacheStepStatus,
} from './cache/predict.js';
export { Replayer, type ReplayReport } from './cache/replay.js';
export * from './dockerfile/index.js';
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
export {
  type AppliedFix,
  type FixOptions,
  type FixOutcome,
  fixDockerfile,
  type RefusedFix,
  unifiedDiff,
} from './fix/index.js';
export type {
  ByteStream,
  Compression,
  ConfigFile,
  Descriptor,
  Digest,
  History,
  Image,
  ImageIndex,
  IndexManifest,
  Layer,
  Manifest,
  Platform,
  ReadLimits,
} from './image/image.js';
export { defaultReadLimits, formatPlatform, MediaTypes, parsePlatform } from './image/image.js';
export {
  type DockerReference,
  familiarReference,
  formatImageRef,
  formatReference,
  type ImageRef,
  parseDockerReference,
  parseImageRef,
} from './image/ref.js';
export { selectImage } from './image/select.js';
export { type ImageCore, type IndexCore, imageFromCore, indexFromCore } from './image/sources/core.js';
export { RegistryClient, type RegistryClientOptions } from './image/sources/registry/client.js';
export { openRegistry, openRegistryImage, type RegistryImageOptions } from './image/sources/registry.js';
export { buildModel, instructionText } from './model/build.js';
export type {
  ArgBinding,
  BaseImageInfo,
  BuildModel,
  EnvEntry,
  HistoryEntry,
  ModelOptions,
  Mount,
  Stage,
  Step,
  StepKind,
  StepState,
} from './model/types.js';
export {
  DEFAULT_CONFIG,
  type LintConfig,
  parseConfig,
  THRESHOLDS,
  type Threshold,
} from './rules/config.js';
export {
  type AnyRule,
  type BuildContextView,
  defineRule,
  type Fix,
  type Rule,
  type RuleContext,
  type RuleDocs,
  SEVERITIES,
  type Severity,
  type Suggestion,
  type TextEdit,
} from './rules/define.js';
export { type Finding, type LintOptions, type LintResult, lint } from './rules/lint.js';
export { ruleById, rules } from './rules/registry.js';
export type {
  Assignment as ShellAssignment,
  Heredoc as ShellHeredoc,
  ListNode as ShellListNode,
  Operator as ShellOperator,
  OperatorToken as ShellOperatorToken,
  Range as ShellRange,
  Redirect as ShellRedirect,
  ShellNode,
  ShellSyntax,
  SimpleNode as ShellSimpleNode,
  SyntaxProblem as ShellSyntaxProblem,
  Word as ShellWord,
} from './shell/ast.js';
export {
  type AnalyzeOptions,
  analyzeArgv,
  analyzeScript,
  type Context as ShellContext,
  type Script,
  type SimpleCommand,
  type TopLevelPart,
} from './shell/commands.js';
export { type HeredocRole, heredocRole } from './shell/heredoc.js';
export { commandEnv, lookalikeOf } from './shell/package-managers/args.js';
export { type CacheStatus, type CacheUse, cacheUses, covers, removedPaths } from './shell/package-managers/caches.js';
export { type OsFamily, osFamilyOfImage } from './shell/package-managers/families.js';
export { packageManagerCalls, packageManagers, recognise } from './shell/package-managers/index.js';
export type {
  CachePath,
  Family as PackageFamily,
  Flag as PackageManagerFlag,
  Lookalike,
  Operation as PackageOperation,
  PackageManager,
  PackageManagerCall,
  PackageSpec,
} from './shell/package-managers/types.js';
export { canSplitAt, type SplitVerdict, splitPoints } from './shell/split.js';
export type { ShellOption, ShellState, Variable as ShellVariable } from './shell/state.js';
export { VERSION } from './version.js';
