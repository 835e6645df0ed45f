/**
 * Docker's .dockerignore rules, exactly as moby/patternmatcher (matching) and patternmatcher/ignorefile (reading)
 * implement them, including their quirks: `**` that may match nothing, `!` exceptions evaluated in order, a pattern
 * that matches a directory covering everything below it, Go `filepath.Match` syntax errors, and pattern text handed
 * to Go's regexp engine (so `[[:digit:]]` is a POSIX class). Pure: text and paths in, answers out.
 */
import { InputError } from '../errors.js';
import { BadPatternError, cleanPath, goMatch } from './go-path.js';
import { GoRegexpError, translateGoRegexp } from './go-regexp.js';

/** Reads an ignore file the way `ignorefile.ReadAll` does: the patterns, cleaned, in order. */
export function readIgnoreFile(text: string): string[] {
  const patterns: string[] = [];
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  lines.forEach((raw, index) => {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw; // bufio.ScanLines drops one trailing \r
    if (index === 0 && line.startsWith('\uFEFF')) line = line.slice(1);
    if (line.startsWith('#')) return; // a comment only when '#' is the very first byte
    let pattern = goTrimSpace(line);
    if (pattern === '') return;
    const invert = pattern.startsWith('!');
    if (invert) pattern = goTrimSpace(pattern.slice(1));
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push(invert ? `!${pattern}` : pattern);
  });
  return patterns;
}

/** Go strings.TrimSpace (Unicode White_Space). */
function goTrimSpace(s: string): string {
  return s.replace(/^[\s\u0085]+|[\s\u0085]+$/gu, '');
}

type Matcher = (path: string) => boolean;

/** One compiled pattern (patternmatcher.Pattern). */
export interface IgnorePattern {
  /** The cleaned pattern text without its `!`. */
  readonly text: string;
  readonly exclusion: boolean;
  readonly match: Matcher;
}

/** Per-pattern results for a directory, handed to its children (patternmatcher.MatchInfo). */
export type MatchInfo = readonly boolean[];

/** What a path's match produced: whether it is matched, and the info its children need. */
export interface MatchResult {
  matched: boolean;
  info: MatchInfo;
}

/** The compiled pattern list (patternmatcher.PatternMatcher). Throws InputError for patterns Docker rejects. */
export class PatternMatcher {
  readonly patterns: IgnorePattern[] = [];
  readonly hasExclusions: boolean;

  constructor(patterns: readonly string[], source = '.dockerignore') {
    let exclusions = false;
    for (const raw of patterns) {
      let text = goTrimSpace(raw);
      if (text === '') continue;
      text = cleanPath(text);
      let exclusion = false;
      if (text.startsWith('!')) {
        if (text.length === 1) throw new InputError('illegal exclusion pattern: "!"', source);
        exclusion = true;
        exclusions = true;
        text = text.slice(1);
      }
      try {
        goMatch(text, '.');
        this.patterns.push({ text, exclusion, match: compilePattern(text) });
      } catch (error) {
        if (error instanceof BadPatternError || error instanceof GoRegexpError) {
          throw new InputError(`invalid pattern ${JSON.stringify(raw)}: ${error.message}`, source);
        }
        throw error;
      }
    }
    this.hasExclusions = exclusions;
  }

  /**
   * MatchesUsingParentResults: `parent` is the info of the path's directory (undefined for top-level paths or when
   * unknown, in which case every ancestor is tried, as MatchesOrParentMatches does).
   */
  matches(path: string, parent?: MatchInfo): MatchResult {
    const info: boolean[] = new Array(this.patterns.length).fill(false);
    let matched = false;
    this.patterns.forEach((pattern, i) => {
      let match = parent ? parent[i] : false;
      if (!match) {
        if (pattern.exclusion !== matched) return;
        match = pattern.match(path);
        if (!match && !parent) match = ancestors(path).some((dir) => pattern.match(dir));
      }
      info[i] = match;
      if (match) matched = !pattern.exclusion;
    });
    return { matched, info };
  }
}

/** "a/b/c" → ["a", "a/b"] (Go: the prefixes of filepath.Dir(path), none when it is "."). */
function ancestors(path: string): string[] {
  const parts = path.split('/');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('/'));
  return out;
}

const ESCAPED = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

/** patternmatcher `Pattern.compile`: exact, prefix, suffix or regexp match, decided the same way. */
function compilePattern(pattern: string): Matcher {
  const chars = Array.from(pattern);
  let re = '^';
  let kind: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact';
  let i = 0;
  for (let index = 0; i < chars.length; index++) {
    const c = chars[i++];
    if (c === '*') {
      if (chars[i] === '*') {
        i++;
        if (chars[i] === '/') i++;
        if (i >= chars.length) {
          if (kind === 'exact') kind = 'prefix';
          else {
            re += '.*';
            kind = 'regexp';
          }
        } else {
          re += '(.*/)?';
          kind = 'regexp';
        }
        if (index === 0) kind = 'suffix';
      } else {
        re += '[^/]*';
        kind = 'regexp';
      }
    } else if (c === '?') {
      re += '[^/]';
      kind = 'regexp';
    } else if (ESCAPED.has(c)) {
      re += `\\${c}`;
    } else if (c === '\\') {
      if (i < chars.length) {
        re += `\\${chars[i++]}`;
        kind = 'regexp';
      } else re += '\\';
    } else if (c === '[' || c === ']') {
      re += c;
      kind = 'regexp';
    } else re += c;
  }
  switch (kind) {
    case 'exact':
      return (path) => path === pattern;
    case 'prefix': {
      const prefix = pattern.slice(0, -2);
      return (path) => path.startsWith(prefix);
    }
    case 'suffix': {
      const suffix = pattern.slice(2);
      return (path) => path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
    }
    default: {
      const regexp = translateGoRegexp(`${re}$`);
      return (path) => regexp.test(path);
    }
  }
}

/** patternWithoutTrailingGlob from fsutil: the pattern minus a trailing `/**` or `/*`. */
export function withoutTrailingGlob(text: string): string {
  let out = text.endsWith('/**') ? text.slice(0, -3) : text;
  out = out.endsWith('/*') ? out.slice(0, -2) : out;
  return out;
}

/** fsutil's walk filter for one matcher: decides per entry, and whether an excluded directory can be skipped. */
export class ExcludeFilter {
  private readonly prefixOnlyExceptions: boolean;

  constructor(readonly matcher: PatternMatcher) {
    this.prefixOnlyExceptions = !matcher.patterns.some((p) => p.exclusion && /[*[\]?^\\]/.test(withoutTrailingGlob(p.text)));
  }

  /**
   * For an entry at `path` (relative, slash-separated) whose parent directory produced `parent`: whether it is
   * excluded, and for an excluded directory whether the walk may skip everything below it.
   */
  check(path: string, isDir: boolean, parent?: MatchInfo): { excluded: boolean; skipDir: boolean; info: MatchInfo } {
    const { matched, info } = this.matcher.matches(path, parent);
    if (!matched) return { excluded: false, skipDir: false, info };
    let skipDir = false;
    if (isDir && this.prefixOnlyExceptions) {
      if (!this.matcher.hasExclusions) skipDir = true;
      else {
        const dirSlash = `${path}/`;
        skipDir = !this.matcher.patterns.some((p) => p.exclusion && `${withoutTrailingGlob(p.text)}/`.startsWith(dirSlash));
      }
    }
    return { excluded: true, skipDir, info };
  }
}
