/**
 * `lint --fix` throughput on the whole shared corpus (≈5,700 real Dockerfiles): fixDockerfile (lint, fix, re-parse,
 * command-sequence check, lint again until nothing is left) against the reference measured in the same run: plain
 * `lint` of the same files — what any fix run must pay at least once. One process, one warm-up pass of each, then
 * interleaved rounds; the best round of each counts. Figure: fix files per CPU-second as a ratio of lint files per
 * CPU-second (both run on this one thread; CPU time is steadier than wall time on a machine shared with other jobs —
 * wall rates are printed too). Target: ≥ 0.5x (fixing a file costs at most two lints; about half the corpus gets
 * fixes, and each changed file is linted again).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixDockerfile } from '../src/fix/index.js';
import { lint } from '../src/rules/lint.js';
import { sharedDir } from '../test/support/paths.js';
import { corpusFiles } from '../test/support/run-scripts.js';

const TARGET = 0.5;
const ROUNDS = Number(process.env.FIX_BENCH_ROUNDS ?? 2);
const every = Number(process.env.FIX_BENCH_EVERY ?? 1); // >1: every Nth file, for a quick look on a busy machine

if (!sharedDir) {
  console.log('fix: SKIPPED, no ../shared corpus (set LAYERWISE_SHARED)');
} else {
  const files = corpusFiles(join(sharedDir, 'corpus')).filter((_, index) => index % every === 0);
  const texts = files.map((file) => readFileSync(file, 'utf8'));
  let fixed = 0;
  const runs = {
    lint: () => {
      for (const [i, text] of texts.entries()) lint(text, { file: files[i] });
    },
    fix: () => {
      fixed = 0;
      for (const [i, text] of texts.entries()) if (fixDockerfile(text, { file: files[i] }).changed) fixed++;
    },
  };
  const best = {
    lint: { wall: Number.POSITIVE_INFINITY, cpu: Number.POSITIVE_INFINITY },
    fix: { wall: Number.POSITIVE_INFINITY, cpu: Number.POSITIVE_INFINITY },
  };
  for (const run of Object.values(runs)) run(); // warm-up: JIT, tree-sitter's WASM
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of Object.entries(runs) as [keyof typeof runs, () => void][]) {
      const start = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      run();
      const used = process.cpuUsage(cpu);
      best[name].wall = Math.min(best[name].wall, Number(process.hrtime.bigint() - start) / 1e9);
      best[name].cpu = Math.min(best[name].cpu, (used.user + used.system) / 1e6);
    }
  }
  const rate = (seconds: number) => (texts.length / seconds).toFixed(0).padStart(6);
  const line = (name: string, took: { wall: number; cpu: number }) =>
    console.log(`${name.padEnd(18)}${rate(took.cpu)} files/CPU-s (${rate(took.wall)} files/s wall)`);
  console.log(`corpus: ${texts.length} files, ${fixed} changed by --fix (best of ${ROUNDS} interleaved rounds, after a warm-up)`);
  line('lint (reference)', best.lint);
  line('fixDockerfile', best.fix);
  const ratio = best.lint.cpu / best.fix.cpu;
  const wall = best.lint.wall / best.fix.wall;
  console.log(
    `ratio fix/lint: ${ratio.toFixed(2)}x files per CPU-second, ${wall.toFixed(2)}x wall (target ≥ ${TARGET}x per CPU-second) ${ratio >= TARGET ? 'OK' : 'BELOW TARGET'}`,
  );
  process.exitCode = ratio >= TARGET ? 0 : 1;
}
