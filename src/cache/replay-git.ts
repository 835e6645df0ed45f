/**
 * The edge that feeds a Replayer from git: first-parent commits oldest first, each commit's Dockerfile and context
 * read with plumbing (blobs hashed once across the whole history). A commit without the Dockerfile, or whose
 * Dockerfile does not parse, is skipped and reported. With `rewrite` (`--compare-fix`), every commit is replayed a
 * second time with its Dockerfile rewritten — in the build and in the context, where `COPY .` would see it.
 */
import { parseDockerfile } from '../dockerfile/parse.js';
import { InputError } from '../errors.js';
import { type ContentTree, FileHasher } from './contenthash.js';
import { loadRevision, type SideOptions } from './fs-inputs.js';
import { GitRepo } from './git.js';
import type { PredictOptions } from './predict.js';
import { type CostModel, DEFAULT_COST, Replayer, type ReplayReport } from './replay.js';
import { compareReplays, type FixComparison } from './replay-compare.js';

/** A rewrite of one commit's Dockerfile text: the new text and the rules that changed it (one entry per fix). */
export type DockerfileRewrite = (text: string, file: string) => { text: string; rules: readonly string[] };

export interface GitReplayOptions extends SideOptions {
  /** `A..B` (default: HEAD's history). */
  range?: string;
  /** How many commits (the most recent N of the range). */
  commits?: number;
  predict?: PredictOptions;
  cost?: CostModel;
  /** Also replay every commit with its Dockerfile rewritten (`--compare-fix`), and compare. */
  rewrite?: DockerfileRewrite;
}

export interface GitReplayResult {
  report: ReplayReport;
  skipped: { commit: string; reason: string }[];
  blobsHashed: number;
  /** With `rewrite`: the history as rewritten, and what the rewrite would have saved. */
  rewritten?: ReplayReport;
  compare?: FixComparison;
}

export async function replayGit(cwd: string, options: GitReplayOptions = {}): Promise<GitReplayResult> {
  const located = GitRepo.locate(cwd);
  if (!located) throw new InputError('cache replay needs a git repository', cwd);
  const repo = new GitRepo(located.top);
  const commits = repo.firstParentLog(options.range ?? 'HEAD', options.commits);
  const replayer = new Replayer(options.predict, options.cost ?? DEFAULT_COST);
  const skipped: { commit: string; reason: string }[] = [];
  const rewritten = options.rewrite ? new Replayer(options.predict, options.cost ?? DEFAULT_COST) : undefined;
  const rewrite = { changedCommits: 0, rules: [] as string[] };
  const file = options.file ?? 'Dockerfile';
  for (const { commit, subject } of commits) {
    try {
      const side = await loadRevision(repo, commit, located.prefix, options);
      if (rewritten && options.rewrite) {
        const fixed = options.rewrite(side.text, `${commit.slice(0, 12)}:${file}`);
        let input = side.input;
        if (fixed.text !== side.text) {
          rewrite.changedCommits++;
          rewrite.rules.push(...fixed.rules);
          input = {
            ...input,
            dockerfile: parseDockerfile(fixed.text, { file }),
            context: withDockerfile(input.context, file, fixed.text),
          };
        }
        rewritten.add(commit, subject, input);
      }
      replayer.add(commit, subject, side.input);
    } catch (error) {
      if (error instanceof InputError || (error instanceof Error && error.name === 'ParseError')) {
        skipped.push({ commit, reason: error.message });
        continue;
      }
      throw error;
    }
  }
  const report = replayer.report();
  if (!rewritten) return { report, skipped, blobsHashed: repo.blobsHashed };
  const after = rewritten.report();
  return { report, skipped, blobsHashed: repo.blobsHashed, rewritten: after, compare: compareReplays(report, after, rewrite) };
}

/** The context with the Dockerfile's record replaced by the rewritten text (a regular 0644 file), if it is sent. */
function withDockerfile(context: ContentTree | undefined, file: string, text: string): ContentTree | undefined {
  if (!context?.has(file)) return context;
  const bytes = Buffer.from(text, 'utf8');
  const digest = new FileHasher({ kind: 'file', mode: 0o644, size: bytes.length }).update(bytes).digest();
  return context.withRecord(file, { kind: 'file', digest });
}
