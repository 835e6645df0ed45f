/**
 * How often each shell parser agrees with `bash -n` (parse only) on "is this script valid?", over every shell-form
 * RUN of the corpus (test/support/run-scripts.ts, the set README.md's dependency list and docs/shell.md quote):
 * the hand-written parser (src/shell/parser/) and tree-sitter-bash, which it replaced. Usage:
 * node --import tsx scripts/shell-agreement.ts (needs bash; runs it once per distinct script, in parallel).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseShell } from '../src/shell/parse.js';
import { sharedDir } from '../test/support/paths.js';
import { corpusRuns } from '../test/support/run-scripts.js';
import { initShellParser } from '../test/support/tree-sitter/load.js';
import { treeSitterParse } from '../test/support/tree-sitter/walk.js';

if (!sharedDir) throw new Error('no ../shared corpus (set LAYERWISE_SHARED)');
const runs = corpusRuns(join(sharedDir, 'corpus')).map((run) => run.script);
const distinct = [...new Set(runs)];

/** bash -n on each script, 8 at a time; true = accepted. */
async function bashVerdicts(scripts: string[]): Promise<Map<string, boolean>> {
  const dir = mkdtempSync(join(tmpdir(), 'layerwise-bash-n-'));
  const verdicts = new Map<string, boolean>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < scripts.length) {
      const index = next++;
      const file = join(dir, `${index}.sh`);
      writeFileSync(file, scripts[index]);
      const ok = await promisify(execFile)('bash', ['-n', file]).then(
        () => true,
        () => false,
      );
      verdicts.set(scripts[index], ok);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  rmSync(dir, { recursive: true, force: true });
  return verdicts;
}

await initShellParser();
const bash = await bashVerdicts(distinct);
const report = (label: string, valid: (script: string) => boolean): void => {
  let agree = 0;
  let falseErrors = 0;
  let missed = 0;
  for (const script of runs) {
    const ours = valid(script);
    const truth = bash.get(script)!;
    if (ours === truth) agree++;
    else if (truth) falseErrors++;
    else missed++;
  }
  const percent = ((100 * agree) / runs.length).toFixed(2);
  console.log(`${label.padEnd(28)} ${agree} / ${runs.length} (${percent}%): ${falseErrors} false errors, ${missed} missed`);
};
console.log(
  `${runs.length} RUN scripts (${distinct.length} distinct); bash -n accepts ${runs.filter((s) => bash.get(s)).length}`,
);
report('hand-written parser', (script) => parseShell(script).problems.length === 0);
report('tree-sitter-bash', (script) => treeSitterParse(script).problems.length === 0);
