/**
 * String reads for the parser's loops, each through one call site. V8 caches a property read such as
 * `text.charCodeAt` or `text.slice` per map of the receiver, and strings come in many maps: flat, sliced, joined
 * (cons) and internalised, each one-byte or two-byte. A parser function sees more than four of them (slices of a file,
 * continuation lines joined, files with non-ASCII text), so each such read became a generic lookup
 * (`LoadIC_Megamorphic`, 12 % of parse time under `perf`) and a character loop 3–4x slower (measured). Calling the
 * one String.prototype function through `call` caches that function instead, whatever the string's map. A loop
 * condition reads `length` once, into a local, for the same reason.
 */

const { charCodeAt, codePointAt, slice, startsWith, endsWith, indexOf, includes } = String.prototype;

/**
 * `text.charCodeAt(index)` for an index inside the text (0 <= index < length). Reading past the end would give NaN
 * but deoptimise this one shared call site, and V8 then calls the builtin from it for good, everywhere: the parser
 * was 2x slower after the first such read (micro-bench). Callers check the length first.
 */
export function codeAt(text: string, index: number): number {
  return charCodeAt.call(text, index);
}

/** `text.codePointAt(index)`. */
export function codePointIn(text: string, index: number): number | undefined {
  return codePointAt.call(text, index);
}

/** `text.slice(from, to)`. */
export function sliceOf(text: string, from: number, to?: number): string {
  return slice.call(text, from, to);
}

/** `text.startsWith(search, at)`. */
export function startsWithAt(text: string, search: string, at?: number): boolean {
  return startsWith.call(text, search, at);
}

/** `text.endsWith(search)`. */
export function endsWithText(text: string, search: string): boolean {
  return endsWith.call(text, search);
}

/** `text.includes(search)`. */
export function includesText(text: string, search: string): boolean {
  return includes.call(text, search);
}

/** `text.indexOf(search, from)`. */
export function indexIn(text: string, search: string, from?: number): number {
  return indexOf.call(text, search, from);
}
