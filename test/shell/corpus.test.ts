/** Every shell-form RUN of the shared corpus goes through the whole shell stage without throwing. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeScript } from '../../src/shell/commands.js';
import { cacheUses } from '../../src/shell/package-managers/caches.js';
import { packageManagerCalls } from '../../src/shell/package-managers/index.js';
import { canSplitAt, splitPoints } from '../../src/shell/split.js';
import { needsShared, sharedDir } from '../support/paths.js';
import { corpusRuns } from '../support/run-scripts.js';

test('the corpus RUN scripts analyse without throwing', needsShared(), () => {
  const runs = corpusRuns(join(sharedDir!, 'corpus'));
  assert.ok(runs.length > 20000, `only ${runs.length} RUN scripts found`);
  let errors = 0;
  let calls = 0;
  for (const run of runs) {
    try {
      const script = analyzeScript(run.script);
      if (script.hasErrors) errors++;
      const found = packageManagerCalls(script);
      calls += found.length;
      cacheUses(script, found, { mountTargets: ['/var/cache/apt'] });
      for (const point of splitPoints(script)) canSplitAt(script, point.after);
      for (const command of script.commands) {
        for (const word of command.argv) assert.equal(run.script.slice(word.start, word.end), word.text);
      }
    } catch (error) {
      throw new Error(`${run.file}:${run.line}: ${(error as Error).stack}`);
    }
  }
  // Most real RUNs parse cleanly and most install something: a collapse of either means a regression.
  assert.ok(errors / runs.length < 0.01, `${errors} of ${runs.length} scripts had syntax errors`);
  assert.ok(calls > runs.length / 3, `only ${calls} package-manager calls recognised`);
});
