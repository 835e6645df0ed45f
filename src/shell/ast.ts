/**
 * The plain-data shell syntax tree that src/shell/parse.ts builds from tree-sitter-bash's concrete tree. It keeps
 * what later stages reason about (commands, words, operators, nesting, redirects) with offsets into the script text,
 * and it fixes the grammar's known mis-associations (see parse.ts), so nothing downstream sees tree-sitter's quirks.
 * Offsets are JavaScript string indices (UTF-16 code units) into the script: `script.slice(start, end)` is exact.
 */

export interface Range {
  start: number;
  end: number;
}

/** One shell word: an argument, a command name, an assignment value, a redirect target. */
export interface Word extends Range {
  /** Exactly as written (the script's text from start to end, quotes and escapes included). */
  text: string;
  /**
   * The word after quote removal when it is static, e.g. `"a b"` → `a b`, `x\ y` → `x y`; undefined when it holds a
   * parameter expansion, a command substitution or arithmetic (`$HOME/x`, `$(pwd)`), whose value only the running
   * shell knows. Globs and a leading `~` stay literal here: see `glob` and `tilde`.
   */
  value: string | undefined;
  /** Some part is quoted ('…', "…", $'…' or a backslash escape). */
  quoted: boolean;
  /** Contains an unquoted `*`, `?` or `[`: the shell expands it against the file system. */
  glob: boolean;
  /** Starts with an unquoted `~` (home directory expansion). */
  tilde: boolean;
  /** Commands run by `$(…)`, backticks or `<(…)` inside this word, in order. */
  substitutions: Substitution[];
}

export interface Substitution extends Range {
  kind: 'command-substitution' | 'process-substitution';
  body: ListNode;
}

export interface Assignment extends Range {
  name: string;
  /** The value after `=` (absent for `a=`, and for arrays `a=(…)`, whose elements are in `elements`). */
  value: Word | undefined;
  elements?: Word[];
  /** `+=` rather than `=`. */
  append: boolean;
}

export interface Heredoc {
  /** The delimiter word with quotes removed (`'EOF'` → `EOF`). */
  delimiter: string;
  /** A quoted delimiter: the body is literal, no expansion. */
  quoted: boolean;
  /** `<<-`: leading tabs are stripped from the body lines. */
  stripTabs: boolean;
  /** The body text's range (between the operator's line end and the closing delimiter line). */
  body: Range;
}

export interface Redirect extends Range {
  /** `>`, `>>`, `<`, `>&`, `<&`, `&>`, `&>>`, `>|`, `<>`, `<<`, `<<-`, `<<<`. */
  op: string;
  /** The explicit file descriptor (`2>`), if any. */
  fd: number | undefined;
  /** The file, descriptor or here-string word; the delimiter for a heredoc. */
  target: Word | undefined;
  heredoc?: Heredoc;
}

/** The tokens that separate or join commands. `\n` is a newline acting as `;`. */
export type OperatorToken = '&&' | '||' | ';' | '&' | '|' | '|&' | '\n' | ';;' | ';&' | ';;&';

export interface Operator extends Range {
  token: OperatorToken;
}

interface NodeBase extends Range {
  /** Redirections applied to the whole node (`{ …; } > log`, `while …; done < file`, `cmd 2>&1`). */
  redirects: Redirect[];
}

/** `FOO=1 cmd arg >file`: assignments, argv words and redirects. A bare `FOO=1` has no words. */
export interface SimpleNode extends NodeBase {
  type: 'simple';
  assignments: Assignment[];
  words: Word[];
}

/** `a | b | c`, optionally negated (`! a | b`). `operators[i]` joins `commands[i]` and `commands[i + 1]`. */
export interface PipelineNode extends NodeBase {
  type: 'pipeline';
  negated: boolean;
  commands: ShellNode[];
  operators: Operator[];
}

/** `a && b || c`: left-associative, equal precedence. `operators[i]` joins `items[i]` and `items[i + 1]`. */
export interface AndOrNode extends NodeBase {
  type: 'and-or';
  items: ShellNode[];
  operators: Operator[];
}

/** A sequence of statements, each optionally ended by `;`, `&`, a newline or (in `case`) `;;`. */
export interface ListNode extends NodeBase {
  type: 'list';
  items: ListItem[];
}

export interface ListItem {
  node: ShellNode;
  terminator: Operator | undefined;
}

export interface SubshellNode extends NodeBase {
  type: 'subshell';
  body: ListNode;
}

export interface GroupNode extends NodeBase {
  type: 'group';
  body: ListNode;
}

export interface IfNode extends NodeBase {
  type: 'if';
  /** `if`, each `elif`, then `else` (which has no condition). */
  clauses: { kind: 'if' | 'elif' | 'else'; condition: ListNode | undefined; body: ListNode }[];
}

export interface ForNode extends NodeBase {
  type: 'for';
  /** The loop variable (`for x in …`); undefined for the arithmetic form `for ((…))`. */
  variable: string | undefined;
  /** The words after `in`; undefined when `in` is omitted (the positional parameters). */
  values: Word[] | undefined;
  body: ListNode;
}

export interface WhileNode extends NodeBase {
  type: 'while' | 'until';
  condition: ListNode;
  body: ListNode;
}

export interface CaseNode extends NodeBase {
  type: 'case';
  subject: Word | undefined;
  items: { patterns: Word[]; body: ListNode }[];
}

export interface FunctionNode extends NodeBase {
  type: 'function';
  name: string;
  body: ShellNode;
}

export type ShellNode =
  | SimpleNode
  | PipelineNode
  | AndOrNode
  | ListNode
  | SubshellNode
  | GroupNode
  | IfNode
  | ForNode
  | WhileNode
  | CaseNode
  | FunctionNode;

/** Where the parser had to recover: an unexpected token (`error`) or one it assumed (`missing`, e.g. a `)`). */
export interface SyntaxProblem extends Range {
  kind: 'error' | 'missing';
  /** What was missing (`)`, `fi`, …) or the text that could not be parsed, shortened. */
  text: string;
}

export interface ShellSyntax {
  source: string;
  root: ListNode;
  problems: SyntaxProblem[];
}
