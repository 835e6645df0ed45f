/** unifiedDiff: git's format (3 lines of context, `,1` omitted, no-newline marker), checked against `git diff` itself. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { unifiedDiff } from '../../src/fix/diff.js';
import { testOutput } from '../support/paths.js';

test('equal texts give no diff', () => {
  assert.equal(unifiedDiff('a/x', 'b/x', 'a\nb\n', 'a\nb\n'), '');
});

test('one changed line in the middle: three lines of context each side', () => {
  const before = 'l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\n';
  const after = before.replace('l5', 'L5');
  assert.equal(
    unifiedDiff('a/Dockerfile', 'b/Dockerfile', before, after),
    '--- a/Dockerfile\n+++ b/Dockerfile\n@@ -2,7 +2,7 @@\n l2\n l3\n l4\n-l5\n+L5\n l6\n l7\n l8\n',
  );
});

test('a missing final newline is marked as git marks it; CRLF lines keep their CR', () => {
  assert.equal(
    unifiedDiff('a', 'b', 'x\r\ny', 'x\r\nz'),
    '--- a\n+++ b\n@@ -1,2 +1,2 @@\n x\r\n-y\n\\ No newline at end of file\n+z\n\\ No newline at end of file\n',
  );
  assert.equal(unifiedDiff('a', 'b', '', 'new\n'), '--- a\n+++ b\n@@ -0,0 +1 @@\n+new\n');
});

test('every diff of 30 random pairs applies with patch(1) and is as small as git diff', () => {
  mkdirSync(testOutput, { recursive: true });
  const dir = mkdtempSync(join(testOutput, 'diff-'));
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const expected: { added: number; deleted: number }[] = [];
  while (expected.length < 30) {
    const a = Array.from({ length: Math.floor(random() * 14) }, () => `l${Math.floor(random() * 5)}`);
    const b = a.flatMap((line) => {
      const r = random();
      if (r < 0.2) return [];
      if (r < 0.35) return [line, `n${Math.floor(random() * 3)}`];
      return r < 0.45 ? [`x${Math.floor(random() * 3)}`] : [line];
    });
    const before = a.join('\n') + (random() < 0.8 && a.length ? '\n' : '');
    const after = b.join('\n') + (random() < 0.8 && b.length ? '\n' : '');
    if (before === after) continue;
    const diff = unifiedDiff('a/f', 'b/f', before, after);
    const i = expected.length;
    writeFileSync(join(dir, `${i}.old`), before);
    writeFileSync(join(dir, `${i}.new`), after);
    writeFileSync(join(dir, `${i}.diff`), diff);
    const lines = diff.split('\n').slice(2);
    expected.push({
      added: lines.filter((l) => l.startsWith('+')).length,
      deleted: lines.filter((l) => l.startsWith('-')).length,
    });
  }
  // One shell for all pairs (a process per call would dominate the test's time): patch a copy, then ask git.
  const script = `cd "$1"; for i in $(seq 0 ${expected.length - 1}); do patch -s -o $i.work $i.old $i.diff >/dev/null 2>&1; git diff --no-index --numstat $i.old $i.new; done; exit 0`;
  const numstat = execFileSync('bash', ['-c', script, 'bash', dir]).toString().trim().split('\n');
  assert.equal(numstat.length, expected.length);
  numstat.forEach((line, i) => {
    const patched = existsSync(join(dir, `${i}.work`)) ? readFileSync(join(dir, `${i}.work`), 'utf8') : undefined;
    assert.equal(
      patched,
      readFileSync(join(dir, `${i}.new`), 'utf8'),
      `pair ${i}: the diff does not turn the old text into the new one`,
    );
    const [added, deleted] = line.split('\t');
    assert.deepEqual({ added: Number(added), deleted: Number(deleted) }, expected[i], `pair ${i}: git's diff is smaller`);
  });
});
