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
  const out: string[] = [];
  let at = from;
  const emit = (until: number, replacement?: string) => {
    const end = Math.min(until, to);
    if (end <= at) return;
    out.push(replacement === undefined ? source.slice(at, end) : replacement.slice(0, end - at));
    at = end;
  };
  for (const line of lines) {
    const lineStart = line.range.start.offset;
    const lineEnd = line.range.end.offset + line.eol.length;
    if (lineEnd <= from) continue;
    if (lineStart >= to) break;
    if (line.kind === 'comment' || line.kind === 'empty') {
      emit(lineStart);
      emit(lineEnd, ' '.repeat(lineEnd - at));
    } else if (line.continuation) {
      // `E[ \t]*\r?\n` → spaces + `\` + `\n`: a shell joins the lines exactly where BuildKit did.
      const cut = line.continuation.start.offset;
      emit(cut);
      const length = lineEnd - cut;
      emit(lineEnd, `${' '.repeat(Math.max(0, length - 2))}\\\n`);
    }
  }
  emit(to);
  command.script = out.join('');
}
