/**
 * `layerwise build --predict`: the cache predictor (src/cache) run against what earlier builds of this Dockerfile
 * left in the build cache. A record keeps the cache keys of every step that completed, merged with the keys of the
 * record before it (BuildKit's cache remembers every earlier build, not only the last one), so the next build's keys
 * can be classified against them without the old context on disk.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LoadedSide } from '../cache/fs-inputs.js';
import type { ImageStore } from '../cache/keys.js';
import { BuildCache, classify, keysFor, type Prediction } from '../cache/predict.js';
import { InputError } from '../errors.js';
import { type BuildRecord, RECORD_SCHEMA } from './record.js';

/** The cache keys a record carries (`cacheKeys` in the record JSON). */
export interface RecordedCacheKeys {
  /** Chain keys and output keys of completed steps. */
  keys: string[];
  /** Op keys (definition + parent, no content) of completed steps. */
  opKeys: string[];
  /** Which image store the keys assume (COPY --link differs). */
  imageStore: ImageStore;
}

/** Where `--predict` keeps the last record of a Dockerfile (+ target) when no `--record FILE` is given. */
export function defaultRecordPath(env: Record<string, string | undefined>, dockerfile: string, target?: string): string {
  const dir =
    env.LAYERWISE_BUILD_RECORDS ?? join(env.XDG_CACHE_HOME ?? join(env.HOME ?? homedir(), '.cache'), 'layerwise', 'builds');
  const id = createHash('sha256')
    .update(`${resolve(dockerfile)}\0${target ?? ''}`)
    .digest('hex')
    .slice(0, 32);
  return join(dir, `${id}.json`);
}

/** Reads a record written earlier; undefined when there is none. A malformed one is an input error. */
export function readRecord(path: string): BuildRecord | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const record = JSON.parse(text) as BuildRecord;
    if (record.schema !== RECORD_SCHEMA) throw new Error(`schema ${JSON.stringify(record.schema)}`);
    return record;
  } catch (error) {
    throw new InputError(`not a layerwise build record (${(error as Error).message})`, path);
  }
}

export function writeRecord(path: string, record: BuildRecord): void {
  mkdirSync(resolve(path, '..'), { recursive: true });
  writeFileSync(`${path}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

/** Predicts the next build of `next` from the keys an earlier record left; undefined without such keys. */
export function predictFromRecord(
  previous: BuildRecord | undefined,
  next: LoadedSide,
  imageStore: ImageStore,
): Prediction | undefined {
  const known = previous?.cacheKeys;
  if (!known || known.imageStore !== imageStore) return undefined;
  const cache = new BuildCache();
  for (const key of known.keys) cache.keys.add(key);
  for (const key of known.opKeys) cache.opKeys.add(key);
  return classify(keysFor(next.input, { imageStore }), cache, undefined, next.input.context, { imageStore });
}

/** The keys to store with a record: the previous record's plus those of this build's completed steps. */
export function cacheKeysAfter(
  record: BuildRecord,
  next: LoadedSide,
  imageStore: ImageStore,
  previous?: BuildRecord,
): RecordedCacheKeys {
  const keys = new Set(previous?.cacheKeys?.imageStore === imageStore ? previous.cacheKeys.keys : []);
  const opKeys = new Set(previous?.cacheKeys?.imageStore === imageStore ? previous.cacheKeys.opKeys : []);
  const completed = new Set(
    record.steps
      .filter((step) => step.status === 'cached' || step.status === 'rebuilt' || step.status === 'base')
      .map((s) => s.line),
  );
  for (const key of keysFor(next.input, { imageStore }).steps) {
    if (!completed.has(key.step.line)) continue;
    keys.add(key.key);
    keys.add(key.output);
    opKeys.add(key.opKey);
  }
  return { keys: [...keys].sort(), opKeys: [...opKeys].sort(), imageStore };
}
