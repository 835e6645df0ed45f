/**
 * A logical line: BuildKit's joined instruction text (first line left-trimmed, continuation escapes removed, comment
 * and empty lines dropped), kept as pieces of the source so that any index in the joined text maps back to a source
 * position. Every node's range is computed through this map.
 */
import type { Position, Range } from './ast.js';
import { sliceOf } from './code-units.js';

export class LogicalLine {
  /**
   * Per piece: start index in the joined text, source offset, length, 1-based line, source offset of that line. The
   * parser reuses one LogicalLine for every instruction of a file (`reset`), so these arrays are allocated once and
   * only the first `count` entries are current.
   */
  private readonly textStart: number[] = [];
  private readonly sourceStart: number[] = [];
  private readonly lengths: number[] = [];
  private readonly lineNumbers: number[] = [];
  private readonly lineStarts: number[] = [];
  /** The physical line's range (its content without the terminator): positions at its ends are these objects. */
  private readonly lineRanges: Range[] = [];
  private count = 0;
  /** The position made last (ranges often start where the previous one ended). */
  private last: Position | undefined;
  private joined = '';
  length = 0;

  constructor(
    private readonly source: string,
    /** Work accounting (see ParseOptions.work). */
    readonly work: { units: number } = { units: 0 },
  ) {}

  /** Empties the line for the next instruction. */
  reset(): void {
    this.count = 0;
    this.joined = '';
    this.length = 0;
  }

  /**
   * Appends `source.slice(from, to)`, which lies on the physical line `line` (starting at `lineStart`, its content
   * at `lineRange`). Empty pieces count too.
   */
  add(from: number, to: number, line: number, lineStart: number, lineRange: Range): void {
    const p = this.count++;
    this.lineRanges[p] = lineRange;
    this.textStart[p] = this.length;
    this.sourceStart[p] = from;
    this.lengths[p] = to - from;
    this.lineNumbers[p] = line;
    this.lineStarts[p] = lineStart;
    const piece = sliceOf(this.source, from, to);
    this.joined = this.length === 0 ? piece : this.joined + piece;
    this.length += to - from;
  }

  get text(): string {
    return this.joined;
  }

  /** The piece holding index `i`; for an exclusive end (`atEnd`), the piece that index `i - 1` is in. */
  private piece(i: number, atEnd: boolean): number {
    const starts = this.textStart;
    let lo = 0;
    let hi = this.count - 1;
    // Last piece whose start is <= i (or < i for ends, so an end never jumps to the next line's start).
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (atEnd ? starts[mid] < i : starts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    // Skip empty pieces at the same text index so a start lands on the piece that holds the character.
    if (!atEnd) while (lo + 1 < this.count && starts[lo + 1] === starts[lo] && this.lengths[lo] === 0) lo++;
    return lo;
  }

  /** Source offset of index `i` of the joined text (`atEnd`: of the exclusive end just after index `i - 1`). */
  offset(i: number, atEnd = false): number {
    if (this.count === 0) return 0;
    const p = this.piece(i, atEnd);
    return this.sourceStart[p] + (i - this.textStart[p]);
  }

  /**
   * The position of index `i`. Positions are never changed once made, and one offset of a file has one line and
   * column: a position equal to one already made (a line's start or end, the previous range's end) is that object.
   */
  position(i: number, atEnd = false): Position {
    const p = this.piece(i, atEnd);
    const offset = this.sourceStart[p] + (i - this.textStart[p]);
    const line = this.lineRanges[p];
    if (offset === line.end.offset) return line.end;
    if (offset === line.start.offset) return line.start;
    const last = this.last;
    if (last !== undefined && last.offset === offset) return last;
    const made = { line: this.lineNumbers[p], column: offset - this.lineStarts[p] + 1, offset };
    this.last = made;
    return made;
  }

  /** The source range of the joined text's `[from, to)`; an empty range sits at `from`. */
  range(from: number, to: number): Range {
    const start = this.position(from);
    return { start, end: to > from ? this.position(to, true) : start };
  }

  /** Source map triples `[textIndex, sourceOffset, length…]` for `[from, to)`, rebased so `from` is index 0. */
  map(from: number, to: number): number[] {
    this.work.units += this.count;
    if (this.count === 1) {
      // One piece starting at text index 0: one triple, allocated at its size.
      const end = Math.min(to, this.lengths[0]);
      return end > from ? [0, this.sourceStart[0] + from, end - from] : [];
    }
    const out: number[] = [];
    for (let p = 0; p < this.count; p++) {
      const a = Math.max(from, this.textStart[p]);
      const b = Math.min(to, this.textStart[p] + this.lengths[p]);
      if (b <= a) continue;
      out.push(a - from, this.sourceStart[p] + (a - this.textStart[p]), b - a);
    }
    return out;
  }
}
