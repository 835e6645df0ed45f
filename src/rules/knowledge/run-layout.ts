/**
 * Text of a RUN as fixes rewrite it: how its lines continue (`&& \` at the end of a line, or `\` then `&&` at the start
 * of the next), the indentation of its continuation lines, and edits that cut a RUN in two, append a command to one,
 * put one in front, or take one top-level command out. New text uses the file's line ending and escape token, and the
 * keyword as the user wrote it (`run` stays `run`).
 */
import type { Dockerfile, Instruction } from '../../dockerfile/ast.js';
import type { TopLevelPart } from '../../shell/commands.js';
import type { TextEdit } from '../define.js';
import { eolOf, lineSpan } from './edits.js';
import type { LocatedScript } from './scripts.js';

export interface RunStyle {
  /** The script spans several lines. */
  multiline: boolean;
  /** Operators start the continuation lines (`\` ⏎ ` && cmd`) instead of ending the lines (`cmd && \`). */
  leadingOperators: boolean;
  /** The blanks before the text of the continuation lines (before the operator in leading style). */
  indent: string;
  eol: string;
  escape: string;
}

export function runStyle(ast: Dockerfile, instruction: Instruction): RunStyle {
  const code = instruction.lines.filter((line, i) => i > 0 && line.kind === 'code');
  const texts = code.map((line) => ast.source.slice(line.range.start.offset, line.range.end.offset));
  const operatorFirst = texts.find((text) => /^\s*(&&|\|\||;)/.test(text));
  const leading = operatorFirst !== undefined;
  const indent = (operatorFirst ?? texts.find((text) => text.trim() !== ''))?.match(/^[ \t]*/)?.[0] ?? '  ';
  return {
    multiline: code.length > 0,
    leadingOperators: leading,
    indent,
    eol: eolOf(instruction),
    escape: ast.escapeToken,
  };
}

/** `a && b` joined in the RUN's own style: on one line, or continued as its other lines are. */
export function joinText(style: RunStyle, before: string, after: string): string {
  if (!style.multiline) return `${before} && ${after}`;
  const cont = `${style.escape}${style.eol}${style.indent}`;
  return style.leadingOperators ? `${before} ${cont}&& ${after}` : `${before} && ${cont}${after}`;
}

/**
 * The edit that cuts the RUN between two top-level parts of its script: the operator, blanks and continuations between
 * them become a line break and a new RUN keyword (with `flags`). Comment lines in between are kept, above the new RUN.
 */
export function cutEdit(
  ast: Dockerfile,
  instruction: Instruction,
  located: LocatedScript,
  left: TopLevelPart,
  right: TopLevelPart,
  flags: string[],
): TextEdit {
  const start = located.base + left.end;
  const end = located.base + right.start;
  const eol = eolOf(instruction);
  const comments = instruction.lines
    .filter((line) => line.kind === 'comment' && line.range.start.offset >= start && line.range.end.offset <= end)
    .map((line) => ast.source.slice(line.range.start.offset, line.range.end.offset) + eol);
  const indent = lineSpan(ast.source, instruction).indent;
  const keyword = [instruction.keyword, ...flags].join(' ');
  return { start, end, text: `${eol}${comments.join('')}${indent}${keyword} ` };
}

/**
 * The edit that takes the top-level part `index` out of a script with several parts, with the operator that joined
 * it: the one before it (or, for the first part, the one after). Undefined when that operator is `||` or `|`-like.
 */
export function removePartEdit(located: LocatedScript, index: number): TextEdit | undefined {
  const parts = located.script.parts;
  if (parts.length < 2) return undefined;
  const joinedBy = index === 0 ? parts[0].operator : parts[index - 1].operator;
  if (!joinedBy || !['&&', ';', '\n'].includes(joinedBy.token)) return undefined;
  if (index === 0) return { start: located.base + parts[0].start, end: located.base + parts[1].start, text: '' };
  return { start: located.base + parts[index - 1].end, end: located.base + parts[index].end, text: '' };
}

/** The edit that deletes a whole instruction: its lines, with their terminators. */
export function deleteInstructionEdit(ast: Dockerfile, instruction: Instruction): TextEdit {
  const span = lineSpan(ast.source, instruction);
  if (span.eol !== '' || span.start === 0) return { start: span.start, end: span.end, text: '' };
  // The last line of a file without a final newline: take the terminator before it instead.
  const before = ast.source.lastIndexOf('\n', span.start - 1);
  const cr = before > 0 && ast.source[before - 1] === '\r' ? 1 : 0;
  return { start: before - cr, end: span.end, text: '' };
}

/** The flags of an instruction as written, and for each the range to delete when it goes (up to what follows it). */
export function flagSpans(
  ast: Dockerfile,
  instruction: Instruction,
): { text: string; name: string; value: string | undefined; cut: TextEdit }[] {
  const afterFlags = instruction.command?.range.start.offset ?? instruction.range.end.offset;
  return instruction.flags.map((flag, i) => {
    const next = instruction.flags[i + 1]?.range.start.offset ?? afterFlags;
    return {
      text: ast.source.slice(flag.range.start.offset, flag.range.end.offset),
      name: flag.name,
      value: flag.value,
      cut: { start: flag.range.start.offset, end: next, text: '' },
    };
  });
}

/** One fix's edits, with edits that touch each other (a deletion ending where an insertion goes) made one. */
export function joinTouching(source: string, edits: TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: TextEdit[] = [];
  for (const edit of sorted) {
    const last = out.at(-1);
    if (last && edit.start <= last.end) {
      out[out.length - 1] = {
        start: last.start,
        end: Math.max(last.end, edit.end),
        text: last.text + source.slice(last.end, Math.max(last.end, edit.start)) + edit.text,
      };
    } else out.push(edit);
  }
  return out;
}
