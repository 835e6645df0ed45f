/**
 * The one error parsing may throw for bad input. Line and column are 1-based; column counts UTF-16 code units
 * from the start of the line. `message` is BuildKit's wording where BuildKit has one; `toString()`-style
 * `FILE:LINE:COL: message` formatting is done by `format()` so callers can add the file name.
 */
export class ParseError extends Error {
  override name = 'ParseError';
  constructor(
    /** BuildKit's words where it has them, without a position prefix. */
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    /** Where the problem ends, when it spans more than a point (same conventions). */
    readonly end?: { line: number; column: number },
    readonly file?: string,
  ) {
    super(`${file ?? '<input>'}:${line}:${column}: ${reason}`);
  }

  /** The same error attributed to a file name (the CLI knows it; the parser does not). */
  withFile(file: string): ParseError {
    return new ParseError(this.reason, this.line, this.column, this.end, file);
  }
}
