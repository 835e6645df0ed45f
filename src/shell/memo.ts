/**
 * A scope in which each distinct shell script is parsed once, however often it is analysed: `lint --fix` lints the
 * text of every pass and checks candidate texts whose RUNs are mostly those of the pass before. Syntax trees are
 * only read by their users, so one can be shared; outside a scope nothing is kept.
 */
import type { ShellSyntax } from './ast.js';
import { parseShell } from './parse.js';

let scope: Map<string, ShellSyntax> | undefined;

/** Runs `work` with a parse memo (an enclosing scope's memo, when there is one); drops it afterwards. */
export function withShellMemo<T>(work: () => T): T {
  if (scope) return work();
  scope = new Map();
  try {
    return work();
  } finally {
    scope = undefined;
  }
}

/** parseShell, through the memo of the scope in force. */
export function parseShellMemo(source: string): ShellSyntax {
  if (!scope) return parseShell(source);
  let syntax = scope.get(source);
  if (!syntax) {
    syntax = parseShell(source);
    scope.set(source, syntax);
  }
  return syntax;
}
