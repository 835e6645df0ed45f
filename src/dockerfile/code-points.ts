/**
 * Go's `text/scanner` as BuildKit's shell lexer uses it (only `Peek` and `Next`): one code point at a time, a
 * byte-order mark at the very start skipped, and anything that is not a character (here: a lone surrogate, which is
 * what invalid UTF-8 became when the text was decoded) read as U+FFFD.
 */
import { codeAt, codePointIn } from './code-units.js';

export const EOF = -1;

export class CodePointScanner {
  private position: number;
  private readonly length: number;

  constructor(private readonly text: string) {
    this.length = text.length;
    this.position = this.length > 0 && codeAt(text, 0) === 0xfeff ? 1 : 0;
  }

  /** The next code point without consuming it, or EOF. */
  peek(): number {
    if (this.position >= this.length) return EOF;
    const code = codePointIn(this.text, this.position)!;
    return code >= 0xd800 && code <= 0xdfff ? 0xfffd : code;
  }

  /** Consumes and returns the next code point, or EOF. */
  next(): number {
    if (this.position >= this.length) return EOF;
    const code = codePointIn(this.text, this.position)!;
    this.position += code > 0xffff ? 2 : 1;
    return code >= 0xd800 && code <= 0xdfff ? 0xfffd : code;
  }
}

/** Go `unicode.IsSpace`. */
export function isSpace(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return WHITE_SPACE.test(String.fromCodePoint(code));
}

/** Go `unicode.IsLetter`. */
export function isLetter(code: number): boolean {
  if (code < 0x80) return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
  return LETTER.test(String.fromCodePoint(code));
}

/** Go `unicode.IsDigit` (decimal digits of every script). */
export function isDigit(code: number): boolean {
  return code >= 0x30 && (code <= 0x39 || (code > 0x7f && DIGIT.test(String.fromCodePoint(code))));
}

const WHITE_SPACE = /^\p{White_Space}$/u;
const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;
