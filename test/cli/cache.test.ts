import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { gitHistory } from '../support/html-inputs.js';
import { repoRoot } from '../support/paths.js';

describe('layerwise cache diff', () => {
  test('the README example: adding rich rebuilds the mono-layer, only the pip layer when split (JSON shape)', async () => {
    const io = memoryIo({ cwd: repoRoot });
    assert.equal(
      await main(['cache', 'diff', 'examples/seed/split', 'examples/seed/split-rich', '--format', 'json'], io),
      0,
      io.err,
    );
    const report = JSON.parse(io.out);
    assert.deepEqual(
      report.steps.map((s: { line: number; status: string }) => `${s.line}:${s.status}`),
      ['2:cached', '3:cached', '7:rebuilt'],
    );
    assert.deepEqual(report.summary, { cached: 2, rebuilt: 1, unknown: 0 });
    assert.deepEqual(Object.keys(report.steps[2]).slice(0, 5), ['stage', 'line', 'instruction', 'status', 'reason']);
    const mono = memoryIo({ cwd: repoRoot });
    assert.equal(await main(['cache', 'diff', 'examples/seed', 'examples/seed/rich'], mono), 0, mono.err);
    assert.match(mono.out, /✗ {2}3 │ RUN apt-get update/);
    assert.match(mono.out, /1 cached, 1 rebuilt, 0 unknown/);
  });

  test('git revisions: HEAD against the working tree names the changed file', async (t) => {
    const dir = gitHistory(t, [
      {
        message: 'one',
        files: { Dockerfile: 'FROM debian\nCOPY app.py /app/\nRUN python3 /app/app.py\n', 'app.py': 'print(1)\n' },
      },
    ]);
    writeFileSync(join(dir, 'app.py'), 'print(2)\n');
    const io = memoryIo({ cwd: dir });
    assert.equal(await main(['cache', 'diff', 'HEAD', '--format', 'json'], io), 0, io.err);
    const steps = JSON.parse(io.out).steps;
    assert.deepEqual(
      steps.map((s: { status: string }) => s.status),
      ['cached', 'rebuilt', 'rebuilt'],
    );
    assert.equal(steps[1].reason, 'app.py changed');
    assert.equal(steps[2].reason, 'after a rebuilt step (line 2)');
  });

  test('a side that is neither a directory nor a revision exits 2 with a message', async () => {
    const io = memoryIo({ cwd: repoRoot });
    assert.equal(await main(['cache', 'diff', 'no-such-thing-xyz', 'examples/seed'], io), 2);
    assert.match(io.err, /no-such-thing-xyz/);
  });
});
