/**
 * Text edits on the original text: one fix is a set of edits applied together; fixes of one pass must not touch each
 * other (an overlap, or two insertions at one point, would make the result depend on the order), so a conflicting
 * fix waits for the next pass, when it is computed again on the new text.
 */
import type { TextEdit } from '../rules/define.js';

/** Whether two edits touch: overlapping ranges, or an insertion at a point the other edit also starts, ends or covers. */
export function editsTouch(a: TextEdit, b: TextEdit): boolean {
  if (a.start < b.end && b.start < a.end) return true;
  const empty = a.start === a.end || b.start === b.end;
  return empty && a.start <= b.end && b.start <= a.end;
}

export function setsTouch(a: readonly TextEdit[], b: readonly TextEdit[]): boolean {
  return a.some((x) => b.some((y) => editsTouch(x, y)));
}

/** The problem with one fix's own edits (outside the text, or touching each other), if any. */
export function malformed(edits: readonly TextEdit[], length: number): string | undefined {
  if (edits.length === 0) return 'the fix has no edits';
  for (const edit of edits) {
    if (!(edit.start >= 0 && edit.start <= edit.end && edit.end <= length))
      return `edit [${edit.start}, ${edit.end}) is outside the text`;
  }
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (editsTouch(sorted[i - 1], sorted[i])) return 'two edits of the fix overlap';
  }
  return undefined;
}

/** Applies edits that touch no other (callers check); offsets are into `text`. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: string[] = [];
  let at = 0;
  for (const edit of sorted) {
    out.push(text.slice(at, edit.start), edit.text);
    at = edit.end;
  }
  out.push(text.slice(at));
  return out.join('');
}

/**
 * Chooses fixes for one pass, in source order (by their first edit): a fix that touches one already chosen is left
 * for the next pass. Returns the indices of the chosen and of the deferred ones.
 */
export function choose(sets: readonly (readonly TextEdit[])[]): { chosen: number[]; deferred: number[] } {
  const order = sets.map((_, i) => i).sort((i, j) => firstStart(sets[i]) - firstStart(sets[j]) || i - j);
  const chosen: number[] = [];
  const deferred: number[] = [];
  for (const i of order) {
    if (chosen.some((j) => setsTouch(sets[i], sets[j]))) deferred.push(i);
    else chosen.push(i);
  }
  return { chosen, deferred };
}

function firstStart(edits: readonly TextEdit[]): number {
  return Math.min(...edits.map((e) => e.start));
}

/**
 * Where the character at `offset` of the original text lands after the edits (sorted by start); an insertion at the
 * offset goes before it. An offset inside a replaced range maps to the start of the replacement.
 */
export function mapOffset(edits: readonly TextEdit[], offset: number): number {
  let delta = 0;
  for (const edit of edits) {
    if (edit.end <= offset) delta += edit.text.length - (edit.end - edit.start);
    else if (edit.start < offset) return edit.start + delta;
  }
  return offset + delta;
}
