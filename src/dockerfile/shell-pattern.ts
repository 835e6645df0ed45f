/**
 * The pattern half of BuildKit's `${v#p}`, `${v%p}`, `${v/p/r}` and `${v//p/r}` (shell/lex.go): shell wildcards
 * (`*`, `?`, escapes `\*` `\?` `\\`, no brackets) turned into a regular expression, and Go's `regexp` behaviour
 * where JavaScript's differs (`.` matches `\r` and U+2028; `ReplaceAllString` expands `$0`/`${name}` in the
 * replacement and never replaces the empty match right after a match).
 */
import { CodePointScanner, EOF } from './code-points.js';

/** A pattern BuildKit rejects; the message is BuildKit's (`invalid escape '\x'`). */
export class PatternError extends Error {}

/** Go regexp's `.`: any character but newline. */
const ANY = '[^\\n]';
const REGEX_SPECIAL = new Set(['[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$']);

/** BuildKit's convertShellPatternToRegex. `greedy` picks `*` → `.*` rather than `.*?`. */
export function shellPatternToRegex(pattern: string, greedy: boolean, anchored: boolean): RegExp {
  const scanner = new CodePointScanner(pattern);
  let out = anchored ? '^' : '';
  const star = greedy ? `${ANY}*` : `${ANY}*?`;
  for (let code = scanner.next(); code !== EOF; code = scanner.next()) {
    const char = String.fromCodePoint(code);
    if (char === '*') {
      out += star;
      continue;
    }
    if (char === '?') {
      out += ANY;
      continue;
    }
    if (char === '\\') {
      // `\}` and `\/` were only needed to get the character past ${…} parsing: the escape is dropped.
      const following = scanner.peek();
      if (following === 0x7d || following === 0x2f) continue;
      const escaped = scanner.next();
      if (escaped !== 0x2a && escaped !== 0x3f && escaped !== 0x5c) {
        throw new PatternError(`invalid escape '\\${escaped === EOF ? '\uFFFD' : String.fromCodePoint(escaped)}'`);
      }
      out += `\\${String.fromCodePoint(escaped)}`;
      continue;
    }
    out += REGEX_SPECIAL.has(char) ? `\\${char}` : char;
  }
  return new RegExp(out, 'gu');
}

/** `${value#pattern}` / `${value##pattern}`: remove the shortest (longest) matching prefix. */
export function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  const re = compile(pattern, greedy, true);
  const match = re.exec(value);
  return match ? value.slice(match.index + match[0].length) : value;
}

/**
 * `${value%pattern}` / `${value%%pattern}`: BuildKit reverses both pattern and value to turn the rightmost
 * search into a leftmost one (so an invalid pattern is reported reversed, as BuildKit does).
 */
export function trimSuffix(pattern: string, value: string, greedy: boolean): string {
  return reverseString(trimPrefix(reversePattern(pattern), reverseString(value), greedy));
}

/** `${value/pattern/replacement}`: the first match replaced literally. */
export function replaceFirst(pattern: string, value: string, replacement: string): string {
  const match = compile(pattern, true, false).exec(value);
  return match ? value.slice(0, match.index) + replacement + value.slice(match.index + match[0].length) : value;
}

/** `${value//pattern/replacement}`: Go `Regexp.ReplaceAllString`, template expansion included. */
export function replaceAll(pattern: string, value: string, replacement: string): string {
  const re = compile(pattern, true, false);
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= value.length) {
    re.lastIndex = searchPos;
    const match = re.exec(value);
    if (!match) break;
    const start = match.index;
    const end = start + match[0].length;
    out += value.slice(lastMatchEnd, start);
    // Go skips an empty match right after the previous match (except at the very start).
    if (end > lastMatchEnd || start === 0) out += expandTemplate(replacement, match[0]);
    lastMatchEnd = end;
    const width = searchPos < value.length ? (value.codePointAt(searchPos)! > 0xffff ? 2 : 1) : 0;
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos++;
    else searchPos = end;
  }
  return out + value.slice(lastMatchEnd);
}

function compile(pattern: string, greedy: boolean, anchored: boolean): RegExp {
  try {
    return shellPatternToRegex(pattern, greedy, anchored);
  } catch (error) {
    if (error instanceof PatternError) {
      throw new PatternError(`invalid pattern (${pattern}) in substitution: ${error.message}`);
    }
    throw error;
  }
}

/**
 * Go `Regexp.Expand` for a pattern without groups: `$$` → `$`, `$0`/`${0}` → the match, any other well-formed
 * `$name`/`${name}` → nothing, a malformed `$` stays literal.
 */
function expandTemplate(template: string, matched: string): string {
  let out = '';
  let rest = template;
  for (let dollar = rest.indexOf('$'); dollar >= 0; dollar = rest.indexOf('$')) {
    out += rest.slice(0, dollar);
    rest = rest.slice(dollar + 1);
    if (rest.startsWith('$')) {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const reference = /^(\{?)([\p{L}\p{Nd}_]+)/u.exec(rest);
    const braced = reference?.[1] === '{';
    if (!reference || (braced && rest[reference[0].length] !== '}')) {
      out += '$';
      continue;
    }
    rest = rest.slice(reference[0].length + (braced ? 1 : 0));
    if (reference[2] === '0') out += matched;
  }
  return out + rest;
}

/** Reverses a pattern by code point, keeping each escape before the character it escapes (`a\*c` → `c\*a`). */
export function reversePattern(pattern: string): string {
  const chars = Array.from(pattern);
  const out = new Array<string>(chars.length);
  const last = chars.length - 1;
  for (let i = 0; i <= last; ) {
    if (chars[i] === '\\' && i !== last) {
      out[last - i - 1] = chars[i];
      out[last - i] = chars[i + 1];
      i += 2;
    } else {
      out[last - i] = chars[i];
      i++;
    }
  }
  return out.join('');
}

export function reverseString(text: string): string {
  return Array.from(text).reverse().join('');
}
