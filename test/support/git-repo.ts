/** A throwaway git repository for tests: `commit(files)` writes the files (`->x` makes a symlink) and commits them. */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRepo {
  dir: string;
  /** Writes the files (`*.sh` executable) and commits everything; returns the commit. */
  commit: (files: Record<string, string>, message?: string) => string;
}

/** A new repository under the OS temp directory; `roots` collects it for removal after the tests. */
export function testRepo(roots: string[]): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), 'layerwise-git-'));
  roots.push(dir);
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
    })
      .toString()
      .trim();
  git('init', '-q', '-b', 'main');
  return {
    dir,
    commit(files, message = 'c') {
      for (const [path, content] of Object.entries(files)) {
        const abs = join(dir, path);
        mkdirSync(join(abs, '..'), { recursive: true });
        rmSync(abs, { force: true });
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
