/** Real builds on the engine of scripts/engine.sh: tiny contexts, no network. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildAndRecord, engineAvailable, makeContext, needsEngine } from '../support/engine.js';

/** A Dockerfile whose RUN text is unique to this run, so the first build can never hit an old cache entry. */
function context(t: Parameters<typeof makeContext>[0]) {
  const marker = randomBytes(8).toString('hex');
  return makeContext(t, {
    Dockerfile: [
      'FROM debian:bookworm AS base',
      `WORKDIR /app/${marker}`,
      'COPY data.bin /app/',
      `RUN head -c 5000 /dev/zero > /run.bin && echo ${marker}`,
      '',
      'FROM base',
      'ENV X=1',
      'RUN head -c 3000 /dev/zero > /second.bin',
      '',
    ].join('\n'),
    'data.bin': marker.padEnd(1234, 'x'),
  });
}

const summary = (record: { steps: { line: number; stage: string; status: string }[] }) =>
  record.steps.map((s) => `${s.line} ${s.stage} ${s.status}`);

/** The old client (Docker 20.10, no buildx: plain progress only) that scripts/engine.sh provides. */
const oldClient = engineAvailable() ? process.env.LAYERWISE_DOCKER_NO_BUILDX : undefined;

const variants = [
  { name: 'buildx-rawjson', frontend: 'buildx-rawjson' as const },
  { name: 'plain (docker build through buildx)', frontend: 'plain' as const },
  { name: 'plain (Docker 20.10 client, no buildx)', frontend: 'plain' as const, docker: oldClient, old: true },
];

for (const { name, frontend, docker, old } of variants) {
  if (old && !oldClient && engineAvailable() && process.env.CI)
    throw new Error('LAYERWISE_DOCKER_NO_BUILDX unset in CI: scripts/engine.sh start provides the old client');
  const options =
    old && !oldClient && engineAvailable()
      ? { skip: 'SKIPPED: LAYERWISE_DOCKER_NO_BUILDX unset (scripts/engine.sh sets it): the no-buildx path did not run' }
      : needsEngine();
  test(`${name}: cold build, rebuild all CACHED, edit → the COPY and everything after it rebuilt`, options, async (t) => {
    const dir = context(t);
    const build = () => buildAndRecord(t, { context: dir, frontend, ...(docker ? { docker } : {}) });
    const first = await build();
    assert.equal(first.exitCode, 0, first.error);
    assert.equal(first.frontend, frontend);
    assert.deepEqual(first.unmatched, []);
    assert.deepEqual(summary(first), ['1 base base', '2 base rebuilt', '3 base rebuilt', '4 base rebuilt', '8 stage-1 rebuilt']);
    assert.match(first.imageId ?? '', /^sha256:[0-9a-f]{64}$/);
    // Layer sizes from the image: overlay2 reports the bytes of the files each step wrote.
    const size = (line: number) => first.steps.find((s) => s.line === line)!.size;
    assert.equal(size(3), 1234);
    assert.equal(size(4), 5000);
    assert.equal(size(8), 3000);
    assert.equal(size(1), null);

    const second = await build();
    assert.deepEqual(summary(second), ['1 base base', '2 base cached', '3 base cached', '4 base cached', '8 stage-1 cached']);
    assert.equal(second.summary.cached, 4);

    writeFileSync(join(dir, 'data.bin'), 'y'.repeat(1234));
    const third = await build();
    assert.deepEqual(summary(third), ['1 base base', '2 base cached', '3 base rebuilt', '4 base rebuilt', '8 stage-1 rebuilt']);
    const run = third.steps.find((s) => s.line === 4)!;
    assert.match(run.instruction, /^RUN head -c 5000/);
    assert.equal(typeof run.durationMs, 'number');
  });
}

test('a failing step: exit code, the builder’s own message, the failed step marked', needsEngine(), async (t) => {
  const dir = makeContext(t, {
    Dockerfile: `FROM debian:bookworm\nRUN echo ${randomBytes(6).toString('hex')}\nRUN echo broken >&2 && exit 7\nRUN echo never\n`,
  });
  const record = await buildAndRecord(t, { context: dir });
  assert.notEqual(record.exitCode, 0);
  assert.match(record.error ?? '', /Dockerfile:3/);
  assert.match(record.error ?? '', /exit code: 7/);
  // rawjson lists the step after the failure too: defined, never started.
  assert.deepEqual(summary(record), ['1 stage-0 base', '2 stage-0 rebuilt', '3 stage-0 failed', '4 stage-0 not-run']);
});
