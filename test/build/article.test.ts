/**
 * The article's claim in miniature (no network; scripts/article-evidence.ts is the full apt version, docs/evidence.md):
 * when the "pip" part changes, a mono-layer RUN rebuilds everything while the split Dockerfile's first layer stays
 * CACHED and only the small second step runs again. Both images are then read back with `layerwise image history`
 * (through the engine's export API) and with `docker history`: the sizes must agree row for row. The table of both
 * goes to .test-output/article-history.md; with LAYERWISE_UPDATE_EVIDENCE=1 it replaces the one in docs/evidence.md.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildAndRecord, makeContext, needsEngine, uniqueTag } from '../support/engine.js';
import { compareHistories, disagreements, type HistoryPair, historyTable } from '../support/history-compare.js';
import { repoRoot, testOutput } from '../support/paths.js';

const MARKERS = ['<!-- article-history:start -->', '<!-- article-history:end -->'] as const;

test(
  'after adding a second "pip" package, only the split build keeps its first layer CACHED; histories agree',
  needsEngine(),
  async (t) => {
    const marker = randomBytes(6).toString('hex');
    // Stands in for apt-get install python3-pip; the symlink is there as in apt's layers, where docker (reporting
    // layers BuildKit built here by their tar headers) counts it 0 while an applied layer counts its target's length.
    const base = `head -c 200000 /dev/urandom > /base-${marker} && ln -s /base-${marker} /link-${marker}`;
    const mono = (pip: string) => `FROM debian:bookworm\nRUN ${base} && ${pip}\n`;
    const split = (pip: string) => `FROM debian:bookworm\nRUN ${base}\nRUN ${pip}\n`;
    const one = 'echo requests > /pip.txt';
    const two = 'echo requests rich > /pip.txt';
    const statuses: Record<string, string[][]> = {};
    const histories: Record<string, HistoryPair[]> = {};
    for (const [name, dockerfile] of Object.entries({ mono, split })) {
      const dir = makeContext(t, { Dockerfile: dockerfile(one) });
      const tag = uniqueTag(`article-${name}`);
      const first = await buildAndRecord(t, { context: dir });
      writeFileSync(join(dir, 'Dockerfile'), dockerfile(two));
      const second = await buildAndRecord(t, { context: dir, tag });
      statuses[name] = [first, second].map((record) => record.steps.filter((s) => s.status !== 'base').map((s) => s.status));
      // The big layer is the first RUN's in both images.
      assert.ok((second.steps.find((s) => s.line === 2)!.size ?? 0) >= 200000, name);
      histories[name] = await compareHistories(tag, 'debian:bookworm');
    }
    assert.deepEqual(statuses.mono, [['rebuilt'], ['rebuilt']]);
    assert.deepEqual(statuses.split, [
      ['rebuilt', 'rebuilt'],
      ['cached', 'rebuilt'],
    ]);
    // Size for size: every row of both images, the base image's layer included.
    for (const [name, rows] of Object.entries(histories)) {
      assert.deepEqual(disagreements(rows), [], name);
      assert.equal(rows.at(-1)?.docker, name === 'mono' ? 200000 + 'requests rich\n'.length : 'requests rich\n'.length);
    }
    const table = historyTable(histories, marker);
    writeFileSync(join(testOutput, 'article-history.md'), `${table}\n`);
    const evidence = join(repoRoot, 'docs', 'evidence.md');
    const doc = readFileSync(evidence, 'utf8');
    const [start, end] = [doc.indexOf(MARKERS[0]), doc.indexOf(MARKERS[1])];
    assert.ok(start >= 0 && end > start, 'docs/evidence.md keeps the table between the article-history markers');
    if (process.env.LAYERWISE_UPDATE_EVIDENCE === '1')
      writeFileSync(evidence, `${doc.slice(0, start + MARKERS[0].length)}\n${table}\n${doc.slice(end)}`);
    // The table in the doc came from such a run: same rows, each with the two tools agreeing.
    const documented = doc
      .slice(start, end)
      .split('\n')
      .filter((line) => /^\| (mono|split) \|/.test(line));
    assert.deepEqual(
      documented.map((line) => line.split('|').slice(1, 2)[0].trim()),
      table
        .split('\n')
        .slice(2)
        .map((line) => line.split('|')[1].trim()),
    );
    for (const line of documented) {
      const cells = line.split('|').map((cell) => cell.trim());
      assert.equal(cells[3], cells[4], line);
    }
  },
);
