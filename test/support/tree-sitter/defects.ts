/**
 * What tree-sitter-bash (the former shell parser, now the differential test's oracle) gets wrong without reporting
 * a syntax error, so the comparison can forgive exactly these and nothing else. Each is a defect by bash's own
 * reading, shown with a real bash in test/shell/parser-differential.test.ts:
 * - it splits a word after `$name/$` (`$A/$B/c` → `$A/$` + `B/c`): pieces that touch are one word to the shell;
 * - a redirect's target swallows the words after it (`echo >&2 "msg"` loses "msg"): they are arguments.
 * `mendSplitWords` mends the first in tree-sitter's tree; `swallowAfterRedirects` applies the second to the new
 * parser's tree, so that both sides can be deep-compared.
 */
import type { Word } from '../../../src/shell/ast.js';
import { unquote } from '../../../src/shell/words.js';

type Json = unknown;

function isWord(value: Json): value is Word {
  return typeof value === 'object' && value !== null && 'substitutions' in value && 'text' in value;
}

function joinWords(source: string, a: Word, b: Word): Word {
  const text = source.slice(a.start, b.end);
  const { value, quoted, glob, tilde } = unquote(text);
  return {
    start: a.start,
    end: b.end,
    text,
    value,
    quoted,
    glob,
    tilde,
    substitutions: [...a.substitutions, ...b.substitutions],
  };
}

/** Tree-sitter's tree with touching word pieces joined (in word lists, assignment values and redirect targets). */
export function mendSplitWords(value: Json, source: string): Json {
  if (Array.isArray(value)) {
    const out: Json[] = [];
    for (const item of value) {
      const mended = mendSplitWords(item, source);
      const previous = out[out.length - 1];
      if (isWord(previous) && isWord(mended) && previous.end === mended.start)
        out[out.length - 1] = joinWords(source, previous, mended);
      else out.push(mended);
    }
    return out;
  }
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, Json> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = key === 'source' ? item : mendSplitWords(item, source);
  if (copy.type === 'simple') mendSimple(copy, source);
  if ('op' in copy && isWord(copy.target)) mendTarget(copy, source);
  return copy;
}

/** `A=$B/$C cmd`: the value's second piece became the command name. */
function mendSimple(node: Record<string, Json>, source: string): void {
  const assignments = node.assignments as { end: number; value: Word | undefined }[];
  const words = node.words as Word[];
  const last = assignments[assignments.length - 1];
  if (last?.value && words.length > 0 && last.end === words[0].start) {
    last.value = joinWords(source, last.value, words[0]);
    last.end = last.value.end;
    words.shift();
  }
}

/** `>/opt/$A/$B/x`: the target's second piece went into the redirect's swallowed words. */
function mendTarget(redirect: Record<string, Json>, source: string): void {
  const target = redirect.target as Word;
  let end = target.end;
  while (end < (redirect.end as number) && !/\s/.test(source[end])) end++;
  if (end > target.end) redirect.target = joinWords(source, target, { ...target, start: target.end, end, substitutions: [] });
}

/** The new parser's tree as tree-sitter would have it: words after a command's trailing redirect go into it. */
export function swallowAfterRedirects(value: Json): Json {
  if (Array.isArray(value)) return value.map(swallowAfterRedirects);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, Json> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = key === 'source' ? item : swallowAfterRedirects(item);
  if (copy.type === 'simple') {
    const words = copy.words as Word[];
    const redirects = copy.redirects as { start: number; end: number }[];
    if (words.length > 1 && redirects.length > 0) {
      const kept = [words[0]];
      for (const word of words.slice(1)) {
        const before = redirects.filter((r) => r.start > words[0].start && r.end <= word.start);
        const last = before[before.length - 1];
        if (last) last.end = word.end;
        else kept.push(word);
      }
      copy.words = kept;
    }
  }
  return copy;
}
