/**
 * The syntax tree of a Dockerfile, as BuildKit's parser (moby/buildkit frontend/dockerfile/parser) sees it, plus
 * what BuildKit throws away: exact source ranges for every part, comments, blank lines and continuation structure,
 * so that files can be rewritten without damage. The shape is documented (with examples) in docs/ast.md.
 *
 * Conventions
 * - `offset` is a 0-based index into the `source` string (UTF-16 code units, i.e. JavaScript string indices);
 *   `line` is 1-based; `column` is 1-based and counts UTF-16 code units from the line's start. A byte-order mark is
 *   not part of line 1 (its first column is the character after the BOM). `utf8Offset()` in source.ts converts.
 * - Every `Range` is half-open: `end` is the position just after the last character.
 * - Ranges of whole elements (directives, comments, blank lines, instructions) cover their lines without the
 *   final line terminator; the terminator is in `eol`. Elements tile the file: printDockerfile concatenates them.
 */

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column in UTF-16 code units. */
  column: number;
  /** 0-based index into `Dockerfile.source` (UTF-16 code units). */
  offset: number;
}

export interface Range {
  start: Position;
  /** Exclusive. */
  end: Position;
}

/** The names BuildKit dispatches on (upper case). Anything else parses as an unknown instruction. */
export const INSTRUCTION_NAMES = [
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
] as const;
export type InstructionName = (typeof INSTRUCTION_NAMES)[number];

export interface Dockerfile {
  type: 'Dockerfile';
  /** The exact text parsed (including a byte-order mark, if any). */
  source: string;
  /** The file name given to parseDockerfile, for error messages. */
  file?: string;
  /** Whether `source` starts with U+FEFF (BuildKit strips it from line 1). */
  bom: boolean;
  /** The escape token in effect (`# escape=` directive, default backslash). */
  escapeToken: '\\' | '`';
  /** Parser directives (`# syntax=`, `# escape=`, `# check=`) in source order. */
  directives: Directive[];
  /** Top-level instructions in source order (BuildKit's `AST.Children`). */
  instructions: Instruction[];
  /** Every top-level element in source order; together they cover the whole file (after the BOM). */
  elements: Element[];
  /** Returned, never printed: e.g. BuildKit's "Empty continuation line found in: …". */
  warnings: ParseWarning[];
}

export type Element = Directive | Comment | BlankLine | Instruction;

interface ElementBase {
  range: Range;
  /** The line terminator after the element: `\n`, `\r\n` (or any `\r…\n`), or `` at end of file. */
  eol: string;
}

export interface Directive extends ElementBase {
  type: 'Directive';
  /** Lower-cased key: `syntax`, `escape` or `check`. */
  name: 'syntax' | 'escape' | 'check';
  /** The value as BuildKit reads it (surrounding blanks removed). */
  value: string;
  nameRange: Range;
  valueRange: Range;
}

/** A `#` line outside an instruction that is not a directive. */
export interface Comment extends ElementBase {
  type: 'Comment';
  /** The text after `#`, trimmed. */
  text: string;
}

/** An empty or whitespace-only line outside an instruction. */
export interface BlankLine extends ElementBase {
  type: 'Blank';
}

/** One physical line of an instruction (first line, continuation lines, heredoc lines). */
export interface InstructionLine {
  /**
   * `code`: contributes to the instruction's text; `comment`: a `#` line inside a continuation (dropped by BuildKit);
   * `empty`: a blank line inside a continuation (dropped, with a warning); `heredoc`: a heredoc body line;
   * `heredoc-end`: the line that terminates a heredoc.
   */
  kind: 'code' | 'comment' | 'empty' | 'heredoc' | 'heredoc-end';
  /** The line without its terminator. */
  range: Range;
  eol: string;
  /** For `code` lines that continue: the escape token and the blanks after it. */
  continuation?: Range;
}

/** A builder flag such as `--mount=type=cache,target=/root/.cache`. */
export interface Flag {
  /** The flag word after BuildKit's quote and escape processing, as dumped (`--from=build`). */
  text: string;
  /** The name between `--` and `=` (`from`). */
  name: string;
  /** The text after the first `=`; undefined for a bare `--link`. */
  value: string | undefined;
  /** The flag word as written. */
  range: Range;
}

/** One of BuildKit's `Node.Next` values: an argument of the instruction. */
export interface Arg {
  /** The value exactly as BuildKit's parser yields it (quotes kept except in JSON form). */
  value: string;
  /** Where it is written (for JSON strings: the string literal with its quotes). */
  range: Range;
}

/** ENV and LABEL pairs; `separator` is `=` (new form) or `` (legacy `ENV key value`). */
export interface KeyValue {
  key: Arg;
  value: Arg;
  separator: '=' | '';
  range: Range;
}

export interface Heredoc {
  /** The delimiter word, unquoted (`EOF` for `<<'EOF'`). */
  name: string;
  /** The file descriptor prefix (`3<<EOF` → 3); 0 when absent, as in BuildKit. */
  fd: number;
  /** `<<-`: leading tabs are removed from body lines (and allowed before the terminator). */
  chomp: boolean;
  /** False when any part of the delimiter was quoted: the body is then not expanded. */
  expand: boolean;
  /** The body as BuildKit stores it: the raw lines, each with its terminator; tabs not yet chomped. */
  content: string;
  /** The `<<EOF` word on the instruction line. */
  range: Range;
  /** The body lines (empty range at the body start when the body is empty). */
  bodyRange: Range;
  /** The terminating line. */
  terminatorRange: Range;
}

/**
 * The shell-form command text of RUN, CMD, ENTRYPOINT, SHELL and HEALTHCHECK CMD: BuildKit's joined text (part of
 * the cache key) with a source map, and a same-length script whose offsets equal source offsets.
 */
export interface CommandText {
  /** Exactly as BuildKit joins it (continuations removed, comment and empty lines dropped). */
  text: string;
  /** From the first to the last character of the command in the source. */
  range: Range;
  /**
   * Source map: flat triples `[textIndex, sourceOffset, length, …]`, in order; each maps `length` characters of
   * `text` starting at `textIndex` to the source starting at `sourceOffset`. Use `commandToSource()` (source.ts).
   */
  map: number[];
  /**
   * `source.slice(range.start.offset, range.end.offset)` with comment and empty continuation lines (and their line
   * terminators) replaced by spaces, and each continuation `E[ \t]*\r?\n` rewritten as spaces + `\` + `\n`: a POSIX
   * shell reads the same words as from `text`, and `script[i]` is at source offset `range.start.offset + i`.
   */
  script: string;
}

export interface Instruction extends ElementBase {
  type: 'Instruction';
  /** The instruction word as written (`run`, `Run`, `RUN`). */
  keyword: string;
  /** `keyword` in upper case (`RUN`); an unknown word stays as it is, upper-cased. */
  name: string;
  /** Whether BuildKit knows this instruction (otherwise it dumps as `(foo "")` and fails later). */
  known: boolean;
  keywordRange: Range;
  flags: Flag[];
  /** BuildKit's `Node.Original`: the logical line (first line left-trimmed, continuations joined). */
  original: string;
  /** BuildKit's `Node.Next` values (for ENV/LABEL the key, value, separator triples; empty for ONBUILD). */
  args: Arg[];
  /** ENV and LABEL only. */
  pairs?: KeyValue[];
  /** Exec form: the arguments were a JSON array of strings (BuildKit's `json` attribute). */
  json: boolean;
  /** Shell-form command of RUN/CMD/ENTRYPOINT/SHELL/HEALTHCHECK (absent for exec form or no command). */
  command?: CommandText;
  /** The trigger of ONBUILD, parsed like a top-level instruction (its ranges point into the same source). */
  trigger?: Instruction;
  heredocs: Heredoc[];
  /** BuildKit's `PrevComment`: the comment lines right above (a bare `#` resets it; blank lines do not). */
  comments: string[];
  /** Every physical line of this instruction, including comment, empty and heredoc lines. */
  lines: InstructionLine[];
}

export interface ParseWarning {
  /** BuildKit's rule name (`NoEmptyContinuation`). */
  rule: string;
  /** BuildKit's words. */
  message: string;
  range: Range;
  url?: string;
}
