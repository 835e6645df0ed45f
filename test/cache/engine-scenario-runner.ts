/**
 * Runs OLD/NEW scenarios (engine-scenarios.ts) on a real engine: OLD is built, then NEW, and every step's CACHED status
 * BuildKit printed for NEW must equal predict()'s status (and the scenario's stated expectation).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { readContextDir } from '../../src/cache/context.js';
import type { ImageStore } from '../../src/cache/keys.js';
import { predict } from '../../src/cache/predict.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { buildAndRecord, makeContext, uniqueTag } from '../support/engine.js';
import type { Scenario, ScenarioSide } from './engine-scenarios.js';

const nonce = randomBytes(6).toString('hex');
const hasSetfattr = spawnSync('setfattr', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * How many scenarios build at once (the `describe` option): a build spends most of its time waiting (client start,
 * solve, export), so a few at a time finish sooner even on 2 cores. Each scenario has its own nonce, so concurrent
 * builds never answer for each other; a vertex they share is matched by its text (src/build/steps.ts).
 */
export const scenarioConcurrency = { concurrency: Number(process.env.LAYERWISE_SCENARIO_CONCURRENCY ?? 3) };

export interface ScenarioEngine {
  /** node:test options for the engine the scenarios need (skip or throw when it is missing); `host` picks the engine. */
  engine: () => { skip: string | false; timeout: number; host?: string };
  /** The image store the engine uses, as the prediction must assume it. */
  imageStore: ImageStore;
  /** Names the tags and the nonce: scenarios of two lists never share cache entries. */
  prefix: string;
}

/**
 * `@NONCE` (in the Dockerfile and in file contents) is unique per run and scenario: no scenario's cache entries can
 * answer for another's. (A `--link` copy has no parent, so only its content keeps it apart.)
 */
function prepare(t: TestContext, side: ScenarioSide, id: string) {
  const unique = (text: string) => text.replaceAll('@NONCE', `${nonce}-${id}`);
  const dockerfile = unique(side.dockerfile);
  const files = Object.fromEntries(Object.entries(side.files ?? {}).map(([path, content]) => [path, unique(content)]));
  const dir = makeContext(t, { ...files, Dockerfile: dockerfile });
  for (const path of side.executable ?? []) chmodSync(join(dir, path), 0o755);
  for (const [path, target] of Object.entries(side.symlinks ?? {})) symlinkSync(target, join(dir, path));
  for (const [path, attributes] of Object.entries(side.xattrs ?? {})) {
    for (const [name, value] of Object.entries(attributes)) {
      const set = spawnSync('setfattr', ['-n', name, '-v', value, join(dir, path)], { encoding: 'utf8' });
      assert.equal(set.status, 0, `setfattr ${name} on ${path}: ${set.stderr}`);
    }
  }
  return { dir, dockerfile };
}

/** One node:test test per scenario. */
export function scenarioTests(list: Scenario[], how: ScenarioEngine): void {
  list.forEach((scenario, index) => {
    const needsXattrs = scenario.old.xattrs || scenario.new.xattrs;
    // In CI a missing tool is a failure, not a skip (scripts/ci-extras.sh installs attr).
    const options =
      needsXattrs && !hasSetfattr && !process.env.CI
        ? { skip: 'SKIPPED: setfattr is not installed (apt-get install attr)' }
        : how.engine();
    const host = 'host' in options ? options.host : undefined;
    test(scenario.name, options, async (t) => {
      const id = `${how.prefix}-${index}`;
      const old = prepare(t, scenario.old, id);
      const next = prepare(t, scenario.new, id);
      const build = (side: ScenarioSide, dir: string) =>
        buildAndRecord(t, {
          context: dir,
          buildArgs: side.buildArgs,
          target: scenario.target,
          tag: uniqueTag(id),
          ...(host ? { host } : {}),
          ...(side.buildOptions ? { extraArgs: side.buildOptions.map((o) => o.replaceAll('@CONTEXT', dir)) } : {}),
        });
      const first = await build(scenario.old, old.dir);
      assert.equal(first.exitCode, 0, first.error);
      const record = await build(scenario.new, next.dir);
      if (record.exitCode !== 0 && scenario.unsupported?.message.test(record.error ?? '')) {
        // The engine refuses the feature itself, for the stated reason (asserted by the match); nothing to compare.
        t.diagnostic(`not comparable on this engine: ${scenario.unsupported.reason}`);
        return;
      }
      assert.equal(record.exitCode, 0, record.error);
      assert.deepEqual(record.unmatched, [], 'every vertex BuildKit printed belongs to a step');
      const prediction = predict(
        {
          dockerfile: parseDockerfile(old.dockerfile),
          context: readContextDir(old.dir, { dockerfile: 'Dockerfile' }),
          options: { buildArgs: scenario.old.buildArgs, target: scenario.target },
        },
        {
          dockerfile: parseDockerfile(next.dockerfile),
          context: readContextDir(next.dir, { dockerfile: 'Dockerfile' }),
          options: { buildArgs: scenario.new.buildArgs, target: scenario.target },
        },
        { imageStore: how.imageStore },
      );
      const printed = Object.fromEntries(
        record.steps.filter((s) => s.status !== 'base').map((s) => [s.line, s.cached ? 'cached' : 'rebuilt']),
      );
      const predicted = Object.fromEntries(prediction.steps.filter((s) => s.kind !== 'FROM').map((s) => [s.line, s.status]));
      const unknown = new Set(scenario.unknown ?? []);
      const exact = Object.fromEntries(
        Object.entries(printed).map(([line, status]) => [line, unknown.has(Number(line)) ? 'unknown' : status]),
      );
      assert.deepEqual(predicted, exact, 'prediction vs BuildKit (lines listed as unknown are predicted unknown)');
      assert.deepEqual(
        printed,
        Object.fromEntries(Object.entries(scenario.expect).map(([k, v]) => [Number(k), v])),
        'BuildKit vs the scenario',
      );
      const copyHalves = Object.fromEntries(
        record.steps.filter((s) => s.linkCopyCached !== undefined).map((s) => [s.line, s.linkCopyCached ? 'cached' : 'rebuilt']),
      );
      assert.deepEqual(
        copyHalves,
        Object.fromEntries(Object.entries(scenario.linkCopy ?? {}).map(([k, v]) => [Number(k), v])),
        'the copy half of each --link step (containerd image store only)',
      );
    });
  });
}
