/**
 * BuildKit's shell-word lexer (moby/buildkit frontend/dockerfile/shell/lex.go): quote removal, escapes, `$VAR` and
 * `${VAR…}` expansion, and word splitting, exactly as BuildKit's `ProcessWord` / `ProcessWords` do them — quirks
 * included (see docs/words.md), because Dockerfiles are built by BuildKit, not by a POSIX shell.
 */
import { CodePointScanner, EOF, isDigit, isLetter, isSpace } from './code-points.js';
import { codeAt, indexIn, sliceOf } from './code-units.js';
import { goQuote } from './go-quote.js';
import { PatternError, replaceAll, replaceFirst, trimPrefix, trimSuffix } from './shell-pattern.js';

export interface LexOptions {
  /** The Dockerfile's escape character (`# escape=` directive). Default `\`. */
  escapeToken?: '\\' | '`';
  /** `windows`: variable names compare case-insensitively (BuildKit's Windows build). Default `unix`. */
  platform?: 'unix' | 'windows';
  /** Keep quote characters in the result (quoting still groups words and stops expansion inside `'…'`). */
  rawQuotes?: boolean;
  /** Keep escape characters in the result (they still escape). */
  rawEscapes?: boolean;
  /** Leave references to unset variables exactly as written instead of expanding them to nothing. */
  skipUnsetEnv?: boolean;
  /** Treat quotes as ordinary characters (BuildKit uses this for unquoted COPY heredoc bodies). */
  skipProcessQuotes?: boolean;
}

/** Variables: a map, or BuildKit-style `K=V` strings in order (a later entry wins; `K` alone means empty). */
export type Env = ReadonlyMap<string, string> | readonly string[];

/**
 * A word BuildKit refuses. `message` is BuildKit's full text (`failed to process "he${}": syntax error: bad
 * substitution`); `reason` is the part after the word (`syntax error: bad substitution`).
 */
export class WordError extends Error {
  override name = 'WordError';
  constructor(
    readonly reason: string,
    /** The word as given. */
    readonly word: string,
  ) {
    super(`failed to process ${goQuote(word)}: ${reason}`);
  }
}

export interface ExpandedWord {
  /** ProcessWord's result: the word with quotes and escapes processed and variables expanded. */
  word: string;
  /** ProcessWords' result: the same text split on unquoted white space (including white space from expansions). */
  words: string[];
  /** Names referenced that were set (as written, e.g. `pwd` even when `PWD` matched on Windows). */
  matched: Set<string>;
  /** Names referenced that were not set. */
  unmatched: Set<string>;
}

/** BuildKit `ProcessWord`: one word out. Throws WordError. */
export function expandWord(word: string, env: Env, options: LexOptions = {}): string {
  if (isLiteralWord(word, options)) return word;
  return expandSimpleWord(word, env, options) ?? new ShellWord(word, env, options, false).run().word;
}

/**
 * ProcessWord for the usual shapes, without the general lexer (which also builds the split words, one code point at
 * a time, and was a quarter of the build model's time in lint): ASCII text with `$name`, `${name}`, `'…'`, `"…"`
 * without an escape inside, and escapes outside quotes, against a map with the default options. Undefined for
 * anything else, errors included: the lexer then decides. test/dockerfile/words.test.ts compares the two.
 */
function expandSimpleWord(word: string, env: Env, options: LexOptions): string | undefined {
  if (Array.isArray(env) || options.platform === 'windows' || options.rawQuotes || options.rawEscapes) return undefined;
  if (options.skipUnsetEnv || options.skipProcessQuotes) return undefined;
  const variables = env as ReadonlyMap<string, string>;
  const escapeCode = options.escapeToken === '`' ? 0x60 : 0x5c;
  const length = word.length;
  for (let i = 0; i < length; i++) if (codeAt(word, i) >= 0x80) return undefined;
  let out = '';
  let run = 0; // where the literal text not yet copied to `out` starts
  let inDouble = false;
  let i = 0;
  while (i < length) {
    const code = codeAt(word, i);
    if (code === DOLLAR) {
      out += sliceOf(word, run, i);
      let from = i + 1;
      const braced = from < length && codeAt(word, from) === OPEN_BRACE;
      if (braced) from++;
      const end = nameEnd(word, from, length);
      if (braced) {
        // `${name}` only: a modifier, a missing `}` or a bad name is the lexer's.
        if (end === from || end === length || codeAt(word, end) !== CLOSE_BRACE) return undefined;
        out += variables.get(sliceOf(word, from, end)) ?? '';
        i = run = end + 1;
      } else if (end === from) {
        // No name: the `$` is kept.
        run = i;
        i = from;
      } else {
        out += variables.get(sliceOf(word, from, end)) ?? '';
        i = run = end;
      }
    } else if (inDouble) {
      if (code === escapeCode) return undefined;
      if (code === DOUBLE_QUOTE) {
        out += sliceOf(word, run, i);
        inDouble = false;
        run = i + 1;
      }
      i++;
    } else if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
      out += sliceOf(word, run, i);
      if (code === SINGLE_QUOTE) {
        const close = indexIn(word, "'", i + 1);
        if (close < 0) return undefined;
        out += sliceOf(word, i + 1, close);
        i = run = close + 1;
      } else {
        inDouble = true;
        i = run = i + 1;
      }
    } else if (code === escapeCode) {
      // The next character as it is; a trailing escape is dropped.
      out += sliceOf(word, run, i);
      run = i + 1;
      i += 2;
    } else i++;
  }
  if (inDouble) return undefined;
  return run < length ? out + sliceOf(word, run, length) : out;
}

/**
 * Where the lexer's processName stops from `from` in an ASCII word: a run of digits, one special parameter, or a
 * letter or `_` followed by letters, digits and `_`.
 */
function nameEnd(word: string, from: number, length: number): number {
  if (from === length) return from;
  const first = codeAt(word, from);
  if (first >= 0x30 && first <= 0x39) {
    let i = from + 1;
    while (i < length && isAsciiDigit(codeAt(word, i))) i++;
    return i;
  }
  if (SPECIAL_PARAMS.has(first)) return from + 1;
  let i = from;
  while (i < length) {
    const code = codeAt(word, i);
    if (!isAsciiLetter(code) && !isAsciiDigit(code) && code !== 0x5f) break;
    i++;
  }
  return i;
}

function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/**
 * Whether ProcessWord returns `word` unchanged: no `$`, no escape character, no quote BuildKit processes, no
 * byte-order mark for the scanner to skip and no surrogate (a lone one would read as U+FFFD). Most words are like
 * that, and the lexer would copy them one code point at a time.
 */
export function isLiteralWord(word: string, options: LexOptions): boolean {
  const escapeCode = (options.escapeToken ?? '\\').charCodeAt(0);
  const quotes = !options.skipProcessQuotes;
  const length = word.length;
  if (length > 0 && codeAt(word, 0) === 0xfeff) return false;
  for (let i = 0; i < length; i++) {
    const code = codeAt(word, i);
    if (code === DOLLAR || code === escapeCode || (code >= 0xd800 && code <= 0xdfff)) return false;
    if (quotes && (code === SINGLE_QUOTE || code === DOUBLE_QUOTE)) return false;
  }
  return true;
}

/** BuildKit `ProcessWords`: the expanded text split into words (empty words dropped). Throws WordError. */
export function expandWords(word: string, env: Env, options: LexOptions = {}): string[] {
  if (isPlainAsciiWord(word, options)) return word === '' ? [] : [word];
  return new ShellWord(word, env, options, false).run().words;
}

/**
 * Whether ProcessWords returns `[word]` (or nothing for ``): printable ASCII with nothing the lexer treats specially —
 * no space to split on, no `$`, escape, processed quote, or `<` (a `<<` keeps the blanks after it in the word).
 */
function isPlainAsciiWord(word: string, options: LexOptions): boolean {
  const escapeCode = (options.escapeToken ?? '\\').charCodeAt(0);
  const quotes = !options.skipProcessQuotes;
  for (let i = 0, length = word.length; i < length; i++) {
    const code = codeAt(word, i);
    if (code <= 0x20 || code >= 0x7f || code === DOLLAR || code === LESS_THAN || code === escapeCode) return false;
    if (quotes && (code === SINGLE_QUOTE || code === DOUBLE_QUOTE)) return false;
  }
  return true;
}

/** BuildKit `ProcessWordWithMatches`: the word, its split words, and which variables were found or not. */
export function expandWordDetailed(word: string, env: Env, options: LexOptions = {}): ExpandedWord {
  return new ShellWord(word, env, options, true).run();
}

/** An error inside the lexer, before BuildKit wraps it with the word. */
class LexError extends Error {}

const DOLLAR = 0x24;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const LESS_THAN = 0x3c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COLON = 0x3a;
const SLASH = 0x2f;

const MISSING_SLASH = "syntax error: missing '/' in $" + '{}';

/** `$@ $* $# $? $- $$ $! $0`: POSIX special parameters, read as one-character names. */
const SPECIAL_PARAMS = new Set([0x40, 0x2a, 0x23, 0x3f, 0x2d, 0x24, 0x21, 0x30]);

function char(code: number): string {
  // Go's string(rune(-1)) is U+FFFD: BuildKit's messages show it when a word ends inside ${…}.
  return code === EOF ? '\uFFFD' : String.fromCodePoint(code);
}

/**
 * The word splitter. BuildKit keeps the current word's text in one buffer shared by every nested
 * processStopOn call, and each call resets it: so the text of the current word before a `${v:-…}` or `${v/…}` is
 * lost from ProcessWords' output (not from ProcessWord's). `shared` reproduces that.
 */
class Words {
  readonly words: string[] = [];
  private inWord = false;

  constructor(private readonly shared: { text: string }) {
    shared.text = '';
  }

  addChar(code: number): void {
    if (isSpace(code)) {
      if (this.inWord && this.shared.text.length > 0) {
        this.words.push(this.shared.text);
        this.shared.text = '';
        this.inWord = false;
      }
    } else this.addRaw(char(code));
  }

  addString(text: string): void {
    for (const c of text) this.addChar(c.codePointAt(0)!);
  }

  addRaw(text: string): void {
    this.shared.text += text;
    this.inWord = true;
  }

  finish(): string[] {
    if (this.shared.text.length > 0) {
      this.words.push(this.shared.text);
      this.shared.text = '';
      this.inWord = false;
    }
    return this.words;
  }
}

/** What run() reports as matches when they were not recorded (its callers then read only the words). */
const NO_NAMES: Set<string> = new Set();

class ShellWord {
  private readonly scanner: CodePointScanner;
  private readonly escape: number;
  private readonly lookup: (name: string) => string | undefined;
  private rawEscapes: boolean;
  private readonly wordBuffer = { text: '' };
  /** Which names were found or not: only ProcessWordWithMatches asks, so only then are they recorded. */
  private readonly matched: Set<string> | undefined;
  private readonly unmatched: Set<string> | undefined;

  constructor(
    private readonly source: string,
    env: Env,
    private readonly options: LexOptions,
    trackMatches: boolean,
  ) {
    if (trackMatches) {
      this.matched = new Set();
      this.unmatched = new Set();
    }
    this.scanner = new CodePointScanner(source);
    this.escape = (options.escapeToken ?? '\\').charCodeAt(0);
    this.rawEscapes = options.rawEscapes ?? false;
    this.lookup = envLookup(env, options.platform === 'windows');
  }

  run(): ExpandedWord {
    try {
      const { text, words } = this.processStopOn(EOF, this.rawEscapes);
      return { word: text, words, matched: this.matched ?? NO_NAMES, unmatched: this.unmatched ?? NO_NAMES };
    } catch (error) {
      if (error instanceof LexError || error instanceof PatternError) throw new WordError(error.message, this.source);
      throw error;
    }
  }

  /** Reads up to `stop` (consumed) or the end; `rawEscapes` applies for this stretch only. */
  private processStopOn(stop: number, rawEscapes: boolean): { text: string; words: string[] } {
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      return this.scanUntil(stop);
    } finally {
      this.rawEscapes = saved;
    }
  }

  private scanUntil(stop: number): { text: string; words: string[] } {
    const words = new Words(this.wordBuffer);
    const quotes = !this.options.skipProcessQuotes;
    let text = '';
    while (this.scanner.peek() !== EOF) {
      const code = this.scanner.peek();
      if (stop !== EOF && code === stop) {
        this.scanner.next();
        return { text, words: words.finish() };
      }
      if (code === DOLLAR) {
        const value = this.processDollar();
        text += value;
        words.addString(value);
      } else if (code === LESS_THAN || (quotes && (code === SINGLE_QUOTE || code === DOUBLE_QUOTE))) {
        const value =
          code === LESS_THAN ? this.processPossibleHeredoc() : code === SINGLE_QUOTE ? this.singleQuoted() : this.doubleQuoted();
        text += value;
        words.addRaw(value);
      } else {
        let current = this.scanner.next();
        if (current === this.escape) {
          if (this.rawEscapes) {
            words.addRaw(char(current));
            text += char(current);
          }
          // An escape escapes the next character; at the very end it is dropped.
          current = this.scanner.next();
          if (current === EOF) break;
          words.addRaw(char(current));
        } else {
          words.addChar(current);
        }
        text += char(current);
      }
    }
    if (stop !== EOF) throw new LexError(`unexpected end of statement while looking for matching ${char(stop)}`);
    return { text, words: words.finish() };
  }

  /** `'…'`: everything literal; no escapes. */
  private singleQuoted(): string {
    const raw = this.options.rawQuotes ?? false;
    const open = this.scanner.next();
    let out = raw ? char(open) : '';
    for (;;) {
      const code = this.scanner.next();
      if (code === EOF) throw new LexError('unexpected end of statement while looking for matching single-quote');
      if (code === SINGLE_QUOTE) return raw ? out + "'" : out;
      out += char(code);
    }
  }

  /** `"…"`: `$` expands; the escape character escapes only `"`, `$` and itself, and is kept before anything else. */
  private doubleQuoted(): string {
    const raw = this.options.rawQuotes ?? false;
    const open = this.scanner.next();
    let out = raw ? char(open) : '';
    for (;;) {
      const code = this.scanner.peek();
      if (code === EOF) throw new LexError('unexpected end of statement while looking for matching double-quote');
      if (code === DOUBLE_QUOTE) {
        this.scanner.next();
        return raw ? out + '"' : out;
      }
      if (code === DOLLAR) {
        out += this.processDollar();
        continue;
      }
      let current = this.scanner.next();
      if (current === this.escape) {
        if (this.rawEscapes) out += char(current);
        const following = this.scanner.peek();
        if (following === EOF) continue;
        if (following === DOUBLE_QUOTE || following === DOLLAR || following === this.escape) current = this.scanner.next();
      }
      out += char(current);
    }
  }

  /** `<<` and the blanks after it stay one raw piece, so `<< EOF` reads as one word (heredoc detection). */
  private processPossibleHeredoc(): string {
    this.scanner.next();
    if (this.scanner.peek() !== LESS_THAN) return '<';
    this.scanner.next();
    let out = '<<';
    for (let code = this.scanner.peek(); code === 0x20 || code === 0x09 || code === 0x0d; code = this.scanner.peek()) {
      out += char(this.scanner.next());
    }
    return out;
  }

  private processDollar(): string {
    this.scanner.next();
    if (this.scanner.peek() !== OPEN_BRACE) {
      const name = this.processName();
      if (name === '') return '$';
      const value = this.getEnv(name);
      if (value === undefined && this.options.skipUnsetEnv) return `$${name}`;
      return value ?? '';
    }
    this.scanner.next();
    const first = this.scanner.peek();
    if (first === EOF) throw new LexError("syntax error: missing '}'");
    if (first === OPEN_BRACE || first === CLOSE_BRACE || first === COLON) throw new LexError('syntax error: bad substitution');
    const name = this.processName();
    const modifier = this.scanner.next();
    if (modifier === CLOSE_BRACE) {
      const value = this.getEnv(name);
      if (value === undefined && this.options.skipUnsetEnv) return `\${${name}}`;
      return value ?? '';
    }
    if (modifier === SLASH) return this.substitute(name);
    if (modifier === COLON || '+-?#%'.includes(char(modifier))) return this.modify(name, modifier);
    throw new LexError(`unsupported modifier (${char(modifier)}) in substitution`);
  }

  /** `${name-w}` `${name:-w}` `${name+w}` `${name:+w}` `${name?w}` `${name:?w}` `${name#p}` `${name##p}` `${name%p}` `${name%%p}`. */
  private modify(name: string, first: number): string {
    const nullIsUnset = first === COLON;
    const op = nullIsUnset ? this.scanner.next() : first;
    const spelled = nullIsUnset ? `:${char(op)}` : char(op);
    const isTrim = op === 0x23 || op === 0x25;
    if (nullIsUnset && isTrim) throw new LexError(`unsupported modifier (${spelled}) in substitution`);
    const word = this.nested(CLOSE_BRACE, isTrim, "syntax error: missing '}'");
    const value = this.getEnv(name);
    if (value === undefined && this.options.skipUnsetEnv) return `\${${name}${spelled}${word}}`;
    const empty = value === undefined || (nullIsUnset && value === '');
    switch (char(op)) {
      case '-':
        return empty ? word : value!;
      case '+':
        return empty ? '' : word;
      case '?':
        if (value === undefined) throw new LexError(`${name}: ${word || 'is not allowed to be unset'}`);
        if (empty) throw new LexError(`${name}: ${word || 'is not allowed to be empty'}`);
        return value;
      case '#':
      case '%': {
        const greedy = word.startsWith(char(op));
        const pattern = greedy ? word.slice(1) : word;
        return op === 0x25 ? trimSuffix(pattern, value ?? '', greedy) : trimPrefix(pattern, value ?? '', greedy);
      }
      default:
        throw new LexError(`unsupported modifier (${spelled}) in substitution`);
    }
  }

  /** `${name/pattern/replacement}` and `${name//pattern/replacement}`. */
  private substitute(name: string): string {
    const all = this.scanner.peek() === SLASH;
    if (all) this.scanner.next();
    const pattern = this.nested(SLASH, true, MISSING_SLASH);
    const replacement = this.nested(CLOSE_BRACE, true, "syntax error: missing '}'");
    const value = this.getEnv(name);
    if (value === undefined && this.options.skipUnsetEnv) return `\${${name}/${pattern}/${replacement}}`;
    return all ? replaceAll(pattern, value ?? '', replacement) : replaceFirst(pattern, value ?? '', replacement);
  }

  /** A nested word inside `${…}`; any failure that ran into the end of the text becomes `atEnd`. */
  private nested(stop: number, rawEscapes: boolean, atEnd: string): string {
    try {
      return this.processStopOn(stop, rawEscapes).text;
    } catch (error) {
      if ((error instanceof LexError || error instanceof PatternError) && this.scanner.peek() === EOF) throw new LexError(atEnd);
      throw error;
    }
  }

  /** A name: a run of digits, one special parameter, or letters, digits and `_`. Empty when none. */
  private processName(): string {
    let name = '';
    for (let code = this.scanner.peek(); code !== EOF; code = this.scanner.peek()) {
      if (name === '' && isDigit(code)) {
        while (isDigit(this.scanner.peek())) name += char(this.scanner.next());
        return name;
      }
      if (name === '' && SPECIAL_PARAMS.has(code)) return char(this.scanner.next());
      if (!isLetter(code) && !isDigit(code) && code !== 0x5f) break;
      name += char(this.scanner.next());
    }
    return name;
  }

  private getEnv(name: string): string | undefined {
    const value = this.lookup(name);
    (value === undefined ? this.unmatched : this.matched)?.add(name);
    return value;
  }
}

/** BuildKit's EnvsFromSlice + Get: later entries win; on Windows keys compare upper-cased. */
function envLookup(env: Env, windows: boolean): (name: string) => string | undefined {
  // A map needs no table of its own on Unix (names compare as they are): look up in it directly.
  if (!windows && !Array.isArray(env)) {
    const map = env as ReadonlyMap<string, string>;
    return (name) => map.get(name);
  }
  const normalize = windows ? goToUpper : (key: string) => key;
  const table = new Map<string, string>();
  if (Array.isArray(env)) {
    for (const entry of env as readonly string[]) {
      const equals = entry.indexOf('=');
      if (equals < 0) table.set(normalize(entry), '');
      else table.set(normalize(entry.slice(0, equals)), entry.slice(equals + 1));
    }
  } else {
    for (const [key, value] of env as ReadonlyMap<string, string>) table.set(normalize(key), value);
  }
  return (name) => table.get(normalize(name));
}

/** Go `strings.ToUpper`: per code point, and a character whose upper case is several characters stays as it is. */
function goToUpper(text: string): string {
  let out = '';
  for (const c of text) {
    const upper = c.toUpperCase();
    out += upper.length === c.length || Array.from(upper).length === 1 ? upper : c;
  }
  return out;
}
