/**
 * The edge that feeds a Replayer from git: first-parent commits oldest first, each commit's Dockerfile and context
 * read with plumbing (blobs hashed once across the whole history). A commit without the Dockerfile, or whose
 * Dockerfile does not parse, is skipped and reported. With `rewrite` (`--compare-fix`), every commit is replayed a
 * second time with its Dockerfile rewritten — in the build and in the context, where `COPY .` would see it.
 */
import { parseDockerfile } from '../dockerfile/parse.js';
import { InputError } from '../errors.js';
import { type ContentTree, FileHasher } from './contenthash.js';
import { type LoadedSide, loadRevision, type SideOptions } from './fs-inputs.js';
import { GitRepo } from './git.js';
import type { BuildInput, PredictOptions } from './predict.js';
import { type CostModel, DEFAULT_COST, Replayer, type ReplayReport } from './replay.js';
import { compareReplays, type FixComparison, type RefusedRewrite, type RewrittenCommit } from './replay-compare.js';

/**
 * What a rule that looks at the build context may ask of one commit's context (the shape of the rules' view,
 * restated so that the cache stage does not depend on the rules): files after .dockerignore, small ones readable.
 */
export interface CommitContextView {
  exists(path: string): boolean;
  read(path: string): string | undefined;
}

/** A rewrite of one commit's Dockerfile text: the new text, the rules that changed it (one entry per fix), refusals. */
export type DockerfileRewrite = (
  text: string,
  file: string,
  context: CommitContextView,
) => { text: string; rules: readonly string[]; refused?: readonly RefusedRewrite[] };

/** Manifests a rule may read are small; larger files read as unknown (as `lint` does on a directory). */
const MAX_READ = 1 << 20;

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
  /** With `rewrite`: what it did to each commit replayed (oldest first; skipped commits are not rewritten). */
  rewrites?: RewrittenCommit[];
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
  const rewrites: RewrittenCommit[] = [];
  const file = options.file ?? 'Dockerfile';
  for (const { commit, subject } of commits) {
    try {
      const side = await loadRevision(repo, commit, located.prefix, options);
      const fixed = options.rewrite && rewriteOf(options.rewrite, side, { repo, commit, subdir: located.prefix, file });
      replayer.add(commit, subject, side.input);
      if (rewritten && fixed) {
        rewrites.push(fixed.outcome);
        rewritten.add(commit, subject, fixed.input);
      }
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
  return {
    report,
    skipped,
    blobsHashed: repo.blobsHashed,
    rewritten: after,
    rewrites,
    compare: compareReplays(report, after, rewrites),
  };
}

/**
 * One commit's Dockerfile rewritten, as a build input: the rewritten text in the build and in the context (where
 * `COPY .` sees it). Throws (the commit is then skipped on both sides) when the rewritten text does not parse.
 */
function rewriteOf(
  rewrite: DockerfileRewrite,
  side: LoadedSide,
  at: { repo: GitRepo; commit: string; subdir: string; file: string },
): { input: BuildInput; outcome: RewrittenCommit } {
  const view = contextView(at.repo, at.commit, at.subdir, side.input.context);
  const fixed = rewrite(side.text, `${at.commit.slice(0, 12)}:${at.file}`, view);
  const changed = fixed.text !== side.text;
  const outcome = { commit: at.commit, changed, rules: changed ? fixed.rules : [], refused: fixed.refused ?? [] };
  if (!changed) return { input: side.input, outcome };
  const input = {
    ...side.input,
    dockerfile: parseDockerfile(fixed.text, { file: at.file }),
    context: withDockerfile(side.input.context, at.file, fixed.text),
  };
  return { input, outcome };
}

/** One commit's context as rules see it: what the context records hold, small files read from git when asked. */
function contextView(repo: GitRepo, commit: string, subdir: string, context: ContentTree | undefined): CommitContextView {
  const clean = (path: string): string | undefined => {
    const parts = path.split('/').filter((part) => part !== '' && part !== '.');
    return parts.includes('..') ? undefined : parts.join('/');
  };
  const isFile = (path: string | undefined): path is string =>
    path !== undefined && path !== '' && context?.resolve(path, false).node?.kind === 'file';
  return {
    exists: (path) => isFile(clean(path)),
    read(path) {
      const at = clean(path);
      if (!isFile(at)) return undefined;
      const bytes = repo.readFile(commit, subdir ? `${subdir}/${at}` : at);
      return bytes && bytes.length < MAX_READ ? bytes.toString('utf8') : undefined;
    },
  };
}

/** The context with the Dockerfile's record replaced by the rewritten text (a regular 0644 file), if it is sent. */
function withDockerfile(context: ContentTree | undefined, file: string, text: string): ContentTree | undefined {
  if (!context?.has(file)) return context;
  const bytes = Buffer.from(text, 'utf8');
  const digest = new FileHasher({ kind: 'file', mode: 0o644, size: bytes.length }).update(bytes).digest();
  return context.withRecord(file, { kind: 'file', digest });
}
