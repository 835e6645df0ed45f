/**
 * The article's claim in miniature (no network; scripts/article-evidence.ts is the full apt version, docs/evidence.md):
 * when the "pip" part changes, a mono-layer RUN rebuilds everything while the split Dockerfile's first layer stays
 * CACHED and only the small second step runs again.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildAndRecord, makeContext, needsEngine } from '../support/engine.js';

test('after adding a second "pip" package, only the split build keeps its first layer CACHED', needsEngine(), async (t) => {
  const marker = randomBytes(6).toString('hex');
  const base = `head -c 200000 /dev/urandom > /base-${marker}`; // stands in for apt-get install python3-pip
  const mono = (pip: string) => `FROM debian:bookworm\nRUN ${base} && ${pip}\n`;
  const split = (pip: string) => `FROM debian:bookworm\nRUN ${base}\nRUN ${pip}\n`;
  const one = 'echo requests > /pip.txt';
  const two = 'echo requests rich > /pip.txt';
  const statuses: Record<string, string[][]> = {};
  for (const [name, dockerfile] of Object.entries({ mono, split })) {
    const dir = makeContext(t, { Dockerfile: dockerfile(one) });
    const first = await buildAndRecord(t, { context: dir });
    writeFileSync(join(dir, 'Dockerfile'), dockerfile(two));
    const second = await buildAndRecord(t, { context: dir });
    statuses[name] = [first, second].map((record) => record.steps.filter((s) => s.status !== 'base').map((s) => s.status));
    // The big layer is the first RUN's in both images.
    assert.ok((second.steps.find((s) => s.line === 2)!.size ?? 0) >= 200000, name);
  }
  assert.deepEqual(statuses.mono, [['rebuilt'], ['rebuilt']]);
  assert.deepEqual(statuses.split, [
    ['rebuilt', 'rebuilt'],
    ['cached', 'rebuilt'],
  ]);
});
