/**
 * In CI (CI=true) a missing engine fails the real-engine tests instead of skipping them: each case loads
 * test/support/engine.ts in a fresh process (its answer is cached per process) with no engine reachable.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { needsEngine } from './engine.js';
import { repoRoot } from './paths.js';

/** Runs `fn` of test/support/engine.ts in a child with `env`; prints its result as JSON. */
function inChild(fn: 'needsEngine' | 'needsContainerdEngine', env: NodeJS.ProcessEnv) {
  const code = `import('./test/support/engine.ts').then((m) => console.log(JSON.stringify(m.${fn}())))`;
  return spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: repoRoot, env, encoding: 'utf8', timeout: 120_000 });
}

/** An environment where no engine answers: no socket, and an empty scripts/engine.sh state folder. */
function noEngine(t: { after: (fn: () => void) => void }): NodeJS.ProcessEnv {
  const state = mkdtempSync(join(tmpdir(), 'layerwise-no-engine-'));
  t.after(() => rmSync(state, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: `unix://${state}/none.sock`, LAYERWISE_ENGINE_DIR: state };
  delete env.LAYERWISE_ENGINE_CONTAINERD;
  delete env.CI;
  return env;
}

test('no engine: outside CI the real-engine tests skip, saying why; in CI they fail', (t) => {
  const env = noEngine(t);
  const outside = inChild('needsEngine', env);
  assert.equal(outside.status, 0, outside.stderr);
  assert.match(JSON.parse(outside.stdout).skip, /^SKIPPED: no Docker engine answers/);
  const ci = inChild('needsEngine', { ...env, CI: 'true' });
  assert.notEqual(ci.status, 0);
  assert.match(ci.stderr, /no Docker engine answers in CI/);
});

test('no engine with the containerd image store: skipped outside CI, a failure in CI', needsEngine(), (t) => {
  // DOCKER_HOST's engine answers but keeps the overlay2 store (when it has the containerd store, there is nothing to test).
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.LAYERWISE_ENGINE_CONTAINERD;
  delete env.CI;
  const outside = inChild('needsContainerdEngine', env);
  assert.equal(outside.status, 0, outside.stderr);
  const answer = JSON.parse(outside.stdout);
  if (answer.host) {
    t.diagnostic(`DOCKER_HOST's engine has the containerd image store (${answer.host}): nothing missing to test`);
    return;
  }
  assert.match(answer.skip, /^SKIPPED: no engine with the containerd image store/);
  const ci = inChild('needsContainerdEngine', { ...env, CI: 'true' });
  assert.notEqual(ci.status, 0);
  assert.match(ci.stderr, /no engine with the containerd image store in CI/);
});
