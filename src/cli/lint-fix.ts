/**
 * `layerwise lint --fix | --fix-unsafe | --diff`: fix each Dockerfile (src/fix), then write it in place atomically
 * (`--fix`; standard input: the fixed text goes to stdout), or print a git-style diff and write nothing (`--diff`).
 * The report and the exit code are lint's, on the findings left after fixing (ESLint's convention). `--format json`
 * adds per file the fixed `output`, the applied `fixes` with their edits and the `refused` ones.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { unifiedDiff } from '../fix/diff.js';
import { type FixOutcome, fixDockerfile } from '../fix/index.js';
import { writeDockerfileAtomic } from '../fix/write.js';
import { jsonFile, jsonFilesStream } from '../report/json.js';
import type { Sink } from '../report/stream.js';
import type { LintOptions, LintResult } from '../rules/lint.js';
import type { Io } from './io.js';
import { displayName } from './read-input.js';

export interface FixRun {
  mode: 'fix' | 'diff';
  unsafe: boolean;
  /** lint's `--format`: json carries the fixes; every other format reports the findings left. */
  format: string;
}

/** One file fixed: the outcome and, for lint's renderers, the findings of the fixed text as a LintResult. */
export interface FixedFile {
  target: string;
  outcome: FixOutcome;
  result: LintResult;
}

/** Fixes one file whose text lint read (`-`: standard input); `--fix` writes it back. */
export async function fixFile(io: Io, target: string, text: string, options: LintOptions, run: FixRun): Promise<FixedFile> {
  const outcome = fixDockerfile(text, { ...options, unsafe: run.unsafe });
  const file = options.file ?? displayName(target);
  const result: LintResult = outcome.parseError
    ? { file, source: text, findings: [], parseError: outcome.parseError }
    : { file, source: outcome.after, findings: outcome.remaining };
  if (run.mode === 'fix' && outcome.changed && target !== '-') {
    const path = resolve(io.cwd, target);
    await assertExact(path, text, target);
    await writeDockerfileAtomic(path, outcome.after);
  }
  return { target, outcome, result };
}

/**
 * Refuses a file whose bytes are not the UTF-8 of its text (invalid UTF-8 was decoded to U+FFFD): writing the text
 * back would change bytes no fix meant to touch.
 */
async function assertExact(path: string, text: string, target: string): Promise<void> {
  const bytes = await readFile(path).catch(() => undefined);
  if (!bytes || !Buffer.from(text, 'utf8').equals(bytes)) {
    throw new InputError('not written: the file is not valid UTF-8 (or changed while it was being fixed)', target);
  }
}

/** What `--fix`/`--diff` print for one file besides lint's report: its diff (stdout) and what was fixed or refused (stderr). */
export function printFix(io: Io, { target, outcome }: FixedFile, run: FixRun): void {
  if (outcome.parseError) return;
  if (run.format === 'json') return; // the JSON report carries the output and the fixes
  if (run.mode === 'diff') {
    const name = target === '-' ? 'Dockerfile' : target;
    io.stdout(unifiedDiff(`a/${name}`, `b/${name}`, outcome.before, outcome.after));
  }
  if (run.mode === 'fix' && target === '-') io.stdout(outcome.after);
  const file = displayName(target);
  if (outcome.applied.length > 0) {
    const verb = run.mode === 'fix' ? 'fixed' : 'would fix';
    const passes = outcome.passes === 1 ? '1 pass' : `${outcome.passes} passes`;
    io.stderr(
      `${file}: ${verb} ${outcome.applied.length} ${outcome.applied.length === 1 ? 'problem' : 'problems'} (${passes})\n`,
    );
  }
  for (const refused of outcome.refused) {
    io.stderr(`${file}:${refused.line}:${refused.column}: ${refused.rule}: not fixed: ${refused.reason}\n`);
  }
}

/**
 * lint's JSON with, per file, the fixed text and the fixes (ESLint's `--fix-dry-run` shape, in our words), written
 * file by file.
 */
export function fixJsonStream(sink: Sink): { file(fixed: FixedFile): void; end(): void } {
  const files = jsonFilesStream(sink);
  return {
    file: ({ outcome, result }) => {
      const entry = jsonFile(result);
      if (outcome.parseError) return files.entry(entry);
      files.entry({
        ...entry,
        output: outcome.after,
        changed: outcome.changed,
        passes: outcome.passes,
        converged: outcome.converged,
        fixes: outcome.applied.map((a) => ({
          rule: a.rule,
          line: a.line,
          column: a.column,
          message: a.message,
          pass: a.pass,
          safety: a.safety,
          edits: a.edits.map((e) => ({ start: e.start, end: e.end, text: e.text })),
        })),
        refused: outcome.refused,
      });
    },
    end: files.end,
  };
}
