/**
 * Here-document bodies: a `<<` operator only announces one; its body starts after the next newline of the script
 * and runs to the line that holds just the delimiter (after leading tabs, for `<<-`). Ranges follow what
 * tree-sitter-bash reported (the differential test holds both parsers to it): with `<<-`, the body starts after
 * the first line's tabs and ends where the closing delimiter's text starts.
 */
import type { Heredoc } from '../ast.js';
import { NEWLINE, TAB } from './chars.js';

/** A heredoc operator whose body has not been read yet. */
export interface PendingHeredoc {
  heredoc: Heredoc;
}

/** Where a body read ended: `closed` false when the script ended before the delimiter line. */
export interface BodyEnd {
  /** The index after the delimiter line's text (at its newline, or the end of the script). */
  next: number;
  closed: boolean;
}

/** Reads the body of `pending` starting at `from` (a line start) and fills in its range. */
export function readBody(src: string, limit: number, from: number, pending: PendingHeredoc): BodyEnd {
  const { heredoc } = pending;
  const strip = heredoc.stripTabs;
  let lineStart = from;
  while (lineStart < limit) {
    let lineEnd = src.indexOf('\n', lineStart);
    if (lineEnd < 0 || lineEnd > limit) lineEnd = limit;
    let text = lineStart;
    if (strip) while (text < lineEnd && src.charCodeAt(text) === TAB) text++;
    if (lineEnd - text === heredoc.delimiter.length && src.startsWith(heredoc.delimiter, text)) {
      setBody(src, heredoc, from, text, strip);
      return { next: lineEnd, closed: true };
    }
    lineStart = lineEnd + 1;
  }
  setBody(src, heredoc, from, limit, strip);
  return { next: limit, closed: false };
}

function setBody(src: string, heredoc: Heredoc, from: number, to: number, strip: boolean): void {
  let start = from;
  if (strip && to > from) {
    while (start < to && src.charCodeAt(start) === TAB) start++;
    if (start < to && src.charCodeAt(start) === NEWLINE) start = from; // a blank first line keeps its start
  }
  heredoc.body = { start, end: Math.max(start, to) };
}
