/**
 * The edge that feeds a Replayer from git: first-parent commits oldest first, each commit's Dockerfile and context
 * read with plumbing (blobs hashed once across the whole history). A commit without the Dockerfile, or whose
 * Dockerfile does not parse, is skipped and reported.
 */
import { InputError } from '../errors.js';
import { loadRevision, type SideOptions } from './fs-inputs.js';
import { GitRepo } from './git.js';
import type { PredictOptions } from './predict.js';
import { type CostModel, DEFAULT_COST, Replayer, type ReplayReport } from './replay.js';

export interface GitReplayOptions extends SideOptions {
  /** `A..B` (default: HEAD's history). */
  range?: string;
  /** How many commits (the most recent N of the range). */
  commits?: number;
  predict?: PredictOptions;
  cost?: CostModel;
}

export interface GitReplayResult {
  report: ReplayReport;
  skipped: { commit: string; reason: string }[];
  blobsHashed: number;
}

export async function replayGit(cwd: string, options: GitReplayOptions = {}): Promise<GitReplayResult> {
  const located = GitRepo.locate(cwd);
  if (!located) throw new InputError('cache replay needs a git repository', cwd);
  const repo = new GitRepo(located.top);
  const commits = repo.firstParentLog(options.range ?? 'HEAD', options.commits);
  const replayer = new Replayer(options.predict, options.cost ?? DEFAULT_COST);
  const skipped: { commit: string; reason: string }[] = [];
  for (const { commit, subject } of commits) {
    try {
      const side = await loadRevision(repo, commit, located.prefix, options);
      replayer.add(commit, subject, side.input);
    } catch (error) {
      if (error instanceof InputError || (error instanceof Error && error.name === 'ParseError')) {
        skipped.push({ commit, reason: error.message });
        continue;
      }
      throw error;
    }
  }
  return { report: replayer.report(), skipped, blobsHashed: repo.blobsHashed };
}
