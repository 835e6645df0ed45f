import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BuildRecord, RecordedStep } from '../../src/build/record.js';
import { checkPredictions, type PredictedStep } from '../../src/build/verify.js';

const step = (line: number, instruction: string, status: RecordedStep['status']): RecordedStep => ({
  stage: 'stage-0',
  stageIndex: 0,
  line,
  endLine: line,
  instruction,
  vertex: `[${line}/4] ${instruction}`,
  number: line,
  cached: status === 'cached',
  completed: status !== 'failed' && status !== 'not-run',
  status,
  size: 0,
});
const record = {
  steps: [
    step(1, 'FROM debian:bookworm', 'base'),
    step(2, 'COPY a /a', 'cached'),
    step(3, 'RUN make', 'rebuilt'),
    step(4, 'RUN test', 'rebuilt'),
    step(5, 'RUN later', 'not-run'),
  ],
} as BuildRecord;
const predicted = (line: number, instruction: string, status: PredictedStep['status']): PredictedStep => ({
  stage: 0,
  line,
  instruction,
  status,
});

test('a wrong prediction in either direction is a mismatch; unknown is listed apart; FROM and not-run are skipped', () => {
  const report = checkPredictions(
    [predicted(2, 'COPY a /a', 'rebuilt'), predicted(3, 'RUN make', 'rebuilt'), predicted(4, 'RUN test', 'unknown')],
    record,
  );
  assert.deepEqual(report.mismatches, [{ line: 2, instruction: 'COPY a /a', predicted: 'rebuilt', actual: 'cached' }]);
  assert.deepEqual(
    report.unknown.map((c) => c.line),
    [4],
  );
  assert.equal(report.correct, 1);
});

test('a step with no prediction, or a prediction for another instruction, is a mismatch (never a silent pass)', () => {
  const report = checkPredictions([predicted(2, 'COPY a /a', 'cached'), predicted(3, 'COPY b /b', 'rebuilt')], record);
  assert.deepEqual(
    report.mismatches.map((c) => [c.line, c.predicted]),
    [
      [3, 'missing'],
      [4, 'missing'],
    ],
  );
  assert.equal(report.correct, 1);
});
