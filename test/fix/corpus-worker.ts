/**
 * One worker of test/fix/corpus.test.ts: fixes its share of the corpus and checks every file that parses, from the
 * outside — not trusting the fixer's own per-pass checks: the run converged; the fixed text parses (and BuildKit's
 * instruction layer accepts it when it accepted the original); fixing it again changes nothing; and the command
 * sequence is kept (`sequenceProblems`).
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { type Dockerfile, ParseError, parseDockerfile, validateInstructions } from '../../src/dockerfile/index.js';
import { applyEdits, mapOffset } from '../../src/fix/apply.js';
import { type FixOutcome, fixDockerfile } from '../../src/fix/index.js';
import { executedSequence } from '../../src/fix/sequence.js';
import type { TextEdit } from '../../src/rules/define.js';

export interface CorpusReport {
  files: number;
  parsed: number;
  fixed: number;
  /** Passes that applied fixes → files. */
  passes: Record<number, number>;
  applied: Record<string, number>;
  refused: Record<string, number>;
  problems: string[];
}

const report: CorpusReport = { files: 0, parsed: 0, fixed: 0, passes: {}, applied: {}, refused: {}, problems: [] };
for (const file of workerData.files as string[]) check(file);
parentPort!.postMessage(report);

function check(file: string): void {
  report.files++;
  const problem = (what: string) => report.problems.push(`${file}: ${what}`);
  let outcome: FixOutcome;
  try {
    outcome = fixDockerfile(readFileSync(file, 'utf8'), { file });
  } catch (error) {
    problem(`fixDockerfile threw: ${(error as Error).message}`);
    return;
  }
  if (outcome.parseError) return;
  report.parsed++;
  if (!outcome.converged) problem(`did not converge: ${outcome.refused.find((r) => /settle/.test(r.reason))?.rule}`);
  for (const a of outcome.applied) report.applied[a.rule] = (report.applied[a.rule] ?? 0) + 1;
  for (const r of outcome.refused) report.refused[r.rule] = (report.refused[r.rule] ?? 0) + 1;
  if (!outcome.changed) return;
  report.fixed++;
  report.passes[outcome.passes] = (report.passes[outcome.passes] ?? 0) + 1;
  const before = parseDockerfile(outcome.before, { file });
  let after: Dockerfile;
  try {
    after = parseDockerfile(outcome.after, { file });
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    problem(`the fixed text does not parse: ${error.message}`);
    return;
  }
  const refusedNow = validateInstructions(after)[0];
  if (refusedNow && validateInstructions(before).length === 0) problem(`BuildKit refuses the fixed text: ${refusedNow.message}`);
  if (fixDockerfile(outcome.after, { file }).changed) problem('fixing the fixed text changes it again');
  for (const p of sequenceProblems(before, after, outcome)) problem(p);
}

/**
 * The command sequence, end to end: every command and instruction of the original that no applied edit touched —
 * traced through the edits of every pass — runs in the fixed file at the place it was carried to, word for word, in
 * the same stage; and everything the fixed file runs besides them touches text some fix wrote.
 */
function sequenceProblems(before: Dockerfile, after: Dockerfile, outcome: FixOutcome): string[] {
  const tracked = executedSequence(before).map((entry) => ({ entry, start: entry.start, end: entry.end, touched: false }));
  let written: { start: number; end: number }[] = [];
  let text = outcome.before;
  for (const pass of [...new Set(outcome.applied.map((a) => a.pass))].sort((a, b) => a - b)) {
    const edits: TextEdit[] = outcome.applied
      .filter((a) => a.pass === pass)
      .flatMap((a) => a.edits)
      .sort((a, b) => a.start - b.start || a.end - b.end);
    for (const t of tracked) {
      if (t.touched) continue;
      t.touched = edits.some((e) => e.start <= t.end && t.start <= e.end);
      [t.start, t.end] = [mapOffset(edits, t.start), mapOffset(edits, t.end)];
    }
    written = written.map((r) => ({ start: mapOffset(edits, r.start), end: mapOffset(edits, r.end) }));
    let shift = 0;
    for (const e of edits) {
      written.push({ start: e.start + shift, end: e.start + shift + e.text.length });
      shift += e.text.length - (e.end - e.start);
    }
    text = applyEdits(text, edits);
  }
  if (text !== outcome.after) return ['the applied edits, replayed pass by pass, do not give the fixed text'];
  const now = executedSequence(after);
  const byStart = new Map<number, (typeof now)[number]>();
  for (const entry of now) if (!byStart.has(entry.start)) byStart.set(entry.start, entry);
  const problems: string[] = [];
  const matched = new Set<(typeof now)[number]>();
  for (const t of tracked) {
    if (t.touched) continue;
    const found = byStart.get(t.start);
    if (found && found.text === t.entry.text && found.kind === t.entry.kind && found.stage === t.entry.stage) {
      matched.add(found);
    } else {
      problems.push(`\`${t.entry.text}\` (untouched by every fix) no longer runs as before`);
    }
  }
  for (const entry of now) {
    if (matched.has(entry) || written.some((r) => r.start <= entry.end && entry.start <= r.end)) continue;
    problems.push(`\`${entry.text}\` runs, but no fix wrote it and it was not there before`);
  }
  return problems;
}
