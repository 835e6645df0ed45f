import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { ContentError, ContentTree, EMPTY_DIGEST, FileHasher, tarsumHeader } from '../../src/cache/contenthash.js';

/** Builds a tree from BuildKit-test-style lines: "path file DATA" | "path dir" | "path symlink TARGET". */
function tree(lines: string[], rootMode: number | undefined = 0o755): ContentTree {
  const t = new ContentTree(rootMode);
  for (const line of lines) {
    const [path, kind, arg = ''] = line.split(' ');
    if (kind === 'dir') t.addDir(path, { mode: 0o755 });
    else if (kind === 'symlink') t.addSymlink(path, arg);
    else {
      const data = Buffer.from(arg);
      t.addRecord(path, {
        kind: 'file',
        digest: new FileHasher({ kind: 'file', mode: 0o644, size: data.length }).update(data).digest(),
      });
    }
  }
  return t;
}

// Digests BuildKit's own cache/contenthash tests expect for the same trees (files 0644, dirs 0755, uid/gid 0).
const FILE_DATA0 = 'sha256:cd8e75bca50f2d695f220d0cb0997d8ead387e4f926e8669a92d7f104cc9885b';
const FILE_DATA1 = 'sha256:c2b5e234f5f38fc5864da7def04782f82501a40d46192e4207d5b3f0c3c4732b';
const DIR_D0 = 'sha256:d47454417d2c554067fbefe5f5719edc49f3cfe969c36b62e34a187a4da0cc9a';
const DIR_D0_FILE_BY_FILE = 'sha256:6b612ad5c13159112ae26357ef7bd34df29916941ba40ec2ce38dfb70c6c60c3';
const DIR_D0_MODIFIED = 'sha256:555ffa3028630d97ba37832b749eda85ab676fd64ffb629fbf0f4ec8c1e3bff1';

describe('contenthash: digests equal to BuildKit', () => {
  const basic = tree([
    'foo file data0',
    'bar file data1',
    'd0 dir',
    'd0/abc file data0',
    'd0/def symlink abc',
    'd0/ghi symlink nosuchfile',
  ]);

  test('a file digest covers the tarsum header and content, not its name', () => {
    assert.equal(basic.checksum({ path: 'foo', followLinks: true }), FILE_DATA0);
    assert.equal(basic.checksum({ path: 'bar', followLinks: true }), FILE_DATA1);
    assert.equal(basic.checksum({ path: 'd0/abc', followLinks: true }), FILE_DATA0);
  });
  test('a followed symlink has its target digest; a dangling one is not found', () => {
    assert.equal(basic.checksum({ path: 'd0/def', followLinks: true }), FILE_DATA0);
    assert.throws(() => basic.checksum({ path: 'd0/ghi', followLinks: true }), ContentError);
    assert.throws(() => basic.checksum({ path: 'nosuch', followLinks: true }), ContentError);
  });
  test('a directory digest comes from its header and children', () => {
    assert.equal(basic.checksum({ path: 'd0', followLinks: true }), DIR_D0);
    assert.equal(basic.checksum({ path: '/' }), 'sha256:427c9cf9ae98c0f81fb57a3076b965c7c149b6b0a85625ad4e884236649a42c6');
  });
  test('a transferred context fakes its root header as the digest of nothing', () => {
    const t = tree(['a file 1'], undefined);
    const other = tree(['a file 1'], 0o700);
    assert.notEqual(t.checksum({ path: '/' }), other.checksum({ path: '/' }));
    assert.equal(tree(['a file 1'], undefined).checksum({ path: '/' }), t.checksum({ path: '/' }));
  });
  test('a scanned root counts its header: a root with the same children as d0 has its digest: a root with the same children as d0 has its digest', () => {
    const same = tree(['abc file data0', 'def symlink abc', 'ghi symlink nosuchfile']);
    assert.equal(same.checksum({ path: '/' }), DIR_D0);
    assert.equal(tree(['abc file data0', 'def symlink abc']).checksum({ path: '/' }), DIR_D0_MODIFIED);
  });
  test('wildcards hash (relative path, digest) pairs; one match with the same base name is its own digest', () => {
    const t = tree([
      'bar file data1',
      'foo file data0',
      'fox file data2',
      'x dir',
      'x/d0 dir',
      'x/d0/abc file data0',
      'x/d0/def symlink abc',
      'x/d0/ghi symlink nosuchfile',
      'y1 symlink foo',
      'y2 symlink fox',
    ]);
    const single = `sha256:${createHash('sha256')
      .update(Buffer.concat([Buffer.from([0]), Buffer.from('foo'), Buffer.from(FILE_DATA0)]))
      .digest('hex')}`;
    assert.equal(t.checksum({ path: 'f*o', wildcard: true }), single);
    assert.equal(
      t.checksum({ path: 'f*', wildcard: true }),
      'sha256:0b6731924f0a32a812bf8a729202e55e54ded331f9e4ff2397f681e43694e086',
    );
    assert.equal(t.checksum({ path: 'x/d?', wildcard: true }), DIR_D0_FILE_BY_FILE);
    assert.equal(t.checksum({ path: 'x/d?/def', wildcard: true, followLinks: true }), FILE_DATA0);
    assert.equal(
      t.checksum({ path: 'y*', wildcard: true, followLinks: true }),
      'sha256:982153600b9653a1decb0f961e09e2bc1be335cfcaac9b39dbd1120b65fdf92c',
    );
  });
});

describe('contenthash: what changes a digest', () => {
  const file = (mode: number, data = 'x', extra = {}) =>
    new FileHasher({ kind: 'file', mode, size: data.length, ...extra }).update(Buffer.from(data)).digest();
  test('mode bits count, including setuid, setgid and sticky', () => {
    const digests = new Set([file(0o644), file(0o755), file(0o4755), file(0o2755), file(0o1755)]);
    assert.equal(digests.size, 5);
  });
  test('xattrs count except security.* (but security.capability) and system.*', () => {
    assert.equal(file(0o644, 'x', { xattrs: { 'security.selinux': 'a', 'system.posix_acl_access': 'b' } }), file(0o644));
    assert.notEqual(file(0o644, 'x', { xattrs: { 'security.capability': 'c' } }), file(0o644));
    assert.notEqual(file(0o644, 'x', { xattrs: { 'user.k': 'v' } }), file(0o644));
  });
  test('the header string has no name and no mtime', () => {
    assert.equal(
      tarsumHeader({ kind: 'file', mode: 0o644, size: 3 }),
      'namemode420uid0gid0size3typeflag0linknameunamegnamedevmajor0devminor0',
    );
  });
  test('adding an empty file to a directory changes the directory', () => {
    const a = tree(['d dir', 'd/a file x']);
    const b = tree(['d dir', 'd/a file x', 'd/empty file']);
    assert.notEqual(a.checksum({ path: 'd' }), b.checksum({ path: 'd' }));
  });
  test('--exclude leaves out matching files, so editing one changes nothing', () => {
    const a = tree(['README.md file one', 'app.py file code']);
    const b = tree(['README.md file two', 'app.py file code']);
    const sel = { path: '.', excludePatterns: ['*.md'], followLinks: true };
    assert.equal(a.checksum(sel), b.checksum(sel));
    const c = tree(['README.md file one', 'app.py file changed']);
    assert.notEqual(a.checksum(sel), c.checksum(sel));
  });
  test('--parents include patterns select only matching paths and their parent headers', () => {
    const a = tree(['src dir', 'src/a.py file 1', 'src/b.txt file 2']);
    const b = tree(['src dir', 'src/a.py file 1', 'src/b.txt file 3']);
    const sel = { path: '.', includePatterns: ['src/*.py'] };
    assert.equal(a.checksum(sel), b.checksum(sel));
  });
  test('an empty selection is the digest of nothing', () => {
    assert.equal(tree(['a file 1']).checksum({ path: 'zz*', wildcard: true }), EMPTY_DIGEST);
  });
});

describe('contenthash: filtered selections', () => {
  test('a single-file source with --exclude patterns is its own record (checked as the empty path)', () => {
    const a = tree(['a.txt file one']);
    const b = tree(['a.txt file two']);
    const sel = { path: 'a.txt', followLinks: true, excludePatterns: ['*.md'] };
    assert.notEqual(a.checksum(sel), b.checksum(sel));
    assert.equal(a.checksum(sel), a.checksum({ path: 'a.txt', followLinks: true }));
  });
});
