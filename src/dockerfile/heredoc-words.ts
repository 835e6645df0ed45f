/**
 * Which heredocs a RUN/COPY/ADD line names (parser.go `heredocsFromLine`). Detection needs BuildKit's shell-word
 * lexer (words.ts); until it lands, no heredoc is recognised.
 */
import type { Heredoc } from './ast.js';
import type { NodeParts } from './node.js';

export type HeredocWord = Pick<Heredoc, 'name' | 'fd' | 'chomp' | 'expand' | 'range'>;

export function heredocsFromLine(_node: NodeParts): HeredocWord[] {
  return [];
}
