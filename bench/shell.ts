/**
 * Shell-stage throughput on every shell-form RUN script of the corpus (scripts/s), against the reference measured
 * in the same run: tree-sitter-bash parsing alone (parse + free), the parser the stage used before its hand-written
 * one (kept as a dev dependency: the differential test's oracle). The ratios say how much faster our parse is, and
 * what the state tracking and package-manager recognition cost on top of it.
 */
import { join } from 'node:path';
import { analyzeScript } from '../src/shell/commands.js';
import { cacheUses } from '../src/shell/package-managers/caches.js';
import { packageManagerCalls } from '../src/shell/package-managers/index.js';
import { parseShell } from '../src/shell/parse.js';
import { sharedDir } from '../test/support/paths.js';
import { corpusRuns } from '../test/support/run-scripts.js';
import { initShellParser, parseShellTree } from '../test/support/tree-sitter/load.js';

if (!sharedDir) throw new Error('bench/shell.ts needs ../shared (the corpus)');
const runs = corpusRuns(join(sharedDir, 'corpus')).map((r) => r.script);
await initShellParser();

function rate(label: string, each: (script: string) => void): number {
  each(runs[0]);
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const start = process.hrtime.bigint();
    for (const script of runs) each(script);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.max(best, runs.length / seconds);
  }
  console.log(`${label.padEnd(44)} ${best.toFixed(0).padStart(7)} scripts/s`);
  return best;
}

const chars = runs.reduce((n, s) => n + s.length, 0);
console.log(`${runs.length} RUN scripts, ${(chars / 1024 / 1024).toFixed(1)} MiB of shell (best of 3 rounds)`);
const reference = rate('reference: tree-sitter parse only', (s) => parseShellTree(s).delete());
const parse = rate('parseShell (hand-written parser)', (s) => parseShell(s));
const analyze = rate('analyzeScript', (s) => analyzeScript(s));
const full = rate('analyzeScript + package managers + caches', (s) => {
  const script = analyzeScript(s);
  cacheUses(script, packageManagerCalls(script));
});
console.log(`ratio parseShell / tree-sitter parse: ${(parse / reference).toFixed(2)}x`);
console.log(`ratio analyzeScript / tree-sitter parse: ${(analyze / reference).toFixed(2)}x`);
console.log(`ratio full pipeline / tree-sitter parse: ${(full / reference).toFixed(2)}x`);
const { heapUsed, rss } = process.memoryUsage();
console.log(`heap ${(heapUsed / 1024 / 1024).toFixed(0)} MiB, rss ${(rss / 1024 / 1024).toFixed(0)} MiB`);
