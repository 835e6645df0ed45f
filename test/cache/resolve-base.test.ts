/**
 * `cache diff --resolve-base` against real BuildKit and a real registry: a base image tag that moves to other layers
 * rebuilds everything; one re-pushed with the same layers and another config (a label) stays CACHED, because BuildKit
 * matches a base image by its layers' ChainID as well as its manifest digest.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { resolveBaseImage } from '../../src/image/sources/base-image.js';
import { buildAndRecord, makeContext, needsEngine, removeImage } from '../support/engine.js';
import { needsRegistries, testRegistries, uniqueRepository } from '../support/registries.js';

const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Builds `dockerfile` as `ref`, pushes it, and removes the local tag (so a default build asks the registry). */
function pushImage(t: Parameters<typeof makeContext>[0], ref: string, dockerfile: string): void {
  const dir = makeContext(t, { Dockerfile: dockerfile });
  docker('build', '-q', '-t', ref, dir);
  docker('push', '-q', ref);
  removeImage(ref);
}

const skip = () => {
  const engine = needsEngine();
  return engine.skip ? engine : { ...engine, ...needsRegistries() };
};

describe('cache diff --resolve-base (real engine, real registry)', () => {
  test('a moved tag rebuilds everything; a config-only re-push stays cached unless its ENV changed', skip(), async (t) => {
    const nonce = randomBytes(6).toString('hex');
    const ref = `${testRegistries().open}/${uniqueRepository('cache-base')}:stable`;
    const files = { 'a.txt': 'a', Dockerfile: `FROM ${ref}\nRUN echo ${nonce} > /nonce\nCOPY a.txt /a\n` };
    const context = makeContext(t, files);
    const cacheDiff = async (oldDigest: string) => {
      const io = memoryIo({ cwd: context, env: process.env });
      const args = ['cache', 'diff', '.', '.', '--resolve-base', '--old-base', `${ref}@${oldDigest}`, '--format', 'json'];
      assert.equal(await main(args, io), 0, io.err);
      return JSON.parse(io.out) as { steps: { line: number; status: string; reason: string }[]; assumptions: string[] };
    };
    const built = async () => {
      const record = await buildAndRecord(t, { context });
      assert.equal(record.exitCode, 0, record.error);
      return Object.fromEntries(
        record.steps.filter((s) => s.status !== 'base').map((s) => [s.line, s.cached ? 'cached' : 'rebuilt']),
      );
    };
    const predicted = (report: Awaited<ReturnType<typeof cacheDiff>>) =>
      Object.fromEntries(report.steps.filter((s) => s.line !== 1).map((s) => [s.line, s.status]));

    pushImage(t, ref, 'FROM debian:bookworm\n');
    const first = await resolveBaseImage(ref, { source: 'auto' });
    assert.equal(first.source, 'registry');
    await built();

    // The same layers under another config: a new manifest digest, still CACHED.
    pushImage(t, ref, `FROM debian:bookworm\nLABEL rebuilt=${nonce}\n`);
    const relabelled = await cacheDiff(first.digest);
    assert.deepEqual(relabelled.steps[0], { ...relabelled.steps[0], line: 1, status: 'cached' });
    assert.deepEqual(predicted(relabelled), { 2: 'cached', 3: 'cached' });
    assert.deepEqual(await built(), predicted(relabelled), 'prediction vs BuildKit (config-only re-push)');

    // The same layers with another ENV in the config: FROM stays cached, the RUN sees the base image's env and rebuilds.
    pushImage(t, ref, `FROM debian:bookworm\nENV LW_BASE=${nonce}\n`);
    const envChanged = await cacheDiff(first.digest);
    assert.equal(envChanged.steps[0].status, 'cached');
    assert.deepEqual(predicted(envChanged), { 2: 'rebuilt', 3: 'rebuilt' });
    assert.deepEqual(await built(), predicted(envChanged), 'prediction vs BuildKit (base image env changed)');

    // Other layers under the same tag: FROM and everything after it rebuild.
    pushImage(t, ref, `FROM debian:bookworm\nRUN echo ${nonce} > /variant\n`);
    const moved = await cacheDiff(first.digest);
    const second = await resolveBaseImage(ref, { source: 'registry' });
    assert.equal(moved.steps[0].status, 'rebuilt');
    assert.equal(
      moved.steps[0].reason,
      `base image ${ref} changed digest (${first.digest.slice(7, 19)} → ${second.digest.slice(7, 19)})`,
    );
    assert.ok(moved.assumptions.some((a) => a.includes(second.digest) && a.includes('registry')));
    assert.deepEqual(predicted(moved), { 2: 'rebuilt', 3: 'rebuilt' });
    assert.deepEqual(await built(), predicted(moved), 'prediction vs BuildKit (tag moved to new layers)');
  });
});
