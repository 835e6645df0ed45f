import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Replayer } from '../../src/cache/replay.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { contextTree } from '../support/context-tree.js';

const build = (content: string) => ({
  dockerfile: parseDockerfile('FROM a\nCOPY app.py /\nRUN test\n'),
  context: contextTree({ 'app.py': content }),
});

describe('replay', () => {
  test('the cache remembers every earlier build: a revert hits entries made two builds ago', () => {
    const replayer = new Replayer();
    replayer.add('c1', 'one', build('v1'));
    replayer.add('c2', 'two', build('v2'));
    const reverted = replayer.add('c3', 'revert', build('v1'));
    assert.deepEqual(
      reverted.prediction.steps.map((s) => s.status),
      ['cached', 'cached', 'cached'],
    );
  });
  test('hit rate, most rebuilt steps and their triggers, default costs labelled as such', () => {
    const replayer = new Replayer();
    replayer.add('c1', 'one', build('v1'));
    replayer.add('c2', 'two', build('v2'));
    const { summary } = replayer.report();
    assert.equal(summary.builds, 2);
    assert.equal(summary.cached, 1);
    const copy = summary.steps.find((s) => s.kind === 'COPY');
    assert.deepEqual(copy?.triggers[1], { reason: 'app.py changed', count: 1 });
    assert.equal(summary.cost.source, 'defaults');
  });
});
