import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeScript } from '../../src/shell/commands.js';
import { canSplitAt, splitPoints } from '../../src/shell/split.js';

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

/** What the second RUN must run first to have the state of the first half (undefined: the split is refused). */
const carry = (script: string, after: number, shell?: string[]) => {
  const v = verdict(script, after, shell);
  return v.safe ? v.carry : undefined;
};
const refusal = (script: string, after: number) => {
  const v = verdict(script, after);
  return v.safe ? undefined : v.reason;
};

test('cd before the split is carried as an absolute cd; one to a directory known only at run time is refused', () => {
  assert.deepEqual(carry('cd /app && npm ci && pip install x', 1), ['cd /app']);
  assert.deepEqual(carry("cd app && cd '../my dir' && npm ci && pip install x", 2), ["cd '/my dir'"]);
  assert.deepEqual(carry('(cd /app && npm ci) && pip install x', 0), [], 'a cd inside a subshell stays there');
  assert.match(refusal('cd $HOME && npm ci && pip install x', 1)!, /`cd` goes to a directory known only when the script runs/);
});

test('exported variables are carried; unexported ones only when used after; computed values are refused', () => {
  assert.deepEqual(carry('export DEBIAN_FRONTEND=noninteractive && apt-get update && pip install x', 1), [
    'export DEBIAN_FRONTEND=noninteractive',
  ]);
  assert.deepEqual(carry('V=1 && apt-get update && pip install x', 1), []);
  assert.deepEqual(carry('V=1.2 && apt-get update && pip install x==$V', 1), ['V=1.2']);
  assert.deepEqual(carry(`V="a 'b'" && apt-get update && pip install "$V"`, 1), [`V='a '\\''b'\\'''`]);
  assert.match(
    refusal('V=$(cat /v) && apt-get update && pip install x==$V', 1)!,
    /`V` is set before the split to a value known only/,
  );
  // Bug: `export A=$(…)` was not recorded at all, so a split lost the variable without a word.
  assert.match(
    refusal('export U=$(cat /u) && apt-get update && pip install x', 1)!,
    /`U` is set before the split to a value known/,
  );
  assert.match(refusal('export $NAME && apt-get update && pip install x', 1)!, /`source`\/`eval` before the split/);
  assert.deepEqual(
    carry('DEBIAN_FRONTEND=noninteractive apt-get update && pip install x', 0),
    [],
    'a prefix assignment is per command',
  );
});

test('set -e / pipefail / umask: carried where the second half needs them; ; splits need errexit on', () => {
  assert.deepEqual(carry('set -e; a; b', 1), [], 'one command after the split: errexit changes nothing');
  assert.deepEqual(carry('set -e; a; b; c', 1), ['set -o errexit']);
  assert.deepEqual(carry('set -e && a && b', 1), [], 'an && chain stops on failure anyway');
  assert.match(refusal('a; b', 0)!, /set -e/);
  assert.deepEqual(carry('a; b', 0, ['/bin/sh', '-e', '-c']), [], 'errexit from SHELL applies to both RUNs');
  assert.equal(carry('a && b; c', 1, ['/bin/sh', '-e', '-c']), undefined, 'set -e ignores a failure before &&');
  assert.deepEqual(carry('set -o pipefail && a | b', 0), ['set -o pipefail']);
  assert.deepEqual(carry('set -x && a && b', 0), [], 'xtrace only changes the log');
  assert.deepEqual(carry('set -eo pipefail; cd /src; a; b | c', 2), ['set -o errexit', 'set -o pipefail', 'cd /src']);
  assert.deepEqual(carry('umask 077 && a && b', 1), ['umask 077']);
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
  assert.equal(verdict('. /etc/os-release && a && b', 1).safe, false);
});
