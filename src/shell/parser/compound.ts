/**
 * Compound commands: groups, subshells, `((…))`, if, for, while/until, case, `function`, and the test commands
 * `[ … ]` / `[[ … ]]` (which the tree-sitter path turned into commands with one word per operand and operator).
 * Ranges follow the former tree-sitter path: a clause's list runs from the end of its keyword to the start of the
 * next one; an elif/else clause or a case item ends with its last statement's terminator.
 */
import type { CaseNode, IfNode, ListItem, ListNode, Redirect, ShellNode, Word } from '../ast.js';
import { AMP, GT, isBlank, isWordEnd, LPAREN, LT, NEWLINE, PIPE, RPAREN, SEMI } from './chars.js';
import { list, type Parser, Stop } from './parser.js';
import { none } from './scratch.js';
import { arithmeticClose, makeWord } from './words.js';

/** The compound command at `p.pos`, with its trailing redirects; undefined when a simple command starts here. */
export function compoundCommand(p: Parser, redirects = true): ShellNode | undefined {
  const node = bareCompound(p);
  return node && redirects ? p.trailingRedirects(node, true) : node;
}

function bareCompound(p: Parser): ShellNode | undefined {
  const { src } = p;
  const c = src.charCodeAt(p.pos);
  if (c === LPAREN) return src.charCodeAt(p.pos + 1) === LPAREN ? arithmetic(p) : subshell(p);
  const keyword = p.keywordAt();
  switch (keyword) {
    case '{':
      return group(p);
    case 'if':
      return ifCommand(p);
    case 'for':
      return forCommand(p);
    case 'while':
    case 'until':
      return whileCommand(p, keyword);
    case 'case':
      return caseCommand(p);
    case 'function':
      return functionCommand(p);
    case '[':
    case '[[':
      return testCommand(p, keyword);
    default:
      return undefined;
  }
}

/** The statements up to the closer `stop`, as a list from `start` to the closer. */
function body(p: Parser, start: number, stop: number): ListNode {
  const items = nonEmpty(p, p.statements(stop));
  return list(start, p.pos, items);
}

/** A compound command's list must hold a command (`if then`, `{ }`, `do done` are syntax errors). */
function nonEmpty(p: Parser, items: ListItem[]): ListItem[] {
  if (items.length === 0) p.missing(p.pos, 'command');
  return items;
}

function subshell(p: Parser): ShellNode {
  const start = p.pos++;
  const inner = body(p, p.pos, Stop.paren);
  return { type: 'subshell', start, end: close(p, ')'), redirects: none, body: inner };
}

function group(p: Parser): ShellNode {
  const start = p.pos++;
  const inner = body(p, p.pos, Stop.brace);
  return { type: 'group', start, end: close(p, '}'), redirects: none, body: inner };
}

/** Consumes the closer `token` (reporting it missing when absent); returns the end of the construct. */
function close(p: Parser, token: string): number {
  if (p.pos < p.limit && p.src.startsWith(token, p.pos)) {
    p.pos += token.length;
    return p.pos;
  }
  p.missing(p.pos, token);
  return p.pos;
}

/** `((…))`: an arithmetic command; the tree-sitter path made it an empty group. */
function arithmetic(p: Parser): ShellNode {
  const start = p.pos;
  const closeAt = arithmeticClose(p, start + 2);
  p.pos = closeAt;
  const end = close(p, '))');
  return { type: 'group', start, end, redirects: none, body: list(start + 2, closeAt, none) };
}

function ifCommand(p: Parser): ShellNode {
  const start = p.pos;
  p.pos += 2;
  const clauses: IfNode['clauses'] = [];
  let kind: 'if' | 'elif' = 'if';
  for (;;) {
    const condition = body(p, p.pos, Stop.thenKeyword);
    p.expectKeyword('then');
    const thenEnd = p.pos;
    const items = nonEmpty(p, p.statements(Stop.elseFi));
    const clause = { kind, condition, body: list(thenEnd, clauseEnd(p, kind, thenEnd, items), items) };
    clauses.push(clause);
    const next = p.keywordAt();
    if (next === 'elif') {
      p.pos += 4;
      kind = 'elif';
      continue;
    }
    if (next === 'else') {
      p.pos += 4;
      const elseStart = p.pos;
      const elseItems = nonEmpty(p, p.statements(Stop.elseFi));
      clauses.push({
        kind: 'else',
        condition: undefined,
        body: list(elseStart, clauseEnd(p, 'else', elseStart, elseItems), elseItems),
      });
    }
    break;
  }
  p.expectKeyword('fi');
  return { type: 'if', start, end: p.pos, redirects: none, clauses };
}

/** The `if` clause's body ends where the next keyword starts; elif and else clauses end with their last statement. */
function clauseEnd(p: Parser, kind: 'if' | 'elif' | 'else', from: number, items: ListItem[]): number {
  if (kind === 'if') return p.pos;
  return itemsEnd(items, from);
}

function itemsEnd(items: ListItem[], from: number): number {
  const last = items[items.length - 1];
  if (!last) return from;
  return last.terminator ? Math.max(last.terminator.end, last.node.end) : last.node.end;
}

function forCommand(p: Parser): ShellNode {
  const start = p.pos;
  p.pos += 3;
  p.skipBlanks();
  let variable: string | undefined;
  let values: Word[] | undefined;
  if (p.src.startsWith('((', p.pos)) {
    p.pos = arithmeticClose(p, p.pos + 2);
    close(p, '))');
  } else if (p.pos < p.limit && !isWordEnd(p.src.charCodeAt(p.pos))) {
    variable = p.word().text;
    p.skipLinebreaks();
    if (p.keywordAt() === 'in') {
      p.pos += 2;
      values = [];
      for (;;) {
        p.skipBlanks();
        if (p.pos >= p.limit || isWordEnd(p.src.charCodeAt(p.pos))) break;
        values.push(p.word());
      }
    }
  } else p.missing(p.pos, 'variable_name');
  p.skipBlanks();
  if (p.src.charCodeAt(p.pos) === SEMI) p.pos++;
  const loop = doGroup(p);
  return { type: 'for', start, end: p.pos, redirects: none, variable, values, body: loop };
}

/** `do … done` (or a `{ … }` body): the statements between the keywords. */
function doGroup(p: Parser): ListNode {
  p.skipLinebreaks();
  if (p.keywordAt() === '{') {
    const start = p.pos + 1;
    const node = group(p);
    return node.type === 'group' ? node.body : list(start, p.pos, none);
  }
  if (!p.expectKeyword('do')) return list(p.pos, p.pos, none);
  const inner = body(p, p.pos, Stop.done);
  p.expectKeyword('done');
  return inner;
}

function whileCommand(p: Parser, keyword: 'while' | 'until'): ShellNode {
  const start = p.pos;
  p.pos += keyword.length;
  const condition = body(p, p.pos, Stop.do);
  const loop = doGroup(p);
  return { type: keyword, start, end: p.pos, redirects: none, condition, body: loop };
}

function caseCommand(p: Parser): ShellNode {
  const start = p.pos;
  p.pos += 4;
  p.skipBlanks();
  const subject = p.pos < p.limit && !isWordEnd(p.src.charCodeAt(p.pos)) ? p.word() : undefined;
  if (!subject) p.missing(p.pos, 'word');
  p.skipLinebreaks();
  const node: CaseNode = { type: 'case', start, end: p.pos, redirects: none, subject, items: [] };
  if (!p.expectKeyword('in')) return node;
  for (;;) {
    p.skipLinebreaks();
    if (p.pos >= p.limit || p.keywordAt() === 'esac') break;
    if (!caseItem(p, node)) break;
  }
  p.expectKeyword('esac');
  node.end = p.pos;
  return node;
}

/** One `pattern | pattern ) statements ;;` item, added to `node`; false when no pattern could be read. */
function caseItem(p: Parser, node: CaseNode): boolean {
  const { src } = p;
  if (src.charCodeAt(p.pos) === LPAREN) p.pos++;
  const patterns: Word[] = [];
  for (;;) {
    p.skipBlanks();
    const c = src.charCodeAt(p.pos);
    if (p.pos >= p.limit || isWordEnd(c)) break;
    patterns.push(p.word());
    p.skipBlanks();
    if (src.charCodeAt(p.pos) !== PIPE) break;
    p.pos++;
  }
  if (patterns.length === 0 || src.charCodeAt(p.pos) !== RPAREN) {
    p.error(p.pos, Math.min(p.pos + 1, p.limit));
    return false;
  }
  p.pos++;
  const bodyStart = p.pos;
  const items = p.statements(Stop.caseItem | Stop.elseFi);
  let end = itemsEnd(items, bodyStart);
  if (p.stoppedAtCaseTerminator) {
    const length = src.startsWith(';;&', p.pos) ? 3 : 2;
    const token = src.slice(p.pos, p.pos + length) as ';;' | ';&' | ';;&';
    const op = p.operator(token, length);
    const last = items[items.length - 1];
    if (last && !last.terminator) last.terminator = op;
    end = op.end;
  }
  node.items.push({ patterns, body: list(bodyStart, end, items) });
  return true;
}

function functionCommand(p: Parser): ShellNode {
  const start = p.pos;
  p.pos += 8;
  p.skipBlanks();
  if (p.pos >= p.limit || isWordEnd(p.src.charCodeAt(p.pos))) {
    p.missing(p.pos, 'word');
    return { type: 'function', start, end: p.pos, redirects: none, name: '', body: list(p.pos, p.pos, none) };
  }
  const name = p.word().text;
  p.skipBlanks();
  if (p.src.startsWith('()', p.pos)) p.pos += 2;
  return p.trailingRedirects(p.functionBody(start, name), false);
}

/** `[ … ]` / `[[ … ]]`: the brackets, operands and operators each become a word of one command. */
function testCommand(p: Parser, open: '[' | '[['): ShellNode {
  const start = p.pos;
  const closer = open === '[' ? ']' : ']]';
  const words: Word[] = [p.word()];
  let redirects: Redirect[] = none;
  let regex = false;
  for (;;) {
    p.skipBlanks();
    const { src } = p;
    const c = src.charCodeAt(p.pos);
    if (open === '[' && p.pos < p.limit && p.atRedirect()) {
      // `[` is a plain command to bash: `[ a > b ]` tests `a` with its output to `b`.
      if (redirects === none) redirects = [p.redirect()];
      else redirects.push(p.redirect());
      continue;
    }
    if (p.pos >= p.limit || c === NEWLINE || (c === SEMI && open === '[') || (open === '[' && (c === AMP || c === PIPE))) {
      p.missing(p.pos, closer);
      break;
    }
    const word: Word | undefined = regex ? regexWord(p) : open === '[[' ? testToken(p) : bracketWord(p);
    if (!word) {
      p.error(p.pos, p.pos + 1);
      p.pos++;
      continue;
    }
    words.push(word);
    if (word.text === closer) break;
    regex = open === '[[' && word.text === '=~';
  }
  return { type: 'simple', start, end: p.pos, redirects, assignments: none, words };
}

/** Inside `[ … ]`: a shell word; undefined at `(` or `)`, which bash refuses there. */
function bracketWord(p: Parser): Word | undefined {
  const c = p.src.charCodeAt(p.pos);
  return c === LPAREN || c === RPAREN ? undefined : p.word();
}

/** Inside `[[ ]]`: `&&`, `||`, `(`, `)`, `<`, `>` are words of their own; anything else is a shell word. */
function testToken(p: Parser): Word | undefined {
  const { src } = p;
  const c = src.charCodeAt(p.pos);
  const next = src.charCodeAt(p.pos + 1);
  let length = 0;
  if ((c === AMP || c === PIPE) && next === c) length = 2;
  else if (c === LPAREN || c === RPAREN || c === LT || c === GT) length = 1;
  else if (c === SEMI || c === AMP || c === PIPE) return undefined;
  if (length === 0) return p.word();
  const start = p.pos;
  p.pos += length;
  return tokenWord(p, start);
}

/** The right side of `=~`: up to a blank outside parentheses. */
function regexWord(p: Parser): Word {
  const { src } = p;
  const start = p.pos;
  let depth = 0;
  let i = start;
  while (i < p.limit) {
    const c = src.charCodeAt(i);
    if (c === LPAREN) depth++;
    else if (c === RPAREN) depth--;
    else if ((isBlank(c) || c === NEWLINE) && depth <= 0) break;
    i++;
  }
  p.pos = i;
  return tokenWord(p, start);
}

function tokenWord(p: Parser, start: number): Word {
  return makeWord(p.src, start, p.pos, none);
}
