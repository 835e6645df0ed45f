/**
 * `layerwise lint` over many files in worker threads, as ruff and eslint do: each thread has its own shell parser
 * and lints whole files; the main thread hands out one file at a time (files differ a lot in size) and puts the
 * results back in the order the files were named, so the report is byte-for-byte the one a single thread prints.
 * Threads cost a start-up (module graph and WASM grammar, ~0.1–0.3 s each), so they are only used for many files.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { ParseError } from '../dockerfile/errors.js';
import { UsageError } from '../errors.js';
import type { LintResult } from '../rules/lint.js';
import type { Io } from './io.js';
import type { LintedFile, LintSettings } from './lint.js';
import { type ErrorData, errorFromData, startModuleWorker } from './worker-threads.js';

/** Below this many files a single thread finishes before the workers would have started. */
const MIN_FILES_PER_THREAD = 32;

/** `--jobs N` as given, else one thread per CPU, but never more threads than batches of MIN_FILES_PER_THREAD files. */
export function threadCount(jobs: string | undefined, targets: string[]): number {
  if (jobs !== undefined) {
    if (!/^[1-9]\d*$/.test(jobs)) throw new UsageError(`--jobs ${jobs}: expected a whole number of threads, 1 or more`);
    return targets.includes('-') ? 1 : Math.min(Number(jobs), targets.length);
  }
  if (targets.includes('-')) return 1;
  return Math.max(1, Math.min(availableParallelism(), Math.floor(targets.length / MIN_FILES_PER_THREAD)));
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

export interface WorkerData {
  cwd: string;
  env: Record<string, string | undefined>;
  verbose: boolean;
  settings: LintSettings;
}

export async function lintInWorkers(io: Io, targets: string[], settings: LintSettings, threads: number): Promise<LintedFile[]> {
  const replies: (WorkerReply | undefined)[] = new Array(targets.length);
  const workerData: WorkerData = { cwd: io.cwd, env: { ...io.env }, verbose: io.verbose === true, settings };
  let next = 0;
  const workers = Array.from({ length: threads }, () => startWorker(workerData));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((done, fail) => {
            const handOut = () => {
              if (next >= targets.length) return done();
              const index = next++;
              worker.postMessage({ index, file: targets[index] });
            };
            worker.on('message', (reply: WorkerReply) => {
              replies[reply.index] = reply;
              handOut();
            });
            worker.on('error', fail);
            worker.on('exit', (code) => fail(new Error(`a lint worker thread stopped (exit code ${code})`)));
            handOut();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  // In the order given, as one thread would: the first file that cannot be read or configured stops the run.
  return replies.map((reply) => {
    if (!reply) throw new Error('a lint worker thread sent no result');
    if (reply.details) io.stderr(reply.details);
    if ('error' in reply) throw errorFromData(reply.error);
    const { parseError: p } = reply;
    const parseError = p && new ParseError(p.reason, p.line, p.column, p.end, p.file);
    return { result: { ...reply.result, ...(parseError && { parseError }) }, failed: reply.failed };
  });
}

function startWorker(workerData: WorkerData): Worker {
  // The worker is the sibling module in the same form as this one: .js compiled, .ts under tsx (tests, benchmarks).
  return startModuleWorker(new URL(`./lint-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url), {
    workerData,
  });
}
