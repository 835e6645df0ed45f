/**
 * The edge that turns a command-line side (`cache diff OLD NEW`) into a BuildInput: a directory is read as a build
 * context; anything else must be a git revision of the repository around the working directory, read with git
 * plumbing. The Dockerfile path (`--file`) is relative to the context, as BuildKit's dockerfile name is.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseDockerfile } from '../dockerfile/parse.js';
import { InputError } from '../errors.js';
import type { ModelOptions } from '../model/types.js';
import { readContextDir } from './context.js';
import { GitRepo } from './git.js';
import type { BuildInput } from './predict.js';

export interface SideOptions {
  /** The Dockerfile, relative to the context (default `Dockerfile`). */
  file?: string;
  model?: ModelOptions;
  baseChanged?: readonly string[];
  /** Whether the context holds a `.git` directory that changes every commit (default true for git contexts). */
  gitDir?: boolean;
}

export interface LoadedSide {
  input: BuildInput;
  /** How to name this side to a person: a directory path or `rev (short sha)`. */
  label: string;
  /** The Dockerfile text (for the tty report). */
  text: string;
}

/** Reads one side: a directory, or a git revision of the repository containing `cwd`. */
export async function loadSide(cwd: string, spec: string, options: SideOptions = {}): Promise<LoadedSide> {
  const file = options.file ?? 'Dockerfile';
  const dir = resolve(cwd, spec);
  if (existsSync(dir) && statSync(dir).isDirectory()) {
    const dockerfilePath = join(dir, file);
    let text: string;
    try {
      text = readFileSync(dockerfilePath, 'utf8');
    } catch {
      throw new InputError('cannot read the Dockerfile', relative(cwd, dockerfilePath) || dockerfilePath);
    }
    const located = GitRepo.locate(dir);
    const isTop = located !== undefined && resolve(located.top) === dir && existsSync(join(dir, '.git'));
    const head = isTop ? new GitRepo(dir).git(['rev-parse', 'HEAD']).toString().trim() : undefined;
    const git = isTop ? (options.gitDir === false ? 'none' : 'model') : 'real';
    const context = readContextDir(dir, { dockerfile: file, git, gitHead: head });
    return {
      input: {
        dockerfile: parseDockerfile(text, { file: relative(cwd, dockerfilePath) || file }),
        context,
        options: options.model,
        baseChanged: options.baseChanged,
        id: spec,
      },
      label: relative(cwd, dir) || '.',
      text,
    };
  }
  const located = GitRepo.locate(cwd);
  if (!located) throw new InputError('not a directory, and not inside a git repository to read a revision from', spec);
  const repo = new GitRepo(located.top);
  if (!repo.isRevision(spec)) throw new InputError('neither a directory nor a git revision', spec);
  return loadRevision(repo, repo.resolve(spec), located.prefix, { ...options, file }, spec);
}

/** Reads a commit of `repo` as a build input; `subdir` is the context inside the repository. */
export async function loadRevision(
  repo: GitRepo,
  commit: string,
  subdir: string,
  options: SideOptions,
  name = commit,
): Promise<LoadedSide> {
  const file = options.file ?? 'Dockerfile';
  const path = subdir ? `${subdir}/${file}` : file;
  const [bytes] = await repo.readObjects([`${commit}:${path}`]);
  if (!bytes) throw new InputError(`${path} does not exist at ${name}`, path);
  const text = bytes.toString('utf8');
  const context = await repo.readContext(commit, { subdir, dockerfile: file, gitDir: options.gitDir ?? true });
  return {
    input: {
      dockerfile: parseDockerfile(text, { file: `${name}:${path}` }),
      context,
      options: options.model,
      baseChanged: options.baseChanged,
      id: commit,
    },
    label: name === commit ? commit.slice(0, 12) : `${name} (${commit.slice(0, 12)})`,
    text,
  };
}
