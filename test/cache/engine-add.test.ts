/**
 * Remote ADD against real BuildKit and a real HTTP server on loopback: with `--checksum` the step is keyed by the
 * checksum and the server is not asked (so it stays CACHED even when the server's file changed); without it the
 * outcome depends on what the server answers at build time, which layerwise reports as `unknown`.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { readContextDir } from '../../src/cache/context.js';
import { predict } from '../../src/cache/predict.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { buildAndRecord, makeContext, needsEngine } from '../support/engine.js';

let server: Server;
let base = '';
const files = new Map<string, string>();
let requests = 0;

before(async () => {
  server = createServer((request, response) => {
    requests++;
    const body = files.get(request.url ?? '');
    if (body === undefined) response.writeHead(404).end();
    else response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

type Status = 'cached' | 'rebuilt' | 'unknown';

async function scenario(t: Parameters<typeof makeContext>[0], old: string, next: string, between: () => void) {
  const oldDir = makeContext(t, { Dockerfile: old });
  const newDir = makeContext(t, { Dockerfile: next });
  const first = await buildAndRecord(t, { context: oldDir });
  assert.equal(first.exitCode, 0, first.error);
  between();
  const asked = requests;
  const record = await buildAndRecord(t, { context: newDir });
  assert.equal(record.exitCode, 0, record.error);
  const prediction = predict(
    { dockerfile: parseDockerfile(old), context: readContextDir(oldDir) },
    { dockerfile: parseDockerfile(next), context: readContextDir(newDir) },
  );
  const printed = Object.fromEntries(
    record.steps.filter((s) => s.status !== 'base').map((s) => [s.line, s.cached ? 'cached' : 'rebuilt']),
  );
  const predicted = Object.fromEntries(
    prediction.steps.filter((s) => s.kind !== 'FROM').map((s) => [s.line, s.status as Status]),
  );
  return { printed, predicted, asked: requests - asked, prediction };
}

describe('remote ADD (real engine, real HTTP server)', () => {
  test('ADD --checksum: the server is not asked and a changed file there keeps the step cached', needsEngine(), async (t) => {
    const path = `/${randomBytes(6).toString('hex')}.txt`;
    files.set(path, 'one');
    const df = `FROM debian:bookworm\nRUN echo ${path}\nADD --checksum=${sha('one')} ${base}${path} /f\nRUN cat /f\n`;
    const r = await scenario(t, df, df, () => files.set(path, 'two'));
    assert.deepEqual(r.printed, { 2: 'cached', 3: 'cached', 4: 'cached' });
    assert.deepEqual(r.predicted, r.printed);
    assert.equal(r.asked, 0, 'BuildKit did not ask the server');
  });

  test('ADD --checksum changed to the new file: the step and what follows rebuild', needsEngine(), async (t) => {
    const path = `/${randomBytes(6).toString('hex')}.txt`;
    files.set(path, 'one');
    const df = (content: string) =>
      `FROM debian:bookworm\nRUN echo ${path}\nADD --checksum=${sha(content)} ${base}${path} /f\nRUN cat /f\n`;
    const r = await scenario(t, df('one'), df('two'), () => files.set(path, 'two'));
    assert.deepEqual(r.printed, { 2: 'cached', 3: 'rebuilt', 4: 'rebuilt' });
    assert.deepEqual(r.predicted, r.printed);
    assert.equal(r.prediction.steps[2].reason, 'its --checksum changed');
  });

  test(
    'ADD without --checksum: BuildKit asks the server (same file: cached; new file: rebuilt); predicted unknown',
    needsEngine(),
    async (t) => {
      const path = `/${randomBytes(6).toString('hex')}.txt`;
      files.set(path, 'one');
      const df = `FROM debian:bookworm\nRUN echo ${path}\nADD ${base}${path} /f\nRUN cat /f\n`;
      const same = await scenario(t, df, df, () => {});
      assert.deepEqual(same.printed, { 2: 'cached', 3: 'cached', 4: 'cached' });
      assert.ok(same.asked > 0, 'BuildKit asked the server');
      assert.deepEqual(same.predicted, { 2: 'cached', 3: 'unknown', 4: 'unknown' });
      assert.equal(same.prediction.steps[2].reason, `ADD ${base}${path}: remote content is checked at build time`);
      const changed = await scenario(t, df, df, () => files.set(path, 'two'));
      assert.deepEqual(changed.printed, { 2: 'cached', 3: 'rebuilt', 4: 'rebuilt' });
      assert.deepEqual(changed.predicted, { 2: 'cached', 3: 'unknown', 4: 'unknown' });
    },
  );
});
