/**
 * BuildKit's `Node.Dump()` (parser.go): the s-expression its parser tests compare against (`testfiles/CASE/result`).
 * One line per instruction: lower-cased name, flags as Go `%q` of a string slice, each value Go-quoted; an ONBUILD
 * trigger is nested in parentheses. Heredoc bodies and positions are not printed.
 */
import type { Dockerfile, Instruction } from './ast.js';
import { goQuote } from './go-quote.js';
import { skipSpaceBackward, skipSpaceForward } from './go-text.js';

/** The whole tree, as `AST.Dump()` + "\n" (what `result` files hold). */
export function dumpDockerfile(ast: Dockerfile): string {
  return ast.instructions.map((instruction) => `(${dumpInstruction(instruction)})\n`).join('');
}

/** One instruction; ONBUILD chains nest as `(onbuild (onbuild (run …)))`, built in a loop (they can be deep). */
export function dumpInstruction(node: Instruction): string {
  const heads: string[] = [];
  for (let at: Instruction | undefined = node; at; at = at.trigger) {
    let head = at.keyword.toLowerCase();
    if (at.flags.length > 0) head += ` [${at.flags.map((flag) => goQuote(flag.text)).join(' ')}]`;
    for (const arg of at.args) head += ` ${goQuote(arg.value)}`;
    heads.push(head);
  }
  // Go trims each level's dump (TrimSpace): only an empty keyword can leave a leading blank.
  let out = goTrimSpace(heads[heads.length - 1]);
  for (let i = heads.length - 2; i >= 0; i--) out = `${goTrimSpace(`${heads[i]} (`)}${out})`;
  return out;
}

function goTrimSpace(text: string): string {
  const start = skipSpaceForward(text, 0);
  return text.slice(start, skipSpaceBackward(text, text.length, start));
}
