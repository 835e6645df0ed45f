/**
 * BuildKit's `Node.Dump()` (parser.go): the s-expression its parser tests compare against (`testfiles/CASE/result`).
 * One line per instruction: lower-cased name, flags as Go `%q` of a string slice, each value Go-quoted; an ONBUILD
 * trigger is nested in parentheses. Heredoc bodies and positions are not printed.
 */
import type { Dockerfile, Instruction } from './ast.js';
import { goQuote } from './go-quote.js';

/** The whole tree, as `AST.Dump()` + "\n" (what `result` files hold). */
export function dumpDockerfile(ast: Dockerfile): string {
  const body = ast.instructions.map((instruction) => `(${dumpInstruction(instruction)})\n`).join('');
  return `${body.trim()}\n`;
}

export function dumpInstruction(node: Instruction): string {
  let out = node.keyword.toLowerCase();
  if (node.flags.length > 0) out += ` [${node.flags.map((flag) => goQuote(flag.text)).join(' ')}]`;
  for (const arg of node.args) out += ` ${goQuote(arg.value)}`;
  if (node.trigger) out += ` (${dumpInstruction(node.trigger)})`;
  return out.trim();
}
