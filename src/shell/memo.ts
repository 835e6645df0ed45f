/**
 * A scope in which each distinct shell script is parsed once, however often it is analysed: `lint --fix` lints the
 * text of every pass and checks candidate texts whose RUNs are mostly those of the pass before. Syntax trees (and the
 * analyses callers keep through `scopedValue`) are only read by their users, so one can be shared; outside a scope
 * nothing is kept.
 */
import type { ShellSyntax } from './ast.js';
import { parseShell } from './parse.js';

interface Scope {
  syntax: Map<string, ShellSyntax>;
  /** Analyses built on the parses (see `scopedValue`), by their callers' keys. */
  values: Map<string, unknown>;
}

let scope: Scope | undefined;

/** Runs `work` with a parse memo (an enclosing scope's memo, when there is one); drops it afterwards. */
export function withShellMemo<T>(work: () => T): T {
  if (scope) return work();
  scope = { syntax: new Map(), values: new Map() };
  try {
    return work();
  } finally {
    scope = undefined;
  }
}

/** Whether a memo scope is in force (callers can then skip building what only `scopedValue` would need). */
export function inShellMemo(): boolean {
  return scope !== undefined;
}

/** parseShell, through the memo of the scope in force. */
export function parseShellMemo(source: string): ShellSyntax {
  if (!scope) return parseShell(source);
  let syntax = scope.syntax.get(source);
  if (!syntax) {
    syntax = parseShell(source);
    scope.syntax.set(source, syntax);
  }
  return syntax;
}

/**
 * `compute()`, once per scope for `key()` — a pure analysis of a script, kept as long as its parse. The key must name
 * everything the value depends on; it is only built inside a scope (outside one, `compute()` runs every time).
 */
export function scopedValue<T>(key: () => string, compute: () => T): T {
  if (!scope) return compute();
  const k = key();
  if (scope.values.has(k)) return scope.values.get(k) as T;
  const value = compute();
  scope.values.set(k, value);
  return value;
}
