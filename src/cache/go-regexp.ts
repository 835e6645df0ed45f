/**
 * Translates the Go regexp (RE2) text that moby/patternmatcher builds from a .dockerignore pattern into an equivalent
 * JavaScript RegExp. patternmatcher hands user text to Go's regexp parser almost verbatim (only `.+()|{}$` are
 * escaped), so a pattern such as `[[:digit:]]`, `\d` or `\x41` means what RE2 says it means; this module gives those
 * the RE2 meaning instead of JavaScript's. Unsupported RE2 features (`\p`, `\Q…\E`) are reported as errors.
 */

export class GoRegexpError extends Error {
  override name = 'GoRegexpError';
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** RE2's Perl classes (ASCII-only; `\s` excludes `\v`, unlike JavaScript's). */
const PERL_CLASSES: Record<string, string> = {
  d: '0-9',
  s: '\\t\\n\\f\\r ',
  w: '0-9A-Za-z_',
};

const CONTROL_ESCAPES: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };

/** A code point as JavaScript regexp source that means exactly that character, inside or outside a class. */
function literal(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

const isAsciiAlnum = (c: string) => /^[0-9A-Za-z]$/.test(c);
const isOctal = (c: string | undefined) => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

/**
 * Reads the escape at chars[i] (the character after `\`) that stands for one character; returns [codePoint, next].
 * Mirrors RE2 `parseEscape`.
 */
function escapedChar(chars: string[], i: number): [number, number] {
  const c = chars[i];
  if (c === undefined) throw new GoRegexpError('trailing backslash at end of expression');
  const cp = c.codePointAt(0) ?? 0;
  if (cp < 0x80 && !isAsciiAlnum(c)) return [cp, i + 1];
  if (c in CONTROL_ESCAPES) return [CONTROL_ESCAPES[c], i + 1];
  if (c === '0' || (c >= '1' && c <= '7' && isOctal(chars[i + 1]))) {
    let value = cp - 48;
    let j = i + 1;
    for (let n = 1; n < 3 && isOctal(chars[j]); n++, j++) value = value * 8 + (chars[j].codePointAt(0) ?? 48) - 48;
    return [value, j];
  }
  if (c === 'x' && isHex(chars[i + 1]) && isHex(chars[i + 2])) return [Number.parseInt(chars[i + 1] + chars[i + 2], 16), i + 3];
  throw new GoRegexpError(`invalid escape sequence: \\${c}`);
}

/** A Perl class escape (`\d \D \s \S \w \W`) at chars[i], as [ranges, negated], or undefined. */
function perlClass(c: string | undefined): [string, boolean] | undefined {
  if (c === undefined) return undefined;
  const lower = c.toLowerCase();
  if (!(lower in PERL_CLASSES)) return undefined;
  return [PERL_CLASSES[lower], c !== lower];
}

/** Parses a bracket class starting after `[`; returns [JS source, next index]. */
function translateClass(chars: string[], start: number): [string, number] {
  let i = start;
  let negated = false;
  if (chars[i] === '^') {
    negated = true;
    i++;
  }
  const items: string[] = [];
  const negatedItems: string[] = [];
  let first = true;
  for (;;) {
    const c = chars[i];
    if (c === undefined) throw new GoRegexpError('missing closing ]');
    if (c === ']' && !first) {
      i++;
      break;
    }
    first = false;
    if (c === '[' && chars[i + 1] === ':') {
      const end = chars.indexOf(':', i + 2);
      if (end > 0 && chars[end + 1] === ']') {
        let name = chars.slice(i + 2, end).join('');
        const neg = name.startsWith('^');
        if (neg) name = name.slice(1);
        const ranges = POSIX_CLASSES[name];
        if (ranges === undefined) throw new GoRegexpError(`invalid character class range: [:${name}:]`);
        (neg ? negatedItems : items).push(ranges);
        i = end + 2;
        continue;
      }
    }
    if (c === '\\') {
      if (chars[i + 1] === 'p' || chars[i + 1] === 'P' || chars[i + 1] === 'Q') {
        throw new GoRegexpError(`unsupported escape \\${chars[i + 1]}`);
      }
      const perl = perlClass(chars[i + 1]);
      if (perl) {
        (perl[1] ? negatedItems : items).push(perl[0]);
        i += 2;
        continue;
      }
    }
    const [lo, afterLo] = c === '\\' ? escapedChar(chars, i + 1) : [c.codePointAt(0) ?? 0, i + 1];
    i = afterLo;
    if (chars[i] === '-' && chars[i + 1] !== ']' && chars[i + 1] !== undefined) {
      const [hi, afterHi] = chars[i + 1] === '\\' ? escapedChar(chars, i + 2) : [chars[i + 1].codePointAt(0) ?? 0, i + 2];
      if (hi < lo) throw new GoRegexpError('invalid character class range');
      items.push(`${literal(lo)}-${literal(hi)}`);
      i = afterHi;
    } else items.push(literal(lo));
  }
  // RE2 unions plain and negated members; JavaScript cannot nest, so a negated member becomes an alternative.
  const plain = items.length ? `[${negated ? '^' : ''}${items.join('')}]` : negated ? '[^]' : '[]';
  if (negatedItems.length === 0) return [plain, i];
  const alternatives = [items.length || negated ? plain : '', ...negatedItems.map((r) => `[^${r}]`)].filter(Boolean);
  if (negated) {
    // [^a[:^digit:]] = not (a or non-digit) = a digit that is not a.
    const positives = negatedItems.map((r) => `(?=[${r}])`).join('');
    return [`(?:${positives}${items.length ? `[^${items.join('')}]` : '[^]'})`, i];
  }
  return [`(?:${alternatives.join('|')})`, i];
}

/** Translates RE2 source (the subset patternmatcher can produce) to a JavaScript RegExp with the `u` flag. */
export function translateGoRegexp(source: string): RegExp {
  const chars = Array.from(source);
  let out = '';
  let i = 0;
  while (i < chars.length) {
    const c = chars[i];
    if (c === '[') {
      const [cls, next] = translateClass(chars, i + 1);
      out += cls;
      i = next;
    } else if (c === '\\') {
      const n = chars[i + 1];
      if (n === 'A') out += '^';
      else if (n === 'z') out += '$';
      else if (n === 'b' || n === 'B') out += `\\${n}`;
      else if (n === 'p' || n === 'P' || n === 'Q' || n === 'C') throw new GoRegexpError(`unsupported escape \\${n}`);
      else {
        const perl = perlClass(n);
        if (perl) {
          out += `[${perl[1] ? '^' : ''}${perl[0]}]`;
          i += 2;
          continue;
        }
        const [cp, next] = escapedChar(chars, i + 1);
        out += literal(cp);
        i = next;
        continue;
      }
      i += 2;
    } else if (c === '.') {
      out += '[^\\n]';
      i++;
    } else if (c === '(') {
      out += '(?:';
      i++;
    } else if ('^$)*?+|'.includes(c)) {
      out += c;
      i++;
    } else {
      out += literal(c.codePointAt(0) ?? 0);
      i++;
    }
  }
  return new RegExp(out, 'u');
}
