/**
 * The heart of the article: the mono-layer Dockerfile becomes the split version — the apt layer with its cleanup, then
 * the pip layer. With only the two rules the article is about, `--fix` yields the hand-written split version
 * (examples/seed/split/Dockerfile) byte for byte; with every rule, `--diff` prints exactly the golden diff.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { fixDockerfile } from '../../src/fix/index.js';
import { ruleById } from '../../src/rules/registry.js';
import { repoRoot } from '../support/paths.js';

const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

test('split-package-managers + unicode-dash-in-flag turn the mono-layer into the hand-written split version', () => {
  const rules = ['split-package-managers', 'unicode-dash-in-flag'].map((id) => ruleById(id)!);
  const outcome = fixDockerfile(read('examples/seed/Dockerfile'), { rules });
  assert.equal(outcome.after, read('examples/seed/split/Dockerfile'));
  assert.deepEqual(outcome.refused, []);
  assert.equal(fixDockerfile(outcome.after, { rules }).changed, false);
});

test('lint --diff on the seed prints exactly the golden diff and writes nothing', async () => {
  const io = memoryIo({ cwd: repoRoot });
  const before = read('examples/seed/Dockerfile');
  const code = await main(['lint', '--diff', '--format', 'tty', 'examples/seed/Dockerfile'], io);
  assert.equal(io.out.slice(0, io.out.indexOf('examples/seed/Dockerfile\n  ')), read('test/fixtures/fix/seed.diff'));
  assert.equal(code, 0, 'what is left after the fixes is below the threshold (info)');
  assert.match(io.err, /examples\/seed\/Dockerfile: would fix 3 problems/);
  assert.equal(read('examples/seed/Dockerfile'), before);
});
