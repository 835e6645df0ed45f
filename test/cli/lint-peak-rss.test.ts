import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/paths.js';

const time = '/usr/bin/time';

// The peak RSS of a whole CLI run, after its last JavaScript too (GNU time's maximum resident set, seen only by the
// parent): on Node 24 (V8 13), tree-sitter-bash's 160 KB WASM lexer was tiered up at exit, ~580 MB and 2–3 s for one
// small file. The shell parser is TypeScript now (no WASM at all); this keeps the first run small on every Node.
test('a one-file lint through the built binary keeps a small peak RSS to the very end', {
  skip: !existsSync(time) && `${time} is not installed`,
}, () => {
  const bin = join(repoRoot, 'bin', 'layerwise.js');
  const run = spawnSync(
    time,
    ['-f', 'maxrss %M', process.execPath, bin, 'lint', join(repoRoot, 'examples', 'seed', 'Dockerfile')],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(run.status, 1, run.stderr); // the seed Dockerfile has findings
  const kib = Number(/maxrss (\d+)/.exec(run.stderr)?.[1]);
  assert.ok(kib > 0 && kib < 200 * 1024, `peak RSS ${(kib / 1024).toFixed(0)} MB on Node ${process.version} (expected < 200)`);
});
