/**
 * The compact analyses (path ids and typed arrays) against the object-tree transcription of dive and of the hidden-
 * bytes union they replaced (test/support/analysis-reference.ts), on random layers: every figure must be equal —
 * efficiency, wasted bytes and their paths and layers, user wasted percent, per-layer stats, hidden files and pairs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { InputError } from '../../src/errors.js';
import { type Analysis, analyzeLayers, compareHidden } from '../../src/image/analyze.js';
import { type LayerEntry, LayerWalk } from '../../src/image/layers.js';
import type { TarHeader } from '../../src/image/tar/header.js';
import { referenceAnalysis } from '../support/analysis-reference.js';

// Few names, so layers collide often; `-` and `.` sort around `/`, `ü` and an astral character test Go's byte order.
const names = ['a', 'b', 'a.b', '-', 'ü', '\u{1F600}', 'z'];
const name = fc.constantFrom(...names);
const path = fc.array(name, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));

const header = fc
  .tuple(
    fc.constantFrom('file', 'file', 'file', 'directory', 'symlink', 'hardlink', 'whiteout', 'opaque', 'fifo'),
    path,
    fc.nat(1000),
    path,
  )
  .map(([kind, at, size, target]): TarHeader => {
    const slash = at.lastIndexOf('/');
    const dir = at.slice(0, slash + 1);
    const base = at.slice(slash + 1);
    const name = kind === 'whiteout' ? `${dir}.wh.${base}` : kind === 'opaque' ? `${dir}.wh..wh..opq` : at;
    const type = (kind === 'whiteout' || kind === 'opaque' ? 'file' : kind) as TarHeader['type'];
    const link = kind === 'symlink' ? `../${target}` : kind === 'hardlink' ? target : '';
    return tarHeader(name, type, kind === 'file' ? size : 0, link);
  });

function tarHeader(name: string, type: TarHeader['type'] = 'file', size = 0, linkname = ''): TarHeader {
  const fields = { typeflag: '0', mode: 0o644, uid: 0, gid: 0, mtime: 0, uname: '', gname: '', devmajor: 0, devminor: 0 };
  return { ...fields, name, type, size, linkname, offset: 0, dataOffset: 0 };
}

/** A layer as LayerWalk accepts it: headers it refuses (duplicates, writes through symlinks) are left out. */
function walk(headers: TarHeader[]): LayerEntry[] {
  const layerWalk = new LayerWalk('random layer');
  const entries: LayerEntry[] = [];
  for (const h of headers) {
    try {
      const entry = layerWalk.entry(h);
      if (entry) entries.push(entry);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
    }
  }
  return entries;
}

/** Orders what may legitimately come out in another order when figures tie. */
function normalised(analysis: Analysis): Analysis {
  return {
    ...analysis,
    hidden: [...analysis.hidden].sort(compareHidden),
    hiddenByLayers: [...analysis.hiddenByLayers].sort(
      (a, b) => b.bytes - a.bytes || a.writtenBy - b.writtenBy || a.hiddenBy - b.hiddenBy,
    ),
  };
}

test('compact analysis equals the object-tree reference on random layers', () => {
  fc.assert(
    fc.property(fc.array(fc.array(header, { maxLength: 14 }), { minLength: 1, maxLength: 5 }), (layers) => {
      const entries = layers.map(walk);
      assert.deepEqual(normalised(analyzeLayers(entries)), normalised(referenceAnalysis(entries)));
    }),
    { numRuns: 1500 },
  );
});

test('whiteouts of directories, opaque directories and dive stopping at a missing path agree with the reference', () => {
  const h = tarHeader;
  const layers = [
    [h('a/', 'directory'), h('a/f', 'file', 100), h('a/g/h', 'file', 7), h('b', 'file', 50)],
    [h('a/.wh..wh..opq'), h('a/new', 'file', 3), h('.wh.b'), h('c/.wh.nothing'), h('c/d', 'file', 1)],
    [h('.wh.a'), h('e', 'file', 2)],
  ].map(walk);
  assert.deepEqual(normalised(analyzeLayers(layers)), normalised(referenceAnalysis(layers)));
});
