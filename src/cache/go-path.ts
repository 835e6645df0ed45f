/**
 * Go's `path.Clean` and `path.Match` (identical to `filepath` on Unix), rewritten from the Go specification because
 * BuildKit and moby/patternmatcher lean on their exact behaviour: which patterns are syntax errors, how `[...]`,
 * `\` and `*` behave, and how `..` and `.` are cleaned. Strings are handled as code points (Go decodes runes).
 */

/** Thrown for a pattern Go rejects with `filepath.ErrBadPattern`. */
export class BadPatternError extends Error {
  override name = 'BadPatternError';
  constructor(readonly pattern: string) {
    super(`syntax error in pattern: ${JSON.stringify(pattern)}`);
  }
}

// Go `path.Clean` lives in the model (BuildKit's path rules need it there too); re-exported for the matchers here.
import { cleanPath } from '../model/paths.js';

export { cleanPath };

interface Chunk {
  star: boolean;
  chunk: string[];
}

function scanChunk(pattern: string[]): Chunk & { rest: string[] } {
  let start = 0;
  let star = false;
  while (start < pattern.length && pattern[start] === '*') {
    start++;
    star = true;
  }
  let inRange = false;
  let i = start;
  for (; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (i + 1 < pattern.length) i++;
    } else if (c === '[') inRange = true;
    else if (c === ']') inRange = false;
    else if (c === '*' && !inRange) break;
  }
  return { star, chunk: pattern.slice(start, i), rest: pattern.slice(i) };
}

/** One class bound (`getEsc`): returns the rune and the index after it; throws on Go's malformed cases. */
function classBound(chunk: string[], at: number, pattern: string): [string, number] {
  if (at >= chunk.length || chunk[at] === '-' || chunk[at] === ']') throw new BadPatternError(pattern);
  let i = at;
  if (chunk[i] === '\\') {
    i++;
    if (i >= chunk.length) throw new BadPatternError(pattern);
  }
  const r = chunk[i];
  if (r === '\uFFFD') throw new BadPatternError(pattern);
  i++;
  if (i >= chunk.length) throw new BadPatternError(pattern);
  return [r, i];
}

/** Go `matchChunk`: the rest of `s` after matching `chunk` at its start, or undefined; validates the whole chunk. */
function matchChunk(chunk: string[], s: string[], pattern: string): string[] | undefined {
  let failed = false;
  let si = 0;
  let ci = 0;
  while (ci < chunk.length) {
    if (!failed && si >= s.length) failed = true;
    const c = chunk[ci];
    if (c === '[') {
      let r = -1;
      if (!failed) r = s[si++].codePointAt(0) ?? -1;
      ci++;
      let negated = false;
      if (ci < chunk.length && chunk[ci] === '^') {
        negated = true;
        ci++;
      }
      let match = false;
      let ranges = 0;
      for (;;) {
        if (ci < chunk.length && chunk[ci] === ']' && ranges > 0) {
          ci++;
          break;
        }
        const [lo, afterLo] = classBound(chunk, ci, pattern);
        ci = afterLo;
        let hi = lo;
        if (chunk[ci] === '-') [hi, ci] = classBound(chunk, ci + 1, pattern);
        const loCode = lo.codePointAt(0) ?? 0;
        const hiCode = hi.codePointAt(0) ?? 0;
        if (loCode <= r && r <= hiCode) match = true;
        ranges++;
      }
      if (match === negated) failed = true;
    } else if (c === '?') {
      if (!failed) {
        if (s[si] === '/') failed = true;
        si++;
      }
      ci++;
    } else {
      if (c === '\\') {
        ci++;
        if (ci >= chunk.length) throw new BadPatternError(pattern);
      }
      if (!failed) {
        if (chunk[ci] !== s[si]) failed = true;
        si++;
      }
      ci++;
    }
  }
  return failed ? undefined : s.slice(si);
}

/** Go `path.Match`: whether `name` matches the shell pattern; throws BadPatternError exactly where Go errors. */
export function goMatch(pattern: string, name: string): boolean {
  let rest = Array.from(pattern);
  let s = Array.from(name);
  outer: while (rest.length > 0) {
    const { star, chunk, rest: after } = scanChunk(rest);
    rest = after;
    if (star && chunk.length === 0) return !s.includes('/');
    const t = matchChunk(chunk, s, pattern);
    if (t !== undefined && (t.length === 0 || rest.length > 0)) {
      s = t;
      continue;
    }
    if (star) {
      for (let i = 0; i < s.length && s[i] !== '/'; i++) {
        const t2 = matchChunk(chunk, s.slice(i + 1), pattern);
        if (t2 !== undefined) {
          if (rest.length === 0 && t2.length > 0) continue;
          s = t2;
          continue outer;
        }
      }
    }
    // Before answering "no", Go checks that the rest of the pattern is well-formed.
    while (rest.length > 0) {
      const next = scanChunk(rest);
      rest = next.rest;
      matchChunk(next.chunk, [], pattern);
    }
    return false;
  }
  return s.length === 0;
}

/** Whether a COPY source contains glob characters (BuildKit `containsWildcards`; `\` escapes the next byte). */
export function containsWildcards(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}
