/**
 * The same-length shell script of a command (CommandText.script): the command's source text, rewritten without
 * changing its length so a shell parser reads the words BuildKit joined, and its offsets are source offsets.
 */
import type { Instruction, InstructionLine } from './ast.js';

/** Fills `instruction.command.script` from the source and the instruction's physical lines. */
export function fillScript(instruction: Instruction, source: string, lines: InstructionLine[] = instruction.lines): void {
  const command = instruction.command;
  if (!command) return;
  const from = command.range.start.offset;
  const to = command.range.end.offset;
  if (command.range.start.line === command.range.end.line) {
    command.script = command.text;
    return;
  }
  // Built by concatenation, one span at a time: `at` is how far the script has been written.
  let out = '';
  let at = from;
  for (const line of lines) {
    const lineStart = line.range.start.offset;
    const lineEnd = line.range.end.offset + line.eol.length;
    if (lineEnd <= from) continue;
    if (lineStart >= to) break;
    let keep: number; // the source is copied up to here…
    let blank: number; // …then replaced up to here
    let tail = ''; // ending with this text (a continuation's `\` + `\n`)
    if (line.kind === 'comment' || line.kind === 'empty') {
      keep = lineStart;
      blank = lineEnd;
    } else if (line.continuation) {
      // `E[ \t]*\r?\n` → spaces + `\` + `\n`: a shell joins the lines exactly where BuildKit did.
      keep = line.continuation.start.offset;
      blank = lineEnd;
      tail = '\\\n';
    } else continue;
    const kept = Math.min(keep, to);
    if (kept > at) {
      out += source.slice(at, kept);
      at = kept;
    }
    const end = Math.min(blank, to);
    if (end > at) {
      // Spaces up to the tail, the whole cut at `end`.
      const spaces = Math.min(Math.max(0, blank - at - tail.length), end - at);
      out += spaceRun(spaces) + tail.slice(0, end - at - spaces);
      at = end;
    }
  }
  if (to > at) out += source.slice(at, to);
  command.script = out;
}

const SPACES = ' '.repeat(256);

/** `n` spaces (a slice of one string for the usual short runs). */
function spaceRun(n: number): string {
  return n <= SPACES.length ? SPACES.slice(0, n) : ' '.repeat(n);
}
