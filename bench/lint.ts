/**
 * Lint throughput and peak memory on the whole shared corpus (≈5,700 real Dockerfiles): layerwise `lint` (BuildKit-exact
 * parse, a real shell parse of every RUN, every rule) against dockerfile-utils `validate` and dockerfilelint
 * `run`, measured in the same run. Figures: files/s (wall) and files per CPU-second (the machine may be shared: CPU time
 * is the steadier one, and the target is judged on it), and peak RSS, as ratios against each reference. Target: faster
 * per CPU-second than both, on one thread.
 *
 * In-process method (steady state, the same for every tool): each tool lints in its own child process (so its peak
 * RSS is its own) over texts read beforehand; layerwise runs from dist/ (plain tsc output, as users run it, and as the
 * references run from their published JavaScript). Warm-up: at least WARM_MIN passes over the corpus, then more
 * until a pass is no longer more than SETTLED faster per CPU-second than the one before (the JIT has stopped paying
 * off), at most WARM_MAX. Then TIMED passes (LINT_BENCH_PASSES, default 5); the tool's figure is the median timed
 * pass (CPU and wall each). Measured at 21:27: layerwise still climbs for ~3 passes (925, 2432, 3064, 3267, 3305
 * files/CPU-s) while dockerfilelint settles after one, so a single warm-up pass compared a half-warm layerwise with a
 * warm reference. Rounds (LINT_BENCH_ROUNDS, default 2) run every tool again in a fresh process, interleaved; the best
 * round's median counts (a round that shared the CPUs with someone else's burst loses). Every pass's rate is printed.
 *
 * Beside it, what users run: the compiled CLI (`node bin/layerwise.js lint FILE...`, dist/, no tsx anywhere) over the
 * same files, once with `--jobs 1` and once with one thread per CPU — whole processes, timed from spawn to exit with
 * no warm-up (a user's run has none, JIT included), CPU time and peak RSS of every thread of the process; best round.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { validate } from 'dockerfile-utils';
import { sharedDir } from '../test/support/paths.js';
import { corpusFiles } from '../test/support/run-scripts.js';
import { bin, ensureBuilt, root } from './support/built.js';

const THREADS = availableParallelism();
const inProcess = ['layerwise', 'dockerfile-utils', 'dockerfilelint'] as const;
const cli = ['layerwise lint --jobs 1', `layerwise lint --jobs ${THREADS}`] as const;
type InProcess = (typeof inProcess)[number];
type Tool = InProcess | (typeof cli)[number];
const ROUNDS = Number(process.env.LINT_BENCH_ROUNDS ?? 2);
/** >1: every Nth file, for a quick look on a busy machine. */
const EVERY = Number(process.env.LINT_BENCH_EVERY ?? 1);
/** Steady-state method of the in-process tools (see the header): warm-up bounds, settling threshold, timed passes. */
const WARM_MIN = 3;
const WARM_MAX = 10;
const SETTLED = 0.03;
const TIMED = Number(process.env.LINT_BENCH_PASSES ?? 5);

interface Sample {
  files: number;
  seconds: number;
  /** CPU time (user + system, every thread): steadier than wall time on a shared machine. */
  cpuSeconds: number;
  /** Peak resident set of the whole process, and (in-process tools) its resident set once the corpus was read. */
  peakRssMiB: number;
  baselineRssMiB?: number;
  failures: number;
  /** In-process tools: files per CPU-second of every warm-up pass, then of every timed pass. */
  warmup?: number[];
  timed?: number[];
}

const worker = process.argv[2] === '--worker' ? (process.argv[3] as InProcess) : undefined;
if (!sharedDir) {
  console.log('lint: SKIPPED, no ../shared corpus (set LAYERWISE_SHARED)');
} else if (worker) {
  console.log(JSON.stringify(await measure(worker, join(sharedDir, 'corpus'))));
} else {
  ensureBuilt();
  compare(join(sharedDir, 'corpus'));
}

function files(corpus: string): string[] {
  return corpusFiles(corpus).filter((_, index) => index % EVERY === 0);
}

/** One tool, one child process: read the corpus, warm up until the rate settles, then time TIMED passes (median). */
async function measure(tool: InProcess, corpus: string): Promise<Sample> {
  const texts = files(corpus).map((file) => readFileSync(file, 'utf8'));
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
  const rate = (cpuSeconds: number) => Math.round(texts.length / cpuSeconds);
  const warmup: number[] = [];
  while (warmup.length < WARM_MAX) {
    warmup.push(rate(pass().cpuSeconds));
    const [previous, last] = warmup.slice(-2);
    if (warmup.length >= WARM_MIN && last <= previous * (1 + SETTLED)) break;
  }
  const timed = Array.from({ length: TIMED }, pass);
  return {
    files: texts.length,
    seconds: median(timed.map((p) => p.seconds)),
    cpuSeconds: median(timed.map((p) => p.cpuSeconds)),
    // maxRSS is in KiB.
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    baselineRssMiB,
    failures,
    warmup,
    timed: timed.map((p) => rate(p.cpuSeconds)),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The compiled CLI in its own process, as a user runs it over many files (relative to the corpus, its working
 * directory). A one-line module given to `--import` reports the process's CPU time (all threads) and peak RSS at exit.
 */
function measureCli(tool: (typeof cli)[number], corpus: string): Sample {
  const report = `process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('\\nbench-usage ' + JSON.stringify({ cpu: (u.user + u.system) / 1e6, maxRSS: process.resourceUsage().maxRSS }) + '\\n'); });`;
  const named = files(corpus).map((file) => relative(corpus, file));
  const start = process.hrtime.bigint();
  const child = spawnSync(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(report)}`, bin, ...tool.split(' ').slice(1), ...named],
    {
      cwd: corpus,
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 1 << 24,
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const usage = /^bench-usage (.*)$/m.exec(child.stderr)?.[1];
  // Exit 2: some corpus files do not parse (the report names them); anything else is a failure of the run.
  if ((child.status !== 1 && child.status !== 2) || !usage)
    throw new Error(`${tool} failed (exit ${child.status}): ${child.stderr.slice(-2000)}`);
  const { cpu, maxRSS } = JSON.parse(usage) as { cpu: number; maxRSS: number };
  return { files: named.length, seconds, cpuSeconds: cpu, peakRssMiB: maxRSS / 1024, failures: 0 };
}

async function linter(tool: InProcess, corpus: string): Promise<(text: string) => unknown> {
  switch (tool) {
    case 'layerwise': {
      // dist/ (compare() built it): plain tsc output, as users run it and as the references ship theirs.
      const { lint } = (await import(join(root, 'dist', 'src', 'rules', 'lint.js'))) as typeof import('../src/rules/lint.js');
      return (text) => lint(text).findings;
    }
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

function compare(corpus: string): void {
  const best = new Map<Tool, Sample>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const tool of [...inProcess, ...cli]) {
      const sample = (cli as readonly string[]).includes(tool)
        ? measureCli(tool as (typeof cli)[number], corpus)
        : spawnMeasure(tool as InProcess);
      if (sample.timed) {
        console.log(
          `round ${round + 1} ${tool.padEnd(17)} files/CPU-s, warm-up ${sample.warmup!.join(' ')} | timed ${sample.timed.join(' ')} | median ${(sample.files / sample.cpuSeconds).toFixed(0)}`,
        );
      }
      const previous = best.get(tool);
      // The best round: its CPU and wall figures each (in-process: medians of that round's timed passes).
      best.set(tool, {
        ...(previous && previous.cpuSeconds < sample.cpuSeconds ? previous : sample),
        seconds: Math.min(previous?.seconds ?? Number.POSITIVE_INFINITY, sample.seconds),
        peakRssMiB: Math.max(previous?.peakRssMiB ?? 0, sample.peakRssMiB),
      });
    }
  }
  const ours = best.get('layerwise')!;
  console.log(
    `corpus: ${ours.files} files (best of ${ROUNDS} interleaved rounds; in-process tools: median of ${TIMED} timed passes after the same settling warm-up, from ${WARM_MIN} to ${WARM_MAX} passes; the CLI from spawn to exit); load average ${loadavg()[0].toFixed(1)} on ${THREADS} CPUs`,
  );
  for (const [tool, sample] of best) {
    console.log(
      `${tool.padEnd(26)} ${(sample.files / sample.seconds).toFixed(0).padStart(6)} files/s (${(sample.files / sample.cpuSeconds).toFixed(0).padStart(6)} per CPU-second)  peak RSS ${sample.peakRssMiB.toFixed(0).padStart(4)} MiB${sample.baselineRssMiB === undefined ? '' : ` (corpus loaded: ${sample.baselineRssMiB.toFixed(0)} MiB)`}${sample.failures ? `  ${sample.failures} files threw` : ''}`,
    );
  }
  // The target is judged per CPU-second on one thread (what each reference uses); the CLI is reported beside it.
  let slower = false;
  for (const tool of ['dockerfile-utils', 'dockerfilelint'] as const) {
    const reference = best.get(tool)!;
    const speed = reference.cpuSeconds / ours.cpuSeconds;
    slower ||= speed < 1;
    console.log(
      `ratio vs ${tool}: one thread ${speed.toFixed(2)}x per CPU-second (target > 1x) ${speed >= 1 ? 'OK' : 'BELOW TARGET'}, ${(reference.seconds / ours.seconds).toFixed(2)}x files/s wall, ${(ours.peakRssMiB / reference.peakRssMiB).toFixed(2)}x peak RSS`,
    );
  }
  const [one, many] = cli.map((tool) => best.get(tool)!);
  console.log(
    `CLI --jobs ${THREADS} vs --jobs 1: ${(one.seconds / many.seconds).toFixed(2)}x wall, ${(one.cpuSeconds / many.cpuSeconds).toFixed(2)}x per CPU-second, ${(many.peakRssMiB / one.peakRssMiB).toFixed(2)}x peak RSS (wall gains need idle CPUs: see the load average above)`,
  );
  process.exitCode = slower ? 1 : 0;
}

function spawnMeasure(tool: InProcess): Sample {
  const child = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--worker', tool], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`${tool} worker failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Sample;
}
