/**
 * `parseDockerfile`: BuildKit's `parser.Parse` (frontend/dockerfile/parser/parser.go), rule for rule, keeping what
 * BuildKit discards (positions, comments, blank lines, the physical lines of each instruction). See docs/ast.md.
 */
import type {
  BlankLine,
  Comment,
  Directive,
  Dockerfile,
  Element,
  Instruction,
  InstructionLine,
  ParseWarning,
  Position,
  Range,
} from './ast.js';
import { codeAt, includesText, sliceOf } from './code-units.js';
import { DirectiveError, DirectiveParser, escapeTokenError } from './directives.js';
import { ParseError } from './errors.js';
import { skipSpaceBackward, skipSpaceForward, utf8Length } from './go-text.js';
import { readHeredocs } from './heredoc-bodies.js';
import { LogicalLine } from './logical-line.js';
import { EMPTY, parseNode } from './node.js';
import { fillScript } from './script.js';

export interface ParseOptions {
  /** File name for error messages. */
  file?: string;
  /**
   * Adds the parser's work to `units`: the characters handed to each linear-time step (line reading, instruction
   * splitting, heredoc lexing, scripts). Tests use it to check that parsing time is linear in the input.
   */
  work?: WorkCounter;
}

export interface WorkCounter {
  units: number;
}

/** BuildKit reads lines with bufio.Scanner: a line of more than this many bytes (without `\n`) is refused. */
export const MAX_LINE_BYTES = 65535;

/** Physical lines of the source, read like BuildKit's scanner (split after each `\n`). */
export class LineReader {
  /** 1-based number of the current line; 0 before the first. */
  number = 0;
  start = 0;
  /** End of the content: before the trailing run of `\r`/`\n` (BuildKit's trimNewline). */
  contentEnd = 0;
  /** After the `\n` (or at the end of the source). */
  end: number;
  /** Set when the scanner stopped at a line that is too long. */
  tooLong = false;

  constructor(
    readonly source: string,
    from: number,
    readonly work: WorkCounter = { units: 0 },
  ) {
    this.end = from;
  }

  /** Advances to the next line; false at the end of the source or at a line over BuildKit's limit. */
  next(): boolean {
    const source = this.source;
    if (this.tooLong || this.end >= source.length) return false;
    const start = this.end;
    const newline = source.indexOf('\n', start);
    const stop = newline < 0 ? source.length : newline;
    if (stop - start > MAX_LINE_BYTES / 3 && utf8Length(source, start, stop) > MAX_LINE_BYTES) {
      this.tooLong = true;
      this.start = start;
      this.number++;
      return false;
    }
    let contentEnd = stop;
    while (contentEnd > start && codeAt(source, contentEnd - 1) === 0x0d) contentEnd--;
    this.number++;
    this.start = start;
    this.contentEnd = contentEnd;
    this.end = newline < 0 ? source.length : newline + 1;
    this.work.units += this.end - start + 1;
    return true;
  }

  eol(): string {
    const length = this.end - this.contentEnd;
    // `\n` and `\r\n` (nearly every line): constants, not a new string per line.
    if (length === 1 && codeAt(this.source, this.contentEnd) === 0x0a) return '\n';
    if (length === 2 && codeAt(this.source, this.contentEnd) === 0x0d && codeAt(this.source, this.contentEnd + 1) === 0x0a)
      return '\r\n';
    return sliceOf(this.source, this.contentEnd, this.end);
  }

  /** The current line's content as a range (column 1 is the line start; line 1 starts after a BOM). */
  range(from = this.start, to = this.contentEnd): Range {
    const start = this.position(from);
    // An empty range (a blank line) ends where it starts: one position (positions are never changed once made).
    return { start, end: to === from ? start : this.position(to) };
  }

  /** A position on the current line. */
  position(offset: number): Position {
    return { line: this.number, column: offset - this.start + 1, offset };
  }
}

export function parseDockerfile(text: string, options: ParseOptions = {}): Dockerfile {
  try {
    return parse(text, options);
  } catch (error) {
    if (error instanceof ParseError && options.file && !error.file) throw error.withFile(options.file);
    throw error;
  }
}

function parse(source: string, options: ParseOptions): Dockerfile {
  const bom = source.length > 0 && codeAt(source, 0) === 0xfeff;
  const reader = new LineReader(source, bom ? 1 : 0, options.work);
  const directiveParser = new DirectiveParser();
  const elements: Element[] = [];
  const instructions: Instruction[] = [];
  const directives: Directive[] = [];
  const warnings: ParseWarning[] = [];
  let escapeToken: '\\' | '`' = '\\';
  let comments: string[] = EMPTY;
  const logical = new LogicalLine(source, reader.work);

  while (reader.next()) {
    const { start, contentEnd } = reader;
    const trimmed = skipSpaceForward(source, start, contentEnd);
    const isComment = trimmed < contentEnd && codeAt(source, trimmed) === 0x23;
    let commentText: string | undefined;
    if (isComment) {
      // BuildKit drops the line's first byte (not necessarily the `#`) and trims: `  # a` gives `# a`.
      const from = skipSpaceForward(source, start + 1, contentEnd);
      commentText = sliceOf(source, from, skipSpaceBackward(source, contentEnd, from));
      if (commentText === '') comments = EMPTY;
      else if (comments === EMPTY) comments = [commentText];
      else comments.push(commentText);
    }
    const directive = directiveParser.active ? readDirective(directiveParser, reader, trimmed) : undefined;
    if (directive) {
      // The directive's line was taken for a comment above (a directive's text is never empty).
      comments = comments.length === 1 ? EMPTY : comments.slice(0, -1);
      if (directive.name === 'escape') {
        const problem = escapeTokenError(directive.value);
        if (problem) {
          const at = directive.valueRange.start;
          throw new ParseError(problem, at.line, at.column, endOf(directive.valueRange), options.file);
        }
        escapeToken = directive.value as '\\' | '`';
      }
      directives.push(directive);
      elements.push(directive);
      continue;
    }
    if (isComment) {
      elements.push({ type: 'Comment', text: commentText!, range: reader.range(), eol: reader.eol() } satisfies Comment);
      continue;
    }
    if (trimmed === contentEnd) {
      elements.push({ type: 'Blank', range: reader.range(), eol: reader.eol() } satisfies BlankLine);
      continue;
    }
    const instruction = readInstruction(reader, logical, trimmed, escapeToken, comments, warnings);
    comments = EMPTY;
    instructions.push(instruction);
    elements.push(instruction);
  }

  if (instructions.length === 0) {
    const line = Math.max(reader.number, 1);
    throw new ParseError('file with no instructions', line, 1, undefined, options.file);
  }
  if (reader.tooLong) {
    throw new ParseError(
      `dockerfile line greater than max allowed size of ${MAX_LINE_BYTES}`,
      reader.number,
      1,
      undefined,
      options.file,
    );
  }
  const dockerfile: Dockerfile = {
    type: 'Dockerfile',
    source,
    bom,
    escapeToken,
    directives,
    instructions,
    elements,
    warnings,
  };
  if (options.file !== undefined) dockerfile.file = options.file;
  return dockerfile;
}

function readDirective(parser: DirectiveParser, reader: LineReader, trimmed: number): Directive | undefined {
  const line = reader.source.slice(trimmed, reader.contentEnd);
  try {
    const match = parser.parseLine(line);
    if (!match) return undefined;
    return {
      type: 'Directive',
      name: match.name,
      value: match.value,
      range: reader.range(),
      eol: reader.eol(),
      nameRange: reader.range(trimmed + match.nameStart, trimmed + match.nameEnd),
      valueRange: reader.range(trimmed + match.valueStart, trimmed + match.valueEnd),
    };
  } catch (error) {
    if (!(error instanceof DirectiveError)) throw error;
    throw new ParseError(error.message, reader.number, trimmed + error.index - reader.start + 1);
  }
}

/**
 * Where a line continues: the index of its escape token when the line ends in `E[ \t]*` and E is not itself escaped
 * (BuildKit's `([^E])E[ \t]*$|^E[ \t]*$`), else -1.
 */
export function continuationAt(source: string, from: number, to: number, escapeCode: number): number {
  let i = to;
  while (i > from) {
    const code = codeAt(source, i - 1);
    if (code !== 0x20 && code !== 0x09) break;
    i--;
  }
  if (i === from || codeAt(source, i - 1) !== escapeCode) return -1;
  if (i - 1 > from && codeAt(source, i - 2) === escapeCode) return -1;
  return i - 1;
}

function readInstruction(
  reader: LineReader,
  logical: LogicalLine,
  firstContent: number,
  escapeToken: string,
  comments: string[],
  warnings: ParseWarning[],
): Instruction {
  const source = reader.source;
  const escapeCode = codeAt(escapeToken, 0);
  logical.reset();
  let lines: InstructionLine[] | undefined;
  let emptyLine: Range | undefined;

  // The first line is left-trimmed; the next ones are not (their indentation is part of the text).
  let from = firstContent;
  let kind: InstructionLine['kind'] = 'code';
  for (;;) {
    if (kind === 'code') {
      const escapeAt = continuationAt(source, from, reader.contentEnd, escapeCode);
      const range = reader.range();
      const eol = reader.eol();
      // A continuation ends where the line's content ends: the same Position (positions are never changed once
      // made). Made with the line, so that every line object has its final shape from the start.
      const line: InstructionLine =
        escapeAt < 0
          ? { kind, range, eol }
          : { kind, range, eol, continuation: { start: reader.position(escapeAt), end: range.end } };
      logical.add(from, escapeAt < 0 ? reader.contentEnd : escapeAt, reader.number, reader.start, range);
      // Most instructions have one line: an array of exactly one (a push would allocate room for 17).
      if (lines === undefined) lines = [line];
      else lines.push(line);
      if (escapeAt < 0) break;
    } else {
      const range = reader.range();
      // An empty line's warning points at the line: the same range.
      if (kind === 'empty') emptyLine ??= range;
      lines!.push({ kind, range, eol: reader.eol() });
    }
    if (!reader.next()) break;
    from = reader.start;
    const trimmed = skipSpaceForward(source, reader.start, reader.contentEnd);
    if (trimmed < reader.contentEnd && codeAt(source, trimmed) === 0x23) kind = 'comment';
    else if (trimmed === reader.contentEnd) kind = 'empty';
    else kind = 'code';
  }

  const text = logical.text;
  // The first line is a code line: `lines` was made there.
  const all = lines as InstructionLine[];
  const node = parseNode(logical, 0, logical.length, escapeToken, comments, all);
  if (emptyLine) {
    warnings.push({
      rule: 'NoEmptyContinuation',
      message: `Empty continuation line found in: ${text}`,
      range: emptyLine,
      url: 'https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/',
    });
  }
  if (canContainHeredoc(node) && includesText(text, '<<')) node.heredocs = readHeredocs(reader, logical, all);
  const last = all[all.length - 1];
  // One line: the instruction's range is that line's (ranges, like positions, are never changed once made).
  node.range = all.length === 1 ? last.range : { start: all[0].range.start, end: last.range.end };
  node.eol = last.eol;
  fillScript(node, source);
  for (let trigger = node.trigger; trigger; trigger = trigger.trigger) {
    fillScript(trigger, source, all);
    reader.work.units += trigger.command?.script.length ?? 0;
  }
  reader.work.units += node.command?.script.length ?? 0;
  return node;
}

const HEREDOC_INSTRUCTIONS = new Set(['ADD', 'COPY', 'RUN']);

/** RUN, COPY and ADD in shell/list form (also as an ONBUILD trigger) may carry heredocs. */
export function canContainHeredoc(node: Pick<Instruction, 'name' | 'json' | 'trigger'>): boolean {
  const target = node.name === 'ONBUILD' && node.trigger ? node.trigger : node;
  return HEREDOC_INSTRUCTIONS.has(target.name) && !target.json;
}

function endOf(range: Range): { line: number; column: number } {
  return { line: range.end.line, column: range.end.column };
}
