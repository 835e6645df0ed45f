import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ContentTree, FileHasher } from '../../src/cache/contenthash.js';
import { readContextDir } from '../../src/cache/context.js';
import { xattrsAvailable } from '../../src/cache/xattrs.js';
import { InputError } from '../../src/errors.js';

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A context directory from a map of path → content (a string ending in "/" for a directory, `->x` for a link). */
function context(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'layerwise-ctx-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    const abs = join(root, path);
    if (path.endsWith('/')) mkdirSync(abs, { recursive: true });
    else {
      mkdirSync(join(abs, '..'), { recursive: true });
      if (content.startsWith('->')) symlinkSync(content.slice(2), abs);
      else writeFileSync(abs, content);
    }
  }
  return root;
}

const listing = (dir: string, options = {}) => [...readContextDir(dir, options).paths()].map(([p]) => p);

describe('context: .dockerignore is applied while walking', () => {
  test('excluded files and directories are never part of the context', () => {
    const dir = context({ '.dockerignore': 'node_modules\n*.log\n', 'a.txt': '1', 'x.log': 'l', 'node_modules/m/i.js': 'm' });
    assert.deepEqual(listing(dir), ['/.dockerignore', '/a.txt']);
  });
  test('an exception re-includes a file inside an excluded directory, and that directory is sent', () => {
    const dir = context({ '.dockerignore': 'docs\n!docs/keep.md\n', 'docs/keep.md': 'k', 'docs/drop.md': 'd' });
    assert.deepEqual(listing(dir), ['/.dockerignore', '/docs', '/docs/keep.md']);
  });
  test('<Dockerfile>.dockerignore wins over .dockerignore', () => {
    const dir = context({ '.dockerignore': 'a.txt\n', 'app.Dockerfile.dockerignore': 'b.txt\n', 'a.txt': '', 'b.txt': '' });
    assert.deepEqual(listing(dir, { dockerfile: 'app.Dockerfile' }), [
      '/.dockerignore',
      '/a.txt',
      '/app.Dockerfile.dockerignore',
    ]);
    assert.deepEqual(listing(dir), ['/.dockerignore', '/app.Dockerfile.dockerignore', '/b.txt']);
  });
  test('without a Dockerfile named, Dockerfile.dockerignore (the default name) still wins, as on the engine', () => {
    const dir = context({ '.dockerignore': 'a.txt\n', 'Dockerfile.dockerignore': 'b.txt\n', 'a.txt': '', 'b.txt': '' });
    assert.deepEqual(listing(dir), ['/.dockerignore', '/Dockerfile.dockerignore', '/a.txt']);
  });
  test('a bad pattern is an input error naming the ignore file', () => {
    const dir = context({ '.dockerignore': 'a[\n' });
    assert.throws(
      () => readContextDir(dir),
      (e: unknown) => e instanceof InputError && /\.dockerignore/.test(e.describe()),
    );
  });
});

describe('context: what the checksum sees', () => {
  test('mtime never matters; mode bits do', () => {
    const dir = context({ 'a.sh': 'echo' });
    const before = readContextDir(dir).checksum({ path: '/' });
    utimesSync(join(dir, 'a.sh'), 1000, 1000);
    assert.equal(readContextDir(dir).checksum({ path: '/' }), before);
    chmodSync(join(dir, 'a.sh'), 0o755);
    assert.notEqual(readContextDir(dir).checksum({ path: '/' }), before);
  });
  test('the owner never matters: uid and gid are hashed as 0', (t) => {
    const dir = context({ 'a.txt': 'a', 'd/b.txt': 'b' });
    const before = readContextDir(dir).checksum({ path: '/' });
    const chown = spawnSync('chown', ['-R', '1234:5678', dir]);
    if (chown.status !== 0) return t.skip('SKIPPED: not root, cannot give the files another owner');
    assert.equal(readContextDir(dir).checksum({ path: '/' }), before);
  });
  test('a symlink is its target text: pointing it elsewhere changes the context, even to identical content', () => {
    const dir = context({ 'a.txt': 'same', 'b.txt': 'same', 'd/link': '->../a.txt' });
    const before = readContextDir(dir).checksum({ path: 'd' });
    rmSync(join(dir, 'd/link'));
    symlinkSync('../b.txt', join(dir, 'd/link'));
    assert.notEqual(readContextDir(dir).checksum({ path: 'd' }), before);
  });
  test('symlinks are records with their target; COPY follows them', () => {
    const dir = context({ 'real.txt': 'r', 'link.txt': '->real.txt' });
    const tree = readContextDir(dir);
    assert.equal(tree.checksum({ path: 'link.txt', followLinks: true }), tree.checksum({ path: 'real.txt', followLinks: true }));
  });
});

describe('readContextDir: extended attributes', () => {
  const setfattr = (path: string, name: string, value: string) =>
    spawnSync('setfattr', ['-n', name, '-v', value, path], { encoding: 'utf8' }).status === 0;
  // In CI a missing tool is a failure, not a skip (scripts/ci-extras.sh installs attr).
  const skip = xattrsAvailable() || process.env.CI ? false : 'SKIPPED: getfattr/setfattr not installed (apt-get install attr)';
  const sum = (dir: string, path: string, xattrs?: boolean) =>
    readContextDir(dir, { xattrs }).checksum({ path, followLinks: true });

  test('count as BuildKit counts them: user.*, trusted.* and security.capability, binary values by their bytes', { skip }, () => {
    for (const name of ['a b\nc.txt', 'plain.txt']) {
      const dir = context({ [name]: 'x' });
      const before = sum(dir, `/${name}`);
      assert.ok(setfattr(join(dir, name), 'user.note', '0x00ff10'), 'setfattr');
      const binary = sum(dir, `/${name}`);
      assert.notEqual(binary, before, name);
      assert.equal(sum(dir, `/${name}`, false), before, 'xattrs: false leaves them out');
      assert.ok(setfattr(join(dir, name), 'user.note', '0x00ff11'));
      assert.notEqual(sum(dir, `/${name}`), binary, 'one byte of the value differs');
    }
    const dir = context({ 'cap.bin': 'x' });
    const before = sum(dir, '/cap.bin');
    assert.ok(setfattr(join(dir, 'cap.bin'), 'security.capability', '0sAQAAAgAgAAAAAAAAAAAAAAAAAAA='));
    assert.notEqual(sum(dir, '/cap.bin'), before);
  });
  test('equal values hash equal to records made from the header with the same bytes', { skip }, () => {
    const dir = context({ 'a.txt': 'x' });
    assert.ok(setfattr(join(dir, 'a.txt'), 'user.k', 'v'));
    const expected = new ContentTree();
    expected.addRecord('a.txt', {
      kind: 'file',
      digest: new FileHasher({ kind: 'file', mode: 0o644, size: 1, xattrs: { 'user.k': Buffer.from('v') } })
        .update(Buffer.from('x'))
        .digest(),
    });
    assert.equal(sum(dir, '/a.txt'), expected.checksum({ path: '/a.txt', followLinks: true }));
  });
});
