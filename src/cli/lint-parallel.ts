/**
 * `layerwise lint` over many files on several threads, as ruff and eslint do: `--jobs N` is the main thread plus N-1
 * worker threads, each with its own shell parser, linting whole files; the results go back in the order the files
 * were named, so the report is byte-for-byte the one a single thread prints.
 *
 * Why it is shaped so (measured in docs/status.md, issue 3): a worker costs a start-up (module graph and WASM grammar,
 * ~0.1–0.3 s), so the main thread lints from the first file on and the workers join when they are ready — a handful
 * of files is done before they are; files go out in batches, two per worker in flight, so a worker never waits for
 * the main thread between files, and batches shrink towards the end so every thread finishes at about the same time.
 */
import { availableParallelism } from 'node:os';
import type { ResourceLimits, Worker } from 'node:worker_threads';
import { ParseError } from '../dockerfile/errors.js';
import { InputError, UsageError } from '../errors.js';
import type { LintResult } from '../rules/lint.js';
import type { Io } from './io.js';
import { type ConfigCache, type LintedFile, type LintSettings, lintTarget, withoutTree } from './lint.js';
import { type ErrorData, errorFromData, startModuleWorker } from './worker-threads.js';

/** Below this many files a single thread finishes before the workers would have started. */
const MIN_FILES_PER_THREAD = 32;
/** The largest batch; a batch is also at most a quarter of a thread's share of what remains. */
const MAX_BATCH = 16;
/** Batches handed to a worker before its first reply: the next is ready when one comes back. */
const IN_FLIGHT = 2;

/**
 * `--jobs N` as given, else one thread per CPU but one, and never more threads than batches of MIN_FILES_PER_THREAD
 * files. One CPU is left to V8: a single lint thread already keeps ~1.5 CPUs busy (optimising compiles and garbage
 * collection run on background threads, and each extra thread repeats the compiles), so on 2 CPUs `--jobs 2` measured
 * 0.88x the wall speed of one thread over the whole corpus on an idle machine (bench/lint.ts, session 4).
 */
export function threadCount(jobs: string | undefined, targets: string[], cpus = availableParallelism()): number {
  if (jobs !== undefined) {
    if (!/^[1-9]\d*$/.test(jobs)) throw new UsageError(`--jobs ${jobs}: expected a whole number of threads, 1 or more`);
    return targets.includes('-') ? 1 : Math.min(Number(jobs), targets.length);
  }
  if (targets.includes('-')) return 1;
  return Math.max(1, Math.min(cpus - 1, Math.floor(targets.length / MIN_FILES_PER_THREAD)));
}

/** What a worker sends back for one file (structured-clone safe: no class instances). */
export type WorkerReply =
  | {
      index: number;
      result: Omit<LintResult, 'parseError' | 'ast'>;
      parseError?: { reason: string; line: number; column: number; end?: { line: number; column: number }; file?: string };
      failed: boolean;
      details: string;
    }
  | { index: number; error: ErrorData; details: string };

/** What the main thread sends: `'ready'` once a worker's parser has started, then one reply per batch. */
export type WorkerMessage = 'ready' | WorkerReply[];
/** A batch of files for a worker: `files[i]` is the file named at `start + i`. */
export interface WorkerBatch {
  start: number;
  files: string[];
}

export interface WorkerData {
  cwd: string;
  env: Record<string, string | undefined>;
  verbose: boolean;
  settings: LintSettings;
}

/** One file's outcome, wherever it was linted: what --verbose said about it, and its result or why it failed. */
type Outcome = { details: string } & ({ linted: LintedFile } | { error: Error });

/**
 * Lints `targets` on `threads` threads and hands each file's outcome to `take` in the order the files were named, as
 * soon as it and every file before it are done (the report is written as it goes; an outcome is dropped once taken).
 * The first file that cannot be read or configured stops the run there, as with one thread.
 */
export async function lintInWorkers(
  io: Io,
  targets: string[],
  settings: LintSettings,
  threads: number,
  take: (linted: LintedFile) => void,
  heap: ResourceLimits = WORKER_HEAP,
): Promise<void> {
  const outcomes: (Outcome | undefined)[] = new Array(targets.length);
  let taken = 0;
  const takeReady = () => {
    for (let outcome = outcomes[taken]; outcome; outcome = outcomes[taken]) {
      outcomes[taken++] = undefined;
      if (outcome.details) io.stderr(outcome.details);
      if ('error' in outcome) throw outcome.error;
      take(outcome.linted);
    }
  };
  let next = 0;
  let settled = 0;
  let finished!: () => void;
  let failed!: (error: unknown) => void;
  const allSettled = new Promise<void>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  allSettled.catch(() => {}); // a worker may fail while the main thread is still linting: awaited below
  const settle = (index: number, outcome: Outcome) => {
    outcomes[index] = outcome;
    if (++settled === targets.length) finished();
  };

  const workerData: WorkerData = { cwd: io.cwd, env: { ...io.env }, verbose: io.verbose === true, settings };
  const workers = Array.from({ length: threads - 1 }, () => startWorker(workerData, heap));
  for (const worker of workers) {
    const inFlight: WorkerBatch[] = [];
    const handOut = () => {
      while (inFlight.length < IN_FLIGHT && next < targets.length) {
        const start = next;
        next += batchSize(targets.length - next, threads);
        const batch: WorkerBatch = { start, files: targets.slice(start, next) };
        inFlight.push(batch);
        worker.postMessage(batch);
      }
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message !== 'ready') {
        inFlight.shift();
        for (const reply of message) settle(reply.index, outcomeOf(reply));
      }
      handOut();
    });
    worker.on('error', (error: NodeJS.ErrnoException) =>
      failed(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? outOfMemory(heap, inFlight[0]) : error),
    );
    worker.on('exit', (code) => failed(new Error(`a lint worker thread stopped (exit code ${code})`)));
  }

  try {
    // The main thread's share, one file at a time; between files it lets the workers' replies in (a worker waits for
    // its next batch only while the main thread is inside one file).
    const configs: ConfigCache = new Map();
    let details = '';
    const buffered: Io = { ...io, stderr: (text) => (details += text) };
    while (next < targets.length) {
      const index = next++;
      details = '';
      try {
        const linted = await lintTarget(buffered, targets[index], settings, undefined, configs);
        settle(index, { linted: { ...linted, result: withoutTree(linted.result) }, details });
      } catch (error) {
        settle(index, { error: error as Error, details });
      }
      takeReady();
      await new Promise((resume) => setImmediate(resume));
    }
    // Every file is handed out by now: what remains is the last batches in flight.
    await allSettled;
    takeReady();
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  if (taken < targets.length) throw new Error('a lint worker thread sent no result');
}

/** Guided scheduling: a quarter of each thread's share of what remains, between 1 and MAX_BATCH files. */
function batchSize(remaining: number, threads: number): number {
  return Math.max(1, Math.min(MAX_BATCH, Math.floor(remaining / (4 * threads))));
}

function outcomeOf(reply: WorkerReply): Outcome {
  if ('error' in reply) return { error: errorFromData(reply.error), details: reply.details };
  const { parseError: p } = reply;
  const parseError = p && new ParseError(p.reason, p.line, p.column, p.end, p.file);
  return {
    linted: { result: { ...reply.result, ...(parseError && { parseError }) }, failed: reply.failed },
    details: reply.details,
  };
}

/**
 * A worker's V8 heap, bounded. A worker lints one file at a time: ~14 MB stay live whatever the number of files, but
 * with V8's defaults (made for one heap per process) its young generation grows to 32 MB and its old generation to
 * four times the live size before a full GC: each worker added ~60 MB of peak RSS (docs/status.md, session 6).
 * A 12 MB young generation (4 MB semi-spaces) and a 1 GB old generation (below 2 GB, V8 grows the old generation by
 * 1.6x, not 4x) bring that to ~20 MB for the same CPU time within the noise; 1 GB is still ~70 times the live heap.
 */
export const WORKER_HEAP: ResourceLimits = { maxYoungGenerationSizeMb: 12, maxOldGenerationSizeMb: 1024 };

/**
 * A worker that reached its heap bound: the batch it was linting is named (a worker lints its batches in order), and
 * one thread lints with the process's whole heap.
 */
function outOfMemory(heap: ResourceLimits, batch: WorkerBatch | undefined): Error {
  const bound = `a lint worker thread ran out of memory (its heap is bounded to ${heap.maxOldGenerationSizeMb} MB)`;
  if (!batch) return new UsageError(`${bound}; lint with --jobs 1`);
  const others = batch.files.length - 1;
  const which = others === 0 ? 'on this file' : `on this file or one of the ${others} named after it`;
  return new InputError(`${bound} ${which}; lint with --jobs 1`, batch.files[0]);
}

function startWorker(workerData: WorkerData, resourceLimits: ResourceLimits): Worker {
  // The worker is the sibling module in the same form as this one: .js compiled, .ts under tsx (tests, benchmarks).
  return startModuleWorker(new URL(`./lint-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url), {
    workerData,
    resourceLimits,
  });
}
