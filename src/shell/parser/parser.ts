/**
 * A hand-written recursive-descent parser for the bash that RUN scripts use, producing ast.ts's ShellSyntax
 * directly (no concrete tree in between). It reproduces the shapes and ranges that the former tree-sitter-bash
 * path produced, including its conventions (a `((…))` command is an empty group, `[ … ]` is a command with one word
 * per operand and operator, a function's redirects only widen its range), so later stages see no difference;
 * test/shell/parser-differential.test.ts holds the two to each other on the whole corpus.
 * Syntax errors are recorded in `problems` and parsing resumes at the next token, so the commands before an error
 * are still listed.
 */
import type {
  AndOrNode,
  Assignment,
  ListItem,
  ListNode,
  Operator,
  OperatorToken,
  Redirect,
  ShellNode,
  ShellSyntax,
  SyntaxProblem,
  Word,
} from '../ast.js';
import {
  AMP,
  BACKSLASH,
  BANG,
  DASH,
  DIGIT_NINE,
  DIGIT_ZERO,
  EQUALS,
  GT,
  HASH,
  isBlank,
  isNameChar,
  isNameStart,
  isWordEnd,
  LBRACKET,
  LPAREN,
  LT,
  NEWLINE,
  PIPE,
  PLUS,
  RBRACKET,
  RPAREN,
  SEMI,
  WORD_END,
  wordClass,
} from './chars.js';
import { compoundCommand } from './compound.js';
import { type PendingHeredoc, readBody } from './heredocs.js';
import { none, Scratch } from './scratch.js';
import { makeWord, readWord, type WordSource } from './words.js';

/** Tokens a statement list stops at (a bit set): the closer of the construct being parsed. */
export const Stop = {
  paren: 1,
  brace: 2,
  thenKeyword: 4,
  elseFi: 8,
  do: 16,
  done: 32,
  caseItem: 64,
} as const;

/** Reserved words that close a construct; met where no construct expects them, they are syntax errors. */
const closers = new Map<string, number>([
  ['}', Stop.brace],
  ['then', Stop.thenKeyword],
  ['elif', Stop.elseFi],
  ['else', Stop.elseFi],
  ['fi', Stop.elseFi],
  ['do', Stop.do],
  ['done', Stop.done],
  ['esac', Stop.caseItem],
]);

const declarationKeywords = new Set(['declare', 'typeset', 'export', 'readonly', 'local', 'unset', 'unsetenv']);

/** A command name that makes `name=(…)` one word (`declare`, `export`, …); the length test spares most names a hash. */
function isDeclarationKeyword(name: string): boolean {
  return name.length >= 5 && name.length <= 8 && declarationKeywords.has(name);
}

/** The items of the statement lists and the words of the simple commands being read, nested ones above outer ones. */
const listItems = new Scratch<ListItem>();
const words = new Scratch<Word>();
/** The commands of the pipelines and and-or lists being read, and the operators between them. */
const nodes = new Scratch<ShellNode>();
const operators = new Scratch<Operator>();
/** The syntax problems of the script being parsed (backtick bodies, parsed by parsers of their own, add theirs). */
const problems = new Scratch<SyntaxProblem>();

export function parseScript(text: string): ShellSyntax {
  const source = sequential(text);
  const mark = problems.top;
  const root = new Parser(source, 0, source.length).program();
  return { source, root, problems: problems.take(mark) };
}

/**
 * `text`, as one flat copy. A RUN's script is a slice of its Dockerfile (or a concatenation of its lines), and V8 reads
 * every character of a slice or a concatenation through the string it points into: the parser, which reads each
 * character several times, ran 1.8x slower on the corpus scripts as they come than on flat copies (6.0 vs 3.3 µs per
 * script). Joining two parts makes V8 copy both into one new flat string (`String(text)` or `text.slice(0)` return
 * `text` itself); equal to `text` by construction, whatever the engine does.
 */
function sequential(text: string): string {
  return text.length < 2 ? text : [text.slice(0, 1), text.slice(1)].join('');
}

export class Parser implements WordSource {
  pos: number;
  /** Heredocs announced on the current line, read at its newline. */
  private pending: PendingHeredoc[] = none;
  /** End of the last heredoc body's delimiter line, and how many bodies were read so far. */
  private heredocEnd = -1;
  private heredocsRead = 0;
  /** Set by `statements` when it stopped at a case item's `;;`, `;&` or `;;&`. */
  stoppedAtCaseTerminator = false;
  /** `keywordAt`'s last answer and where it was asked: a statement's start is asked up to three times. */
  private keywordPos = -1;
  private keyword: string | undefined;

  constructor(
    readonly src: string,
    start: number,
    readonly limit: number,
  ) {
    this.pos = start;
  }

  program(): ListNode {
    const items = this.statements(0);
    this.closeUnreadHeredocs();
    return list(0, this.limit, items);
  }

  // ---- WordSource: substitution bodies -------------------------------------------------------------------------

  parenBody(from: number): { body: ListNode; close: number } {
    const saved = this.pos;
    this.pos = from;
    const items = this.statements(Stop.paren);
    const close = this.pos;
    if (readsFile(items)) items.length = 0; // `$(<file)` runs no command: bash reads the file itself
    if (close >= this.limit) this.missing(close, ')');
    this.pos = saved;
    return { body: list(from, close, items), close };
  }

  backtickBody(from: number, to: number): ListNode {
    const inner = new Parser(this.src, from, to);
    return list(from, to, inner.statements(0));
  }

  missing(at: number, text: string): void {
    problems.push({ kind: 'missing', start: at, end: at, text });
  }

  error(start: number, end: number): void {
    const text = this.src.slice(start, end);
    problems.push({ kind: 'error', start, end, text: text.length > 40 ? `${text.slice(0, 40)}…` : text });
  }

  // ---- lists -----------------------------------------------------------------------------------------------------

  /** Statements up to a closer in `stop` (left unconsumed at `pos`) or the end of the text. */
  statements(stop: number): ListItem[] {
    const mark = listItems.top;
    let last: ListItem | undefined;
    let lastEnd = -1;
    this.stoppedAtCaseTerminator = false;
    for (;;) {
      const read = this.heredocsRead;
      this.skipSeparators();
      if (last && this.heredocsRead !== read) lastEnd = Math.max(lastEnd, this.heredocEnd);
      if (this.pos >= this.limit) break;
      const c = this.src.charCodeAt(this.pos);
      if (c < 128 && mayEndStatements[c] === 1) {
        // A closer, a stray operator or a misplaced reserved word: only these characters start one.
        if (this.atStop(stop)) break;
        if (this.skipUnexpected()) continue;
      }
      if (last && !last.terminator) last.terminator = this.newlineBetween(lastEnd, this.pos);
      const node = this.andOr();
      if (!node) {
        this.error(this.pos, this.pos + 1);
        this.pos++;
        continue;
      }
      last = { node, terminator: undefined };
      listItems.push(last);
      lastEnd = node.end;
      this.skipBlanks();
      last.terminator = this.listTerminator();
      if (!last.terminator) this.checkStatementEnd(stop);
    }
    if (last && !last.terminator && !this.stoppedAtCaseTerminator) last.terminator = this.newlineBetween(lastEnd, this.pos);
    return listItems.take(mark);
  }

  /** `;` or `&` after a statement (not `;;`, `&&`, which belong to other rules). */
  private listTerminator(): Operator | undefined {
    const { src, pos } = this;
    const c = src.charCodeAt(pos);
    const next = src.charCodeAt(pos + 1);
    if (pos >= this.limit) return undefined;
    if (c === SEMI && next !== SEMI && next !== AMP) return this.operator(';', 1);
    if (c === AMP && next !== AMP && next !== GT) return this.operator('&', 1);
    return undefined;
  }

  /** After a statement without `;` or `&`: only a line break, a comment or the closer may follow. */
  private checkStatementEnd(stop: number): void {
    const c = this.src.charCodeAt(this.pos);
    if (this.pos >= this.limit || c === NEWLINE || c === HASH) return;
    if (c === SEMI && this.src.charCodeAt(this.pos + 1) === SEMI) return; // `;;`: a case item's end, or reported next
    if (this.atStop(stop)) return;
    this.error(this.pos, this.pos + 1);
  }

  /** A statement ended by a line break: the first newline between its end and the next token. */
  private newlineBetween(from: number, to: number): Operator | undefined {
    const at = this.src.indexOf('\n', from);
    return at >= 0 && at < to ? { token: '\n', start: at, end: at + 1 } : undefined;
  }

  private atStop(stop: number): boolean {
    const c = this.src.charCodeAt(this.pos);
    if (c === RPAREN) return (stop & Stop.paren) !== 0;
    if (c === SEMI && this.src.charCodeAt(this.pos + 1) === SEMI) {
      if ((stop & Stop.caseItem) === 0) return false;
      this.stoppedAtCaseTerminator = true;
      return true;
    }
    if (c === SEMI && this.src.charCodeAt(this.pos + 1) === AMP && (stop & Stop.caseItem) !== 0) {
      this.stoppedAtCaseTerminator = true;
      return true;
    }
    const word = this.keywordAt();
    return word !== undefined && ((closers.get(word) ?? 0) & stop) !== 0;
  }

  /** A token that cannot start a statement here: reported and skipped. */
  private skipUnexpected(): boolean {
    const { src, pos } = this;
    const c = src.charCodeAt(pos);
    let end = pos;
    if (c === RPAREN || c === SEMI || c === AMP || c === PIPE) {
      end = pos + 1;
      while (end < this.limit && (src.charCodeAt(end) === SEMI || src.charCodeAt(end) === AMP || src.charCodeAt(end) === PIPE))
        end++;
    } else {
      const word = this.keywordAt();
      if (word === undefined || !closers.has(word)) return false;
      end = pos + word.length;
    }
    this.error(pos, end);
    this.pos = end;
    return true;
  }

  // ---- and-or lists and pipelines ----------------------------------------------------------------------------

  private andOr(): ShellNode | undefined {
    const first = this.pipeline();
    if (!first) return undefined;
    const mark = nodes.top;
    const operatorMark = operators.top;
    let last = first;
    for (;;) {
      this.skipBlanks();
      const c = this.src.charCodeAt(this.pos);
      if ((c !== AMP && c !== PIPE) || this.src.charCodeAt(this.pos + 1) !== c) break;
      const op = this.operator(c === AMP ? '&&' : '||', 2);
      this.skipLinebreaks();
      const next = this.pipeline();
      if (!next) {
        this.missing(this.pos, 'command');
        break;
      }
      if (nodes.top === mark) nodes.push(first);
      nodes.push(next);
      operators.push(op);
      last = next;
    }
    if (nodes.top === mark) return first;
    const node: AndOrNode = {
      type: 'and-or',
      start: first.start,
      end: last.end,
      redirects: none,
      items: nodes.take(mark),
      operators: operators.take(operatorMark),
    };
    return node;
  }

  private pipeline(): ShellNode | undefined {
    this.skipBlanks();
    let negated = false;
    if (this.src.charCodeAt(this.pos) === BANG && isWordEnd(this.src.charCodeAt(this.pos + 1))) {
      negated = true;
      this.pos++;
      this.skipBlanks();
    }
    const first = this.command();
    if (!first) return undefined;
    const mark = nodes.top;
    const operatorMark = operators.top;
    let last = first;
    for (;;) {
      this.skipBlanks();
      const { src, pos } = this;
      if (src.charCodeAt(pos) !== PIPE || src.charCodeAt(pos + 1) === PIPE) break;
      const op = src.charCodeAt(pos + 1) === AMP ? this.operator('|&', 2) : this.operator('|', 1);
      this.skipLinebreaks();
      const next = this.command();
      if (!next) {
        this.missing(this.pos, 'command');
        break;
      }
      if (nodes.top === mark) nodes.push(first);
      nodes.push(next);
      operators.push(op);
      last = next;
    }
    if (nodes.top === mark && !negated) return first;
    return {
      type: 'pipeline',
      start: first.start,
      end: last.end,
      redirects: none,
      negated,
      commands: nodes.top === mark ? [first] : nodes.take(mark),
      operators: operators.take(operatorMark),
    };
  }

  // ---- commands --------------------------------------------------------------------------------------------------

  private command(redirects = true): ShellNode | undefined {
    this.skipBlanks();
    const c = this.src.charCodeAt(this.pos);
    if (c === LPAREN || (c < 128 && keywordStart[c] === 1)) {
      const compound = compoundCommand(this, redirects);
      if (compound) return compound;
    }
    return this.simpleCommand();
  }

  /** Redirects after a compound command: they apply to it and widen its range. */
  trailingRedirects(node: ShellNode, keep: boolean): ShellNode {
    for (;;) {
      this.skipBlanks();
      if (!this.atRedirect()) return node;
      const redirect = this.redirect();
      if (keep && node.redirects === none) node.redirects = [redirect];
      else if (keep) node.redirects.push(redirect);
      node.end = redirect.end;
    }
  }

  private simpleCommand(): ShellNode | undefined {
    const { src, limit } = this;
    const mark = words.top;
    let assignments: Assignment[] = none;
    let redirects: Redirect[] = none;
    let start = -1;
    let end = -1;
    let declaration = false;
    for (;;) {
      this.skipBlanks();
      const at = this.pos;
      if (at >= limit) break;
      const c = src.charCodeAt(at);
      // Most tokens start with a character that no redirect or operator starts with: skip those tests for them.
      const wordStart = c >= 128 || (wordClass[c] !== WORD_END && (c < DIGIT_ZERO || c > DIGIT_NINE));
      if (!wordStart && this.atRedirect()) {
        const redirect = this.redirect();
        if (redirects === none) redirects = [redirect];
        else redirects.push(redirect);
        end = redirect.end;
      } else {
        if ((!wordStart && isWordEnd(c) && !this.atProcessSubstitution()) || c === HASH) break;
        const first = words.top === mark;
        const assignment = first && mayAssign(src, at) ? this.assignment() : undefined;
        if (assignment) {
          if (assignments === none) assignments = [assignment];
          else assignments.push(assignment);
          end = assignment.end;
        } else {
          const word = declaration ? this.declarationWord() : this.word();
          words.push(word);
          end = word.end;
          if (first && isDeclarationKeyword(word.text)) declaration = true;
          if (first && assignments === none && redirects === none && this.functionParens()) {
            words.top = mark;
            return this.functionBody(word.start, word.text);
          }
        }
      }
      if (start < 0) start = at;
    }
    if (start < 0) return undefined;
    return { type: 'simple', start, end, redirects, assignments, words: words.take(mark) };
  }

  /** After a command's first word: `()` followed by a body makes it a function definition (consumed). */
  private functionParens(): boolean {
    let i = this.pos;
    while (isBlank(this.src.charCodeAt(i))) i++;
    if (this.src.charCodeAt(i) !== LPAREN) return false;
    i++;
    while (isBlank(this.src.charCodeAt(i))) i++;
    if (this.src.charCodeAt(i) !== RPAREN) return false;
    this.pos = i + 1;
    return true;
  }

  /** The compound command after `name()` or `function name`: the whole definition. */
  functionBody(start: number, name: string): ShellNode {
    this.skipLinebreaks();
    const body = this.command(false);
    if (!body) {
      this.missing(this.pos, '{');
      return { type: 'function', start, end: this.pos, redirects: none, name, body: list(this.pos, this.pos, none) };
    }
    return { type: 'function', start, end: body.end, redirects: none, name, body };
  }

  /** `name=value`, `name+=value`, `name[i]=value` or `name=(…)` at `pos`, consumed; undefined otherwise. */
  private assignment(): Assignment | undefined {
    const { src } = this;
    const start = this.pos;
    const eq = assignmentOperator(src, start, this.limit);
    if (eq < 0) return undefined;
    const append = src.charCodeAt(eq - 1) === PLUS;
    const name = src.slice(start, append ? eq - 1 : eq);
    const valueStart = eq + 1;
    this.pos = valueStart;
    const c = src.charCodeAt(valueStart);
    if (c === LPAREN) {
      const elements = this.arrayElements();
      return { start, end: this.pos, name, value: undefined, append, elements };
    }
    if (valueStart >= this.limit || isWordEnd(c)) return { start, end: valueStart, name, value: undefined, append };
    const value = this.word();
    return { start, end: value.end, name, value, append };
  }

  /** `(a b …)` at `pos`: the element words; `pos` ends after the `)`. */
  private arrayElements(): Word[] {
    this.pos++;
    const elements: Word[] = [];
    for (;;) {
      this.skipLinebreaks();
      const c = this.src.charCodeAt(this.pos);
      if (this.pos >= this.limit) {
        this.missing(this.pos, ')');
        return elements;
      }
      if (c === RPAREN) {
        this.pos++;
        return elements;
      }
      if (isWordEnd(c)) {
        this.error(this.pos, this.pos + 1);
        this.pos++;
        continue;
      }
      elements.push(this.word());
    }
  }

  /** A word of a declaration command: `name=(…)` is one word there, as in the tree-sitter path. */
  private declarationWord(): Word {
    const start = this.pos;
    const eq = assignmentOperator(this.src, start, this.limit);
    if (eq >= 0 && this.src.charCodeAt(eq + 1) === LPAREN) {
      this.pos = eq + 1;
      this.arrayElements();
      return makeWord(this.src, start, this.pos, none);
    }
    return this.word();
  }

  /** The word at `pos` (which is not a word end), consumed. */
  word(): Word {
    const word = readWord(this, this.pos);
    this.pos = word.end;
    return word;
  }

  // ---- redirects -------------------------------------------------------------------------------------------------

  private atProcessSubstitution(): boolean {
    const c = this.src.charCodeAt(this.pos);
    return (c === LT || c === GT) && this.src.charCodeAt(this.pos + 1) === LPAREN;
  }

  atRedirect(): boolean {
    const { src } = this;
    let i = this.pos;
    let c = src.charCodeAt(i);
    while (c >= DIGIT_ZERO && c <= DIGIT_NINE) c = src.charCodeAt(++i);
    if (c === LT || c === GT) return src.charCodeAt(i + 1) !== LPAREN || i > this.pos;
    return i === this.pos && c === AMP && src.charCodeAt(i + 1) === GT;
  }

  redirect(): Redirect {
    const { src } = this;
    const start = this.pos;
    let i = start;
    while (src.charCodeAt(i) >= DIGIT_ZERO && src.charCodeAt(i) <= DIGIT_NINE) i++;
    const fd = i > start ? Number(src.slice(start, i)) : undefined;
    const op = redirectOperator(src, i);
    this.pos = i + op.length;
    if (op.endsWith('-') && op !== '<<-') return { start, end: this.pos, op, fd, target: undefined }; // `>&-` closes fd
    this.skipBlanks();
    const c = src.charCodeAt(this.pos);
    const target = this.pos < this.limit && !isWordEnd(c) ? this.word() : undefined;
    if (!target) this.missing(this.pos, 'word');
    const end = target ? target.end : i + op.length;
    if (op !== '<<' && op !== '<<-') return { start, end, op, fd, target };
    const delimiter = target ? (target.value ?? target.text) : '';
    const heredoc = { delimiter, quoted: target?.quoted ?? false, stripTabs: op === '<<-', body: { start: end, end } };
    if (this.pending === none) this.pending = [{ heredoc }];
    else this.pending.push({ heredoc });
    return { start, end, op, fd, target, heredoc };
  }

  // ---- tokens ----------------------------------------------------------------------------------------------------

  /** Skips blanks and line continuations. */
  skipBlanks(): void {
    const { src, limit } = this;
    let i = this.pos;
    while (i < limit) {
      const c = src.charCodeAt(i);
      if (isBlank(c)) i++;
      else if (c === BACKSLASH && (src.charCodeAt(i + 1) === NEWLINE || i + 1 === limit))
        i += 2; // also `\` at the end
      else break;
    }
    this.pos = Math.min(i, limit);
  }

  /** Skips blanks, comments and newlines (reading the heredoc bodies a newline starts). */
  skipLinebreaks(): void {
    for (;;) {
      this.skipBlanks();
      const c = this.src.charCodeAt(this.pos);
      if (c === HASH) this.skipComment();
      else if (c === NEWLINE && this.pos < this.limit) this.newline();
      else return;
    }
  }

  private skipSeparators(): void {
    this.skipLinebreaks();
  }

  private skipComment(): void {
    const end = this.src.indexOf('\n', this.pos);
    this.pos = end < 0 || end > this.limit ? this.limit : end;
  }

  /** Consumes a newline; the heredocs announced on its line have their bodies read from here. */
  private newline(): void {
    this.pos++;
    if (this.pending.length === 0) return;
    for (const pending of this.pending) {
      const read = readBody(this.src, this.limit, this.pos, pending);
      if (!read.closed) this.missing(this.limit, 'heredoc_end');
      this.heredocEnd = read.next;
      this.pos = Math.min(read.next + 1, this.limit);
      this.heredocsRead++;
    }
    this.pending = none;
    // The newline after the last delimiter line ends the statement: leave it to be read as such.
    if (this.heredocEnd < this.limit) this.pos = this.heredocEnd;
  }

  private closeUnreadHeredocs(): void {
    if (this.pending === none) return;
    for (const pending of this.pending) this.missing(pending.heredoc.body.start, 'heredoc_body');
    this.pending = none;
  }

  /** The reserved word at `pos` in command position, if any (`{`, `}`, `if`, `then`, …, `[[`). */
  keywordAt(): string | undefined {
    const { src, pos } = this;
    if (pos === this.keywordPos) return this.keyword;
    this.keywordPos = pos;
    this.keyword = reservedWordAt(src, pos, this.limit);
    return this.keyword;
  }

  /** Consumes the reserved word `word` if it is next (after line breaks when `linebreaks`); reports it missing otherwise. */
  expectKeyword(word: string): boolean {
    if (this.keywordAt() === word) {
      this.pos += word.length;
      return true;
    }
    this.missing(this.pos, word);
    return false;
  }

  operator(token: OperatorToken, length: number): Operator {
    const start = this.pos;
    this.pos += length;
    return { token, start, end: start + length };
  }
}

const keywords = [
  'if',
  'then',
  'elif',
  'else',
  'fi',
  'for',
  'while',
  'until',
  'do',
  'done',
  'case',
  'esac',
  'in',
  'function',
  '{',
  '}',
  '[[',
  '[',
  '!',
];

/** Whether an ASCII character starts a reserved word: most command words are ruled out by their first character. */
const keywordStart = new Uint8Array(128);
for (const word of keywords) keywordStart[word.charCodeAt(0)] = 1;

/** Characters a closer, a stray operator or a reserved word starts with (`statements` tests for those only then). */
const mayEndStatements = keywordStart.slice();
for (const c of [RPAREN, SEMI, AMP, PIPE]) mayEndStatements[c] = 1;

/** The reserved words by length, so that finding one compares a few strings in place instead of slicing a word. */
const keywordsByLength: (string[] | undefined)[] = [];
for (const word of keywords) (keywordsByLength[word.length] ??= []).push(word);

/** The reserved word starting at `pos`, if any (`{`, `}`, `if`, `then`, …, `[[`). */
function reservedWordAt(src: string, pos: number, limit: number): string | undefined {
  const c = src.charCodeAt(pos);
  if (c >= 128 || !keywordStart[c]) return undefined;
  let end = pos;
  while (end < limit && end - pos <= 8) {
    const c = src.charCodeAt(end);
    if (isWordEnd(c) || (c === BACKSLASH && src.charCodeAt(end + 1) === NEWLINE)) break; // `fi\⏎`: a word ends there
    if (!isNameChar(c) && c !== 0x7b && c !== 0x7d && c !== LBRACKET && c !== RBRACKET && c !== BANG) return undefined;
    end++;
  }
  const candidates = keywordsByLength[end - pos];
  if (candidates) for (let k = 0; k < candidates.length; k++) if (src.startsWith(candidates[k], pos)) return candidates[k];
  return undefined;
}

/** `$(< file)`: a body that is one redirect and nothing else. */
function readsFile(items: ListItem[]): boolean {
  if (items.length !== 1) return false;
  const node = items[0].node;
  return (
    node.type === 'simple' &&
    node.words.length === 0 &&
    node.assignments.length === 0 &&
    node.redirects.length === 1 &&
    node.redirects[0].op === '<'
  );
}

export function list(start: number, end: number, items: ListItem[]): ListNode {
  return { type: 'list', start, end, redirects: none, items };
}

/** Whether the word at `start` may be an assignment: a name followed by `=`, `+=` or `[` (most command words are not). */
function mayAssign(src: string, start: number): boolean {
  if (!isNameStart(src.charCodeAt(start))) return false;
  let i = start + 1;
  while (isNameChar(src.charCodeAt(i))) i++;
  const c = src.charCodeAt(i);
  return c === EQUALS || c === PLUS || c === LBRACKET;
}

/** The index of the `=` of an assignment word starting at `start` (`name=`, `name+=`, `name[…]=`), or -1. */
function assignmentOperator(src: string, start: number, limit: number): number {
  if (!isNameStart(src.charCodeAt(start))) return -1;
  let i = start + 1;
  while (i < limit && isNameChar(src.charCodeAt(i))) i++;
  if (src.charCodeAt(i) === LBRACKET) {
    const close = src.indexOf(']', i);
    if (close < 0 || close >= limit) return -1;
    for (let j = i; j < close; j++) if (src.charCodeAt(j) === NEWLINE || isBlank(src.charCodeAt(j))) return -1;
    i = close + 1;
  }
  if (src.charCodeAt(i) === PLUS) i++;
  return src.charCodeAt(i) === EQUALS && i < limit ? i : -1;
}

/** The redirect operator at `i` (after any file descriptor digits). */
function redirectOperator(src: string, i: number): string {
  const c = src.charCodeAt(i);
  const next = src.charCodeAt(i + 1);
  if (c === AMP) return src.charCodeAt(i + 2) === GT ? '&>>' : '&>';
  if (c === LT) {
    if (next === LT) {
      const third = src.charCodeAt(i + 2);
      return third === LT ? '<<<' : third === DASH ? '<<-' : '<<';
    }
    if (next === AMP) return src.charCodeAt(i + 2) === DASH ? '<&-' : '<&';
    return next === GT ? '<>' : '<';
  }
  if (next === AMP) return src.charCodeAt(i + 2) === DASH ? '>&-' : '>&';
  return next === GT ? '>>' : next === PIPE ? '>|' : '>';
}
