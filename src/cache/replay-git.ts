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

/**
 * A rewrite of one commit's Dockerfile text: the new text, the rules that changed it (one entry per fix), refusals.
 * It must depend only on its arguments and the context's answers: results are reused for a text seen before.
 */
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
  const rewrite = options.rewrite && memoized(options.rewrite);
  const texts = new Map<string, string | undefined>(); // context files rewrites read, by content digest
  for (const { commit, subject } of commits) {
    try {
      const side = await loadRevision(repo, commit, located.prefix, options);
      const fixed = rewrite && rewriteOf(rewrite, side, { repo, commit, subdir: located.prefix, file, texts });
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
  at: { repo: GitRepo; commit: string; subdir: string; file: string; texts: Map<string, string | undefined> },
): { input: BuildInput; outcome: RewrittenCommit } {
  const view = contextView(at, side.input.context);
  const fixed = rewrite(side.text, at.file, view);
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

/** A question a rewrite asked of a commit's context, and the answer it got. */
type Asked = { path: string } & ({ exists: boolean } | { read: string | undefined });

/**
 * A rewrite depends only on the text, the file name and what it asked of the context; most commits leave the
 * Dockerfile alone, so a text seen before is not rewritten again when the same questions get the same answers here.
 */
function memoized(rewrite: DockerfileRewrite): DockerfileRewrite {
  const seen = new Map<string, { asked: Asked[]; result: ReturnType<DockerfileRewrite> }[]>();
  const same = (context: CommitContextView, q: Asked) =>
    'exists' in q ? context.exists(q.path) === q.exists : context.read(q.path) === q.read;
  return (text, file, context) => {
    const key = `${file}\0${text}`;
    const earlier = seen.get(key) ?? [];
    const hit = earlier.find((entry) => entry.asked.every((q) => same(context, q)));
    if (hit) return hit.result;
    const asked: Asked[] = [];
    const recording: CommitContextView = {
      exists: (path) => {
        const exists = context.exists(path);
        asked.push({ path, exists });
        return exists;
      },
      read: (path) => {
        const read = context.read(path);
        asked.push({ path, read });
        return read;
      },
    };
    const result = rewrite(text, file, recording);
    seen.set(key, [...earlier, { asked, result }]);
    return result;
  };
}

/**
 * One commit's context as rules see it: what the context records hold, small files read from git when asked — once
 * per content (`texts`, shared across commits, is keyed by the record's digest).
 */
function contextView(
  at: { repo: GitRepo; commit: string; subdir: string; texts: Map<string, string | undefined> },
  context: ContentTree | undefined,
): CommitContextView {
  const fileAt = (path: string) => {
    const parts = path.split('/').filter((part) => part !== '' && part !== '.');
    if (parts.length === 0 || parts.includes('..')) return undefined;
    const node = context?.resolve(parts.join('/'), false).node;
    return node?.kind === 'file' ? { path: parts.join('/'), digest: node.digest } : undefined;
  };
  return {
    exists: (path) => fileAt(path) !== undefined,
    read(path) {
      const file = fileAt(path);
      if (!file) return undefined;
      if (!at.texts.has(file.digest)) {
        const bytes = at.repo.readFile(at.commit, at.subdir ? `${at.subdir}/${file.path}` : file.path);
        at.texts.set(file.digest, bytes && bytes.length < MAX_READ ? bytes.toString('utf8') : undefined);
      }
      return at.texts.get(file.digest);
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
