import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/paths.js';

const time = '/usr/bin/time';

// Node 24 (V8 13) ignores `--liftoff-only` set at run time: it tiered up tree-sitter-bash's 160 KB lexer, a compile
// the process waits for at exit, at ~580 MB peak RSS and 2–3 s for one small file (Node 20: ~75 MB). The peak is after
// the process's last JavaScript ran, so only the parent sees it (GNU time's maximum resident set).
test('a one-file lint through the built binary never tiers the shell lexer up: small peak RSS to the very end', {
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
