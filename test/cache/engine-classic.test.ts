/**
 * `--builder classic` against the real classic builder (`DOCKER_BUILDKIT=0 docker build`, deprecated but still in
 * Docker 28): each scenario builds OLD, then NEW, and every `Step i/n` the builder reports as `Using cache` (or not)
 * must equal the prediction, step for step.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { readContextDir } from '../../src/cache/context.js';
import { predict } from '../../src/cache/predict.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { makeContext, needsEngine, removeImage, uniqueTag } from '../support/engine.js';

interface Side {
  dockerfile: string;
  files?: Record<string, string>;
  buildArgs?: Record<string, string>;
  /** Paths whose mtime is moved (content unchanged). */
  touch?: string[];
}

interface ClassicScenario {
  name: string;
  old: Side;
  new: Side;
  target?: string;
  /** Per classic step of NEW, in order, FROM excluded (it never prints `Using cache`): what the builder printed. */
  expect: ('cached' | 'rebuilt')[];
}

const FROM = 'FROM debian:bookworm\nRUN echo @NONCE';

const scenarios: ClassicScenario[] = [
  {
    name: 'nothing changed: every instruction is a cached step',
    old: { dockerfile: `${FROM}\nLABEL a=1\nCOPY a.txt /a\nCMD ["x"]\n`, files: { 'a.txt': 'a' } },
    new: { dockerfile: `${FROM}\nLABEL a=1\nCOPY a.txt /a\nCMD ["x"]\n`, files: { 'a.txt': 'a' } },
    expect: ['cached', 'cached', 'cached', 'cached'],
  },
  {
    name: 'a LABEL change misses it and every step after it',
    old: { dockerfile: `${FROM}\nLABEL a=1\nCOPY a.txt /a\nRUN echo x\n`, files: { 'a.txt': 'a' } },
    new: { dockerfile: `${FROM}\nLABEL a=2\nCOPY a.txt /a\nRUN echo x\n`, files: { 'a.txt': 'a' } },
    expect: ['cached', 'rebuilt', 'rebuilt', 'rebuilt'],
  },
  {
    name: 'no recovery: an ENV change rebuilds the COPY after it',
    old: { dockerfile: `${FROM}\nENV MODE=a\nCOPY a.txt /a\n`, files: { 'a.txt': 'a' } },
    new: { dockerfile: `${FROM}\nENV MODE=b\nCOPY a.txt /a\n`, files: { 'a.txt': 'a' } },
    expect: ['cached', 'rebuilt', 'rebuilt'],
  },
  {
    name: 'a build arg value: the ARG step and a COPY stay cached, the RUN (|1 V=…) misses',
    old: { dockerfile: `${FROM}\nARG V=1\nCOPY a.txt /a\nRUN echo x\n`, files: { 'a.txt': 'a' } },
    new: { dockerfile: `${FROM}\nARG V=1\nCOPY a.txt /a\nRUN echo x\n`, files: { 'a.txt': 'a' }, buildArgs: { V: '2' } },
    expect: ['cached', 'cached', 'cached', 'rebuilt'],
  },
  {
    name: 'a file content change misses the COPY and what follows; an mtime change does not',
    old: { dockerfile: `${FROM}\nCOPY a.txt b.txt /d/\nRUN ls /d\n`, files: { 'a.txt': 'a', 'b.txt': 'b' } },
    new: {
      dockerfile: `${FROM}\nCOPY a.txt b.txt /d/\nRUN ls /d\n`,
      files: { 'a.txt': 'a', 'b.txt': 'B' },
      touch: ['a.txt'],
    },
    expect: ['cached', 'rebuilt', 'rebuilt'],
  },
  {
    name: 'only mtimes moved: everything cached',
    old: { dockerfile: `${FROM}\nCOPY . /app\n`, files: { 'a.txt': 'a' } },
    new: { dockerfile: `${FROM}\nCOPY . /app\n`, files: { 'a.txt': 'a' }, touch: ['a.txt', 'Dockerfile'] },
    expect: ['cached', 'cached'],
  },
  {
    name: 'every stage up to the target is built, and an edit in an unneeded stage misses there',
    old: { dockerfile: `FROM debian:bookworm AS unused\nRUN echo @NONCE one\n${FROM}\nRUN echo x\n` },
    new: { dockerfile: `FROM debian:bookworm AS unused\nRUN echo @NONCE two\n${FROM}\nRUN echo x\n` },
    expect: ['rebuilt', 'cached', 'cached'],
  },
  {
    name: 'a RUN reflowed keeps nothing: its command string changed',
    old: { dockerfile: `${FROM}\nRUN echo a && \\\n  echo b\nWORKDIR /w\n` },
    new: { dockerfile: `${FROM}\nRUN echo a && \\\n    echo b\nWORKDIR /w\n` },
    expect: ['cached', 'rebuilt', 'rebuilt'],
  },
];

const nonce = randomBytes(6).toString('hex');

function prepare(t: Parameters<typeof makeContext>[0], side: Side, index: number) {
  const dockerfile = side.dockerfile.replaceAll('@NONCE', `${nonce}-${index}`);
  const dir = makeContext(t, { ...(side.files ?? {}), Dockerfile: dockerfile });
  const later = new Date(Date.now() + 3_600_000);
  for (const path of side.touch ?? []) utimesSync(join(dir, path), later, later);
  return { dir, dockerfile };
}

/** Runs the classic builder; returns per `Step i/n`, in order, whether it printed `Using cache`. */
function classicBuild(t: TestContext, dir: string, side: Side, target?: string) {
  const tag = uniqueTag('cache-classic');
  const args = ['build', '-t', tag, ...(target ? ['--target', target] : [])];
  for (const [k, v] of Object.entries(side.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
  const result = spawnSync('docker', [...args, dir], { encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: '0' } });
  t.after(() => removeImage(tag));
  assert.equal(result.status, 0, result.stderr);
  const steps: (boolean | undefined)[] = [];
  for (const line of result.stdout.split('\n')) {
    if (/^Step \d+\/\d+ : FROM /i.test(line)) steps.push(undefined);
    else if (/^Step \d+\/\d+ : /.test(line)) steps.push(false);
    else if (line.trim() === '---> Using cache' && steps.length) steps[steps.length - 1] = true;
  }
  return steps.filter((step) => step !== undefined);
}

describe('--builder classic predictions equal the classic builder (real engine, DOCKER_BUILDKIT=0)', () => {
  scenarios.forEach((scenario, index) => {
    test(scenario.name, needsEngine(), (t) => {
      const old = prepare(t, scenario.old, index);
      const next = prepare(t, scenario.new, index);
      classicBuild(t, old.dir, scenario.old, scenario.target);
      const printed = classicBuild(t, next.dir, scenario.new, scenario.target).map((c) => (c ? 'cached' : 'rebuilt'));
      const side = (s: Side, p: { dir: string; dockerfile: string }) => ({
        dockerfile: parseDockerfile(p.dockerfile),
        context: readContextDir(p.dir),
        options: { buildArgs: s.buildArgs, target: scenario.target },
      });
      const prediction = predict(side(scenario.old, old), side(scenario.new, next), { builder: 'classic' });
      const steps = prediction.steps.filter((s) => s.kind !== 'FROM');
      assert.deepEqual(
        steps.map((s) => s.status),
        printed,
        `prediction vs the classic builder: ${steps.map((s) => `${s.line}:${s.instruction}`).join(' | ')}`,
      );
      assert.deepEqual(printed, scenario.expect, 'the classic builder vs the scenario');
    });
  });
});
