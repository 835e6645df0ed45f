import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkGateSetting, parseBytes } from '../../src/gate-settings.js';
import { analyzeLayers } from '../../src/image/analyze.js';
import { diffImages, FinalFilesystem } from '../../src/image/diff.js';
import { evaluateGates, resolveGates } from '../../src/image/gates.js';
import { DockerSize, formatG, historyRows, humanSize } from '../../src/image/history.js';
import { type LayerEntry, LayerWalk } from '../../src/image/layers.js';
import type { TarHeader } from '../../src/image/tar/header.js';

function header(name: string, type: TarHeader['type'] = 'file', size = 0, linkname = ''): TarHeader {
  return {
    name,
    type,
    typeflag: '0',
    size,
    mode: 0o644,
    uid: 0,
    gid: 0,
    mtime: 0,
    linkname,
    uname: '',
    gname: '',
    devmajor: 0,
    devminor: 0,
    offset: 0,
    dataOffset: 0,
  };
}

function layer(...headers: TarHeader[]): LayerEntry[] {
  const walk = new LayerWalk('img: layer 1');
  return headers.flatMap((h) => walk.entry(h) ?? []);
}

test('layer walk: normalises names, recognises whiteouts and opaque directories', () => {
  const entries = layer(
    header('./', 'directory'),
    header('./etc/', 'directory'),
    header('etc/.wh.passwd'),
    header('var/.wh..wh..opq'),
    header('.wh.tmp'),
  );
  assert.deepEqual(
    entries.map((e) => [e.path, e.kind]),
    [
      ['etc', 'directory'],
      ['etc/passwd', 'whiteout'],
      ['var', 'opaque'],
      ['tmp', 'whiteout'],
    ],
  );
});

test('layer walk refuses hostile entries, naming the layer and entry', () => {
  const cases: [TarHeader[], RegExp][] = [
    [[header('/etc/passwd')], /img: layer 1: entry "\/etc\/passwd": absolute path/],
    [[header('a/../../etc/passwd')], /entry "a\/\.\.\/\.\.\/etc\/passwd": path traversal/],
    [[header('etc/.wh...')], /whiteout of "\.\." is not allowed/],
    [[header('.wh..')], /whiteout of "\." is not allowed/],
    [[header('x', 'hardlink', 0, '../../etc/shadow')], /hard link target: path traversal/],
    [[header('x', 'hardlink', 0, '/etc/shadow')], /hard link to an absolute path/],
    [
      [header('link', 'symlink', 0, '/etc'), header('link/passwd', 'file', 5)],
      /"link\/passwd": written through the symlink link \(symlink escape\)/,
    ],
    [[header('usr/bin/sda', 'block')], /device file outside \/dev/],
    [[header('a', 'file', 1), header('./a', 'file', 2)], /duplicate entry for a in one layer/],
    [[header(`${'d/'.repeat(3000)}f`)], /path longer than 4096 bytes/],
  ];
  for (const [headers, expected] of cases) assert.throws(() => layer(...headers), expected);
  assert.equal(layer(header('dev/null', 'char'), header('dir/', 'directory'), header('dir', 'directory')).length, 3);
});

test('docker size: files, a hard-linked inode once, symlinks as target length, whiteouts and directories 0', () => {
  const sizer = new DockerSize();
  for (const entry of layer(
    header('bin/', 'directory'),
    header('bin/busybox', 'file', 1000),
    header('bin/sh', 'hardlink', 0, 'bin/busybox'),
    header('bin/ls', 'symlink', 0, 'busybox'),
    header('bin/ü', 'symlink', 0, 'ünï'),
    header('.wh.old'),
    header('var/.wh..wh..opq'),
  ))
    sizer.add(entry);
  assert.equal(sizer.applied, 1000 + 7 + 5);
  assert.equal(sizer.built, 1000);
});

test('history rows pair non-empty entries with layers; empty entries have size 0', () => {
  const rows = historyRows(
    {
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [] },
      history: [
        { created_by: 'ADD rootfs' },
        { created_by: 'ENV A=1', empty_layer: true },
        { created_by: 'RUN x # buildkit', comment: 'buildkit.dockerfile.v0' },
      ],
    },
    [
      { digest: 'sha256:a', diffId: 'sha256:da', size: 10, builtSize: 10, compressedSize: 5 },
      { digest: 'sha256:b', diffId: 'sha256:db', size: 20, builtSize: 20, compressedSize: 7 },
      { digest: 'sha256:c', diffId: 'sha256:dc', size: 30, builtSize: 25, compressedSize: 9 },
    ],
  );
  assert.deepEqual(
    rows.map((r) => [r.createdBy, r.size, r.emptyLayer, r.digest, r.layer]),
    [
      ['ADD rootfs', 10, false, 'sha256:a', 0],
      ['ENV A=1', 0, true, null, null],
      ['RUN x # buildkit', 20, false, 'sha256:b', 1],
      ['', 30, false, 'sha256:c', 2],
    ],
  );
});

test('human sizes match docker (go-units, %.3g)', () => {
  assert.deepEqual([0, 2, 999, 1000, 8192, 77_800_000, 999_500, 1_234_567_890, 12_345].map(humanSize), [
    '0B',
    '2B',
    '999B',
    '1kB',
    '8.19kB',
    '77.8MB',
    '1e+03kB',
    '1.23GB',
    '12.3kB',
  ]);
  assert.equal(formatG(0.0001234, 3), '0.000123');
  assert.equal(formatG(100, 3), '100');
});

const base = () => layer(header('a/', 'directory'), header('a/f', 'file', 100), header('b', 'file', 50));

test('dive efficiency reproduces dive, including its implicit-directory whiteout quirk', () => {
  const r = analyzeLayers([base(), layer(header('a/f', 'file', 200), header('.wh.b')), layer(header('.wh.a'))]).dive;
  assert.equal(r.efficiency, 100 / 350);
  assert.equal(r.wastedBytes, 350);
  assert.deepEqual(
    r.inefficiencies.map((i) => [i.path, i.cumulativeSize, i.layers]),
    [
      ['/a/f', 300, [0, 1]],
      ['/b', 50, [0, 1]],
    ],
  );
  assert.equal(r.sizeBytes, 350);
  assert.equal(r.userSizeBytes, 200);
  assert.equal(r.wastedUserPercent, 1.75);

  // With `a/` written explicitly in layer 1, dive sizes the directory whiteout by what was under it.
  const e = analyzeLayers([
    base(),
    layer(header('a/', 'directory'), header('a/f', 'file', 200), header('.wh.b')),
    layer(header('.wh.a')),
  ]).dive;
  // /a scores its whiteout at 200 (a/f under it), which is also its minimum: (100 + 0 + 200) / (300 + 50 + 200).
  assert.equal(e.efficiency, 300 / 550);
  assert.equal(e.inefficiencies.find((i) => i.path === '/a')?.cumulativeSize, undefined); // /a was a non-leaf before: one leaf only
  // A whiteout of a path that does not exist stops dive's walk of that layer (later leaves are not scored).
  const missing = analyzeLayers([base(), layer(header('.wh.nothing'), header('z', 'file', 9))]).dive;
  assert.equal(missing.efficiency, 1);
  assert.equal(analyzeLayers([]).dive.efficiency, 1);
});

test('hidden bytes: overwritten and deleted files with the layers that wrote and hid them; opaque directories', () => {
  const analysis = analyzeLayers([base(), layer(header('a/f', 'file', 200), header('.wh.b')), layer(header('.wh.a'))]);
  assert.equal(analysis.hiddenBytes, 350);
  assert.deepEqual(
    analysis.hidden.map((h) => [h.path, h.bytes, h.writtenBy, h.hiddenBy, h.how]),
    [
      ['a/f', 200, 1, 2, 'deleted'],
      ['a/f', 100, 0, 1, 'overwritten'],
      ['b', 50, 0, 1, 'deleted'],
    ],
  );
  assert.deepEqual(analysis.layers[1], {
    index: 1,
    addedBytes: 0,
    addedFiles: 0,
    changedBytes: 200,
    changedFiles: 1,
    removedBytes: 50,
    removedFiles: 1,
  });
  assert.equal(analysis.layers[2].removedBytes, 200);

  const opaque = analyzeLayers([
    layer(header('d/', 'directory'), header('d/x', 'file', 10), header('d/sub/y', 'file', 3)),
    layer(header('d/', 'directory'), header('d/new', 'file', 5), header('d/.wh..wh..opq')),
  ]);
  assert.deepEqual(
    opaque.hidden.map((h) => [h.path, h.bytes, h.hiddenBy]),
    [
      ['d/x', 10, 1],
      ['d/sub/y', 3, 1],
    ],
  );
  assert.deepEqual(opaque.hiddenByLayers, [{ writtenBy: 0, hiddenBy: 1, bytes: 13, files: 2 }]);
  // A file replaced by a directory of the same name is hidden too.
  const replaced = analyzeLayers([layer(header('p', 'file', 7)), layer(header('p/q', 'file', 1))]);
  assert.deepEqual(
    replaced.hidden.map((h) => [h.path, h.how]),
    [['p', 'overwritten']],
  );
});

test('a root-level opaque marker hides nothing, as on the engine (test/image/engine.test.ts); a nested one hides', () => {
  const lower = layer(
    header('etc/', 'directory'),
    header('etc/passwd', 'file', 30),
    header('top', 'file', 7),
    header('ln', 'symlink', 0, 'top'),
  );
  const upper = layer(header('.wh..wh..opq'), header('etc/', 'directory'), header('etc/.wh..wh..opq'), header('new', 'file', 2));
  const analysis = analyzeLayers([lower, upper]);
  assert.deepEqual(
    analysis.hidden.map((h) => [h.path, h.bytes, h.writtenBy, h.hiddenBy, h.how]),
    [['etc/passwd', 30, 0, 1, 'deleted']],
  );
  assert.equal(analysis.layers[1].removedBytes, 30);
  const filesystem = new FinalFilesystem();
  for (const entries of [lower, upper]) filesystem.addLayer(entries);
  assert.deepEqual([...filesystem.files().keys()].sort(), ['etc', 'ln', 'new', 'top']);
});

test('gates follow dive: efficiency below, wasted bytes above, user wasted percent above; disabled skips', () => {
  const dive = analyzeLayers([base(), layer(header('a/f', 'file', 200), header('.wh.b')), layer(header('.wh.a'))]).dive;
  const flags = { lowestEfficiency: 0.9, highestWastedBytes: 1000, highestUserWastedPercent: 0.1 };
  const results = evaluateGates(dive, resolveGates({ flags }));
  assert.deepEqual(
    results.map((r) => [r.rule, r.passed, r.source]),
    [
      ['lowestEfficiency', false, 'flag'],
      ['highestWastedBytes', true, 'flag'],
      ['highestUserWastedPercent', false, 'flag'],
    ],
  );
  assert.equal(results[0].message, `image efficiency is too low (efficiency=${100 / 350} < threshold=0.9)`);
  // Exactly at the threshold passes (dive compares strictly), and so does a disabled rule.
  const atThreshold = evaluateGates(dive, resolveGates({ flags: { highestWastedBytes: 350, lowestEfficiency: 'disabled' } }));
  assert.deepEqual(
    atThreshold.map((r) => [r.rule, r.passed, r.skipped, r.threshold]),
    [
      ['lowestEfficiency', true, true, null],
      ['highestWastedBytes', true, false, 350],
    ],
  );
  // No user layers: NaN never fails, +Inf always does (as Go compares).
  const percent = (wastedUserPercent: number) =>
    evaluateGates({ ...dive, wastedUserPercent }, resolveGates({ flags: { highestUserWastedPercent: 0.1 } }))[0].passed;
  assert.equal(percent(Number.NaN), true);
  assert.equal(percent(Number.POSITIVE_INFINITY), false);
  assert.equal(parseBytes('20MB'), 20_000_000);
  assert.equal(parseBytes('1.5KiB'), 1536);
  assert.equal(parseBytes('123'), 123);
  assert.equal(parseBytes('lots'), undefined);
  assert.deepEqual(checkGateSetting('lowestEfficiency', '0.95'), { setting: 0.95 });
  assert.ok('problem' in checkGateSetting('lowestEfficiency', '95'));
  assert.ok('problem' in checkGateSetting('highestUserWastedPercent', -0.1));
  assert.deepEqual(checkGateSetting('highestWastedBytes', 'disabled'), { setting: 'disabled' });
});

test('which gates apply: dive defaults in CI mode, the config file over them, flags over both', () => {
  const summary = (gates: ReturnType<typeof resolveGates>) => gates.map((g) => [g.rule, g.setting, g.source]);
  assert.deepEqual(resolveGates({}), []);
  assert.deepEqual(summary(resolveGates({ ci: true })), [
    ['lowestEfficiency', 0.9, 'default'],
    ['highestWastedBytes', 'disabled', 'default'],
    ['highestUserWastedPercent', 0.1, 'default'],
  ]);
  const config = { gates: { lowestEfficiency: 0.95, highestWastedBytes: 1000 } };
  // Without CI mode the file's thresholds wait (as .dive-ci does); `ci: true` in the file turns CI mode on.
  assert.deepEqual(resolveGates({ config }), []);
  assert.deepEqual(summary(resolveGates({ config: { ...config, ci: true }, flags: { lowestEfficiency: 0.5 } })), [
    ['lowestEfficiency', 0.5, 'flag'],
    ['highestWastedBytes', 1000, 'config'],
    ['highestUserWastedPercent', 0.1, 'default'],
  ]);
  assert.deepEqual(summary(resolveGates({ config, flags: { highestUserWastedPercent: 'disabled' } })), [
    ['highestUserWastedPercent', 'disabled', 'flag'],
  ]);
});

test('diff: shared layers, bytes to pull, files added, removed and changed', () => {
  const fsA = new FinalFilesystem();
  fsA.addLayer(
    layer(header('etc/', 'directory'), header('etc/a', 'file', 1), header('etc/b', 'file', 2), header('etc/c', 'file', 3)),
  );
  const fsB = new FinalFilesystem();
  fsB.addLayer(
    layer(header('etc/', 'directory'), header('etc/a', 'file', 1), header('etc/b', 'file', 2), header('etc/c', 'file', 3)),
  );
  fsB.addLayer(layer(header('etc/.wh.a'), header('etc/b', 'file', 20), header('etc/d', 'file', 4)));
  const shared = { digest: 'sha256:1', diffId: 'sha256:d1', compressedSize: 100 };
  const diff = diffImages(
    { layers: [shared], files: fsA.files() },
    { layers: [shared, { digest: 'sha256:2', diffId: 'sha256:d2', compressedSize: 40 }], files: fsB.files() },
  );
  assert.equal(diff.pullBytes, 40);
  assert.deepEqual(diff.summary, { sharedLayers: 1, newLayers: 1, pullBytes: 40, added: 1, removed: 1, changed: 1 });
  assert.deepEqual(
    diff.files.added.map((f) => f.path),
    ['etc/d'],
  );
  assert.deepEqual(
    diff.files.removed.map((f) => f.path),
    ['etc/a'],
  );
  assert.deepEqual(
    diff.files.changed.map((f) => [f.path, f.sizeA, f.sizeB]),
    [['etc/b', 2, 20]],
  );
});

test('history entries name their instruction, BuildKit and classic builder alike', async () => {
  const { historyInstruction } = await import('../../src/image/dockerfile-map.js');
  assert.deepEqual(
    [
      'RUN |1 V=2 /bin/sh -c make # buildkit',
      'COPY app /app # buildkit',
      'WORKDIR /app',
      '/bin/sh -c #(nop)  ENV A=1',
      '/bin/sh -c #(nop) COPY file:abc in /x ',
      '|1 A=1 /bin/sh -c make',
      '/bin/sh -c apt-get update',
      '',
    ].map(historyInstruction),
    ['RUN', 'COPY', 'WORKDIR', 'ENV', 'COPY', 'RUN', 'RUN', undefined],
  );
});
