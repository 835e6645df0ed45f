/** `layerwise cache replay`: predict every build of first-parent history against the cache of all builds before it. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ImageStore } from '../cache/keys.js';
import { COMMAND_WEIGHTED_COST, costFromRecords } from '../cache/replay.js';
import { type DockerfileRewrite, replayGit } from '../cache/replay-git.js';
import { InputError, UsageError } from '../errors.js';
import { fixDockerfile } from '../fix/index.js';
import { compareFixTty, replayJson, replayTty } from '../report/cache.js';
import { renderReplayHtml } from '../report/html/cache-replay.js';
import type { LintConfig } from '../rules/config.js';
import { loadConfig } from '../rules/config-file.js';
import { parseBuildArgs } from './cache-diff.js';
import { detail, type Io, note } from './io.js';
import { emit } from './output.js';
import { paintFor } from './paint.js';

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
  compareFix?: boolean;
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
  const buildArgs = parseBuildArgs(io, options.buildArg);
  const result = await replayGit(io.cwd, {
    file: options.file,
    gitDir: options.gitDir,
    model: { buildArgs, target: options.target },
    range: options.range,
    commits,
    predict: { builder: options.builder, imageStore: options.imageStore },
    cost: records.length ? costFromRecords(records, COMMAND_WEIGHTED_COST) : COMMAND_WEIGHTED_COST,
    rewrite: options.compareFix ? await lintFix(io, options.file, buildArgs) : undefined,
  });
  if (result.report.builds.length === 0 && result.skipped.length > 0) {
    const newest = result.skipped[result.skipped.length - 1];
    throw new InputError(`no commit could be replayed (${result.skipped.length} skipped; the newest: ${newest.reason})`);
  }
  if (options.format !== 'tty')
    for (const skip of result.skipped) note(io, `layerwise: skipped ${skip.commit.slice(0, 12)}: ${skip.reason}\n`);
  detail(io, `replayed ${result.report.builds.length} builds, skipped ${result.skipped.length} commits`);
  const compareFix =
    result.compare && result.rewritten && result.rewrites
      ? { comparison: result.compare, after: result.rewritten, rewrites: result.rewrites }
      : undefined;
  let report: string;
  if (options.format === 'json') report = replayJson(result.report, { skipped: result.skipped, compareFix });
  else if (options.format === 'html') {
    report = renderReplayHtml({
      report: result.report,
      skipped: result.skipped,
      compareFix: compareFix && {
        after: compareFix.after,
        changedCommits: compareFix.comparison.changedCommits,
        rules: compareFix.comparison.rules,
        refused: compareFix.comparison.refused,
      },
    });
  } else {
    const paint = paintFor(io);
    report = replayTty(result.report, paint, { skipped: result.skipped });
    if (compareFix) report += `\n${compareFixTty(compareFix.comparison, paint)}`;
  }
  emit(io, report, options.output);
  return 0;
}

/**
 * `lint --fix` as a replay rewrite: the safe fixes, with the configuration `lint` would use for the Dockerfile in the
 * working tree (.layerwise.yaml: ignored rules, `fix-unsafe`), each commit's own context for context-aware fixes.
 */
async function lintFix(io: Io, file: string | undefined, buildArgs: Record<string, string>): Promise<DockerfileRewrite> {
  const { config } = await loadConfig(dirname(resolve(io.cwd, file ?? 'Dockerfile')));
  return lintFixRewrite(config, buildArgs);
}

/** The rewrite itself (the shell parser must be initialised); exported for bench/replay.ts. */
export function lintFixRewrite(config: LintConfig, buildArgs: Record<string, string>): DockerfileRewrite {
  const args = new Map(Object.entries(buildArgs));
  return (text, name, context) => {
    const outcome = fixDockerfile(text, { file: name, config, buildArgs: args, context });
    return {
      text: outcome.after,
      rules: outcome.applied.map((fix) => fix.rule),
      refused: outcome.refused.map(({ rule, line, column, reason }) => ({ rule, line, column, reason })),
    };
  };
}
