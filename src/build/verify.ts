/**
 * Checks predictions against a real build: every step where `cache diff` (its JSON step shape) said `cached` but
 * BuildKit rebuilt it, or the other way round. Steps are matched by their 1-based line in the built Dockerfile, and
 * the instruction keyword must agree (a prediction for another file is an error, not a silent pass).
 */
import type { BuildRecord, RecordedStep } from './record.js';

/** One step of `cache diff --format json` (design.md's contract). */
export interface PredictedStep {
  stage: string | number;
  line: number;
  instruction: string;
  status: 'cached' | 'rebuilt' | 'unknown';
  reason?: string;
}

export interface PredictionCheck {
  line: number;
  instruction: string;
  predicted: PredictedStep['status'] | 'missing';
  actual: RecordedStep['status'];
  reason?: string;
}

export interface PredictionReport {
  /** Steps where prediction and reality differ (`unknown` predictions are not counted as wrong). */
  mismatches: PredictionCheck[];
  /** Steps the predictor could not decide. */
  unknown: PredictionCheck[];
  /** How many built steps had a definite prediction that held. */
  correct: number;
}

const keyword = (text: string) => text.trim().split(/\s+/, 1)[0].toUpperCase();

export function checkPredictions(predicted: PredictedStep[], record: BuildRecord): PredictionReport {
  const byLine = new Map(predicted.map((step) => [step.line, step]));
  const report: PredictionReport = { mismatches: [], unknown: [], correct: 0 };
  for (const step of record.steps) {
    // FROM is never reported CACHED; steps after a failure never ran: neither says anything about the cache.
    if (step.status === 'base' || step.status === 'not-run') continue;
    const prediction = byLine.get(step.line);
    const check: PredictionCheck = {
      line: step.line,
      instruction: step.instruction,
      predicted: prediction?.status ?? 'missing',
      actual: step.status,
      ...(prediction?.reason ? { reason: prediction.reason } : {}),
    };
    if (!prediction || keyword(prediction.instruction) !== keyword(step.instruction)) {
      report.mismatches.push({ ...check, predicted: 'missing' });
    } else if (prediction.status === 'unknown') report.unknown.push(check);
    else if ((prediction.status === 'cached') === (step.status === 'cached')) report.correct++;
    else report.mismatches.push(check);
  }
  return report;
}
