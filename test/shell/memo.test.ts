/** The shell parse memo of `lint --fix`: inside a scope a script is parsed once; outside, nothing is kept. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScripts } from '../../src/rules/knowledge/scripts.js';
import { analyseStages } from '../../src/rules/knowledge/stages.js';
import { lint } from '../../src/rules/lint.js';
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

test('lint passes in one scope share the analysis of a RUN whose text, SHELL, WORKDIR and env are unchanged', () => {
  const run = (text: string) => {
    const ast = lint(text).ast!;
    return runScripts(ast, analyseStages(ast))(ast.instructions.at(-1)!).scripts[0].script;
  };
  const base = 'FROM debian\nENV A=1\nRUN apt-get install -y curl\n';
  withShellMemo(() => {
    const first = run(base);
    assert.equal(run(`# a comment moves every offset\n${base}`), first, 'same script, same options: one analysis');
    assert.notEqual(run(base.replace('A=1', 'A=2')), first, 'another env value: analysed again');
    assert.notEqual(run(base.replace('ENV A=1', 'WORKDIR /x')), first, 'another WORKDIR: analysed again');
    assert.notEqual(run(base.replace('ENV A=1', 'SHELL ["/bin/bash", "-c"]')), first, 'another SHELL: analysed again');
  });
  assert.notEqual(run(base), run(base), 'outside a scope nothing is kept');
});
