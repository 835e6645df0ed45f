/**
 * A git-style unified diff of two texts (3 lines of context), for `lint --diff`. Lines keep their terminators, so a
 * CRLF file diffs as CRLF lines and a missing final newline shows as `\ No newline at end of file`, as git prints it.
 */

const CONTEXT = 3;

type Op = { kind: ' ' | '-' | '+'; line: string; oldIndex: number; newIndex: number };

/** The lines of `text`, each with its terminator (the last one may have none). */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
    lines.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/**
 * `--- oldName` / `+++ newName` and the hunks; the empty string when the texts are equal. Names are printed as given
 * (`a/Dockerfile`, `b/Dockerfile` for git's look).
 */
export function unifiedDiff(oldName: string, newName: string, before: string, after: string): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a, b);
  const out: string[] = [`--- ${oldName}\n`, `+++ ${newName}\n`];
  for (const hunk of hunks(ops)) {
    const first = hunk[0];
    const oldCount = hunk.filter((op) => op.kind !== '+').length;
    const newCount = hunk.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${range(first.oldIndex, oldCount)} +${range(first.newIndex, newCount)} @@\n`);
    for (const op of hunk) {
      out.push(op.kind + op.line);
      if (!op.line.endsWith('\n')) out.push('\n\\ No newline at end of file\n');
    }
  }
  return out.join('');
}

/** `start,count` with git's conventions: `,1` omitted; an empty range names the line before it. */
function range(index: number, count: number): string {
  if (count === 0) return `${index},0`;
  return count === 1 ? `${index + 1}` : `${index + 1},${count}`;
}

/** Groups the operations into hunks: each change with up to 3 lines of context, overlapping contexts merged. */
function hunks(ops: Op[]): Op[][] {
  const changed = ops.flatMap((op, i) => (op.kind === ' ' ? [] : [i]));
  const out: Op[][] = [];
  let i = 0;
  while (i < changed.length) {
    const from = Math.max(0, changed[i] - CONTEXT);
    let last = changed[i];
    while (i + 1 < changed.length && changed[i + 1] - last <= 2 * CONTEXT) last = changed[++i];
    out.push(ops.slice(from, Math.min(ops.length, last + CONTEXT + 1)));
    i++;
  }
  return out;
}

/** Myers' O(ND) diff of two line lists (deletions before insertions within a change, as git prints them). */
function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        v = next;
        trace.push(v);
        break outer;
      }
    }
    v = next;
  }
  // Walk back from the end through the saved frontiers.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0 && (x > 0 || y > 0); d--) {
    const frontier = trace[d];
    const k = x - y;
    const down = k === -d || (k !== d && frontier[offset + k - 1] < frontier[offset + k + 1]);
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : frontier[offset + prevK];
    const prevY = prevX - prevK;
    while (x > Math.max(prevX, 0) && y > Math.max(prevY, 0) && a[x - 1] === b[y - 1]) {
      x--;
      y--;
      ops.push({ kind: ' ', line: a[x], oldIndex: x, newIndex: y });
    }
    if (d === 0) break;
    if (down) {
      y--;
      ops.push({ kind: '+', line: b[y], oldIndex: x, newIndex: y });
    } else {
      x--;
      ops.push({ kind: '-', line: a[x], oldIndex: x, newIndex: y });
    }
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    ops.push({ kind: ' ', line: a[x], oldIndex: x, newIndex: y });
  }
  ops.reverse();
  return ops;
}
