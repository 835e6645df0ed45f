/**
 * Throwaway git repositories for tests, one helper for all of them: `testRepo` commits one set of files at a time
 * (and returns each commit), `gitHistory` lays down a whole history at once. Commits are made by the real git with a
 * fixed identity and no system config, so they behave the same on every machine.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { addPackage } from '../../src/cache/what-if.js';
import { repoRoot, scratchDir } from './paths.js';

export interface TestRepo {
  dir: string;
  /**
   * Writes the files and commits everything; returns the commit. Content `->x` makes a symlink to x, `null` deletes
   * the file, `*.sh` files are executable.
   */
  commit: (files: Record<string, string | null>, message?: string) => string;
}

export interface Commit {
  message: string;
  /** path → content; null deletes the file. */
  files: Record<string, string | null>;
}

/** A new repository in `dir` (which must exist and be empty), branch `main`. */
function initRepo(dir: string): TestRepo {
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@t',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@t',
        GIT_CONFIG_NOSYSTEM: '1',
      },
    })
      .toString()
      .trim();
  git('init', '-q', '-b', 'main');
  return {
    dir,
    commit(files, message = 'c') {
      for (const [path, content] of Object.entries(files)) {
        const abs = join(dir, path);
        rmSync(abs, { force: true });
        if (content === null) continue;
        mkdirSync(dirname(abs), { recursive: true });
        if (content.startsWith('->')) symlinkSync(content.slice(2), abs);
        else writeFileSync(abs, content);
        if (path.endsWith('.sh')) chmodSync(abs, 0o755);
      }
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD');
    },
  };
}

/** A new repository under the OS temp directory; `roots` collects it for removal after the tests. */
export function testRepo(roots: string[]): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), 'layerwise-git-'));
  roots.push(dir);
  return initRepo(dir);
}

/**
 * A repository under .test-output with `commits` on `main`, oldest first (removed after the test when `t` is given);
 * returns its directory.
 */
export function gitHistory(t: TestContext | undefined, commits: readonly Commit[]): string {
  const repo = initRepo(scratchDir(t, 'git-'));
  for (const commit of commits) repo.commit(commit.files, commit.message);
  return repo.dir;
}

/**
 * The article's story as history: the mono-layer Dockerfile of examples/seed, then one commit per pip package added
 * to its `pip3 install` (made by `addPackage`, as a person would: one more word on the line). The shell parser must
 * be initialised (addPackage reads the RUN with it).
 */
export function seedPipHistory(packages: readonly string[] = ['rich', 'click', 'httpx']): Commit[] {
  let dockerfile = readFileSync(join(repoRoot, 'examples', 'seed', 'Dockerfile'), 'utf8');
  const commits: Commit[] = [
    { message: 'the article: one RUN for apt-get and pip', files: { Dockerfile: dockerfile, '.dockerignore': '.git\n' } },
  ];
  for (const name of packages) {
    const added = addPackage(dockerfile, 'pip', name);
    if (!added) throw new Error('examples/seed/Dockerfile has no pip install to add to');
    dockerfile = added.text;
    commits.push({ message: `add ${name}`, files: { Dockerfile: dockerfile } });
  }
  return commits;
}
