import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readContextDir } from '../../src/cache/context.js';
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
  test('symlinks are records with their target; COPY follows them', () => {
    const dir = context({ 'real.txt': 'r', 'link.txt': '->real.txt' });
    const tree = readContextDir(dir);
    assert.equal(tree.checksum({ path: 'link.txt', followLinks: true }), tree.checksum({ path: 'real.txt', followLinks: true }));
  });
});
