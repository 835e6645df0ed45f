/**
 * Go's text primitives that BuildKit's parser relies on, reproduced exactly: `unicode.IsSpace`, `strings.TrimSpace`,
 * the `[\t\v\f\r ]+` splitter, and the UTF-8 byte view that BuildKit's byte-wise loops see.
 */
import { codeAt } from './code-units.js';

/** Go `unicode.IsSpace` for one UTF-16 code unit (every space rune is in the BMP). Not JavaScript's `\s`. */
export function isGoSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** Go `unicode.IsSpace(rune(b))` for a single byte, as BuildKit's byte loops call it. */
export function isGoByteSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d) || byte === 0x85 || byte === 0xa0;
}

/** Index of the first non-space character at or after `from` (Go `TrimLeftFunc(s, unicode.IsSpace)`). */
export function skipSpaceForward(text: string, from: number, to = text.length): number {
  let i = from;
  while (i < to && isGoSpace(codeAt(text, i))) i++;
  return i;
}

/** Index just after the last non-space character before `to` (Go `TrimRightFunc`). */
export function skipSpaceBackward(text: string, to: number, from = 0): number {
  let i = to;
  while (i > from && isGoSpace(codeAt(text, i - 1))) i--;
  return i;
}

/** `[\t\v\f\r ]`: BuildKit's `reWhitespace` character class (ASCII only, no newline). */
export function isReWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0b || code === 0x0c || code === 0x0d;
}

/** True when every code unit is ASCII, so byte indices equal string indices. */
export function isAscii(text: string): boolean {
  for (let i = 0, length = text.length; i < length; i++) if (codeAt(text, i) > 0x7f) return false;
  return true;
}

/**
 * The UTF-8 bytes of `text` (lone surrogates become U+FFFD, as Go would have read them) and, for each byte, the
 * UTF-16 index of the character it belongs to (plus one entry for the end).
 */
export function utf8View(text: string): { bytes: Uint8Array; index: Int32Array } {
  const bytes: number[] = [];
  const index: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let code = codeAt(text, i);
    const at = i;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = codeAt(text, i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x80) {
      bytes.push(code);
      index.push(at);
    } else if (code < 0x800) {
      bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
      index.push(at, at);
    } else if (code < 0x10000) {
      bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
      index.push(at, at, at);
    } else {
      bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
      index.push(at, at, at, at);
    }
  }
  index.push(text.length);
  return { bytes: Uint8Array.from(bytes), index: Int32Array.from(index) };
}

/** Number of UTF-8 bytes `text.slice(from, to)` encodes to. */
export function utf8Length(text: string, from = 0, to = text.length): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const code = codeAt(text, i);
    if (code < 0x80) n += 1;
    else if (code < 0x800) n += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < to) {
      const low = codeAt(text, i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** Decodes UTF-8 bytes (invalid sequences become U+FFFD). */
export function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
