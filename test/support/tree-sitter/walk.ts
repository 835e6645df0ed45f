/**
 * The former shell parser, kept as the oracle of test/shell/parser-differential.test.ts (src/shell/parser/ replaced
 * it): tree-sitter-bash's concrete tree → the plain syntax tree of ast.ts. The WASM parser itself loads in load.ts. The grammar mis-associates a few constructs, corrected here so later stages never see them:
 * - a redirect after an and-or list or pipeline (`a && b >log`) is attached to the list; the shell applies it to the
 *   last command only;
 * - a heredoc operator swallows the rest of its line (`cat <<EOF | sh && b`), nesting `| sh && b` inside the redirect;
 * - `[ … ]` and `[[ … ]]` are test nodes, not commands; they become the command `[` / `[[` with their words.
 * Chains are therefore flattened to operands and operators and rebuilt with the shell's precedence (`|` binds tighter
 * than `&&`/`||`, which are equal and left-associative).
 * The walk reads the flat copy of the tree made by flat-tree.ts (plain arrays, one TreeCursor pass), not tree-sitter's
 * `Node` objects, whose every property read is a WASM call; only the rare tree with errors is read node by node.
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
  SimpleNode,
  Substitution,
  SyntaxProblem,
  Word,
} from '../../../src/shell/ast.js';
import { makeWord } from '../../../src/shell/parser/words.js';
import { childForField, childrenOf, type FlatTree, flattenTree, mayHoldSubstitution, namedChildrenOf } from './flat-tree.js';
import type { SyntaxNode, SyntaxTree } from './load.js';
import { parseShellTree } from './load.js';

/** Parses a script (after `await initShellParser()`); frees the tree-sitter tree before returning. */
export function treeSitterParse(source: string): ShellSyntax {
  const tree = parseShellTree(source);
  try {
    return fromTree(tree, source);
  } finally {
    tree.delete();
  }
}

/** Converts a tree-sitter-bash tree of `source` (pure; the caller still owns and frees the tree). */
export function fromTree(tree: SyntaxTree, source: string): ShellSyntax {
  const walker = new Walker(flattenTree(tree, source));
  const root = walker.block(walker.children(0), 0, source.length);
  const rootNode = tree.rootNode;
  return { source, root, problems: rootNode.hasError ? problemsOf(rootNode, source) : [] };
}

const statementTypes = new Set([
  'command',
  'declaration_command',
  'unset_command',
  'variable_assignment',
  'variable_assignments',
  'test_command',
  'negated_command',
  'redirected_statement',
  'list',
  'pipeline',
  'subshell',
  'compound_statement',
  'if_statement',
  'for_statement',
  'c_style_for_statement',
  'while_statement',
  'case_statement',
  'function_definition',
  'ERROR',
]);

const terminatorTokens = new Set<string>([';', '&', ';;', ';&', ';;&', '\n']);
const chainTokens = new Set<string>(['&&', '||', '|', '|&']);
const redirectTypes = new Set(['file_redirect', 'heredoc_redirect', 'herestring_redirect']);
const substitutionTypes: Record<string, Substitution['kind']> = {
  command_substitution: 'command-substitution',
  process_substitution: 'process-substitution',
};
const testGrouping = new Set(['unary_expression', 'binary_expression', 'parenthesized_expression', 'postfix_expression']);

/** One element of a flattened chain: an operand, or the operator before the next operand. */
type ChainPart = { operand: ShellNode; negated: boolean } | { operator: Operator };

/** Walks the flat copy of the tree (flat-tree.ts); a node is its index there. */
class Walker {
  private readonly source: string;
  private readonly type: string[];
  private readonly named: boolean[];
  private readonly startOf: number[];
  private readonly endOf: number[];

  constructor(private readonly flat: FlatTree) {
    this.source = flat.source;
    this.type = flat.type;
    this.named = flat.named;
    this.startOf = flat.start;
    this.endOf = flat.end;
  }

  children(node: number): number[] {
    return childrenOf(this.flat, node);
  }

  private text(node: number): string {
    return this.source.slice(this.startOf[node], this.endOf[node]);
  }

  /** A sequence of statements among `children` (other children — keywords, braces, comments — are skipped). */
  block(children: number[], start: number, end: number): ListNode {
    const items: ListItem[] = [];
    let last = -1;
    for (const child of children) {
      const type = this.type[child];
      if (!this.named[child] && terminatorTokens.has(type) && items.length > 0 && !items[items.length - 1].terminator) {
        items[items.length - 1].terminator = this.operator(child);
        last = child;
        continue;
      }
      if (!statementTypes.has(type)) continue;
      this.newlineTerminator(items, last, this.startOf[child]);
      this.statements(child, items);
      last = child;
    }
    if (last >= 0) this.newlineTerminator(items, last, end);
    return { type: 'list', start, end, redirects: [], items };
  }

  /** A statement not followed by `;` or `&` but by a line break is ended by that newline. */
  private newlineTerminator(items: ListItem[], previous: number, next: number): void {
    const item = items[items.length - 1];
    if (!item || item.terminator || previous < 0) return;
    const at = this.source.indexOf('\n', this.endOf[previous]);
    if (at >= 0 && at < next) item.terminator = { token: '\n', start: at, end: at + 1 };
  }

  /** Usually one node; an ERROR node yields whatever statements the parser recovered inside it. */
  private statements(node: number, out: ListItem[]): void {
    if (this.type[node] !== 'ERROR') {
      out.push({ node: this.statement(node), terminator: undefined });
      return;
    }
    for (const child of namedChildrenOf(this.flat, node)) if (statementTypes.has(this.type[child])) this.statements(child, out);
  }

  private statement(node: number): ShellNode {
    switch (this.type[node]) {
      case 'command':
        return this.command(node);
      case 'declaration_command':
      case 'unset_command':
        return this.declaration(node);
      case 'variable_assignment':
        return this.simple(node, [this.assignment(node)], [], []);
      case 'variable_assignments':
        return this.simple(
          node,
          namedChildrenOf(this.flat, node)
            .filter((c) => this.type[c] === 'variable_assignment')
            .map((c) => this.assignment(c)),
          [],
          [],
        );
      case 'test_command':
        return this.simple(node, [], this.testWords(node), []);
      case 'list':
      case 'pipeline':
      case 'negated_command':
      case 'redirected_statement':
        return this.chain(node);
      case 'subshell':
        return { type: 'subshell', start: this.startOf[node], end: this.endOf[node], redirects: [], body: this.inner(node) };
      case 'compound_statement':
        return { type: 'group', start: this.startOf[node], end: this.endOf[node], redirects: [], body: this.inner(node) };
      case 'if_statement':
        return this.ifStatement(node);
      case 'for_statement':
      case 'c_style_for_statement':
        return this.forStatement(node);
      case 'while_statement':
        return this.whileStatement(node);
      case 'case_statement':
        return this.caseStatement(node);
      case 'function_definition':
        return this.functionDefinition(node);
      default: {
        const body = this.block(this.children(node), this.startOf[node], this.endOf[node]);
        return body.items.length === 1 ? body.items[0].node : body;
      }
    }
  }

  /** The statements between a construct's delimiters (`( … )`, `{ … }`, `do … done`, `$( … )`). */
  private inner(node: number): ListNode {
    const children = this.children(node);
    const first = children.length > 0 ? children[0] : -1;
    const last = children.length > 0 ? children[children.length - 1] : -1;
    const start = first >= 0 && !this.named[first] ? this.endOf[first] : this.startOf[node];
    const end = last >= 0 && !this.named[last] && children.length > 1 ? this.startOf[last] : this.endOf[node];
    return this.block(children, start, end);
  }

  private simple(node: number, assignments: Assignment[], words: Word[], redirects: Redirect[]): SimpleNode {
    return { type: 'simple', start: this.startOf[node], end: this.endOf[node], redirects, assignments, words };
  }

  private command(node: number): SimpleNode {
    const assignments: Assignment[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    const { flat } = this;
    for (let child = flat.first[node]; child >= 0; child = flat.next[child]) {
      const type = this.type[child];
      if (type === 'variable_assignment' && words.length === 0) assignments.push(this.assignment(child));
      else if (redirectTypes.has(type)) this.redirect(child, redirects);
      else if (type === 'command_name') words.push(this.word(namedChildrenOf(flat, child)[0] ?? child));
      else if (flat.field[child] === 'argument' || (this.named[child] && type !== 'comment')) words.push(this.word(child));
    }
    return this.simple(node, assignments, words, redirects);
  }

  /** `export A=1 B`, `local x`, `unset -f f`: the keyword is the command name; every operand is a word. */
  private declaration(node: number): SimpleNode {
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    const { flat } = this;
    for (let child = flat.first[node]; child >= 0; child = flat.next[child]) {
      const type = this.type[child];
      if (redirectTypes.has(type)) this.redirect(child, redirects);
      else if (type !== 'comment') words.push(this.word(child));
    }
    return this.simple(node, [], words, redirects);
  }

  /** `[ -f x ]` → words `[`, `-f`, `x`, `]`: operands whole, operators and brackets as their own words. */
  private testWords(node: number): Word[] {
    const out: Word[] = [];
    const { flat } = this;
    const visit = (n: number): void => {
      if (flat.first[n] < 0 || (this.named[n] && !testGrouping.has(this.type[n]))) out.push(this.word(n));
      else for (let c = flat.first[n]; c >= 0; c = flat.next[c]) visit(c);
    };
    for (let child = flat.first[node]; child >= 0; child = flat.next[child]) visit(child);
    return out;
  }

  private assignment(node: number): Assignment {
    const { flat } = this;
    const nameNode = childForField(flat, node, 'name');
    const valueNode = childForField(flat, node, 'value');
    let append = false;
    for (let c = flat.first[node]; c >= 0; c = flat.next[c]) if (this.type[c] === '+=') append = true;
    const assignment: Assignment = {
      start: this.startOf[node],
      end: this.endOf[node],
      name: nameNode >= 0 ? this.text(nameNode) : '',
      value: undefined,
      append,
    };
    if (valueNode >= 0 && this.type[valueNode] === 'array')
      assignment.elements = namedChildrenOf(flat, valueNode).map((c) => this.word(c));
    else if (valueNode >= 0) assignment.value = this.word(valueNode);
    return assignment;
  }

  word(node: number): Word {
    const start = this.startOf[node];
    const end = this.endOf[node];
    const substitutions: Substitution[] = [];
    // Sub-trees of words are only copied where a substitution may be (flat-tree.ts): check the same condition.
    if (mayHoldSubstitution(this.source, start, end)) this.findSubstitutions(node, substitutions);
    return makeWord(this.source, start, end, substitutions);
  }

  private findSubstitutions(node: number, out: Substitution[]): void {
    const kind = substitutionTypes[this.type[node]];
    if (kind) {
      out.push({ kind, start: this.startOf[node], end: this.endOf[node], body: this.inner(node) });
      return;
    }
    const { flat } = this;
    for (let c = flat.first[node]; c >= 0; c = flat.next[c]) if (this.named[c]) this.findSubstitutions(c, out);
  }

  /** A redirect node, appended to `out`; a heredoc may also carry the rest of its line (returned), see the file comment. */
  private redirect(node: number, out: Redirect[]): number[] {
    if (this.type[node] !== 'heredoc_redirect') {
      out.push(this.plainRedirect(node));
      return [];
    }
    const { flat } = this;
    const nested: Redirect[] = [];
    const tail: number[] = [];
    let op = '<<';
    let startNode = -1;
    let bodyNode = -1;
    let endNode = -1;
    let fd: number | undefined;
    for (let child = flat.first[node]; child >= 0; child = flat.next[child]) {
      const type = this.type[child];
      const field = flat.field[child];
      if (type === '<<' || type === '<<-') op = type;
      else if (type === 'file_descriptor') fd = Number(this.text(child));
      else if (type === 'heredoc_start') startNode = child;
      else if (type === 'heredoc_body') bodyNode = child;
      else if (type === 'heredoc_end') endNode = child;
      else if (field === 'redirect') this.redirect(child, nested);
      else if (field === 'operator' || field === 'right' || type === 'pipeline' || statementTypes.has(type)) tail.push(child);
    }
    const delimiter = startNode >= 0 ? this.word(startNode) : undefined;
    const nodeStart = this.startOf[node];
    const nodeEnd = this.endOf[node];
    const lineEnd = this.source.indexOf('\n', nodeStart);
    const bodyStart = bodyNode >= 0 ? this.startOf[bodyNode] : lineEnd < 0 ? nodeEnd : lineEnd + 1;
    const bodyEnd = endNode >= 0 ? this.startOf[endNode] : bodyNode >= 0 ? this.endOf[bodyNode] : bodyStart;
    out.push(
      {
        start: nodeStart,
        end: startNode >= 0 ? this.endOf[startNode] : nodeEnd,
        op,
        fd,
        target: delimiter,
        heredoc: {
          delimiter: delimiter?.value ?? delimiter?.text ?? '',
          quoted: delimiter?.quoted ?? false,
          stripTabs: op === '<<-',
          body: { start: bodyStart, end: Math.max(bodyStart, bodyEnd) },
        },
      },
      ...nested,
    );
    return tail;
  }

  private plainRedirect(node: number): Redirect {
    let op = '';
    let fd: number | undefined;
    let target: Word | undefined;
    const { flat } = this;
    for (let child = flat.first[node]; child >= 0; child = flat.next[child]) {
      const type = this.type[child];
      if (type === 'file_descriptor') fd = Number(this.text(child));
      else if (!this.named[child] && !op) op = type;
      else if (this.named[child] && !target && type !== 'ERROR') target = this.word(child);
    }
    return { start: this.startOf[node], end: this.endOf[node], op, fd, target };
  }

  /** `a | b && c || d`, possibly negated or redirected, possibly mis-nested by the grammar: flatten, then rebuild. */
  private chain(node: number): ShellNode {
    const parts: ChainPart[] = [];
    this.flatten(node, parts, false);
    return rebuild(parts);
  }

  private flatten(node: number, out: ChainPart[], negated: boolean): void {
    const { flat } = this;
    switch (this.type[node]) {
      case 'list':
      case 'pipeline':
        for (let child = flat.first[node]; child >= 0; child = flat.next[child]) {
          const type = this.type[child];
          if (!this.named[child] && chainTokens.has(type)) out.push({ operator: this.operator(child) });
          else if (statementTypes.has(type)) this.flatten(child, out, false);
        }
        return;
      case 'negated_command':
        for (let child = flat.first[node]; child >= 0; child = flat.next[child])
          if (this.named[child] && statementTypes.has(this.type[child])) this.flatten(child, out, true);
        return;
      case 'redirected_statement':
        this.redirectedStatement(node, out, negated);
        return;
      default:
        out.push({ operand: this.statement(node), negated });
    }
  }

  private redirectedStatement(node: number, out: ChainPart[], negated: boolean): void {
    const { flat } = this;
    const body = childForField(flat, node, 'body');
    const first = out.length;
    if (body >= 0) this.flatten(body, out, negated);
    const redirects: Redirect[] = [];
    const tails: number[] = [];
    for (let child = flat.first[node]; child >= 0; child = flat.next[child]) {
      if (redirectTypes.has(this.type[child])) tails.push(...this.redirect(child, redirects));
    }
    // `>> file` alone is a command with no words; otherwise the redirects belong to the last operand of the body
    // (the shell binds them to one command, not to the list).
    if (body < 0) out.push({ operand: this.simple(node, [], [], []), negated });
    const target = lastOperand(out, first);
    if (target) {
      target.redirects.push(...redirects);
      for (const r of redirects) if (r.end > target.end) target.end = r.end;
    }
    for (const tail of tails) {
      if (!this.named[tail]) out.push({ operator: this.operator(tail) });
      else this.flatten(tail, out, false);
    }
  }

  private ifStatement(node: number): ShellNode {
    const clauses: { kind: 'if' | 'elif' | 'else'; condition: ListNode | undefined; body: ListNode }[] = [];
    const clause = (kind: 'if' | 'elif' | 'else', children: number[], from: number, to: number): void => {
      if (kind === 'else') {
        clauses.push({ kind, condition: undefined, body: this.block(children, from, to) });
        return;
      }
      const then = children.findIndex((c) => this.type[c] === 'then');
      const conditionChildren = then < 0 ? children : children.slice(0, then);
      const bodyChildren = then < 0 ? [] : children.slice(then + 1);
      const bodyStart = then < 0 ? to : this.endOf[children[then]];
      clauses.push({
        kind,
        condition: this.block(conditionChildren, from, then < 0 ? to : this.startOf[children[then]]),
        body: this.block(bodyChildren, bodyStart, to),
      });
    };
    const children = this.children(node);
    const nested = children.findIndex((c) => {
      const type = this.type[c];
      return type === 'elif_clause' || type === 'else_clause' || type === 'fi';
    });
    const own = nested < 0 ? children : children.slice(0, nested);
    clause('if', own.slice(1), this.endOf[children[0]], nested < 0 ? this.endOf[node] : this.startOf[children[nested]]);
    for (const child of children) {
      const type = this.type[child];
      if (type === 'elif_clause' || type === 'else_clause') {
        const inner = this.children(child);
        const from = inner.length > 0 ? this.endOf[inner[0]] : this.startOf[child];
        clause(type === 'elif_clause' ? 'elif' : 'else', inner.slice(1), from, this.endOf[child]);
      }
    }
    return { type: 'if', start: this.startOf[node], end: this.endOf[node], redirects: [], clauses };
  }

  private forStatement(node: number): ShellNode {
    const { flat } = this;
    const body = childForField(flat, node, 'body');
    const values: Word[] = [];
    let hasIn = false;
    for (let c = flat.first[node]; c >= 0; c = flat.next[c]) {
      if (this.type[c] === 'in') hasIn = true;
      else if (flat.field[c] === 'value') values.push(this.word(c));
    }
    const variable = this.type[node] === 'for_statement' ? childForField(flat, node, 'variable') : -1;
    return {
      type: 'for',
      start: this.startOf[node],
      end: this.endOf[node],
      redirects: [],
      variable: variable >= 0 ? this.text(variable) : undefined,
      values: hasIn ? values : undefined,
      body: body >= 0 ? this.inner(body) : emptyList(this.endOf[node]),
    };
  }

  private whileStatement(node: number): ShellNode {
    const { flat } = this;
    const body = childForField(flat, node, 'body');
    const conditionChildren: number[] = [];
    for (let c = flat.first[node]; c >= 0; c = flat.next[c]) if (flat.field[c] === 'condition') conditionChildren.push(c);
    const keyword = flat.first[node];
    return {
      type: keyword >= 0 && this.type[keyword] === 'until' ? 'until' : 'while',
      start: this.startOf[node],
      end: this.endOf[node],
      redirects: [],
      condition: this.block(
        conditionChildren,
        keyword >= 0 ? this.endOf[keyword] : this.startOf[node],
        body >= 0 ? this.startOf[body] : this.endOf[node],
      ),
      body: body >= 0 ? this.inner(body) : emptyList(this.endOf[node]),
    };
  }

  private caseStatement(node: number): ShellNode {
    const { flat } = this;
    const subject = childForField(flat, node, 'value');
    const items = namedChildrenOf(flat, node)
      .filter((c) => this.type[c] === 'case_item')
      .map((item) => {
        const children = this.children(item);
        const close = children.findIndex((c) => this.type[c] === ')');
        const patterns = children.filter((c) => flat.field[c] === 'value').map((p) => this.word(p));
        const bodyChildren = children.slice(close + 1);
        return {
          patterns,
          body: this.block(bodyChildren, close >= 0 ? this.endOf[children[close]] : this.startOf[item], this.endOf[item]),
        };
      });
    return {
      type: 'case',
      start: this.startOf[node],
      end: this.endOf[node],
      redirects: [],
      subject: subject >= 0 ? this.word(subject) : undefined,
      items,
    };
  }

  private functionDefinition(node: number): ShellNode {
    const { flat } = this;
    const body = childForField(flat, node, 'body');
    const name = childForField(flat, node, 'name');
    return {
      type: 'function',
      start: this.startOf[node],
      end: this.endOf[node],
      redirects: [],
      name: name >= 0 ? this.text(name) : '',
      body: body >= 0 ? this.statement(body) : emptyList(this.endOf[node]),
    };
  }

  private operator(node: number): Operator {
    return { token: this.type[node] as OperatorToken, start: this.startOf[node], end: this.endOf[node] };
  }
}

function emptyList(at: number): ListNode {
  return { type: 'list', start: at, end: at, redirects: [], items: [] };
}

function lastOperand(parts: ChainPart[], from: number): ShellNode | undefined {
  for (let i = parts.length - 1; i >= from; i--) {
    const part = parts[i];
    if ('operand' in part) return part.operand;
  }
  return undefined;
}

/** Operands and operators → pipelines (`|`, `|&`) inside an and-or list (`&&`, `||`), as the shell groups them. */
function rebuild(parts: ChainPart[]): ShellNode {
  const items: ShellNode[] = [];
  const andOrOps: Operator[] = [];
  let pipe: { nodes: ShellNode[]; ops: Operator[]; negated: boolean } | undefined;
  const closePipe = (): void => {
    if (!pipe) return;
    const { nodes, ops, negated } = pipe;
    if (nodes.length === 1 && !negated) items.push(nodes[0]);
    else
      items.push({
        type: 'pipeline',
        start: nodes[0].start,
        end: nodes[nodes.length - 1].end,
        redirects: [],
        negated,
        commands: nodes,
        operators: ops,
      });
    pipe = undefined;
  };
  for (const part of parts) {
    if ('operand' in part) {
      if (pipe) pipe.nodes.push(part.operand);
      else pipe = { nodes: [part.operand], ops: [], negated: part.negated };
    } else if (part.operator.token === '|' || part.operator.token === '|&') {
      pipe?.ops.push(part.operator);
    } else {
      closePipe();
      andOrOps.push(part.operator);
    }
  }
  closePipe();
  if (items.length === 0) return { type: 'list', start: 0, end: 0, redirects: [], items: [] }; // nothing recovered
  if (items.length === 1) return items[0];
  const node: AndOrNode = {
    type: 'and-or',
    start: items[0].start,
    end: items[items.length - 1].end,
    redirects: [],
    items,
    operators: andOrOps.slice(0, items.length - 1),
  };
  return node;
}

function problemsOf(root: SyntaxNode, source: string): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const visit = (node: SyntaxNode): void => {
    if (node.isMissing) {
      problems.push({ kind: 'missing', start: node.startIndex, end: node.endIndex, text: node.type });
      return;
    }
    if (node.type === 'ERROR') {
      const text = source.slice(node.startIndex, node.endIndex);
      problems.push({
        kind: 'error',
        start: node.startIndex,
        end: node.endIndex,
        text: text.length > 40 ? `${text.slice(0, 40)}…` : text,
      });
    }
    if (node.hasError) for (const child of node.children) visit(child);
  };
  visit(root);
  return problems;
}
