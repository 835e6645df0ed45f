/**
 * Quote removal for one shell word, from its source text: what the shell would pass as the argument when the word
 * holds no expansion. Done on the text rather than on tree-sitter's sub-nodes so every word kind (plain, quoted,
 * concatenated, `$'…'`) goes through one exact set of POSIX rules.
 */

export interface Unquoted {
  value: string | undefined;
  quoted: boolean;
  glob: boolean;
  tilde: boolean;
}

/** Characters after `$` that start an expansion (`$x`, `${…}`, `$(…)`, `$1`, `$@`, `$?`, …). */
const expansionStart = /[A-Za-z_0-9{(@*#?$!-]/;

/** Characters a backslash escapes inside double quotes; before any other character the backslash stays. */
const doubleQuoteEscapes = new Set(['$', '`', '"', '\\']);

const BACKSLASH = 0x5c;
const SQUOTE = 0x27;
const DQUOTE = 0x22;
const DOLLAR = 0x24;
const BACKTICK = 0x60;

/** Characters that start quoting or expansion: a run of anything else is copied as it is. */
function startsQuoting(c: number): boolean {
  return c === BACKSLASH || c === SQUOTE || c === DQUOTE || c === DOLLAR || c === BACKTICK;
}

/** `*`, `?`, `[`. */
function isGlob(c: number): boolean {
  return c === 0x2a || c === 0x3f || c === 0x5b;
}

/** Whether quote removal does anything: without these characters a word is its own value (most words are). */
function isSpecial(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (startsQuoting(c) || isGlob(c)) return true;
  }
  return false;
}

export function unquote(text: string): Unquoted {
  if (!isSpecial(text)) return { value: text, quoted: false, glob: false, tilde: text.charCodeAt(0) === 0x7e };
  let value = '';
  let quoted = false;
  let glob = false;
  const tilde = text.startsWith('~');
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      if (text[i + 1] === '\n') i += 2;
      else {
        quoted = true;
        value += text[i + 1] ?? '';
        i += 2;
      }
    } else if (c === "'") {
      quoted = true;
      const close = text.indexOf("'", i + 1);
      const stop = close < 0 ? text.length : close;
      value += text.slice(i + 1, stop);
      i = stop + 1;
    } else if (c === '$' && text[i + 1] === "'") {
      quoted = true;
      const decoded = decodeAnsiC(text, i + 2);
      value += decoded.value;
      i = decoded.next;
    } else if (c === '$' && text[i + 1] === '"') {
      i += 1; // bash's locale-translated string: the same rules as "…"
    } else if (c === '"') {
      quoted = true;
      i += 1;
      while (i < text.length && text[i] !== '"') {
        const d = text[i];
        if (d === '\\' && text[i + 1] === '\n') i += 2;
        else if (d === '\\' && doubleQuoteEscapes.has(text[i + 1])) {
          value += text[i + 1];
          i += 2;
        } else if (d === '`' || (d === '$' && expansionStart.test(text[i + 1] ?? '')))
          return { value: undefined, quoted, glob, tilde };
        else {
          // This character and the run of plain ones after it, copied at once.
          let end = i + 1;
          while (end < text.length) {
            const e = text.charCodeAt(end);
            if (e === DQUOTE || e === BACKSLASH || e === BACKTICK || e === DOLLAR) break;
            end++;
          }
          value += text.slice(i, end);
          i = end;
        }
      }
      i += 1;
    } else if (c === '`' || (c === '$' && expansionStart.test(text[i + 1] ?? ''))) {
      return { value: undefined, quoted, glob, tilde };
    } else {
      // This character and the run of ordinary ones after it, copied at once.
      if (isGlob(text.charCodeAt(i))) glob = true;
      let end = i + 1;
      while (end < text.length) {
        const e = text.charCodeAt(end);
        if (startsQuoting(e)) break;
        if (isGlob(e)) glob = true;
        end++;
      }
      value += text.slice(i, end);
      i = end;
    }
  }
  return { value, quoted, glob, tilde };
}

const simpleEscapes: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** Decodes bash's `$'…'` body starting at `from` (after the opening quote); returns the value and the index after `'`. */
function decodeAnsiC(text: string, from: number): { value: string; next: number } {
  let value = '';
  let i = from;
  while (i < text.length && text[i] !== "'") {
    if (text[i] !== '\\') {
      value += text[i++];
      continue;
    }
    const e = text[i + 1] ?? '';
    if (e in simpleEscapes) {
      value += simpleEscapes[e];
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const max = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const digits = /^[0-9a-fA-F]+/.exec(text.slice(i + 2, i + 2 + max))?.[0] ?? '';
      value += digits ? String.fromCodePoint(Number.parseInt(digits, 16)) : `\\${e}`;
      i += 2 + digits.length;
    } else if (/[0-7]/.test(e)) {
      const digits = /^[0-7]{1,3}/.exec(text.slice(i + 1))![0];
      value += String.fromCharCode(Number.parseInt(digits, 8));
      i += 1 + digits.length;
    } else {
      value += `\\${e}`;
      i += 2;
    }
  }
  return { value, next: i + 1 };
}
