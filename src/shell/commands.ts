/**
 * A RUN script as data: every simple command in execution order, with its words (offsets into the script), the
 * operator joining it to the next, where it is nested, its redirects, and the shell state in force when it runs.
 * `parts` is the script's top level (the operands of its top-level `&&`/`||`/`;`/`&`/newline chain), which is where
 * a RUN can be split (see split.ts).
 */
import type {
  Assignment,
  ListNode,
  Operator,
  Range,
  Redirect,
  ShellNode,
  ShellSyntax,
  SimpleNode,
  SyntaxProblem,
  Word,
} from './ast.js';
import { parseShellMemo } from './memo.js';
import { lastIndexOfCode, SLASH } from './parser/chars.js';
import { applyCommand, changesState, defineFunction, initialState, type ShellState, setUnknown } from './state.js';

export type ContextKind =
  | 'subshell'
  | 'group'
  | 'if'
  | 'for'
  | 'while'
  | 'until'
  | 'case'
  | 'function'
  | 'command-substitution'
  | 'process-substitution'
  | 'pipeline'
  | 'background';

/** One level of nesting around a command, outermost first. */
export interface Context extends Range {
  kind: ContextKind;
  /** In `if`/`while`/`until`: whether the command is in the condition or in a body. */
  role?: 'condition' | 'body';
  /**
   * Which alternative: the clause of an `if` (0 = if, then each elif, else last), the item of a `case`, the element
   * of a pipeline. Two commands in the same construct with different branches never both run (except pipelines).
   */
  branch?: number;
  /** The function's name, or the `for` loop's variable. */
  name?: string;
}

export interface SimpleCommand extends Range {
  /** Position in `Script.commands` (execution order). */
  index: number;
  /** The static command name (`argv[0].value`), undefined when dynamic (`$CC -o x`) or for a bare assignment. */
  name: string | undefined;
  /** The argument words, `argv[0]` being the command name. Empty for a bare assignment (`A=1`). */
  argv: Word[];
  /** Prefix assignments (`DEBIAN_FRONTEND=noninteractive apt-get …`), or the whole command for `A=1`. */
  assignments: Assignment[];
  redirects: Redirect[];
  /** The operator after this command (walking out of enclosing constructs until one is found); undefined at the end. */
  operator: Operator | undefined;
  context: Context[];
  /** The shell state in force when this command starts (its own effects show in the next command's state). */
  state: ShellState;
  /** Negated by `!` (the pipeline it starts). */
  negated: boolean;
  /** Index into `Script.parts` of the top-level part containing it. */
  part: number;
}

/** One operand of the top-level chain, e.g. each of `a`, `b | c`, `if …; fi` in `a && b | c; if …; fi`. */
export interface TopLevelPart extends Range {
  node: ShellNode;
  /** The operator after it (`&&`, `||`, `;`, `&`, newline); undefined for the last. */
  operator: Operator | undefined;
  /** Its commands: `commands.slice(firstCommand, endCommand)`. */
  firstCommand: number;
  endCommand: number;
  /** Ended by `&`: runs in the background. */
  background: boolean;
  /** The shell state once it has run (what a command after it inherits). */
  stateAfter: ShellState;
}

export interface Script {
  source: string;
  /** The SHELL in force (default `["/bin/sh", "-c"]`). */
  shell: string[];
  /** False for shells this module cannot read (PowerShell, cmd): then there are no commands. */
  supported: boolean;
  commands: SimpleCommand[];
  parts: TopLevelPart[];
  /** The parser had to recover from a syntax error; see `problems`. Commands are still listed, best effort. */
  hasErrors: boolean;
  problems: SyntaxProblem[];
  /** The state before the first command (from the options), and after the last top-level command. */
  initialState: ShellState;
  finalState: ShellState;
  syntax: ShellSyntax;
}

export interface AnalyzeOptions {
  /** The SHELL instruction's argv in force, default `["/bin/sh", "-c"]`; flags before `-c` (`-eo pipefail`) count. */
  shell?: string[];
  /** The WORKDIR in force (default `/`). */
  cwd?: string;
  /**
   * Variables exported by the Dockerfile (ENV, and ARGs in scope). Freeze the record to let scripts given the same
   * record share one initial state (state.ts `initialState`).
   */
  env?: Readonly<Record<string, string>>;
}

export const defaultShell = ['/bin/sh', '-c'];

/** Shells whose language this module reads (POSIX sh and its supersets). */
const posixShells = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox']);

export function isPosixShell(shell: string[]): boolean {
  return posixShells.has(basename(shell[0] ?? ''));
}

export function analyzeScript(source: string, options: AnalyzeOptions = {}): Script {
  const shell = options.shell ?? defaultShell;
  const state = initialState({ cwd: options.cwd, env: options.env, shellFlags: shellFlags(shell) });
  if (!isPosixShell(shell)) {
    const root: ListNode = { type: 'list', start: 0, end: source.length, redirects: [], items: [] };
    return {
      source,
      shell,
      supported: false,
      commands: [],
      parts: [],
      hasErrors: false,
      problems: [],
      initialState: state,
      finalState: state,
      syntax: { source, root, problems: [] },
    };
  }
  const syntax = parseShellMemo(source);
  const builder = new Builder(state);
  builder.topLevel(syntax.root);
  return {
    source: syntax.source, // the same text, as the parser's flat copy (faster to read: see parser.ts `sequential`)
    shell,
    supported: true,
    commands: builder.commands,
    parts: builder.parts,
    hasErrors: syntax.problems.length > 0,
    problems: syntax.problems,
    initialState: state,
    finalState: builder.state,
    syntax,
  };
}

/**
 * Exec form (`RUN ["apt-get", "install", "-y", "x"]`) as one command: no shell, so no expansion, globbing or state
 * change. `ranges` (the JSON strings' positions in the Dockerfile) become the words' offsets; without them the
 * offsets are into `argv.join(' ')`.
 */
export function analyzeArgv(argv: string[], options: Omit<AnalyzeOptions, 'shell'> & { ranges?: Range[] } = {}): SimpleCommand {
  let offset = 0;
  const words = argv.map((arg, i): Word => {
    const range = options.ranges?.[i] ?? { start: offset, end: offset + arg.length };
    offset += arg.length + 1;
    return { ...range, text: arg, value: arg, quoted: false, glob: false, tilde: false, substitutions: [] };
  });
  const start = words[0]?.start ?? 0;
  const end = words[words.length - 1]?.end ?? 0;
  return {
    index: 0,
    start,
    end,
    name: argv[0],
    argv: words,
    assignments: [],
    redirects: [],
    operator: undefined,
    context: [],
    state: initialState({ cwd: options.cwd, env: options.env }),
    negated: false,
    part: 0,
  };
}

const noFlags: readonly string[] = [];

/** The flags of SHELL between the program and `-c` that set options (`["/bin/bash", "-eo", "pipefail", "-c"]`). */
function shellFlags(shell: string[]): readonly string[] {
  if (shell.length === 2 && shell[1] === '-c') return noFlags; // `["/bin/sh", "-c"]` and most SHELLs: no flags
  const c = shell.indexOf('-c');
  return shell.slice(1, c < 0 ? shell.length : c).filter((f, i, all) => /^[-+]/.test(f) || /^-\w*o$/.test(all[i - 1] ?? ''));
}

/** The last path component (`/usr/bin/apt-get` → `apt-get`); rules ask this of nearly every command name. */
export function basename(path: string): string {
  const slash = lastIndexOfCode(path, SLASH);
  return slash < 0 ? path : path.slice(slash + 1);
}

/**
 * The context of a top-level command: none. One array for all (contexts are never changed, only extended by copy);
 * not frozen: a frozen array among plain ones makes V8's `for…of` over contexts allocate an iterator per loop.
 */
const topContext: Context[] = [];

/** Walks the syntax tree in execution order, threading the state through. */
class Builder {
  readonly commands: SimpleCommand[] = [];
  readonly parts: TopLevelPart[] = [];
  private partIndex = 0;

  constructor(public state: ShellState) {}

  topLevel(root: ListNode): void {
    for (let n = 0; n < root.items.length; n++) {
      const item = root.items[n];
      const background = item.terminator?.token === '&';
      const context: Context[] = background ? [{ kind: 'background', start: item.node.start, end: item.node.end }] : topContext;
      if (item.node.type !== 'and-or') {
        this.part(item.node, context, item.terminator, background);
        continue;
      }
      const { items, operators } = item.node;
      for (let i = 0; i < items.length; i++)
        this.part(items[i], context, i < items.length - 1 ? operators[i] : item.terminator, background);
    }
  }

  /** One operand of the top-level chain. */
  private part(node: ShellNode, context: Context[], operator: Operator | undefined, background: boolean): void {
    this.partIndex = this.parts.length;
    const firstCommand = this.commands.length;
    // A background job runs in a subshell: its state changes do not survive it.
    const saved = this.state;
    this.node(node, context, operator);
    if (background) this.state = saved;
    this.parts.push({
      start: node.start,
      end: node.end,
      node,
      operator,
      firstCommand,
      endCommand: this.commands.length,
      background,
      stateAfter: this.state,
    });
  }

  private list(list: ListNode, context: Context[], follow: Operator | undefined): void {
    const items = list.items;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const last = i === items.length - 1;
      const background = item.terminator?.token === '&';
      const inner = background
        ? [...context, { kind: 'background' as const, start: item.node.start, end: item.node.end }]
        : context;
      const saved = this.state;
      this.node(item.node, inner, item.terminator ?? (last ? follow : undefined));
      if (background) this.state = saved;
    }
  }

  /** `context` with one more level: `node` as a construct of `kind`. */
  private frame(context: Context[], node: ShellNode, kind: ContextKind, extra?: Partial<Context>): Context[] {
    return [...context, { kind, start: node.start, end: node.end, ...extra }];
  }

  /** Walks `list` in a subshell (its state changes do not survive it). */
  private isolatedList(list: ListNode, context: Context[], follow: Operator | undefined): void {
    const saved = this.state;
    this.list(list, context, follow);
    this.state = saved;
  }

  private node(node: ShellNode, context: Context[], follow: Operator | undefined, negated = false): void {
    switch (node.type) {
      case 'simple':
        this.simple(node, context, follow, negated);
        return;
      case 'list':
        this.list(node, context, follow);
        return;
      case 'and-or':
        for (let i = 0; i < node.items.length; i++) this.node(node.items[i], context, node.operators[i] ?? follow);
        return;
      case 'pipeline': {
        const many = node.commands.length > 1;
        for (let i = 0; i < node.commands.length; i++) {
          const inner = many ? this.frame(context, node, 'pipeline', { branch: i }) : context;
          // Each element of a multi-command pipeline runs in a subshell (bash without lastpipe, dash, ash).
          const saved = this.state;
          this.node(node.commands[i], inner, node.operators[i] ?? follow, i === 0 && node.negated);
          if (many) this.state = saved;
        }
        return;
      }
      case 'subshell':
        this.isolatedList(node.body, this.frame(context, node, 'subshell'), follow);
        return;
      case 'group':
        this.list(node.body, this.frame(context, node, 'group'), follow);
        return;
      case 'if':
        for (let branch = 0; branch < node.clauses.length; branch++) {
          const clause = node.clauses[branch];
          if (clause.condition)
            this.list(clause.condition, this.frame(context, node, 'if', { role: 'condition', branch }), undefined);
          this.list(clause.body, this.frame(context, node, 'if', { role: 'body', branch }), follow);
        }
        return;
      case 'for':
        if (node.values) for (let i = 0; i < node.values.length; i++) this.substitutions(node.values[i], context);
        if (node.variable) this.state = setUnknown(this.state, [node.variable], node);
        this.list(
          node.body,
          this.frame(context, node, 'for', node.variable ? { role: 'body', name: node.variable } : { role: 'body' }),
          follow,
        );
        return;
      case 'while':
      case 'until':
        this.list(node.condition, this.frame(context, node, node.type, { role: 'condition' }), undefined);
        this.list(node.body, this.frame(context, node, node.type, { role: 'body' }), follow);
        return;
      case 'case':
        if (node.subject) this.substitutions(node.subject, context);
        for (let branch = 0; branch < node.items.length; branch++)
          this.list(node.items[branch].body, this.frame(context, node, 'case', { branch }), follow);
        return;
      case 'function': {
        this.state = defineFunction(this.state, node.name, node);
        // The body runs when called, not here: list its commands, but keep its effects out of the script's state.
        const saved = this.state;
        this.node(node.body, this.frame(context, node, 'function', { name: node.name }), undefined);
        this.state = saved;
        return;
      }
    }
  }

  private substitutions(word: Word, context: Context[]): void {
    const subs = word.substitutions;
    for (let i = 0; i < subs.length; i++) {
      const sub = subs[i];
      this.isolatedList(sub.body, [...context, { kind: sub.kind, start: sub.start, end: sub.end }], undefined);
    }
  }

  private simple(node: SimpleNode, context: Context[], follow: Operator | undefined, negated: boolean): void {
    // `$(…)` in the words and assignment values run first, in their own subshells. Indexed loops: the parser shares
    // one frozen empty array for absent parts, and `for…of` over frozen and plain arrays alike allocates an iterator.
    const { assignments, words, redirects } = node;
    for (let i = 0; i < assignments.length; i++) {
      const a = assignments[i];
      if (a.value) this.substitutions(a.value, context);
      if (a.elements) for (let j = 0; j < a.elements.length; j++) this.substitutions(a.elements[j], context);
    }
    for (let i = 0; i < words.length; i++) this.substitutions(words[i], context);
    for (let i = 0; i < redirects.length; i++) {
      const target = redirects[i].target;
      if (target) this.substitutions(target, context);
    }
    this.commands.push({
      index: this.commands.length,
      start: node.start,
      end: node.end,
      name: node.words[0]?.value,
      argv: node.words,
      assignments: node.assignments,
      redirects: node.redirects,
      operator: follow,
      context,
      state: this.state,
      negated,
      part: this.partIndex,
    });
    if (node.words.length === 0 ? node.assignments.length > 0 : changesState(node.words[0].value))
      this.state = applyCommand(
        this.state,
        node,
        node.words.map((w) => w.value),
      );
  }
}
