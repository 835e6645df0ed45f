/** `layerwise build`: argument handling (no engine), and the command end to end on the real engine. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { splitPassThrough } from '../../src/cli/build.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { makeContext, needsContainerdEngine, needsEngine, removeImage, uniqueTag } from '../support/engine.js';

test('docker build options pass through; value options keep their value; one CONTEXT', () => {
  assert.deepEqual(splitPassThrough(['--label', 'a=b', '.', '--pull']), {
    context: '.',
    extraArgs: ['--label', 'a=b', '--pull'],
  });
  assert.deepEqual(splitPassThrough(['--network=none', 'ctx']), { context: 'ctx', extraArgs: ['--network=none'] });
  assert.throws(() => splitPassThrough([]), /missing the build CONTEXT/);
  assert.throws(() => splitPassThrough(['a', 'b']), /one build CONTEXT expected, got: a b/);
  assert.throws(() => splitPassThrough(['--progress=tty', '.']), /sets --progress itself/);
});

test('usage errors exit 2 before any build', async () => {
  const io = memoryIo();
  assert.equal(await main(['build', 'a', 'b'], io), 2);
  assert.match(io.err, /one build CONTEXT expected/);
  const bad = memoryIo();
  assert.equal(await main(['build', '--build-arg', 'NOVALUE', '.'], bad), 2);
  assert.match(bad.err, /--build-arg expects KEY=VALUE/);
});

test(
  'layerwise build: progress on stderr, the per-step table on stdout, --record and --format json',
  needsEngine(),
  async (t) => {
    const marker = randomBytes(6).toString('hex');
    const dir = makeContext(t, {
      'docker/Dockerfile': `FROM debian:bookworm\nARG WHO\nRUN echo "${marker} $WHO" > /who\nCOPY a.txt /a.txt\n`,
      'a.txt': 'hello\n',
    });
    const tag = uniqueTag('cli');
    t.after(() => removeImage(tag));
    const io = memoryIo({ cwd: dir, env: process.env });
    const code = await main(
      ['build', '-t', tag, '-f', 'docker/Dockerfile', '--build-arg', 'WHO=me', '.', '--record', 'rec.json'],
      io,
    );
    assert.equal(code, 0, io.err);
    assert.match(io.err, /RUN echo/);
    assert.match(io.out, /^LINE +STAGE +STATUS +TIME +SIZE +INSTRUCTION$/m);
    assert.match(io.out, /^ +3 +stage-0 +rebuilt +\d+\.\ds +\d+ B +RUN echo "\S+ \$WHO" > \/who$/m);
    assert.match(io.out, /^ +4 +stage-0 +rebuilt .* 6 B +COPY a.txt \/a.txt$/m);
    const record = JSON.parse(readFileSync(join(dir, 'rec.json'), 'utf8'));
    assert.equal(record.schema, 'layerwise.build-record/1');
    assert.equal(record.dockerfile, join('docker', 'Dockerfile'));
    assert.deepEqual(record.buildArgs, { WHO: 'me' });

    const again = memoryIo({ cwd: dir, env: process.env });
    assert.equal(
      await main(['build', '-t', tag, '-f', 'docker/Dockerfile', '--build-arg', 'WHO=me', '--format', 'json', '.'], again),
      0,
    );
    const json = JSON.parse(again.out);
    assert.deepEqual(
      json.steps.map((s: { line: number; status: string }) => `${s.line} ${s.status}`),
      ['1 base', '3 cached', '4 cached'],
    );
  },
);

test('layerwise build: a failing build shows the builder’s message and exits 2', needsEngine(), async (t) => {
  const dir = makeContext(t, { Dockerfile: `FROM debian:bookworm\nRUN echo ${randomBytes(6).toString('hex')} && false\n` });
  const io = memoryIo({ cwd: dir, env: process.env });
  assert.equal(await main(['build', '.'], io), 2);
  assert.match(io.err, /ERROR: failed to build/);
  assert.match(io.err, /Dockerfile:2/);
  assert.match(io.out, /failed +.*RUN echo/);
});

test(
  'layerwise build --predict: predicted from the previous record, checked against the real build',
  needsEngine(),
  async (t) => {
    const marker = randomBytes(6).toString('hex');
    const dir = makeContext(t, {
      Dockerfile: `FROM debian:bookworm\nCOPY a.txt /a.txt\nRUN echo ${marker} > /m\nCOPY b.txt /b.txt\n`,
      'a.txt': `a ${marker}\n`,
      'b.txt': `b ${marker}\n`,
    });
    const env = { ...process.env, LAYERWISE_BUILD_RECORDS: join(dir, '.records') };
    const tag = uniqueTag('predict');
    t.after(() => removeImage(tag));
    const build = async (...extra: string[]) => {
      const io = memoryIo({ cwd: dir, env });
      const code = await main(['build', '-t', tag, '--predict', ...extra, '.'], io);
      return { code, io };
    };

    const first = await build();
    assert.equal(first.code, 0, first.io.err);
    assert.match(first.io.err, /nothing to predict against yet/);

    writeFileSync(join(dir, 'b.txt'), `b changed ${marker}\n`);
    const second = await build('--strict');
    assert.equal(second.code, 0, second.io.out + second.io.err);
    assert.match(second.io.out, /prediction: all 3 definite predictions held/);
    assert.match(second.io.out, /^ +4 +stage-0 +rebuilt/m);

    writeFileSync(join(dir, 'a.txt'), `a changed ${marker}\n`); // unique: the engine's cache outlives test runs
    const third = await build('--strict', '--format', 'json');
    assert.equal(third.code, 0, third.io.err);
    const json = JSON.parse(third.io.out);
    assert.deepEqual(json.prediction.mismatches, []);
    assert.equal(json.prediction.correct, 3);
    assert.equal(json.cacheKeys, undefined);

    // A record that never saw these steps predicts "rebuilt" for steps BuildKit has CACHED: each is reported, and
    // --strict turns that into exit 1.
    const recordFile = readdirSync(join(dir, '.records')).find((name) => name.endsWith('.json'))!;
    const record = JSON.parse(readFileSync(join(dir, '.records', recordFile), 'utf8'));
    record.cacheKeys = { keys: [], opKeys: [], imageStore: record.cacheKeys.imageStore };
    writeFileSync(join(dir, '.records', recordFile), JSON.stringify(record));
    const fourth = await build('--strict');
    assert.equal(fourth.code, 1, fourth.io.err);
    assert.match(fourth.io.out, /line 2: predicted rebuilt, BuildKit: cached/);
    assert.match(fourth.io.out, /prediction: 3 wrong, 0 held/);
  },
);

test(
  'layerwise build --predict on the containerd image store: COPY --link keyed as that store keys it',
  needsContainerdEngine(),
  async (t) => {
    const { host } = needsContainerdEngine();
    const marker = randomBytes(6).toString('hex');
    const dockerfile = (run: string, copy: string) =>
      `FROM debian:bookworm\nRUN echo ${run} ${marker}\n${copy} a.txt /a.txt\nRUN cat /a.txt\n`;
    const dir = makeContext(t, { Dockerfile: dockerfile('one', 'COPY'), 'a.txt': `a ${marker}\n` });
    const env = { ...process.env, DOCKER_HOST: host, LAYERWISE_BUILD_RECORDS: join(dir, '.records') };
    const tag = uniqueTag('predict-link');
    t.after(() => removeImage(tag, 'docker', host));
    const build = async (text: string) => {
      writeFileSync(join(dir, 'Dockerfile'), text);
      const io = memoryIo({ cwd: dir, env });
      const code = await main(['build', '-t', tag, '--predict', '--strict', '--format', 'json', '.'], io);
      assert.equal(code, 0, io.out + io.err);
      const json = JSON.parse(io.out);
      assert.deepEqual(json.prediction?.mismatches ?? [], []);
      const step = (line: number) => json.steps.find((s: { line: number }) => s.line === line);
      return { json, link: step(3) };
    };
    await build(dockerfile('one', 'COPY'));
    // Adding --link: on this store a new copy and merge (on overlay2 it would stay cached) — predicted so.
    const added = await build(dockerfile('one', 'COPY --link'));
    assert.deepEqual([added.link.status, added.link.linkCopyCached], ['rebuilt', false]);
    assert.equal(added.json.prediction.correct, 3);
    // A change above it: the copy half stays CACHED, the step (its merge) and what follows run — predicted so.
    const above = await build(dockerfile('two', 'COPY --link'));
    assert.deepEqual([above.link.status, above.link.linkCopyCached], ['rebuilt', true]);
    assert.equal(above.json.prediction.correct, 3);
  },
);
