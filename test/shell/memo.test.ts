/** The shell parse memo of `lint --fix`: inside a scope a script is parsed once; outside, nothing is kept. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeScript } from '../../src/shell/commands.js';
import { withShellMemo } from '../../src/shell/memo.js';

const script = 'set -e; cd /app && apt-get install -y curl';

test('inside a scope one syntax tree serves every analysis of the same text; the analyses are the same', () => {
  const [a, b, other] = withShellMemo(() => [analyzeScript(script), analyzeScript(script, { cwd: '/x' }), analyzeScript('ls')]);
  assert.equal(a.syntax, b.syntax);
  assert.notEqual(a.syntax, other.syntax);
  assert.deepEqual(a.commands, analyzeScript(script).commands);
  assert.equal(b.finalState.cwd, '/app', 'the state walk still runs per analysis, with its own options');
});

test('outside a scope, after it, and after a scope that threw, nothing is shared', () => {
  assert.notEqual(analyzeScript(script).syntax, analyzeScript(script).syntax);
  const inner = withShellMemo(() => analyzeScript(script));
  assert.notEqual(analyzeScript(script).syntax, inner.syntax);
  assert.throws(() =>
    withShellMemo(() => {
      analyzeScript(script);
      throw new Error('boom');
    }),
  );
  assert.notEqual(analyzeScript(script).syntax, analyzeScript(script).syntax);
  // A nested scope uses the enclosing one's memo.
  withShellMemo(() => {
    const outer = analyzeScript(script);
    assert.equal(withShellMemo(() => analyzeScript(script)).syntax, outer.syntax);
  });
});
