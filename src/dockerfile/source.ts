/**
 * Positions and offsets: map offsets to line/column, UTF-16 offsets to UTF-8 byte offsets (what Go tools and
 * BuildKit count), and command-text indices back to the Dockerfile.
 */
import type { CommandText, Dockerfile, Position } from './ast.js';
import { codeAt } from './code-units.js';
import { utf8Length } from './go-text.js';

// One-entry memo keyed by the text, not a module WeakMap keyed by the tree: a WeakMap entry per linted tree kept
// trees alive across V8's young-generation collections (see knowledge/stages.ts); lint asks for one file's positions
// at a time.
let lastSource: string | undefined;
let lastBom = false;
let lastStarts: number[] = [];

/** Offsets where each line starts (line 1 after a byte-order mark). */
export function lineStarts(ast: Pick<Dockerfile, 'source' | 'bom'>): number[] {
  const source = ast.source;
  const bom = ast.bom === true;
  if (source === lastSource && bom === lastBom) return lastStarts;
  const starts = [bom ? 1 : 0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  lastSource = source;
  lastBom = bom;
  lastStarts = starts;
  return starts;
}

/** The position of a source offset (UTF-16 index). */
export function positionAt(ast: Pick<Dockerfile, 'source' | 'bom'>, offset: number): Position {
  const starts = lineStarts(ast);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1, offset };
}

/** The UTF-8 byte offset of a UTF-16 offset into `source` (a BOM counts as its 3 bytes). */
export function utf8Offset(source: string, offset: number): number {
  return utf8Length(source, 0, offset);
}

/** The UTF-16 offset of a UTF-8 byte offset into `source` (inside a multi-byte character: that character's start). */
export function utf16Offset(source: string, byteOffset: number): number {
  let bytes = 0;
  for (let i = 0; i < source.length; i++) {
    if (bytes >= byteOffset) return i;
    const code = codeAt(source, i);
    const isPair = code >= 0xd800 && code <= 0xdbff && i + 1 < source.length && (codeAt(source, i + 1) & 0xfc00) === 0xdc00;
    const width = code < 0x80 ? 1 : code < 0x800 ? 2 : isPair ? 4 : 3;
    if (bytes + width > byteOffset) return i;
    bytes += width;
    if (isPair) i++;
  }
  return source.length;
}

/**
 * The source offset of index `index` of a command's text (an index equal to the text's length maps to the end of
 * the command). Indices from `command.script` need no mapping: `range.start.offset + index`.
 */
export function commandToSource(command: CommandText, index: number): number {
  const map = command.map;
  for (let i = 0; i < map.length; i += 3) {
    const start = map[i];
    const length = map[i + 2];
    if (index < start + length || (i + 3 >= map.length && index <= start + length)) return map[i + 1] + (index - start);
  }
  return command.range.end.offset;
}
