/**
 * BuildKit's per-instruction line parsers (line_parsers.go): how the text after the flags becomes `Node.Next`
 * values. Each returns values with their `[start, end)` indices in the text it was given, so callers can map them to
 * source ranges. Quote handling is BuildKit's, not a shell's: quotes stay in the values (they are stripped later,
 * during expansion), and escapes are only recognised where BuildKit recognises them.
 */

import { codeAt, includesText, indexIn, sliceOf } from './code-units.js';
import { goQuote } from './go-quote.js';
import { isGoByteSpace, isGoSpace, isReWhitespace, skipSpaceForward, utf8View } from './go-text.js';

export interface Piece {
  value: string;
  start: number;
  end: number;
}

export interface PairPieces {
  key: Piece;
  value: Piece;
  separator: '=' | '';
}

export interface ParsedArgs {
  args: Piece[];
  json: boolean;
  pairs?: PairPieces[];
  /** HEALTHCHECK: where its command (after the type word) starts and ends in the given text. */
  commandStart?: number;
  commandEnd?: number;
}

/** A line parser's refusal; `start`/`end` index the given text. */
export class LineParseError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

export const NOT_STRING_ARRAY = 'when using JSON array syntax, arrays must be comprised of strings only';

const NONE: ParsedArgs = { args: [], json: false };

/** RUN, CMD, ENTRYPOINT, SHELL: a JSON array of strings, else the whole text as one value. */
export function parseMaybeJson(rest: string): ParsedArgs {
  if (rest === '') return NONE;
  const json = parseJsonArray(rest);
  if (json) return { args: json, json: true };
  return { args: [{ value: rest, start: 0, end: rest.length }], json: false, commandStart: 0, commandEnd: rest.length };
}

/** ADD, COPY, VOLUME: a JSON array of strings, else whitespace-separated words. */
export function parseMaybeJsonToList(rest: string): ParsedArgs {
  const json = parseJsonArray(rest);
  if (json) return { args: json, json: true };
  return parseWhitespaceDelimited(rest);
}

/** FROM, EXPOSE (and the list fallback): split on `[\t\v\f\r ]+`. */
export function parseWhitespaceDelimited(rest: string): ParsedArgs {
  if (rest === '') return NONE;
  return { args: splitReWhitespace(rest, -1), json: false };
}

/** MAINTAINER, USER, WORKDIR, STOPSIGNAL: the whole text. */
export function parseString(rest: string): ParsedArgs {
  if (rest === '') return NONE;
  return { args: [{ value: rest, start: 0, end: rest.length }], json: false };
}

/** Unknown instructions: one empty value (dumps as `(foo "")`). */
export function parseIgnore(rest: string): ParsedArgs {
  return { args: [{ value: '', start: rest.length, end: rest.length }], json: false };
}

/** ARG: BuildKit's `parseWords` (quotes and escapes kept verbatim). */
export function parseNameOrNameVal(rest: string, escapeToken: string): ParsedArgs {
  return { args: parseWords(rest, escapeToken), json: false };
}

/** ENV and LABEL: `key value` (legacy) or `key=value …`. */
export function parseNameVal(rest: string, escapeToken: string, instruction: 'ENV' | 'LABEL'): ParsedArgs {
  const words = parseWords(rest, escapeToken);
  if (words.length === 0) return { args: [], json: false, pairs: [] };
  if (!includesText(words[0].value, '=')) {
    const parts = splitReWhitespace(rest, 2);
    if (parts.length < 2) throw new LineParseError(`${instruction} must have two arguments`, 0, rest.length);
    const pair: PairPieces = { key: parts[0], value: parts[1], separator: '' };
    const end = parts[1].end;
    return { args: [parts[0], parts[1], { value: '', start: end, end }], json: false, pairs: [pair] };
  }
  const args: Piece[] = [];
  const pairs: PairPieces[] = [];
  for (const word of words) {
    const eq = indexIn(word.value, '=');
    if (eq < 0) {
      throw new LineParseError(
        `Syntax error - can't find = in ${goQuote(word.value)}. Must be of the form: name=value`,
        word.start,
        word.end,
      );
    }
    const key = { value: sliceOf(word.value, 0, eq), start: word.start, end: word.start + eq };
    const value = { value: sliceOf(word.value, eq + 1), start: word.start + eq + 1, end: word.end };
    const separator = { value: '=', start: word.start + eq, end: word.start + eq + 1 };
    args.push(key, value, separator);
    pairs.push({ key, value, separator: '=' });
  }
  return { args, json: false, pairs };
}

/** HEALTHCHECK: the type word (split byte-wise, as BuildKit does), then a maybe-JSON command. */
export function parseHealthConfig(rest: string): ParsedArgs {
  let sep: number;
  let next: number;
  sep = 0;
  while (sep < rest.length && codeAt(rest, sep) < 0x80 && !isGoByteSpace(codeAt(rest, sep))) sep++;
  next = sep;
  while (next < rest.length && codeAt(rest, next) < 0x80 && isGoByteSpace(codeAt(rest, next))) next++;
  if (next < rest.length && codeAt(rest, next) >= 0x80) {
    // BuildKit walks bytes here: 0x85 and 0xA0 inside a UTF-8 sequence count as spaces.
    const { bytes, index } = utf8View(rest);
    let b = 0;
    while (b < bytes.length && !isGoByteSpace(bytes[b])) b++;
    let n = b;
    while (n < bytes.length && isGoByteSpace(bytes[n])) n++;
    sep = index[b];
    next = index[n];
  }
  if (sep === 0) return NONE;
  const type: Piece = { value: sliceOf(rest, 0, sep), start: 0, end: sep };
  const command = parseMaybeJson(sliceOf(rest, next));
  const shift = (p: Piece): Piece => ({ value: p.value, start: p.start + next, end: p.end + next });
  return {
    args: [type, ...command.args.map(shift)],
    json: command.json,
    commandStart: command.commandStart === undefined ? undefined : command.commandStart + next,
    commandEnd: command.commandEnd === undefined ? undefined : command.commandEnd + next,
  };
}

/**
 * BuildKit's `parseWords`: split on Go spaces, keeping quotes and escape pairs verbatim; the escape token is inert
 * inside single quotes; a trailing escape token is dropped.
 */
export function parseWords(rest: string, escapeToken: string): Piece[] {
  const escapeCode = codeAt(escapeToken, 0);
  const words: Piece[] = [];
  let inWord = false;
  let quote = 0; // the open quote character, 0 when not in quotes
  let blankOk = false;
  let start = 0;
  let end = 0; // exclusive end of the characters written so far
  const n = rest.length;
  for (let pos = 0; pos < n; pos++) {
    const ch = codeAt(rest, pos);
    if (!inWord) {
      if (isGoSpace(ch)) continue;
      inWord = true;
      start = end = pos;
    }
    if (quote === 0) {
      if (isGoSpace(ch)) {
        if (blankOk || end > start) words.push({ value: sliceOf(rest, start, end), start, end });
        inWord = false;
        blankOk = false;
        continue;
      }
      if (ch === 0x27 || ch === 0x22) {
        quote = ch;
        blankOk = true;
      } else if (ch === escapeCode) {
        if (pos + 1 === n) continue; // dropped at end of line
        pos++;
      }
      end = pos + 1;
      continue;
    }
    if (ch === quote) {
      quote = 0;
    } else if (ch === escapeCode && quote !== 0x27) {
      if (pos + 1 === n) {
        quote = 0;
        continue;
      }
      pos++;
    }
    end = pos + 1;
  }
  if (inWord && (blankOk || end > start)) words.push({ value: sliceOf(rest, start, end), start, end });
  return words;
}

/** Go `regexp.MustCompile("[\t\v\f\r ]+").Split(s, n)` with indices. */
export function splitReWhitespace(text: string, n: number): Piece[] {
  const out: Piece[] = [];
  let start = 0;
  let i = 0;
  const length = text.length;
  while (i < length) {
    if (n > 0 && out.length === n - 1) break;
    if (!isReWhitespace(codeAt(text, i))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < length && isReWhitespace(codeAt(text, j))) j++;
    out.push({ value: sliceOf(text, start, i), start, end: i });
    start = i = j;
  }
  out.push({ value: sliceOf(text, start), start, end: length });
  return out;
}

/**
 * BuildKit's `parseJSON`: after leading Go spaces, a `[` and then Go `json.Unmarshal` of the whole rest into `[]any`.
 * Undefined when that fails (the caller falls back to the shell/list form); throws when the array holds a non-string.
 */
export function parseJsonArray(rest: string): Piece[] | undefined {
  const open = skipSpaceForward(rest, 0);
  if (open === rest.length || codeAt(rest, open) !== 0x5b /* [ */) return undefined;
  const plain = plainStringArray(rest, open);
  if (plain) return plain;
  let parsed: unknown;
  try {
    parsed = JSON.parse(sliceOf(rest, open));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  if (!allStrings(parsed)) {
    // Go cannot store 1e400 in a float64: Unmarshal fails, so BuildKit falls back to the shell form. Only an array
    // holding a number can overflow; an array of strings (the common case) is parsed once, without a reviver.
    if (overflows(sliceOf(rest, open))) return undefined;
    throw new LineParseError(NOT_STRING_ARRAY, open, rest.length);
  }
  const spans = stringSpans(rest, open + 1);
  const pieces: Piece[] = new Array(parsed.length);
  for (let i = 0; i < parsed.length; i++)
    pieces[i] = { value: toWellFormed(parsed[i]), start: spans[i], end: spans[i + parsed.length] };
  return pieces;
}

/**
 * The common case without JSON.parse: `rest` from `open` is an array of strings holding no escape, control character
 * or surrogate (so each value is its literal's text), with JSON white space only. Undefined when it is anything else
 * (then JSON.parse decides, including whether it is JSON at all).
 */
function plainStringArray(rest: string, open: number): Piece[] | undefined {
  const n = rest.length;
  const pieces: Piece[] = [];
  let i = skipJsonSpace(rest, open + 1);
  if (i < n && codeAt(rest, i) === 0x5d /* ] */) return skipJsonSpace(rest, i + 1) === n ? pieces : undefined;
  for (;;) {
    if (i >= n || codeAt(rest, i) !== 0x22 /* " */) return undefined;
    const start = i++;
    for (; ; i++) {
      if (i >= n) return undefined;
      const code = codeAt(rest, i);
      if (code === 0x22) break;
      if (code === 0x5c || code < 0x20 || (code >= 0xd800 && code <= 0xdfff)) return undefined;
    }
    i++;
    pieces.push({ value: sliceOf(rest, start + 1, i - 1), start, end: i });
    i = skipJsonSpace(rest, i);
    const code = i < n ? codeAt(rest, i) : -1;
    if (code === 0x2c /* , */) i = skipJsonSpace(rest, i + 1);
    else if (code === 0x5d) return skipJsonSpace(rest, i + 1) === n ? pieces : undefined;
    else return undefined;
  }
}

/** JSON's white space: space, tab, line feed, carriage return. */
function skipJsonSpace(text: string, from: number): number {
  let i = from;
  const length = text.length;
  while (i < length) {
    const code = codeAt(text, i);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) break;
    i++;
  }
  return i;
}

function allStrings(items: unknown[]): items is string[] {
  for (const item of items) if (typeof item !== 'string') return false;
  return true;
}

/** Whether valid JSON holds a number out of float64's range anywhere. */
function overflows(json: string): boolean {
  let overflow = false;
  JSON.parse(json, (_key, value) => {
    if (value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY) overflow = true;
    return value;
  });
  return overflow;
}

const SURROGATE = /[\ud800-\udfff]/;

/** Go's JSON decoder turns an unpaired surrogate escape (`\ud800`) into U+FFFD. */
function toWellFormed(text: string): string {
  if (!SURROGATE.test(text)) return text;
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Start indices then end indices of the string literals of a valid JSON array of strings whose `[` ends at `from`. */
function stringSpans(text: string, from: number): number[] {
  const starts: number[] = [];
  const ends: number[] = [];
  let i = from;
  const length = text.length;
  while (i < length) {
    const ch = codeAt(text, i);
    if (ch === 0x22) {
      starts.push(i);
      i++;
      while (codeAt(text, i) !== 0x22) i += codeAt(text, i) === 0x5c ? 2 : 1;
      ends.push(++i);
      continue;
    }
    if (ch === 0x5d) break;
    i++;
  }
  for (const end of ends) starts.push(end);
  return starts;
}
