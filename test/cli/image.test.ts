import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { buildImage, type FileSpec, writeDockerArchive, writeOciLayout } from '../support/random-image.js';

const scratch = mkdtempSync(join(tmpdir(), 'layerwise-cli-image-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const base: FileSpec[] = [
  { path: 'etc/', type: 'directory' },
  { path: 'etc/os-release', content: 'ID=test\n' },
  { path: 'bin/', type: 'directory' },
  { path: 'bin/busybox', content: 5000 },
  { path: 'bin/sh', type: 'symlink', linkname: 'busybox' },
];
const apt: FileSpec[] = [
  { path: 'var/', type: 'directory' },
  { path: 'var/cache/', type: 'directory' },
  { path: 'var/cache/big.deb', content: 40_000 },
];
const cleanup: FileSpec[] = [{ path: 'var/cache/.wh.big.deb' }, { path: 'app', content: 'hello' }];

async function archive(name: string, layers: FileSpec[][], history?: { createdBy: string; emptyLayer?: boolean }[]) {
  const path = join(scratch, name);
  await writeDockerArchive(path, [{ image: await buildImage({ layers, history, compression: 'gzip' }) }], 'oci');
  return `docker-archive:${path}`;
}

test('image history --format json: one row per history entry, docker sizes, oldest first', async () => {
  const ref = await archive(
    'h.tar',
    [base, apt, cleanup],
    [
      { createdBy: 'ADD rootfs.tar /' },
      { createdBy: 'ENV A=1', emptyLayer: true },
      { createdBy: 'RUN /bin/sh -c apt-get install x # buildkit' },
      { createdBy: 'RUN /bin/sh -c rm /var/cache/big.deb # buildkit' },
    ],
  );
  const io = memoryIo();
  assert.equal(await main(['image', 'history', '--format', 'json', ref], io), 0, io.err);
  const json = JSON.parse(io.out);
  assert.deepEqual(
    json.layers.map((l: { createdBy: string; size: number; emptyLayer: boolean }) => [l.createdBy, l.size, l.emptyLayer]),
    [
      ['ADD rootfs.tar /', 8 + 5000 + 'busybox'.length, false],
      ['ENV A=1', 0, true],
      ['RUN /bin/sh -c apt-get install x # buildkit', 40_000, false],
      ['RUN /bin/sh -c rm /var/cache/big.deb # buildkit', 5, false],
    ],
  );
  for (const key of ['digest', 'diffId', 'size', 'compressedSize', 'createdBy', 'emptyLayer', 'comment'])
    assert.ok(key in json.layers[0], key);
  assert.ok(json.layers[2].compressedSize > 0);

  const tty = memoryIo();
  assert.equal(await main(['image', 'history', ref], tty), 0);
  const lines = tty.out.trim().split('\n');
  assert.match(lines[0], /^LAYER\s+CREATED BY\s+SIZE\s+COMPRESSED\s+COMMENT$/);
  assert.match(lines[1], /RUN \/bin\/sh -c rm \/var\/cache\/big\.deb # build…\s+5B/);
  assert.match(lines[4], /ADD rootfs\.tar \/\s+5\.01kB/);
});

test('image analyze: dive numbers, hidden bytes and gates (exit 1 when one fails)', async () => {
  const ref = await archive('a.tar', [base, apt, cleanup]);
  const io = memoryIo();
  assert.equal(await main(['image', 'analyze', '--format', 'json', ref], io), 0, io.err);
  const json = JSON.parse(io.out);
  assert.equal(json.hiddenBytes, 40_000);
  assert.deepEqual(json.hidden[0], { path: 'var/cache/big.deb', bytes: 40_000, writtenBy: 1, hiddenBy: 2, how: 'deleted' });
  assert.equal(json.wastedBytes, 40_000);
  assert.deepEqual(json.wasted, [{ path: '/var/cache/big.deb', bytes: 40_000, layers: [1, 2] }]);
  assert.ok(json.efficiency > 0 && json.efficiency < 1);
  assert.equal(json.totalSize, 5015 + 40_000 + 5);
  assert.deepEqual(json.gates, []);

  const ci = memoryIo();
  assert.equal(await main(['image', 'analyze', '--ci', ref], ci), 1);
  assert.match(ci.out, /FAIL {2}lowestEfficiency/);
  assert.match(
    ci.err,
    /^layerwise: CI gate failed: lowestEfficiency: image efficiency is too low \(efficiency=0\.\d+ < threshold=0\.9\) \[default\]$/m,
  );
  assert.match(ci.err, /^layerwise: CI gate failed: highestUserWastedPercent: too many bytes wasted.* \[default\]$/m);
  const loose = memoryIo();
  assert.equal(
    await main(['image', 'analyze', '--lowest-efficiency', '0.1', '--highest-wasted-bytes', '1MB', ref], loose),
    0,
    loose.out,
  );
  const bad = memoryIo();
  assert.equal(await main(['image', 'analyze', '--highest-wasted-bytes', 'lots', ref], bad), 2);
  assert.match(bad.err, /--highest-wasted-bytes lots: highestWastedBytes must be a byte count such as 20MB/);
});

test('image analyze reads the image: gates of .layerwise.yaml; flags win over the file', async () => {
  const ref = await archive('g.tar', [base, apt, cleanup]);
  const project = mkdtempSync(join(scratch, 'project-'));
  writeFileSync(join(project, '.layerwise.yaml'), 'image:\n  ci: true\n  lowestEfficiency: 0.1\n  highestWastedBytes: 30kB\n');
  const fromFile = memoryIo({ cwd: project });
  assert.equal(await main(['image', 'analyze', ref], fromFile), 1);
  assert.match(fromFile.out, /PASS {2}lowestEfficiency: 0\.\d+ \(threshold 0\.1, from config\)/);
  assert.match(fromFile.out, /FAIL {2}highestWastedBytes: 40000 \(threshold 30000, from config\)/);
  assert.match(fromFile.out, /FAIL {2}highestUserWastedPercent: .* \(threshold 0\.1, from default\)/);
  assert.deepEqual(fromFile.err.trim().split('\n'), [
    'layerwise: CI gate failed: highestWastedBytes: too many bytes wasted (wasted-bytes=40000 > threshold=30000) [config]',
    `layerwise: CI gate failed: highestUserWastedPercent: too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=${40_000 / 40_005} > threshold=0.1) [default]`,
  ]);
  const flagsWin = memoryIo({ cwd: project });
  const args = ['--highest-wasted-bytes', '1MB', '--highest-user-wasted-percent', 'disabled', '--format', 'json'];
  assert.equal(await main(['image', 'analyze', ...args, ref], flagsWin), 0, flagsWin.err);
  assert.deepEqual(
    JSON.parse(flagsWin.out).gates.map((g: { rule: string; source: string; passed: boolean }) => [g.rule, g.source, g.passed]),
    [
      ['lowestEfficiency', 'config', true],
      ['highestWastedBytes', 'flag', true],
      ['highestUserWastedPercent', 'flag', true],
    ],
  );
  // --config names the file; a mistake in it is an input error at its line and column.
  const broken = join(project, 'broken.yaml');
  writeFileSync(broken, 'image:\n  lowestEfficiency: 90\n');
  const bad = memoryIo({ cwd: scratch });
  assert.equal(await main(['image', 'analyze', '--config', broken, ref], bad), 2);
  assert.match(bad.err, /broken\.yaml:2:21: image\.lowestEfficiency must be a ratio between 0 and 1/);
});

test('image diff: shared layers, bytes to pull, changed files', async () => {
  const a = await archive('d1.tar', [base, apt]);
  const b = await archive('d2.tar', [base, apt, cleanup]);
  const io = memoryIo();
  assert.equal(await main(['image', 'diff', '--format', 'json', a, b], io), 0, io.err);
  const json = JSON.parse(io.out);
  assert.equal(json.summary.sharedLayers, 0); // random-image writes fresh random content per build
  const dir = join(scratch, 'oci');
  const built = await buildImage({ layers: [base, apt], compression: 'gzip' });
  const built2 = await buildImage({ layers: [base, apt], compression: 'gzip' });
  await writeOciLayout(dir, [
    { image: built, tag: 'one' },
    { image: built2, tag: 'two' },
  ]);
  const same = memoryIo();
  assert.equal(await main(['image', 'diff', '--format', 'json', `oci:${dir}:one`, `oci:${dir}:two`], same), 0, same.err);
  const diff = JSON.parse(same.out);
  assert.deepEqual(
    diff.files.changed.map((f: { path: string }) => f.path),
    ['bin/busybox', 'var/cache/big.deb'],
  );
  assert.equal(
    diff.pullBytes,
    built2.blobs.reduce((sum, blob) => sum + blob.bytes.length, 0),
  );
});

test('bad images are input errors (exit 2, one line naming the file), never stack traces', async () => {
  const missing = memoryIo();
  assert.equal(await main(['image', 'history', `docker-archive:${join(scratch, 'nope.tar')}`], missing), 2);
  assert.match(missing.err, /nope\.tar: cannot open \(ENOENT\)/);
  assert.doesNotMatch(missing.err, /at .*\.ts:\d+/);
  const junk = join(scratch, 'junk.tar');
  writeFileSync(junk, 'not a tar at all'.repeat(100));
  const io = memoryIo();
  assert.equal(await main(['image', 'analyze', `docker-archive:${junk}`], io), 2);
  assert.match(io.err, /junk\.tar: invalid tar header at offset 0/);
  const platform = memoryIo();
  assert.equal(await main(['image', 'history', '--platform', 'linux', `docker-archive:${junk}`], platform), 2);
  assert.match(platform.err, /expected os\/arch/);
});

test('--file maps history rows to the Dockerfile lines that produced them (base rows unmapped)', async () => {
  const ref = await archive(
    'f.tar',
    [base, apt, cleanup],
    [
      { createdBy: 'ADD rootfs.tar /' },
      { createdBy: 'ENV A=1', emptyLayer: true },
      { createdBy: 'RUN /bin/sh -c apt-get install x # buildkit' },
      { createdBy: 'RUN /bin/sh -c rm /var/cache/big.deb # buildkit' },
    ],
  );
  const dockerfile = join(scratch, 'Dockerfile');
  writeFileSync(dockerfile, 'FROM base\n# comment\nENV A=1\nRUN apt-get install x\n\nRUN rm /var/cache/big.deb\n');
  const io = memoryIo();
  assert.equal(await main(['image', 'history', '--format', 'json', '--file', dockerfile, ref], io), 0, io.err);
  assert.deepEqual(
    JSON.parse(io.out).layers.map((l: { line?: number }) => l.line),
    [undefined, 3, 4, 6],
  );
  const missing = memoryIo();
  assert.equal(await main(['image', 'history', '--file', join(scratch, 'nope'), ref], missing), 2);
  assert.match(missing.err, /nope: cannot read \(ENOENT\)/);
});

test('progress bars: on a terminal for reads over a few MB, erased at the end; none with --quiet or off a terminal', async () => {
  // 12 MB of random bytes: gzip cannot shrink them below the bar's 8 MB threshold.
  const ref = await archive('big.tar', [[{ path: 'big.bin', content: 12_000_000 }], cleanup]);
  const terminal = Object.assign(memoryIo(), { stderrIsTTY: true });
  assert.equal(await main(['image', 'analyze', '--format', 'json', ref], terminal), 0, terminal.err);
  const frames = terminal.err.split('\r').filter((frame) => frame.startsWith('reading '));
  assert.ok(frames.length >= 1, JSON.stringify(terminal.err));
  assert.match(frames[frames.length - 1], /^reading docker-archive:.*big\.tar \[#{30}\] 100% 12\.\d MB \/ 12\.\d MB\x1b\[K$/);
  assert.ok(terminal.err.endsWith('\r\x1b[K'), 'the bar erases itself');
  assert.equal(JSON.parse(terminal.out).hiddenBytes, 0);

  const quiet = Object.assign(memoryIo(), { stderrIsTTY: true });
  assert.equal(await main(['--quiet', 'image', 'analyze', '--format', 'json', ref], quiet), 0, quiet.err);
  assert.equal(quiet.err, '');
  const piped = memoryIo();
  assert.equal(await main(['image', 'history', ref], piped), 0, piped.err);
  assert.equal(piped.err, '');
});

test('hostile layers through the whole command (real tar streams, gzip, the worker): exit 2, one line, no stack', async () => {
  const cases: [string, FileSpec[], RegExp][] = [
    ['traversal', [{ path: 'a/../../etc/passwd', content: 'x' }], /entry "a\/\.\.\/\.\.\/etc\/passwd": path traversal/],
    ['absolute', [{ path: '/etc/passwd', content: 'x' }], /entry "\/etc\/passwd": absolute path/],
    [
      'symlink escape',
      [
        { path: 'lib', type: 'symlink', linkname: '/etc' },
        { path: 'lib/passwd', content: 'x' },
      ],
      /written through the symlink lib \(symlink escape\)/,
    ],
    ['hardlink escape', [{ path: 'h', type: 'hardlink', linkname: '../../etc/shadow' }], /hard link target: path traversal/],
    ['device', [{ path: 'tmp/mem', type: 'char' }], /device file outside \/dev/],
    ['whiteout of ..', [{ path: 'etc/.wh...' }], /whiteout of "\.\." is not allowed/],
    [
      'duplicate',
      [
        { path: 'twice', content: 'a' },
        { path: 'twice', content: 'b' },
      ],
      /duplicate entry for twice in one layer/,
    ],
  ];
  for (const [name, files, message] of cases) {
    const ref = await archive(`hostile-${name.replace(/\W/g, '-')}.tar`, [base, files]);
    for (const command of ['history', 'analyze', 'diff']) {
      const io = memoryIo();
      const args = command === 'diff' ? [ref, ref] : [ref];
      assert.equal(await main(['image', command, ...args], io), 2, `${name}, image ${command}: ${io.err}`);
      assert.match(io.err, message, `${name}, image ${command}`);
      assert.match(io.err, /layer 2 \(sha256:[0-9a-f]{64}\)/, `${name}: names the layer`);
      assert.equal(io.err.trim().split('\n').length, 1, `${name}, image ${command}: one line`);
      assert.equal(io.out, '');
    }
  }
});
