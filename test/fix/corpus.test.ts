/**
 * fixDockerfile over every file of the shared corpus that parses (≈5,700), spread over worker threads: every run
 * converges, every output parses, fixing it again changes nothing, and the command sequence is kept end to end
 * (corpus-worker.ts checks each file from the outside). The figures are printed as test diagnostics.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { needsShared, sharedDir } from '../support/paths.js';
import { corpusFiles } from '../support/run-scripts.js';
import { runTsWorker, slices, workerCount } from '../support/ts-worker.js';
import type { CorpusReport } from './corpus-worker.js';

test('whole corpus: converges, outputs parse, fixing again changes nothing, commands kept', needsShared(), async (t) => {
  const files = corpusFiles(join(sharedDir!, 'corpus'));
  const worker = new URL('./corpus-worker.ts', import.meta.url);
  const reports = await Promise.all(
    slices(files, workerCount()).map((share) => runTsWorker<CorpusReport>(worker, { files: share })),
  );
  const total = merge(reports);
  t.diagnostic(
    `${total.files} files, ${total.parsed} parse, ${total.fixed} fixed; passes ${figures(total.passes)}; applied ${figures(total.applied)}; refused ${figures(total.refused)}`,
  );
  assert.equal(total.files, files.length);
  assert.deepEqual(total.problems, []);
  assert.ok(total.parsed > files.length * 0.99, `only ${total.parsed} of ${files.length} files parse`);
  assert.ok(total.fixed > total.parsed / 4, `only ${total.fixed} of ${total.parsed} files got fixes`);
});

function merge(reports: CorpusReport[]): CorpusReport {
  const add = (into: Record<string, number>, from: Record<string, number>) => {
    for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
  };
  const total: CorpusReport = { files: 0, parsed: 0, fixed: 0, passes: {}, applied: {}, refused: {}, problems: [] };
  for (const r of reports) {
    total.files += r.files;
    total.parsed += r.parsed;
    total.fixed += r.fixed;
    add(total.passes, r.passes);
    add(total.applied, r.applied);
    add(total.refused, r.refused);
    total.problems.push(...r.problems);
  }
  return total;
}

function figures(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([key, n]) => `${key}:${n}`)
    .join(' ');
}
