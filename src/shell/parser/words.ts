/**
 * Where a shell word ends, and the commands it runs: quotes, `$'…'`, `${…}`, `$((…))`, `$(…)`, backticks and
 * `<(…)` nest, and the bodies of substitutions are parsed as scripts on the way (so a `)` inside `case … )` or a
 * quoted string never closes them early). Index arithmetic on the source; the only objects made are the
 * substitutions found.
 */
import type { ListNode, Substitution, Word } from '../ast.js';
import { removeQuotesIn, type Unquoted, unquote } from '../words.js';
import {
  BACKSLASH,
  BACKTICK,
  DOLLAR,
  DQUOTE,
  GT,
  isDigit,
  isNameChar,
  isNameStart,
  LBRACE,
  LPAREN,
  LT,
  NEWLINE,
  RBRACE,
  RPAREN,
  SPACE,
  SQUOTE,
  TAB,
  WORD_END,
  WORD_TEXT,
  wordClass,
} from './chars.js';
import { none, Scratch } from './scratch.js';

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

/** The substitutions found in the words being scanned (a word inside `$(…)` is scanned while the word around it is). */
const found = new Scratch<Substitution>();

/**
 * Whether the last word `scanWord` read was plain: no quote, backslash, expansion or glob character, so that it is its
 * own value (most words are; `readWord` then skips quote removal).
 */
let plain = true;

/**
 * Where the last word `scanWord` read has its first expansion (`$x`, `${…}`, `$(…)`, `$((…))`, a backtick), outside
 * single quotes; -1 for none. Quote removal stops there (the word's value is dynamic), so only the text before it
 * is unquoted: the flags it reports are those of that prefix.
 */
let expansionAt = -1;

/** Set by `scanDouble` as it returns: the first expansion inside that "…", or -1. */
let doubleExpansionAt = -1;

/** The unquoted word starting at `pos` (which is not a word end), with the commands it runs. */
export function readWord(p: WordSource, pos: number): Word {
  const mark = found.top;
  const end = scanWord(p, pos);
  const substitutions = found.top === mark ? none : found.take(mark);
  const { src } = p;
  const text = src.slice(pos, end);
  if (plain) {
    const tilde = src.charCodeAt(pos) === 0x7e;
    return { start: pos, end, text, value: text, quoted: false, glob: false, tilde, substitutions };
  }
  if (expansionAt < 0) return unquotedWord(pos, end, text, removeQuotesIn(src, pos, end), substitutions);
  const prefix = removeQuotesIn(src, pos, expansionAt);
  return {
    start: pos,
    end,
    text,
    value: undefined,
    quoted: prefix.quoted,
    glob: prefix.glob,
    tilde: prefix.tilde,
    substitutions,
  };
}

/** The end of the unquoted word starting at `pos`, pushing the substitutions in it on `found`. */
function scanWord(p: WordSource, pos: number): number {
  const { src, limit } = p;
  let i = pos;
  let isPlain = true; // locals: substitution bodies scan words of their own on the way
  let firstExpansion = -1;
  while (i < limit) {
    const c = src.charCodeAt(i);
    const kind = c < 128 ? wordClass[c] : WORD_TEXT;
    if (kind === WORD_TEXT) i++;
    else if (kind === WORD_END) {
      if ((c !== LT && c !== GT) || i !== pos || src.charCodeAt(i + 1) !== LPAREN) break;
      isPlain = false;
      i = scanParen(p, i, 'process-substitution');
    } else {
      isPlain = false;
      if (c === BACKSLASH) {
        if (src.charCodeAt(i + 1) === NEWLINE) break; // tree-sitter-bash ends a word at a line continuation
        i = Math.min(i + 2, limit);
      } else if (c === SQUOTE) i = scanSingle(p, i + 1);
      else if (c === DQUOTE) {
        i = scanDouble(p, i + 1);
        if (firstExpansion < 0) firstExpansion = doubleExpansionAt;
      } else if (c === DOLLAR) {
        const next = src.charCodeAt(i + 1);
        const at = i;
        i = scanDollar(p, i);
        if (firstExpansion >= 0 || next === SQUOTE) continue; // `$'…'` quotes
        if (next === DQUOTE) firstExpansion = doubleExpansionAt;
        else if (i - at > 1) firstExpansion = at; // more than a lone `$`
      } else if (c === BACKTICK) {
        if (firstExpansion < 0) firstExpansion = i;
        i = scanBacktick(p, i);
      } else i++; // a glob character
    }
  }
  plain = isPlain;
  expansionAt = firstExpansion;
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
function scanDouble(p: WordSource, from: number): number {
  const { src, limit } = p;
  let i = from;
  let blanksFrom = from;
  let firstExpansion = -1;
  while (i < limit) {
    const c = src.charCodeAt(i);
    if (c === DQUOTE) {
      doubleExpansionAt = firstExpansion;
      return i + 1;
    }
    if (c === BACKSLASH) {
      i += 2;
      blanksFrom = -1;
    } else if (c === DOLLAR || c === BACKTICK) {
      const count = found.top;
      const start = i;
      i = c === DOLLAR ? scanDollar(p, i, true) : scanBacktick(p, i);
      if (found.top > count && blanksFrom >= 0) found.get(count).start = blanksFrom;
      blanksFrom = i - start > 1 ? i : -1; // a lone `$` is text
      if (firstExpansion < 0 && (c === BACKTICK || i - start > 1)) firstExpansion = start;
    } else {
      if (blanksFrom >= 0 && c !== SPACE && c !== TAB && c !== NEWLINE) blanksFrom = -1;
      i++;
    }
  }
  p.missing(limit, '"');
  doubleExpansionAt = firstExpansion;
  return limit;
}

/** `$@ $* $# $? $- $$ $!`: one-character parameter names. */
const specialParameters = [0x40, 0x2a, 0x23, 0x3f, 0x2d, 0x24, 0x21];

/** At a `$`: the end of the expansion it starts (just past the `$` when it starts none); `$'` and `$"` quote only outside "…". */
function scanDollar(p: WordSource, at: number, inDouble = false): number {
  const { src } = p;
  const next = src.charCodeAt(at + 1);
  if (next === LPAREN) {
    if (src.charCodeAt(at + 2) === LPAREN) return scanArithmetic(p, at + 3);
    return scanParen(p, at, 'command-substitution');
  }
  if (next === LBRACE) return scanBraced(p, at + 2);
  if (isNameStart(next)) {
    let i = at + 2;
    while (isNameChar(src.charCodeAt(i))) i++;
    return i;
  }
  if (isDigit(next) || specialParameters.includes(next)) return at + 2;
  if (inDouble) return at + 1;
  if (next === SQUOTE) return scanAnsiC(p, at + 2);
  if (next === DQUOTE) return scanDouble(p, at + 2);
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
function skipNested(p: WordSource, i: number, c: number): number {
  if (c === BACKSLASH) return i + 2;
  if (c === SQUOTE) return scanSingle(p, i + 1);
  if (c === DQUOTE) return scanDouble(p, i + 1);
  if (c === DOLLAR) return scanDollar(p, i);
  if (c === BACKTICK) return scanBacktick(p, i);
  return -1;
}

/** `${…}` after its opening brace: the index after the matching `}`. */
function scanBraced(p: WordSource, from: number): number {
  const { src, limit } = p;
  let i = from;
  while (i < limit) {
    const c = src.charCodeAt(i);
    if (c === RBRACE) return i + 1;
    const next = skipNested(p, i, c);
    i = next < 0 ? i + 1 : next;
  }
  p.missing(limit, '}');
  return limit;
}

/** `$((…))` after its two opening parentheses: the index after the closing `))`. */
function scanArithmetic(p: WordSource, from: number): number {
  const { src, limit } = p;
  let depth = 0;
  let i = from;
  while (i < limit) {
    const c = src.charCodeAt(i);
    if (c === RPAREN && depth === 0 && src.charCodeAt(i + 1) === RPAREN) return i + 2;
    if (c === LPAREN) depth++;
    else if (c === RPAREN) depth--;
    const next = skipNested(p, i, c);
    i = next < 0 ? i + 1 : next;
  }
  p.missing(limit, '))');
  return limit;
}

/** Arithmetic text after `((` (the command form): the index of the closing `))`, or the limit. */
export function arithmeticClose(p: WordSource, from: number): number {
  const mark = found.top;
  const end = scanArithmetic(p, from);
  found.top = mark; // the command form's substitutions are not kept
  return end >= p.limit && p.src.charCodeAt(end - 1) !== RPAREN ? end : end - 2;
}

/** `$(…)`, `<(…)` or `>(…)` at `at`: records the substitution, returns the index after its `)`. */
function scanParen(p: WordSource, at: number, kind: Substitution['kind']): number {
  const { body, close } = p.parenBody(at + 2);
  const end = close < p.limit ? close + 1 : close;
  found.push({ kind, start: at, end, body });
  return end;
}

/** A backtick substitution at `at`: records it, returns the index after the closing backtick. */
function scanBacktick(p: WordSource, at: number): number {
  const { src, limit } = p;
  let close = at + 1;
  while (close < limit && src.charCodeAt(close) !== BACKTICK) close += src.charCodeAt(close) === BACKSLASH ? 2 : 1;
  if (close >= limit) {
    p.missing(limit, '`');
    close = limit;
  }
  const body = p.backtickBody(at + 1, close);
  const end = Math.min(close + 1, limit);
  found.push({ kind: 'command-substitution', start: at, end, body });
  return end;
}

/** The Word for source[start, end), read by another route than `readWord` (test brackets, `name=(…)` words). */
export function makeWord(src: string, start: number, end: number, substitutions: Substitution[]): Word {
  const text = src.slice(start, end);
  return unquotedWord(start, end, text, unquote(text), substitutions);
}

function unquotedWord(start: number, end: number, text: string, unquoted: Unquoted, substitutions: Substitution[]): Word {
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
