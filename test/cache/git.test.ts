import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { readContextDir } from '../../src/cache/context.js';
import { GitRepo } from '../../src/cache/git.js';
import { testRepo } from '../support/git-history.js';

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const repo = () => testRepo(roots);

describe('git: a revision as a build context', () => {
  test('without .git, a revision hashes like its checked-out directory', async () => {
    const r = repo();
    const c1 = r.commit({
      'a.txt': 'a',
      'run.sh': 'echo',
      'src/x.py': 'x',
      l: '->a.txt',
      '.dockerignore': '.git\n*.log\n',
      'z.log': 'z',
    });
    const git = new GitRepo(r.dir);
    const fromGit = await git.readContext(c1, { gitDir: false });
    const fromDisk = readContextDir(r.dir);
    assert.equal(fromGit.checksum({ path: '/' }), fromDisk.checksum({ path: '/' }));
  });
  test('Dockerfile.dockerignore wins over .dockerignore when no Dockerfile is named, as in a directory', async () => {
    const r = repo();
    const c1 = r.commit({
      '.dockerignore': '.git\na.txt\n',
      'Dockerfile.dockerignore': '.git\nb.txt\n',
      'a.txt': '',
      'b.txt': '',
    });
    const paths = [...(await new GitRepo(r.dir).readContext(c1, { gitDir: false })).paths()].map(([p]) => p);
    assert.deepEqual(paths, ['/.dockerignore', '/Dockerfile.dockerignore', '/a.txt']);
    assert.equal(
      (await new GitRepo(r.dir).readContext(c1, { gitDir: false })).checksum({ path: '/' }),
      readContextDir(r.dir).checksum({ path: '/' }),
    );
  });
  test('.git changes on every commit unless ignored', async () => {
    const r = repo();
    const c1 = r.commit({ 'a.txt': 'a' });
    const c2 = r.commit({}, 'empty');
    const git = new GitRepo(r.dir);
    const digest = async (c: string) => (await git.readContext(c)).checksum({ path: '/' });
    assert.notEqual(await digest(c1), await digest(c2));
    const c3 = r.commit({ '.dockerignore': '.git\n' });
    const c4 = r.commit({}, 'empty');
    assert.equal(await digest(c3), await digest(c4));
  });
  test('each blob is hashed once across revisions', async () => {
    const r = repo();
    const c1 = r.commit({ 'a.txt': 'a', 'b.txt': 'b' });
    const c2 = r.commit({ 'b.txt': 'B' });
    const git = new GitRepo(r.dir);
    await git.readContext(c1, { gitDir: false });
    await git.readContext(c2, { gitDir: false });
    assert.equal(git.blobsHashed, 3);
  });
  test('first-parent history is oldest first', () => {
    const r = repo();
    const c1 = r.commit({ 'a.txt': '1' });
    const c2 = r.commit({ 'a.txt': '2' });
    assert.deepEqual(new GitRepo(r.dir).firstParentHistory('HEAD'), [c1, c2]);
  });
});
