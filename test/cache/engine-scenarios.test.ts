/**
 * Real BuildKit against predict(): each scenario builds OLD, then NEW, on the engine at DOCKER_HOST, and every step's
 * CACHED status BuildKit printed for NEW must equal the prediction (and the scenario's stated expectation).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readContextDir } from '../../src/cache/context.js';
import { predict } from '../../src/cache/predict.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { buildAndRecord, makeContext, needsEngine, uniqueTag } from '../support/engine.js';
import { type ScenarioSide, scenarios } from './engine-scenarios.js';

const nonce = randomBytes(6).toString('hex');
const hasSetfattr = spawnSync('setfattr', ['--version'], { stdio: 'ignore' }).status === 0;

/** `@NONCE` is unique per run and scenario: no scenario's cache entries can answer for another's. */
function prepare(t: Parameters<typeof makeContext>[0], side: ScenarioSide, index: number) {
  const dockerfile = side.dockerfile.replaceAll('@NONCE', `${nonce}-${index}`);
  const dir = makeContext(t, { ...(side.files ?? {}), Dockerfile: dockerfile });
  for (const path of side.executable ?? []) chmodSync(join(dir, path), 0o755);
  for (const [path, attributes] of Object.entries(side.xattrs ?? {})) {
    for (const [name, value] of Object.entries(attributes)) {
      const set = spawnSync('setfattr', ['-n', name, '-v', value, join(dir, path)], { encoding: 'utf8' });
      assert.equal(set.status, 0, `setfattr ${name} on ${path}: ${set.stderr}`);
    }
  }
  return { dir, dockerfile };
}

describe('cache predictions equal what BuildKit prints (real engine)', () => {
  scenarios.forEach((scenario, index) => {
    const needsXattrs = scenario.old.xattrs || scenario.new.xattrs;
    const options =
      // In CI a missing tool is a failure, not a skip (scripts/ci-extras.sh installs attr).
      needsXattrs && !hasSetfattr && !process.env.CI
        ? { skip: 'SKIPPED: setfattr is not installed (apt-get install attr)' }
        : needsEngine();
    test(scenario.name, options, async (t) => {
      const old = prepare(t, scenario.old, index);
      const next = prepare(t, scenario.new, index);
      const tag = () => uniqueTag(`cache-scenario-${index}`);
      await buildAndRecord(t, { context: old.dir, buildArgs: scenario.old.buildArgs, target: scenario.target, tag: tag() });
      const record = await buildAndRecord(t, {
        context: next.dir,
        buildArgs: scenario.new.buildArgs,
        target: scenario.target,
        tag: tag(),
      });
      assert.equal(record.exitCode, 0, record.error);
      const prediction = predict(
        {
          dockerfile: parseDockerfile(old.dockerfile),
          context: readContextDir(old.dir),
          options: { buildArgs: scenario.old.buildArgs, target: scenario.target },
        },
        {
          dockerfile: parseDockerfile(next.dockerfile),
          context: readContextDir(next.dir),
          options: { buildArgs: scenario.new.buildArgs, target: scenario.target },
        },
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
    });
  });
});
