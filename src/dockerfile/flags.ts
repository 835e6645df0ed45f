/**
 * BuildKit's `extractBuilderFlags` (split_command.go): the leading words that start with `--` are builder flags.
 * Inside them `'`/`"` quotes are removed and escape+char becomes char; a bare `--` ends the flags. BuildKit walks
 * the UTF-8 bytes one at a time and writes each byte back as a rune, so non-ASCII text in a flag comes out as its
 * bytes read as Latin-1 (`é` → `Ã©`) and the bytes 0x85/0xA0 count as spaces; we reproduce that.
 */

import { codeAt } from './code-units.js';
import { isGoByteSpace, utf8View } from './go-text.js';

export interface FlagWord {
  /** The processed word, as BuildKit stores it in `Node.Flags`. */
  text: string;
  /** UTF-16 indices of the word as written in the input. */
  start: number;
  end: number;
}

export interface ExtractedFlags {
  flags: FlagWord[];
  /** UTF-16 index where the rest of the line (the arguments) begins. */
  restStart: number;
}

const IN_SPACES = 0;
const IN_WORD = 1;
const IN_QUOTE = 2;

export function extractFlags(line: string, escapeToken: string): ExtractedFlags {
  const escapeCode = codeAt(escapeToken, 0);
  // Characters are bytes until the first non-ASCII one; only then (rarely) is the UTF-8 view needed.
  const ascii = extract(
    line.length,
    (i) => codeAt(line, i),
    (i) => i,
    escapeCode,
    true,
  );
  if (ascii) return ascii;
  const view = utf8View(line);
  return extract(
    view.bytes.length,
    (i) => view.bytes[i],
    (i) => view.index[i],
    escapeCode,
    false,
  )!;
}

/** Undefined when `asciiOnly` and a non-ASCII character is met before the flags end. */
function extract(
  length: number,
  at: (i: number) => number,
  toIndex: (i: number) => number,
  escapeCode: number,
  asciiOnly: boolean,
): ExtractedFlags | undefined {
  const flags: FlagWord[] = [];
  let phase = IN_SPACES;
  let word = '';
  let wordStart = 0;
  let quote = 0;
  let blankOk = false;
  let ch = 0;
  const finish = (end: number) => flags.push({ text: word, start: toIndex(wordStart), end: toIndex(end) });

  for (let pos = 0; pos <= length; pos++) {
    if (pos !== length) ch = at(pos);
    if (asciiOnly && ch > 0x7f) return undefined;
    if (phase === IN_SPACES) {
      if (pos === length) break;
      if (isGoByteSpace(ch)) continue;
      if (ch !== 0x2d || pos + 1 === length || at(pos + 1) !== 0x2d) return { flags, restStart: toIndex(pos) };
      phase = IN_WORD;
      wordStart = pos;
    }
    if (pos === length) {
      if (word !== '--' && (blankOk || word.length > 0)) finish(pos);
      break;
    }
    if (phase === IN_WORD) {
      if (isGoByteSpace(ch)) {
        phase = IN_SPACES;
        if (word === '--') return { flags, restStart: toIndex(pos) };
        if (blankOk || word.length > 0) finish(pos);
        word = '';
        blankOk = false;
        continue;
      }
      if (ch === 0x27 || ch === 0x22) {
        quote = ch;
        blankOk = true;
        phase = IN_QUOTE;
        continue;
      }
      if (ch === escapeCode) {
        if (pos + 1 === length) continue;
        pos++;
        ch = at(pos);
        if (asciiOnly && ch > 0x7f) return undefined;
      }
      word += String.fromCharCode(ch);
      continue;
    }
    // IN_QUOTE
    if (ch === quote) {
      phase = IN_WORD;
      continue;
    }
    if (ch === escapeCode) {
      if (pos + 1 === length) {
        phase = IN_WORD;
        continue;
      }
      pos++;
      ch = at(pos);
      if (asciiOnly && ch > 0x7f) return undefined;
    }
    word += String.fromCharCode(ch);
  }
  return { flags, restStart: toIndex(length) };
}
