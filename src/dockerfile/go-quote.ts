/**
 * Go's `strconv.Quote` (and so `fmt`'s `%q` for strings), reproduced exactly: BuildKit prints words and AST values
 * this way in errors and in its AST dump, and we must match those bytes.
 */
import { codeAt } from './code-units.js';

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

const SHORT_ESCAPES: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  12: '\\f',
  10: '\\n',
  13: '\\r',
  9: '\\t',
  11: '\\v',
};

/** `strconv.Quote(text)`: double-quoted, Go escapes for non-printable runes, other Unicode left raw. */
export function goQuote(text: string): string {
  if (isPlainAscii(text)) return `"${text}"`;
  let out = '"';
  for (const char of text) {
    out += quoteRune(char);
  }
  return `${out}"`;
}

/** Printable ASCII without `"` or `\`: Go quotes it as it is (the common case, without a walk per rune). */
function isPlainAscii(text: string): boolean {
  for (let i = 0, length = text.length; i < length; i++) {
    const code = codeAt(text, i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}

function quoteRune(char: string): string {
  let code = char.codePointAt(0)!;
  // A lone surrogate cannot come from UTF-8 text; Go would have decoded the bytes to U+FFFD.
  if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
  if (code === 0x22 || code === 0x5c) return `\\${char}`;
  if (code === 0x20 || (code > 0x7e && PRINTABLE.test(String.fromCodePoint(code)))) return String.fromCodePoint(code);
  if (code > 0x20 && code < 0x7f) return char;
  const short = SHORT_ESCAPES[code];
  if (short) return short;
  if (code < 0x20 || code === 0x7f) return `\\x${hex(code, 2)}`;
  if (code < 0x10000) return `\\u${hex(code, 4)}`;
  return `\\U${hex(code, 8)}`;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}
