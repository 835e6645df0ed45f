/**
 * CLI start-up: wall time of whole `layerwise` processes (the compiled bin, as `npx layerwise` runs it) against
 * `node -e 0` measured in the same run, interleaved, median of the rounds. What a user feels on the first run:
 * --version and --help (commander only), lint of the article's Dockerfile (rules + the shell parser), and
 * `demo` (lint, fix, two cache predictions, three HTML pages).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, ensureBuilt, root } from './support/built.js';

const ROUNDS = 9;
ensureBuilt();

const reports = mkdtempSync(join(tmpdir(), 'layerwise-bench-startup-'));
/** label, argv, the exit code it must end with, and the ceiling (× node -e 0) it is held to. */
const cases: [string, string[], number, number][] = [
  ['layerwise --version', [bin, '--version'], 0, 2],
  ['layerwise --help', [bin, '--help'], 0, 2],
  ['layerwise lint examples/seed/Dockerfile', [bin, 'lint', 'examples/seed/Dockerfile'], 1, 5],
  ['layerwise demo', [bin, 'demo', '-o', join(reports, 'demo.html')], 0, 6],
];

function wall(argv: string[], expected: number): number {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, argv, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (child.status !== expected) throw new Error(`${argv.join(' ')} exited ${child.status}: ${child.stderr}`);
  return seconds;
}

const samples = new Map<string, number[]>([['node -e 0', []], ...cases.map(([label]): [string, number[]] => [label, []])]);
for (let round = 0; round <= ROUNDS; round++) {
  const times: [string, number][] = [['node -e 0', wall(['-e', '0'], 0)]];
  for (const [label, argv, expected] of cases) times.push([label, wall(argv, expected)]);
  if (round > 0) for (const [label, seconds] of times) samples.get(label)?.push(seconds); // round 0 warms the disk cache
}
rmSync(reports, { recursive: true, force: true });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const reference = median(samples.get('node -e 0') ?? []);
console.log(`median wall of ${ROUNDS} interleaved rounds (after one warm-up round)`);
console.log(`${'reference: node -e 0'.padEnd(44)} ${(reference * 1000).toFixed(0).padStart(6)} ms`);
let slow = false;
for (const [label, , , ceiling] of cases) {
  const seconds = median(samples.get(label) ?? []);
  const ratio = seconds / reference;
  slow ||= ratio > ceiling;
  console.log(
    `${label.padEnd(44)} ${(seconds * 1000).toFixed(0).padStart(6)} ms  ${ratio.toFixed(2)}x node -e 0 (target ≤ ${ceiling}x) ${ratio <= ceiling ? 'OK' : 'ABOVE TARGET'}`,
  );
}
process.exitCode = slow ? 1 : 0;
