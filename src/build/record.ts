/**
 * A build record: what one real build did, per Dockerfile step — instruction and line, cached or not, duration, and
 * the size of the layer it left in the resulting image. Records are written by `layerwise build --record FILE`,
 * read back by `--predict` and weight `cache replay`'s costs. The JSON shape is documented in docs/build.md; fields
 * are only ever added.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { type BuildOptions, type BuildRun, engineVersion, type Frontend, runBuild } from './buildkit.js';
import { type OutlineStage, outlineDockerfile, stageChain } from './outline.js';
import type { RecordedCacheKeys } from './predict-record.js';
import { mapVerticesToSteps, type StepResult } from './steps.js';

export const RECORD_SCHEMA = 'layerwise.build-record/1';

/** `base`: the FROM of an image (BuildKit never reports it CACHED); `failed`: the step that broke the build. */
export type StepStatus = 'cached' | 'rebuilt' | 'failed' | 'not-run' | 'base';

export interface RecordedStep extends StepResult {
  status: StepStatus;
  /** Bytes of the layer this step left in the resulting image; null when it left none there (another stage). */
  size: number | null;
}

export interface BuildRecord {
  schema: typeof RECORD_SCHEMA;
  /** The Dockerfile as given (relative to the working directory when it was relative) and its full text. */
  dockerfile: string;
  dockerfileText: string;
  context: string;
  target?: string;
  tags: string[];
  buildArgs: Record<string, string>;
  noCache: boolean;
  frontend: Frontend;
  engine?: string;
  imageId?: string;
  startedAt: string;
  durationMs: number;
  exitCode: number;
  /** One entry per Dockerfile step BuildKit ran (numbered `[stage i/N]`), in Dockerfile order. */
  steps: RecordedStep[];
  /** Labelled vertices that matched no step (should stay empty; kept so a mismatch is visible, not lost). */
  unmatched: string[];
  summary: { steps: number; cached: number; rebuilt: number; failed: number; durationMs: number };
  /** The builder's own message when the build failed. */
  error?: string;
  /** With `--predict`: the cache keys of this and earlier builds' completed steps, for the next prediction. */
  cacheKeys?: RecordedCacheKeys;
}

export interface RecordOptions extends BuildOptions {
  /** Resolve relative paths against this directory (default: the process's). */
  cwd?: string;
}

/** Runs a real build and returns its record (also for failed builds: `exitCode` ≠ 0, `error` set). */
export async function recordBuild(options: RecordOptions): Promise<BuildRecord> {
  const cwd = options.cwd ?? process.cwd();
  const context = resolve(cwd, options.context);
  const file = options.file ? resolve(cwd, options.file) : join(context, 'Dockerfile');
  let dockerfileText: string;
  try {
    dockerfileText = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read the Dockerfile: ${(error as Error).message}`, file);
  }
  // Parsed before building: a Dockerfile BuildKit would reject fails fast, with file:line:column.
  const stages = outlineDockerfile(dockerfileText, file);
  const run = await runBuild({ ...options, context, file });
  return assembleRecord(run, options, { context, file, dockerfileText, cwd, stages });
}

export function assembleRecord(
  run: BuildRun,
  options: BuildOptions,
  where: { context: string; file: string; dockerfileText: string; cwd: string; stages: OutlineStage[] },
): BuildRecord {
  const { stages } = where;
  const { steps, unmatched } = mapVerticesToSteps(stages, run.progress.vertices);
  const sizes = run.imageId ? layerSizes(run.imageId, stages, options) : new Map<string, number>();
  const recorded = steps.map((step): RecordedStep => {
    const status: StepStatus = step.instruction.toUpperCase().startsWith('FROM')
      ? 'base'
      : step.cached
        ? 'cached'
        : step.error
          ? 'failed'
          : step.completed
            ? 'rebuilt'
            : 'not-run';
    return { ...step, status, size: sizes.get(`${step.stageIndex}:${step.line}`) ?? null };
  });
  const count = (status: StepStatus) => recorded.filter((step) => step.status === status).length;
  const rel = relative(where.cwd, where.file);
  return {
    schema: RECORD_SCHEMA,
    dockerfile: rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : where.file,
    dockerfileText: where.dockerfileText,
    context: where.context,
    ...(options.target ? { target: options.target } : {}),
    tags: options.tags ?? [],
    buildArgs: options.buildArgs ?? {},
    noCache: options.noCache ?? false,
    frontend: run.frontend,
    ...optional('engine', engineVersion(options.docker, options.env)),
    ...optional('imageId', run.imageId),
    startedAt: run.startedAt.toISOString(),
    durationMs: run.durationMs,
    exitCode: run.exitCode,
    steps: recorded,
    unmatched: unmatched.map((vertex) => vertex.name),
    summary: {
      steps: recorded.filter((step) => step.status !== 'base').length,
      cached: count('cached'),
      rebuilt: count('rebuilt'),
      failed: count('failed'),
      durationMs: run.durationMs,
    },
    ...(run.exitCode !== 0 ? { error: builderMessage(run) } : {}),
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** The builder's own words: its closing summary, else the failing vertex's error. */
function builderMessage(run: BuildRun): string {
  const trailer = run.progress.trailer.trim();
  if (trailer) return trailer;
  const failed = run.progress.vertices.find((vertex) => vertex.error);
  return failed ? `${failed.name}: ${failed.error}` : `the build failed (exit code ${run.exitCode})`;
}

interface HistoryEntry {
  CreatedBy: string;
  Size: string;
}

/**
 * Layer sizes of the target's steps, keyed `stageIndex:line`, from `docker history` of the built image (newest
 * first). Walking the target's stage chain backwards, each RUN/COPY/ADD/WORKDIR step takes the next history entry
 * whose `created by` starts with its keyword; entries of other instructions (ENV, CMD, …) are skipped.
 */
function layerSizes(imageId: string, stages: OutlineStage[], options: BuildOptions): Map<string, number> {
  const sizes = new Map<string, number>();
  const result = spawnSync(
    options.docker ?? 'docker',
    ['history', '--no-trunc', '--human=false', '--format', '{{json .}}', imageId],
    { env: (options.env ?? process.env) as NodeJS.ProcessEnv, encoding: 'utf8' },
  );
  if (result.status !== 0) return sizes;
  const history = result.stdout
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as HistoryEntry);
  const steps = stageChain(stages, options.target).flatMap((stage) =>
    stage.steps.filter((step) => step.number !== undefined && step.keyword !== 'FROM').map((step) => ({ stage, step })),
  );
  let h = 0;
  for (const { stage, step } of steps.reverse()) {
    while (h < history.length && !history[h].CreatedBy.toUpperCase().startsWith(step.keyword)) h++;
    if (h >= history.length) break;
    sizes.set(`${stage.index}:${step.line}`, Number(history[h].Size) || 0);
    h++;
  }
  return sizes;
}
