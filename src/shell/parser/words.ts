/**
 * Where a shell word ends, and the commands it runs: quotes, `$'…'`, `${…}`, `$((…))`, `$(…)`, backticks and
 * `<(…)` nest, and the bodies of substitutions are parsed as scripts on the way (so a `)` inside `case … )` or a
 * quoted string never closes them early). Index arithmetic on the source; the only objects made are the
 * substitutions found.
 */
import type { ListNode, Substitution, Word } from '../ast.js';
import { unquote } from '../words.js';
import {
  BACKSLASH,
  BACKTICK,
  DOLLAR,
  DQUOTE,
  GT,
  isDigit,
  isNameChar,
  isNameStart,
  isWordEnd,
  LBRACE,
  LBRACKET,
  LPAREN,
  LT,
  NEWLINE,
  RBRACE,
  RPAREN,
  SPACE,
  SQUOTE,
  TAB,
} from './chars.js';

/** What the word scanner needs from the parser: the text, and a way to parse the body of a substitution. */
export interface WordSource {
  readonly src: string;
  readonly limit: number;
  /** Parses the script inside `$(…)` / `<(…)` from `from` (after the `(`); returns its body and the `)`'s index. */
  parenBody(from: number): { body: ListNode; close: number };
  /** Parses the script between backticks (`from` after the opening one, `to` at the closing one). */
  backtickBody(from: number, to: number): ListNode;
  missing(at: number, text: string): void;
}

/**
 * Whether the last word `scanWord` read was plain: no quote, backslash, expansion or glob character, so that it is its
 * own value (most words are; `makeWord` then skips quote removal).
 */
let plain = true;

/** The end of the unquoted word starting at `pos` (which is not a word end), collecting substitutions into `subs`. */
export function scanWord(p: WordSource, pos: number, subs: Substitution[]): number {
  const { src, limit } = p;
  let i = pos;
  let isPlain = true; // a local: substitution bodies scan words of their own on the way
  while (i < limit) {
    const c = src.charCodeAt(i);
    if (c === BACKSLASH || c === SQUOTE || c === DQUOTE || c === DOLLAR || c === BACKTICK || isGlob(c)) isPlain = false;
    if (c === BACKSLASH) {
      if (src.charCodeAt(i + 1) === NEWLINE) break; // tree-sitter-bash ends a word at a line continuation
      i = Math.min(i + 2, limit);
    } else if (c === SQUOTE) i = scanSingle(p, i + 1);
    else if (c === DQUOTE) i = scanDouble(p, i + 1, subs);
    else if (c === DOLLAR) i = scanDollar(p, i, subs);
    else if (c === BACKTICK) i = scanBacktick(p, i, subs);
    else if ((c === LT || c === GT) && i === pos && src.charCodeAt(i + 1) === LPAREN) {
      isPlain = false;
      i = scanParen(p, i, subs, 'process-substitution');
    } else if (isWordEnd(c)) break;
    else i++;
  }
  plain = isPlain;
  return Math.min(i, limit);
}

/** After an opening `'`: the index after the closing one. */
function scanSingle(p: WordSource, from: number): number {
  const close = p.src.indexOf("'", from);
  if (close < 0 || close >= p.limit) {
    p.missing(p.limit, "'");
    return p.limit;
  }
  return close + 1;
}

/**
 * After an opening `"`: the index after the closing one. A substitution preceded only by blanks since the opening
 * quote or the previous expansion starts at those blanks (tree-sitter-bash's string content never starts with one,
 * so it gave them to the substitution; the ranges are kept identical).
 */
export function scanDouble(p: WordSource, from: number, subs: Substitution[]): number {
  const { src, limit } = p;
  let i = from;
  let blanksFrom = from;
  while (i < limit) {
    const c = src.charCodeAt(i);
    if (c === DQUOTE) return i + 1;
    if (c === BACKSLASH) {
      i += 2;
      blanksFrom = -1;
    } else if (c === DOLLAR || c === BACKTICK) {
      const count = subs.length;
      const start = i;
      i = c === DOLLAR ? scanDollar(p, i, subs, true) : scanBacktick(p, i, subs);
      if (subs.length > count && blanksFrom >= 0) subs[count].start = blanksFrom;
      blanksFrom = i - start > 1 ? i : -1; // a lone `$` is text
    } else {
      if (blanksFrom >= 0 && c !== SPACE && c !== TAB && c !== NEWLINE) blanksFrom = -1;
      i++;
    }
  }
  p.missing(limit, '"');
  return limit;
}

/** `*`, `?`, `[`: an unquoted one makes the word a pattern. */
function isGlob(c: number): boolean {
  return c === 0x2a || c === 0x3f || c === LBRACKET;
}

/** `$@ $* $# $? $- $$ $!`: one-character parameter names. */
const specialParameters = [0x40, 0x2a, 0x23, 0x3f, 0x2d, 0x24, 0x21];

/** At a `$`: the end of the expansion it starts (just past the `$` when it starts none); `$'` and `$"` quote only outside "…". */
function scanDollar(p: WordSource, at: number, subs: Substitution[], inDouble = false): number {
  const { src } = p;
  const next = src.charCodeAt(at + 1);
  if (next === LPAREN) {
    if (src.charCodeAt(at + 2) === LPAREN) return scanArithmetic(p, at + 3, subs);
    return scanParen(p, at, subs, 'command-substitution');
  }
  if (next === LBRACE) return scanBraced(p, at + 2, subs);
  if (isNameStart(next)) {
    let i = at + 2;
    while (isNameChar(src.charCodeAt(i))) i++;
    return i;
  }
  if (isDigit(next) || specialParameters.includes(next)) return at + 2;
  if (inDouble) return at + 1;
  if (next === SQUOTE) return scanAnsiC(p, at + 2);
  if (next === DQUOTE) return scanDouble(p, at + 2, subs);
  return at + 1;
}

/** `$'…'` after its opening quote: backslash escapes, no expansion. */
function scanAnsiC(p: WordSource, from: number): number {
  const { src, limit } = p;
  for (let i = from; i < limit; i++) {
    const c = src.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === SQUOTE) return i + 1;
  }
  p.missing(limit, "'");
  return limit;
}

/**
 * Inside `${…}` or `$((…))`: steps over the escape, quote or expansion starting at `i` (character `c`) and returns
 * the index after it; -1 when `c` starts none.
 */
function skipNested(p: WordSource, i: number, c: number, subs: Substitution[]): number {
  if (c === BACKSLASH) return i + 2;
  if (c === SQUOTE) return scanSingle(p, i + 1);
  if (c === DQUOTE) return scanDouble(p, i + 1, subs);
  if (c === DOLLAR) return scanDollar(p, i, subs);
  if (c === BACKTICK) return scanBacktick(p, i, subs);
  return -1;
}

/** `${…}` after its opening brace: the index after the matching `}`. */
function scanBraced(p: WordSource, from: number, subs: Substitution[]): number {
  const { src, limit } = p;
  let i = from;
  while (i < limit) {
    const c = src.charCodeAt(i);
    if (c === RBRACE) return i + 1;
    const next = skipNested(p, i, c, subs);
    i = next < 0 ? i + 1 : next;
  }
  p.missing(limit, '}');
  return limit;
}

/** `$((…))` after its two opening parentheses: the index after the closing `))`. */
function scanArithmetic(p: WordSource, from: number, subs: Substitution[]): number {
  const { src, limit } = p;
  let depth = 0;
  let i = from;
  while (i < limit) {
    const c = src.charCodeAt(i);
    if (c === RPAREN && depth === 0 && src.charCodeAt(i + 1) === RPAREN) return i + 2;
    if (c === LPAREN) depth++;
    else if (c === RPAREN) depth--;
    const next = skipNested(p, i, c, subs);
    i = next < 0 ? i + 1 : next;
  }
  p.missing(limit, '))');
  return limit;
}

/** Arithmetic text after `((` (the command form): the index of the closing `))`, or the limit. */
export function arithmeticClose(p: WordSource, from: number): number {
  const end = scanArithmetic(p, from, []);
  return end >= p.limit && p.src.charCodeAt(end - 1) !== RPAREN ? end : end - 2;
}

/** `$(…)`, `<(…)` or `>(…)` at `at`: records the substitution, returns the index after its `)`. */
function scanParen(p: WordSource, at: number, subs: Substitution[], kind: Substitution['kind']): number {
  const { body, close } = p.parenBody(at + 2);
  const end = close < p.limit ? close + 1 : close;
  subs.push({ kind, start: at, end, body });
  return end;
}

/** A backtick substitution at `at`: records it, returns the index after the closing backtick. */
function scanBacktick(p: WordSource, at: number, subs: Substitution[]): number {
  const { src, limit } = p;
  let close = at + 1;
  while (close < limit && src.charCodeAt(close) !== BACKTICK) close += src.charCodeAt(close) === BACKSLASH ? 2 : 1;
  if (close >= limit) {
    p.missing(limit, '`');
    close = limit;
  }
  const body = p.backtickBody(at + 1, close);
  const end = Math.min(close + 1, limit);
  subs.push({ kind: 'command-substitution', start: at, end, body });
  return end;
}

/** The Word for source[start, end) with the substitutions found in it; `scanned` when `scanWord` just read it. */
export function makeWord(src: string, start: number, end: number, substitutions: Substitution[], scanned = false): Word {
  const text = src.slice(start, end);
  if (scanned && plain) {
    const tilde = src.charCodeAt(start) === 0x7e;
    return { start, end, text, value: text, quoted: false, glob: false, tilde, substitutions };
  }
  const unquoted = unquote(text);
  return {
    start,
    end,
    text,
    value: unquoted.value,
    quoted: unquoted.quoted,
    glob: unquoted.glob,
    tilde: unquoted.tilde,
    substitutions,
  };
}
