/**
 * Parse throughput on the whole corpus (../shared/corpus, ≈5,700 real Dockerfiles): layerwise's BuildKit-exact,
 * lossless parser against dockerfile-ast (the most used JS Dockerfile parser), measured in the same run, interleaved,
 * best of several rounds. layerwise computes everything eagerly (ranges of every part, command texts and their source
 * maps, heredoc bodies), so the fair reference is dockerfile-ast's parse *plus* a walk that asks for the same things
 * (instructions, their arguments and flags); its bare parse is shown too. Target ≥ 1x, aim 3x.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser, type Instruction, type ModifiableInstruction } from 'dockerfile-ast';
import { parseDockerfile } from '../src/dockerfile/index.js';

const root = join(import.meta.dirname, '..', '..', 'shared', 'corpus');
const corpus = process.env.LAYERWISE_SHARED ? join(process.env.LAYERWISE_SHARED, 'corpus') : root;

function load(dir: string): string[] {
  const texts: string[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (at !== dir) texts.push(readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return texts;
}

let texts: string[];
try {
  texts = load(corpus);
} catch {
  console.log(`parse: SKIPPED, no corpus at ${corpus}`);
  process.exit(0);
}
const megabytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / 1e6;

let sink = 0; // keeps results alive enough that nothing is optimised away

function ours(): void {
  for (const text of texts) {
    try {
      sink += parseDockerfile(text).instructions.length;
    } catch {
      sink++;
    }
  }
}

function referenceParse(): void {
  for (const text of texts) sink += DockerfileParser.parse(text).getInstructions().length;
}

function referenceWalk(): void {
  for (const text of texts) {
    const dockerfile = DockerfileParser.parse(text);
    for (const instruction of dockerfile.getInstructions() as Instruction[]) {
      sink += instruction.getArguments().length + instruction.getRange().end.line;
      const flags = (instruction as ModifiableInstruction).getFlags?.();
      if (flags) sink += flags.length;
    }
    sink += dockerfile.getComments().length + dockerfile.getDirectives().length;
  }
}

function seconds(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const best = { ours: Infinity, parse: Infinity, walk: Infinity };
for (const fn of [ours, referenceParse, referenceWalk]) fn(); // warm-up (JIT)
for (let round = 0; round < 5; round++) {
  gc();
  best.ours = Math.min(best.ours, seconds(ours));
  gc();
  best.parse = Math.min(best.parse, seconds(referenceParse));
  gc();
  best.walk = Math.min(best.walk, seconds(referenceWalk));
}

const line = (name: string, s: number) =>
  `${name.padEnd(34)} ${(texts.length / s).toFixed(0).padStart(7)} files/s ${(megabytes / s).toFixed(2).padStart(7)} MB/s`;
console.log(`corpus: ${texts.length} files, ${megabytes.toFixed(2)} MB (best of 5 rounds, interleaved)`);
console.log(line('layerwise parseDockerfile', best.ours));
console.log(line('dockerfile-ast parse + walk', best.walk));
console.log(line('dockerfile-ast parse only', best.parse));
const ratio = best.walk / best.ours;
console.log(
  `ratio vs dockerfile-ast parse + walk: ${ratio.toFixed(2)}x (target ≥ 1x, aim 3x) ${ratio >= 1 ? 'OK' : 'BELOW TARGET'}`,
);
console.log(`ratio vs dockerfile-ast parse only:   ${(best.parse / best.ours).toFixed(2)}x`);
if (sink < 0) console.log(sink);
process.exitCode = ratio >= 1 ? 0 : 1;
