/**
 * Character classes of the shell lexer, on UTF-16 code units (`charCodeAt`): the parser never builds a string to
 * ask what a character is.
 */

export const TAB = 0x09;
export const NEWLINE = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;
export const BANG = 0x21;
export const DQUOTE = 0x22;
export const HASH = 0x23;
export const DOLLAR = 0x24;
export const AMP = 0x26;
export const SQUOTE = 0x27;
export const LPAREN = 0x28;
export const RPAREN = 0x29;
export const PLUS = 0x2b;
export const DASH = 0x2d;
export const SEMI = 0x3b;
export const LT = 0x3c;
export const EQUALS = 0x3d;
export const GT = 0x3e;
export const LBRACKET = 0x5b;
export const BACKSLASH = 0x5c;
export const RBRACKET = 0x5d;
export const BACKTICK = 0x60;
export const LBRACE = 0x7b;
export const PIPE = 0x7c;
export const RBRACE = 0x7d;

/** Space, tab or carriage return: separates words on a line (a newline is a token of its own). */
export function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === CR || c === 0x0b || c === 0x0c;
}

/** Characters that end an unquoted word: blanks, newline and the operator characters `| & ; ( ) < >`. */
export function isWordEnd(c: number): boolean {
  switch (c) {
    case SPACE:
    case TAB:
    case CR:
    case 0x0b:
    case 0x0c:
    case NEWLINE:
    case PIPE:
    case AMP:
    case SEMI:
    case LPAREN:
    case RPAREN:
    case LT:
    case GT:
      return true;
    default:
      return Number.isNaN(c); // past the end of the text
  }
}

/** How an unquoted word treats an ASCII character (`wordClass[c]`; every other character is `WORD_TEXT`). */
export const WORD_TEXT = 0;
/** Ends the word: see `isWordEnd`. */
export const WORD_END = 1;
/** Quotes, escapes, expands or globs: `\\ ' " $ \` * ? [`. */
export const WORD_SPECIAL = 2;

export const wordClass = new Uint8Array(128);
for (const c of [SPACE, TAB, CR, 0x0b, 0x0c, NEWLINE, PIPE, AMP, SEMI, LPAREN, RPAREN, LT, GT]) wordClass[c] = WORD_END;
for (const c of [BACKSLASH, SQUOTE, DQUOTE, DOLLAR, BACKTICK, 0x2a, 0x3f, LBRACKET]) wordClass[c] = WORD_SPECIAL;

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

export function isNameChar(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}

/**
 * The index of the last `code` in `text` (-1 if none): a loop on code units, which the shell analysis asks of nearly
 * every command name and rm operand (`/` for a basename, `.` for a file extension) instead of `lastIndexOf`.
 */
export function lastIndexOfCode(text: string, code: number): number {
  let i = text.length - 1;
  while (i >= 0 && text.charCodeAt(i) !== code) i--;
  return i;
}

export const SLASH = 0x2f;
export const DOT = 0x2e;
export const DIGIT_ZERO = 0x30;
export const DIGIT_NINE = 0x39;
