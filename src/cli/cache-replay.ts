/** `layerwise cache replay`: predict every build of first-parent history against the cache of all builds before it. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ImageStore } from '../cache/keys.js';
import { COMMAND_WEIGHTED_COST, costFromRecords } from '../cache/replay.js';
import { replayGit } from '../cache/replay-git.js';
import { InputError, UsageError } from '../errors.js';
import { replayJson, replayTty } from '../report/cache.js';
import { renderReplayHtml } from '../report/html/cache-replay.js';
import { paintFor, parseBuildArgs } from './cache-diff.js';
import { detail, type Io, note } from './io.js';
import { emit } from './output.js';
import { startShellParser } from './shell-parser.js';

export interface CacheReplayOptions {
  file?: string;
  target?: string;
  buildArg?: string[];
  commits?: string;
  range?: string;
  builder?: 'buildkit' | 'classic';
  imageStore?: ImageStore;
  gitDir?: boolean;
  record?: string[];
  format?: 'tty' | 'json' | 'html';
  output?: string;
}

export async function run(io: Io, options: CacheReplayOptions): Promise<number> {
  if (options.commits !== undefined && options.range !== undefined) throw new UsageError('use --commits or --range, not both');
  const commits = options.commits === undefined ? (options.range ? undefined : 20) : Number(options.commits);
  if (commits !== undefined && (!Number.isInteger(commits) || commits < 1))
    throw new UsageError(`--commits must be a positive integer, not ${options.commits}`);
  const records = (options.record ?? []).map((file) => {
    try {
      return JSON.parse(readFileSync(resolve(io.cwd, file), 'utf8'));
    } catch (error) {
      throw new InputError(`cannot read the build record: ${(error as Error).message}`, file);
    }
  });
  await startShellParser(); // the default weights count the commands each RUN runs
  const result = await replayGit(io.cwd, {
    file: options.file,
    gitDir: options.gitDir,
    model: { buildArgs: parseBuildArgs(io, options.buildArg), target: options.target },
    range: options.range,
    commits,
    predict: { builder: options.builder, imageStore: options.imageStore },
    cost: records.length ? costFromRecords(records, COMMAND_WEIGHTED_COST) : COMMAND_WEIGHTED_COST,
  });
  for (const skip of result.skipped) note(io, `layerwise: skipped ${skip.commit.slice(0, 12)}: ${skip.reason}\n`);
  detail(io, `replayed ${result.report.builds.length} builds, skipped ${result.skipped.length} commits`);
  const report =
    options.format === 'json'
      ? replayJson(result.report)
      : options.format === 'html'
        ? renderReplayHtml({ report: result.report, skipped: result.skipped })
        : replayTty(result.report, paintFor(io));
  emit(io, report, options.output);
  return 0;
}
