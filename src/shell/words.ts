/**
 * Quote removal for one shell word, from its source text: what the shell would pass as the argument when the word
 * holds no expansion. Done on the text rather than on tree-sitter's sub-nodes so every word kind (plain, quoted,
 * concatenated, `$'…'`) goes through one exact set of POSIX rules.
 */

import { BACKSLASH, BACKTICK, DOLLAR, DQUOTE, NEWLINE, SQUOTE, WORD_SPECIAL, wordClass } from './parser/chars.js';

export interface Unquoted {
  value: string | undefined;
  quoted: boolean;
  glob: boolean;
  tilde: boolean;
}

/** Whether the character after a `$` starts an expansion (`$x`, `${…}`, `$(…)`, `$1`, `$@`, `$?`, …). */
function isExpansionStart(c: number): boolean {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) return true;
  switch (c) {
    case 0x5f: // _
    case 0x7b: // {
    case 0x28: // (
    case 0x40: // @
    case 0x2a: // *
    case 0x23: // #
    case 0x3f: // ?
    case 0x24: // $
    case 0x21: // !
    case 0x2d: // -
      return true;
    default:
      return false;
  }
}

/** Characters a backslash escapes inside double quotes (`$ \` " \\`); before any other character the backslash stays. */
function isDoubleQuoteEscape(c: number): boolean {
  return c === DOLLAR || c === BACKTICK || c === DQUOTE || c === BACKSLASH;
}

/** Whether quote removal does anything: without these characters a word is its own value (most words are). */
function isSpecial(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && wordClass[c] === WORD_SPECIAL) return true;
  }
  return false;
}

export function unquote(text: string): Unquoted {
  if (!isSpecial(text)) return { value: text, quoted: false, glob: false, tilde: text.charCodeAt(0) === 0x7e };
  return removeQuotes(text);
}

/**
 * Quote removal proper, for a word known to hold a quote, escape, `$`, backtick or glob character. The value is
 * built from slices of the unquoted runs between them (not character by character: short strings are copied on
 * every `+=`).
 */
export function removeQuotes(text: string): Unquoted {
  return removeQuotesIn(text, 0, text.length);
}

/**
 * `removeQuotes(src.slice(from, to))`, read in place: the parser's words are ranges of its flat copy of the script,
 * which V8 reads faster than a slice of it (a slice is read through the string it points into).
 */
export function removeQuotesIn(src: string, from: number, to: number): Unquoted {
  let value = '';
  let quoted = false;
  let glob = false;
  const tilde = from < to && src.charCodeAt(from) === 0x7e;
  let run = from; // start of the literal text not yet added to `value`
  let i = from;
  while (i < to) {
    const c = src.charCodeAt(i);
    const next = i + 1 < to ? src.charCodeAt(i + 1) : Number.NaN;
    if (c === BACKSLASH) {
      value += src.slice(run, i);
      if (next !== NEWLINE) quoted = true;
      run = next === NEWLINE ? i + 2 : i + 1; // the escaped character starts the next run
      i += 2;
    } else if (c === SQUOTE) {
      quoted = true;
      const close = src.indexOf("'", i + 1);
      const stop = close < 0 || close >= to ? to : close;
      value += src.slice(run, i) + src.slice(i + 1, stop);
      i = stop + 1;
      run = i;
    } else if (c === DOLLAR && next === SQUOTE) {
      quoted = true;
      const decoded = decodeAnsiC(src, i + 2, to);
      value += src.slice(run, i) + decoded.value;
      i = decoded.next;
      run = i;
    } else if (c === DOLLAR && next === DQUOTE) {
      value += src.slice(run, i); // bash's locale-translated string: the same rules as "…"
      i += 1;
      run = i;
    } else if (c === DQUOTE) {
      quoted = true;
      value += src.slice(run, i);
      i += 1;
      run = i;
      while (i < to) {
        const d = src.charCodeAt(i);
        if (d === DQUOTE) break;
        const after = i + 1 < to ? src.charCodeAt(i + 1) : Number.NaN;
        if (d === BACKSLASH && (after === NEWLINE || isDoubleQuoteEscape(after))) {
          value += src.slice(run, i);
          run = after === NEWLINE ? i + 2 : i + 1;
          i += 2;
        } else if (d === BACKTICK || (d === DOLLAR && isExpansionStart(after))) {
          return { value: undefined, quoted, glob, tilde };
        } else i += 1;
      }
      value += src.slice(run, Math.min(i, to));
      i += 1;
      run = i;
    } else if (c === BACKTICK || (c === DOLLAR && isExpansionStart(next))) {
      return { value: undefined, quoted, glob, tilde };
    } else {
      if (c === 0x2a || c === 0x3f || c === 0x5b) glob = true; // * ? [
      i += 1;
    }
  }
  if (run < to) value += src.slice(run, to);
  return { value, quoted, glob, tilde };
}

const simpleEscapes: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** Decodes bash's `$'…'` body from `from` (after the opening quote) up to `to`; returns the value and the index after `'`. */
function decodeAnsiC(text: string, from: number, to: number): { value: string; next: number } {
  let value = '';
  let i = from;
  while (i < to && text[i] !== "'") {
    if (text[i] !== '\\') {
      value += text[i++];
      continue;
    }
    const e = i + 1 < to ? text[i + 1] : '';
    if (e in simpleEscapes) {
      value += simpleEscapes[e];
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const max = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const digits = /^[0-9a-fA-F]+/.exec(text.slice(i + 2, Math.min(i + 2 + max, to)))?.[0] ?? '';
      value += digits ? String.fromCodePoint(Number.parseInt(digits, 16)) : `\\${e}`;
      i += 2 + digits.length;
    } else if (/[0-7]/.test(e)) {
      const digits = /^[0-7]{1,3}/.exec(text.slice(i + 1, to))![0];
      value += String.fromCharCode(Number.parseInt(digits, 8));
      i += 1 + digits.length;
    } else {
      value += `\\${e}`;
      i += 2;
    }
  }
  return { value, next: i + 1 };
}
