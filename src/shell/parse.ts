/**
 * The shell stage's parser: a script's text → the plain syntax tree of ast.ts, synchronously and with no set-up.
 * The parser is hand-written (src/shell/parser/): recursive descent straight into ShellSyntax, no concrete tree and no
 * WASM in between. It replaced tree-sitter-bash, whose trees it reproduces (test/shell/parser-differential.test.ts
 * holds the two to each other on the corpus) except where tree-sitter misread the shell, by bash's own verdict.
 */
import type { ShellSyntax } from './ast.js';
import { parseScript } from './parser/parser.js';

export function parseShell(source: string): ShellSyntax {
  return parseScript(source);
}
