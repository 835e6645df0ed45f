/**
 * Lint throughput and peak memory on the whole shared corpus (≈5,700 real Dockerfiles): layerwise `lint` (BuildKit-exact
 * parse, a real tree-sitter shell parse of every RUN, every rule) against dockerfile-utils `validate` and dockerfilelint
 * `run`, measured in the same run. Each tool lints in its own child process (so its peak RSS is its own), after one
 * warm-up pass over the corpus (JIT, tree-sitter's WASM); the rounds are interleaved and the best pass counts.
 * Figures: files/s (wall and per CPU-second: the machine may be shared) and peak RSS, as ratios against each
 * reference. Target: faster than both on one thread; `layerwise lint --jobs N` (worker threads, one per CPU) is
 * measured beside it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { validate } from 'dockerfile-utils';
import { memoryIo } from '../src/cli/io.js';
import { lintInWorkers } from '../src/cli/lint-parallel.js';
import { lint } from '../src/rules/lint.js';
import { sharedDir } from '../test/support/paths.js';
import { corpusFiles } from '../test/support/run-scripts.js';

const tools = ['layerwise', 'dockerfile-utils', 'dockerfilelint', 'layerwise --jobs'] as const;
type Tool = (typeof tools)[number];
const ROUNDS = Number(process.env.LINT_BENCH_ROUNDS ?? 2);

interface Sample {
  files: number;
  seconds: number;
  /** CPU time of the timed pass (user + system): steadier than wall time on a machine shared with other jobs. */
  cpuSeconds: number;
  /** Peak resident set of the whole process, and its resident set once the corpus was read (before any lint). */
  peakRssMiB: number;
  baselineRssMiB: number;
  failures: number;
  /** Worker threads used (the `--jobs` measurement only). */
  threads?: number;
}

const worker = process.argv[2] === '--worker' ? (process.argv[3] as Tool) : undefined;
type SingleThread = Exclude<Tool, 'layerwise --jobs'>;
if (!sharedDir) {
  console.log('lint: SKIPPED, no ../shared corpus (set LAYERWISE_SHARED)');
} else if (worker === 'layerwise --jobs') {
  console.log(JSON.stringify(await measureThreads(join(sharedDir, 'corpus'))));
} else if (worker) {
  console.log(JSON.stringify(await measure(worker, join(sharedDir, 'corpus'))));
} else {
  compare();
}

/** One tool, one child process: read the corpus, lint it once to warm up, then time one pass. */
async function measure(tool: SingleThread, corpus: string): Promise<Sample> {
  const every = Number(process.env.LINT_BENCH_EVERY ?? 1); // >1: every Nth file, for a quick look on a busy machine
  const texts = corpusFiles(corpus)
    .filter((_, index) => index % every === 0)
    .map((file) => readFileSync(file, 'utf8'));
  const baselineRssMiB = process.memoryUsage().rss / 2 ** 20;
  const lintOne = await linter(tool, corpus);
  let failures = 0;
  const pass = () => {
    failures = 0;
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (const text of texts) {
      try {
        lintOne(text);
      } catch {
        failures++;
      }
    }
    const used = process.cpuUsage(cpu);
    return { seconds: Number(process.hrtime.bigint() - start) / 1e9, cpuSeconds: (used.user + used.system) / 1e6 };
  };
  pass();
  const { seconds, cpuSeconds } = pass();
  // maxRSS is in KiB.
  return {
    files: texts.length,
    seconds,
    cpuSeconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    baselineRssMiB,
    failures,
  };
}

/**
 * `layerwise lint --jobs N` as the CLI runs it over many files (lint-parallel.ts): N worker threads, one per CPU, each
 * starting its own parser and reading its files from disk. Timed from the threads' start (no warm-up: a user's run
 * has none either) to the last result; CPU time counts every thread.
 */
async function measureThreads(corpus: string): Promise<Sample> {
  const every = Number(process.env.LINT_BENCH_EVERY ?? 1);
  const files = corpusFiles(corpus).filter((_, index) => index % every === 0);
  const baselineRssMiB = process.memoryUsage().rss / 2 ** 20;
  const settings = { ignored: [], buildArgs: [], explicitConfig: undefined, failureThreshold: undefined, context: undefined };
  const io = memoryIo({ cwd: corpus, env: {} });
  const threads = availableParallelism();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const linted = await lintInWorkers(io, files, settings, threads);
  const used = process.cpuUsage(cpu);
  return {
    files: files.length,
    seconds: Number(process.hrtime.bigint() - start) / 1e9,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    baselineRssMiB,
    failures: files.length - linted.length, // a file that cannot be read or a crashing rule throws instead
    threads,
  };
}

async function linter(tool: SingleThread, corpus: string): Promise<(text: string) => unknown> {
  switch (tool) {
    case 'layerwise':
      return (text) => lint(text).findings;
    case 'dockerfile-utils':
      return (text) => validate(text);
    case 'dockerfilelint': {
      const { createRequire } = await import('node:module');
      const dockerfilelint = createRequire(import.meta.url)('dockerfilelint') as { run(dir: string, text: string): unknown };
      // `run` reads the .dockerfilelintrc of the folder given (the corpus has none) on every call, as its CLI does.
      return (text) => dockerfilelint.run(corpus, text);
    }
  }
}

function compare(): void {
  const best = new Map<Tool, Sample>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const tool of tools) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--worker', tool], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (child.status !== 0) throw new Error(`${tool} worker failed: ${child.stderr}`);
      const sample = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Sample;
      const previous = best.get(tool);
      best.set(tool, {
        ...(previous && previous.seconds < sample.seconds ? previous : sample),
        cpuSeconds: Math.min(previous?.cpuSeconds ?? Number.POSITIVE_INFINITY, sample.cpuSeconds),
        peakRssMiB: Math.max(previous?.peakRssMiB ?? 0, sample.peakRssMiB),
      });
    }
  }
  const ours = best.get('layerwise')!;
  console.log(`corpus: ${ours.files} files (best of ${ROUNDS} interleaved rounds, each after a warm-up pass)`);
  for (const [tool, sample] of best) {
    const name = sample.threads ? `${tool} ${sample.threads}` : tool;
    console.log(
      `${name.padEnd(20)} ${(sample.files / sample.seconds).toFixed(0).padStart(6)} files/s (${(sample.files / sample.cpuSeconds).toFixed(0).padStart(6)} per CPU-second)  peak RSS ${sample.peakRssMiB.toFixed(0).padStart(4)} MiB (corpus loaded: ${sample.baselineRssMiB.toFixed(0)} MiB)${sample.failures ? `  ${sample.failures} files threw` : ''}`,
    );
  }
  // The target is judged on one thread (what each reference uses); the threaded CLI is reported beside it, in wall
  // time only (its CPU time adds up every thread's).
  const threaded = best.get('layerwise --jobs')!;
  let slower = false;
  for (const tool of ['dockerfile-utils', 'dockerfilelint'] as const) {
    const reference = best.get(tool)!;
    const speed = reference.seconds / ours.seconds;
    slower ||= speed < 1;
    console.log(
      `ratio vs ${tool}: one thread ${speed.toFixed(2)}x files/s, ${(reference.cpuSeconds / ours.cpuSeconds).toFixed(2)}x per CPU-second (target > 1x) ${speed >= 1 ? 'OK' : 'BELOW TARGET'}, ${(ours.peakRssMiB / reference.peakRssMiB).toFixed(2)}x peak RSS; --jobs ${threaded.threads}: ${(reference.seconds / threaded.seconds).toFixed(2)}x files/s, ${(threaded.peakRssMiB / reference.peakRssMiB).toFixed(2)}x peak RSS`,
    );
  }
  process.exitCode = slower ? 1 : 0;
}
