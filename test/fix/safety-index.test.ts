/**
 * checkPass asks, for every command and instruction of both texts, which fixes touch it and where its offset lands:
 * editIndex answers by binary search over the pass's edits. Against the plain definitions (every edit scanned; apply.ts
 * `mapOffset`), on random passes of edits that choose() keeps apart.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { applyEdits, choose, malformed, mapOffset } from '../../src/fix/apply.js';
import { editIndex, type Located, locate } from '../../src/fix/safety.js';
import type { Fix, TextEdit } from '../../src/rules/define.js';

const LENGTH = 40;

const edit = fc
  .record({ start: fc.nat(LENGTH), span: fc.nat(4), text: fc.string({ maxLength: 5 }) })
  .map(({ start, span, text }): TextEdit => ({ start, end: Math.min(LENGTH, start + span), text }));

/** Fixes of one pass as fixDockerfile asks about them: each well formed, the set chosen apart. */
const pass = fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { maxLength: 6 }).map((sets) => {
  const formed = sets.filter((edits) => malformed(edits, LENGTH) === undefined);
  return choose(formed).chosen.map((i): Fix => ({ safety: 'safe', edits: formed[i] }));
});

const span = fc
  .record({ start: fc.nat(LENGTH + 10), length: fc.nat(8) })
  .map(({ start, length }) => ({ start, end: start + length }));

/** The definition: every edit overlapping the span or at its edge, fixes in the order of their edits. */
function touchingScan(located: readonly Located[], entry: { start: number; end: number }, side: 'old' | 'new'): number[] {
  const hits = located.filter((e) => {
    const [start, end] = side === 'old' ? [e.start, e.end] : [e.newStart, e.newEnd];
    return start <= entry.end && entry.start <= end;
  });
  return [...new Set(hits.map((e) => e.fix))];
}

test('editIndex answers as scanning every edit does', () => {
  fc.assert(
    fc.property(pass, fc.array(span, { maxLength: 10 }), (fixes, spans) => {
      const located = locate(fixes);
      const index = editIndex(located);
      const edits = fixes.flatMap((fix) => fix.edits).sort((a, b) => a.start - b.start || a.end - b.end);
      for (let offset = 0; offset <= LENGTH; offset++) assert.equal(index.mapped(offset), mapOffset(edits, offset));
      for (const entry of spans) {
        assert.deepEqual(index.touching(entry, 'old'), touchingScan(located, entry, 'old'));
        assert.deepEqual(index.touching(entry, 'new'), touchingScan(located, entry, 'new'));
      }
      // Each replacement lies where `locate` says in the fixed text.
      const text = 'x'.repeat(LENGTH);
      const fixed = applyEdits(text, edits);
      for (const e of located) {
        const original = edits.find((x) => x.start === e.start && x.end === e.end);
        assert.equal(fixed.slice(e.newStart, e.newEnd), original?.text);
      }
    }),
    { numRuns: 500 },
  );
});

test('edits that overlap are a bug of the caller, not a wrong answer', () => {
  const fixes: Fix[] = [
    { safety: 'safe', edits: [{ start: 2, end: 6, text: 'a' }] },
    { safety: 'safe', edits: [{ start: 4, end: 8, text: 'b' }] },
  ];
  assert.throws(() => editIndex(locate(fixes)), /bug: the edits of a pass overlap/);
});
