/**
 * Which heredocs a RUN/COPY/ADD line names (parser.go `heredocsFromLine` / `ParseHeredoc`): the whole logical line is
 * split with BuildKit's shell-word lexer (raw quotes and escapes, unset variables kept, backslash escape whatever the
 * file's escape token), and each word matching `^(\d*)<<(-?)\s*([^<]*)$` whose rest is exactly one word is a heredoc.
 */
import type { Heredoc } from './ast.js';
import { codeAt } from './code-units.js';
import { ParseError } from './errors.js';
import type { LogicalLine } from './logical-line.js';
import { expandWords, WordError } from './words.js';

export type HeredocWord = Pick<Heredoc, 'name' | 'fd' | 'chomp' | 'expand' | 'range'>;

/** Go's `^(\d*)<<(-?)\s*([^<]*)$` (Go `\s` is `[\t\n\f\r ]`, `\d` is ASCII). */
const HEREDOC = /^([0-9]*)<<(-?)[\t\n\f\r ]*([^<]*)$/;

const NO_ENV: readonly string[] = [];

export function heredocsFromLine(logical: LogicalLine): HeredocWord[] {
  const line = logical.text;
  logical.work.units += line.length;
  let words: string[];
  try {
    words = expandWords(line, NO_ENV, { escapeToken: '\\', rawQuotes: true, rawEscapes: true, skipUnsetEnv: true });
  } catch (error) {
    if (error instanceof WordError) return []; // BuildKit ignores this error: no heredocs
    throw error;
  }
  const found: HeredocWord[] = [];
  let searchFrom = 0;
  for (const word of words) {
    const match = HEREDOC.exec(word);
    if (!match) continue;
    // With no variables set and everything kept raw, the word is the line's own text: find it to get its range.
    const at = line.indexOf(word, searchFrom);
    logical.work.units += (at < 0 ? line.length : at + word.length) - searchFrom + 2 * word.length;
    const start = at < 0 ? searchFrom : at;
    const end = at < 0 ? searchFrom : at + word.length;
    searchFrom = end;
    const range = logical.range(start, end);
    const heredoc = heredocFromMatch(match, range);
    if (heredoc) found.push(heredoc);
  }
  return found;
}

/** The heredoc a marker word such as `<<-"EOF"` denotes, or undefined when it is not one (BuildKit `ParseHeredoc`). */
export function parseHeredocWord(word: string): Omit<HeredocWord, 'range'> | undefined {
  const match = HEREDOC.exec(word);
  if (!match) return undefined;
  const none = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
  const heredoc = heredocFromMatch(match, none);
  if (!heredoc) return undefined;
  const { range: _range, ...rest } = heredoc;
  return rest;
}

function heredocFromMatch(match: RegExpExecArray, range: Heredoc['range']): HeredocWord | undefined {
  const rest = match[3];
  if (rest === '') return undefined;
  const lex = (rawQuotes: boolean) => {
    try {
      return expandWords(rest, NO_ENV, { escapeToken: '\\', rawQuotes, skipUnsetEnv: true });
    } catch (error) {
      if (!(error instanceof WordError)) throw error;
      throw new ParseError(error.message, range.start.line, range.start.column, {
        line: range.end.line,
        column: range.end.column,
      });
    }
  };
  const words = lex(false);
  if (words.length !== 1) return undefined;
  const raw = lex(true);
  if (raw.length !== words.length) {
    throw new ParseError(
      `internal lexing of heredoc produced inconsistent results: ${rest}`,
      range.start.line,
      range.start.column,
    );
  }
  // Quotes anywhere in the delimiter (they vanish in one lexing but not the other) turn expansion off.
  const expand = quoteCount(words[0]) === quoteCount(raw[0]);
  return { name: words[0], fd: parseFd(match[1]), chomp: match[2] === '-', expand, range };
}

function quoteCount(word: string): number {
  let n = 0;
  for (let i = 0, length = word.length; i < length; i++) {
    const code = codeAt(word, i);
    if (code === 0x22 || code === 0x27) n++;
  }
  return n;
}

/** Go `strconv.ParseUint(s, 10, 0)` with the error ignored: 0 for "", the maximum on overflow. */
function parseFd(digits: string): number {
  if (digits === '') return 0;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : Number.MAX_SAFE_INTEGER;
}
