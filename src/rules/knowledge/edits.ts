/**
 * Text-edit helpers for fixes that move or insert whole instructions: an instruction's physical lines as one span of
 * the original bytes (indentation and line terminator included), and the file's own line ending for new lines.
 */
import type { Instruction } from '../../dockerfile/ast.js';
import type { TextEdit } from '../define.js';

export interface LineSpan {
  /** The start of the instruction's first line (before its indentation). */
  start: number;
  /** After the terminator of its last line (heredoc bodies and continuation lines included). */
  end: number;
  /** The terminator of its last line (`''` at the end of a file without a final newline). */
  eol: string;
  /** The blanks before the keyword. */
  indent: string;
}

export function lineSpan(source: string, instruction: Instruction): LineSpan {
  const first = instruction.lines[0];
  const last = instruction.lines.at(-1)!;
  const start = source.lastIndexOf('\n', first.range.start.offset - 1) + 1;
  return {
    start,
    end: last.range.end.offset + last.eol.length,
    eol: last.eol,
    indent: source.slice(start, instruction.keywordRange.start.offset),
  };
}

/** The line terminator the instruction's lines use (`\n` when it has none, at the end of a file). */
export function eolOf(instruction: Instruction): string {
  return instruction.lines.find((line) => line.eol !== '')?.eol ?? '\n';
}

/**
 * Edits that move `moved` (its whole lines, byte for byte) to just after `after`'s lines. When `after` ends the file
 * without a terminator, the moved lines get one before them instead of after.
 */
export function moveAfter(source: string, moved: Instruction, after: Instruction): TextEdit[] {
  const from = lineSpan(source, moved);
  const to = lineSpan(source, after);
  const text = source.slice(from.start, from.end);
  const insert = to.eol === '' ? eolOf(moved) + text.slice(0, text.length - from.eol.length) : text;
  return [
    { start: from.start, end: from.end, text: '' },
    { start: to.end, end: to.end, text: insert },
  ];
}

/** Edits that move `moved` (its whole lines, byte for byte) to just before `before`'s first line. */
export function moveBefore(source: string, moved: Instruction, before: Instruction): TextEdit[] {
  const from = lineSpan(source, moved);
  const to = lineSpan(source, before);
  const text = source.slice(from.start, from.end);
  const complete = from.eol === '' ? text + eolOf(before) : text;
  return [
    { start: to.start, end: to.start, text: complete },
    { start: from.start, end: from.end, text: '' },
  ];
}
