import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { analyzeScript } from '../../src/shell/commands.js';
import { canSplitAt, splitPoints } from '../../src/shell/split.js';
import { initShellParser } from '../../src/shell/tree-sitter.js';

before(() => initShellParser());

/** The verdict for splitting at the `n`th top-level operator (0-based). */
function verdict(source: string, n: number, shell?: string[]) {
  const script = analyzeScript(source, { shell });
  return canSplitAt(script, splitPoints(script)[n].after);
}

test('a plain && chain splits, and the halves are given as ranges', () => {
  const source = 'apt-get update && apt-get install -y python3 && pip install flask';
  const v = verdict(source, 1);
  assert.equal(v.safe, true);
  if (v.safe) {
    assert.equal(source.slice(v.before.start, v.before.end), 'apt-get update && apt-get install -y python3');
    assert.equal(source.slice(v.after.start, v.after.end), 'pip install flask');
  }
});

test('cd before the split is carried state', () => {
  const v = verdict('cd /app && npm ci && pip install x', 1);
  assert.equal(v.safe, false);
  if (!v.safe) assert.match(v.reason, /`cd`/);
  assert.equal(verdict('(cd /app && npm ci) && pip install x', 0).safe, true, 'a cd inside a subshell stays there');
});

test('exported variables are carried; unexported ones only when used after', () => {
  assert.equal(verdict('export DEBIAN_FRONTEND=noninteractive && apt-get update && pip install x', 1).safe, false);
  assert.equal(verdict('V=1 && apt-get update && pip install x', 1).safe, true);
  const used = verdict('V=1.2 && apt-get update && pip install x==$V', 1);
  assert.equal(used.safe, false);
  if (!used.safe) assert.match(used.reason, /`V`/);
  assert.equal(
    verdict('DEBIAN_FRONTEND=noninteractive apt-get update && pip install x', 0).safe,
    true,
    'a prefix assignment is per command',
  );
});

test('set -e: lost by the second half only where it matters; ; splits need it', () => {
  assert.equal(verdict('set -e; a; b', 1).safe, true, 'one command after the split: errexit changes nothing');
  const lost = verdict('set -e; a; b; c', 1);
  assert.equal(lost.safe, false);
  if (!lost.safe) assert.match(lost.reason, /errexit/);
  assert.equal(verdict('set -e && a && b', 1).safe, true, 'an && chain stops on failure anyway');
  const noErrexit = verdict('a; b', 0);
  assert.equal(noErrexit.safe, false);
  if (!noErrexit.safe) assert.match(noErrexit.reason, /set -e/);
  assert.equal(verdict('a; b', 0, ['/bin/sh', '-e', '-c']).safe, true, 'errexit from SHELL applies to both RUNs');
  assert.equal(verdict('a && b; c', 1, ['/bin/sh', '-e', '-c']).safe, false, 'set -e ignores a failure before &&');
  assert.equal(verdict('set -o pipefail && a | b', 0).safe, false);
  assert.equal(verdict('set -x && a && b', 0).safe, true, 'xtrace only changes the log');
});

test('|| and a later ; list change failure handling', () => {
  const orAfter = verdict('a && b || c', 0);
  assert.equal(orAfter.safe, false);
  if (!orAfter.safe) assert.match(orAfter.reason, /`\|\|`/);
  assert.equal(verdict('a && b || c', 1).safe, false);
  assert.equal(verdict('a && b; c', 0).safe, false, 'a failure of a would not stop c');
  assert.equal(verdict('a || b && c', 1).safe, true);
});

test('functions, exit, background jobs, heredocs and syntax errors block a split', () => {
  assert.equal(verdict('f() { echo; } && a && f', 1).safe, false);
  assert.equal(verdict('f() { echo; } && a && b', 1).safe, true);
  assert.equal(verdict('test -f x || exit 0; a', 1, ['/bin/sh', '-e', '-c']).safe, false);
  assert.equal(verdict('daemon & a && b', 1).safe, false);
  assert.equal(verdict('cat <<EOF > f && b\nbody\nEOF', 0).safe, false);
  assert.equal(verdict('a && b && (c', 0).safe, false);
  assert.equal(verdict('umask 077 && a && b', 1).safe, false);
  assert.equal(verdict('. /etc/os-release && a && b', 1).safe, false);
});
