/** The sources of a COPY/ADD as the rules read them. */
import type { Arg, Instruction } from '../../dockerfile/ast.js';

/** The COPY/ADD sources (every argument but the destination). */
export function sourceArgs(instruction: Instruction): Arg[] {
  return instruction.args.slice(0, -1);
}

/**
 * A source's text without the one pair of quotes a shell-form word may be wrapped in (exec-form values come
 * unquoted from the parser). Variables and globs are left as written: rules judge them as text.
 */
export function sourceText(instruction: Instruction, source: Arg): string {
  if (instruction.json) return source.value;
  return /^(["']).*\1$/s.test(source.value) ? source.value.slice(1, -1) : source.value;
}
