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
export { VERSION } from './version.js';
