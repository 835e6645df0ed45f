/**
 * Runs the README tour's commands (scripts/cli-docs.ts reads them from the output markers) in-process, without
 * colors, from the checkout — or, for `output@seed-history`, in a git repository holding the article's story as
 * history. Used by `npm run docs:cli` to write the output and by test/cli/docs.test.ts to check it is current.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { sep } from 'node:path';
import { memoryIo } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';
import { gitHistory, seedPipHistory } from '../test/support/git-history.js';
import { type TourCommand, tourCommands } from './cli-docs.js';

/** Fixed dates make the commits, and so the ids the replay prints, the same on every run and machine. */
function seedHistory(): string {
  const saved = { author: process.env.GIT_AUTHOR_DATE, committer: process.env.GIT_COMMITTER_DATE };
  process.env.GIT_AUTHOR_DATE = process.env.GIT_COMMITTER_DATE = '2026-01-01T12:00:00Z';
  try {
    return gitHistory(undefined, seedPipHistory(['rich', 'click', 'httpx']));
  } finally {
    for (const [key, value] of [
      ['GIT_AUTHOR_DATE', saved.author],
      ['GIT_COMMITTER_DATE', saved.committer],
    ] as const)
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
  }
}

export async function runTour(readme: string, root: string): Promise<string[]> {
  const outputs: string[] = [];
  let history: string | undefined;
  try {
    for (const command of tourCommands(readme)) outputs.push(await runOne(command, root, () => (history ??= seedHistory())));
  } finally {
    if (history) rmSync(history, { recursive: true, force: true });
  }
  return outputs;
}

async function runOne(command: TourCommand, root: string, history: () => string): Promise<string> {
  const io = memoryIo({ cwd: command.inSeedHistory ? history() : root });
  const code = await main(command.args, io);
  // lint exits 1 on findings: that is output to show. Only a usage or input error means the README is wrong.
  if (code >= 2) throw new Error(`README tour: layerwise ${command.args.join(' ')} exited ${code}: ${io.err}`);
  // The demo's report lands in the temp directory: shown as /tmp whatever TMPDIR says here.
  return io.out.replaceAll(`${tmpdir()}${sep}`, '/tmp/');
}
