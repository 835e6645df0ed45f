/**
 * Parser directives (`# syntax=…`, `# escape=…`, `# check=…`), recognised exactly like BuildKit's DirectiveParser:
 * only at the top of the file, and the first line that is not a directive (a blank line, a plain comment, an
 * unknown key, an instruction) ends recognition for good.
 */

import { codeAt } from './code-units.js';
import { isGoSpace } from './go-text.js';

/** Go's `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`; Go's `\s` is `[\t\n\f\r ]` and `.` is anything but `\n`. */
const DIRECTIVE = /^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*([^\n]+?)[\t\n\f\r ]*$/d;

export const DIRECTIVE_NAMES = ['syntax', 'escape', 'check'] as const;
export type DirectiveName = (typeof DIRECTIVE_NAMES)[number];

export interface DirectiveMatch {
  name: DirectiveName;
  value: string;
  /** Indices into the line passed to `parseLine`. */
  nameStart: number;
  nameEnd: number;
  valueStart: number;
  valueEnd: number;
}

export class DirectiveError extends Error {
  constructor(
    message: string,
    /** Index into the line where the problem is. */
    readonly index: number,
  ) {
    super(message);
  }
}

export class DirectiveParser {
  private done = false;
  private readonly seen = new Set<string>();

  /**
   * Looks at one line (already stripped of its terminator and leading whitespace). Returns the directive, or
   * undefined (and stops recognising for good) when the line is not one. Throws on a repeated directive.
   */
  /** Whether a line can still be a directive (directives end at the first line that is not one). */
  get active(): boolean {
    return !this.done;
  }

  parseLine(line: string): DirectiveMatch | undefined {
    if (this.done) return undefined;
    if (line.length === 0 || codeAt(line, 0) !== 0x23 /* # */) {
      this.done = true;
      return undefined;
    }
    let i = 1;
    const length = line.length;
    while (i < length && isGoSpace(codeAt(line, i))) i++;
    const match = DIRECTIVE.exec(line.slice(i));
    const name = match?.[1].toLowerCase();
    if (!match || !(DIRECTIVE_NAMES as readonly string[]).includes(name!)) {
      this.done = true;
      return undefined;
    }
    if (this.seen.has(name!)) throw new DirectiveError(`only one ${name} parser directive can be used`, i);
    this.seen.add(name!);
    const indices = match.indices!;
    return {
      name: name as DirectiveName,
      value: match[2],
      nameStart: i + indices[1][0],
      nameEnd: i + indices[1][1],
      valueStart: i + indices[2][0],
      valueEnd: i + indices[2][1],
    };
  }
}

/** BuildKit's check for the escape directive's value (only backslash and backtick). */
export function escapeTokenError(value: string): string | undefined {
  return value === '`' || value === '\\' ? undefined : `invalid escape token '${value}' does not match \` or \\`;
}
