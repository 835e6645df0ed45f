/**
 * tree-sitter-bash's concrete tree → the plain syntax tree of ast.ts. A pure walk; the WASM parser itself lives in
 * tree-sitter.ts. The grammar mis-associates a few constructs, corrected here so later stages never see them:
 * - a redirect after an and-or list or pipeline (`a && b >log`) is attached to the list; the shell applies it to the
 *   last command only;
 * - a heredoc operator swallows the rest of its line (`cat <<EOF | sh && b`), nesting `| sh && b` inside the redirect;
 * - `[ … ]` and `[[ … ]]` are test nodes, not commands; they become the command `[` / `[[` with their words.
 * Chains are therefore flattened to operands and operators and rebuilt with the shell's precedence (`|` binds tighter
 * than `&&`/`||`, which are equal and left-associative).
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
} from './ast.js';
import type { SyntaxNode, SyntaxTree } from './tree-sitter.js';
import { parseShellTree } from './tree-sitter.js';
import { unquote } from './words.js';

/** Parses a script (after `await initShellParser()`); frees the tree-sitter tree before returning. */
export function parseShell(source: string): ShellSyntax {
  const tree = parseShellTree(source);
  try {
    return fromTree(tree, source);
  } finally {
    tree.delete();
  }
}

/** Converts a tree-sitter-bash tree of `source` (pure; the caller still owns and frees the tree). */
export function fromTree(tree: SyntaxTree, source: string): ShellSyntax {
  const walker = new Walker(source);
  const root = walker.block(tree.rootNode.children, 0, source.length);
  return { source, root, problems: tree.rootNode.hasError ? problemsOf(tree.rootNode, source) : [] };
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

/** One element of a flattened chain: an operand, or the operator before the next operand. */
type ChainPart = { operand: ShellNode; negated: boolean } | { operator: Operator };

class Walker {
  constructor(private readonly source: string) {}

  /** A sequence of statements among `children` (other children — keywords, braces, comments — are skipped). */
  block(children: SyntaxNode[], start: number, end: number): ListNode {
    const items: ListItem[] = [];
    let last: SyntaxNode | undefined;
    for (const child of children) {
      if (!child.isNamed && terminatorTokens.has(child.type) && items.length > 0 && !items[items.length - 1].terminator) {
        items[items.length - 1].terminator = operator(child);
        last = child;
        continue;
      }
      if (!statementTypes.has(child.type)) continue;
      this.newlineTerminator(items, last, child.startIndex);
      for (const node of this.statements(child)) items.push({ node, terminator: undefined });
      last = child;
    }
    if (last) this.newlineTerminator(items, last, end);
    return { type: 'list', start, end, redirects: [], items };
  }

  /** A statement not followed by `;` or `&` but by a line break is ended by that newline. */
  private newlineTerminator(items: ListItem[], previous: SyntaxNode | undefined, next: number): void {
    const item = items[items.length - 1];
    if (!item || item.terminator || !previous) return;
    const at = this.source.indexOf('\n', previous.endIndex);
    if (at >= 0 && at < next) item.terminator = { token: '\n', start: at, end: at + 1 };
  }

  /** Usually one node; an ERROR node yields whatever statements the parser recovered inside it. */
  private statements(node: SyntaxNode): ShellNode[] {
    if (node.type !== 'ERROR') return [this.statement(node)];
    return node.namedChildren.filter((c) => statementTypes.has(c.type)).flatMap((c) => this.statements(c));
  }

  private statement(node: SyntaxNode): ShellNode {
    switch (node.type) {
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
          node.namedChildren.filter((c) => c.type === 'variable_assignment').map((c) => this.assignment(c)),
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
        return { type: 'subshell', ...this.range(node), redirects: [], body: this.inner(node) };
      case 'compound_statement':
        return { type: 'group', ...this.range(node), redirects: [], body: this.inner(node) };
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
        const body = this.block(node.children, node.startIndex, node.endIndex);
        return body.items.length === 1 ? body.items[0].node : body;
      }
    }
  }

  private range(node: SyntaxNode): { start: number; end: number } {
    return { start: node.startIndex, end: node.endIndex };
  }

  /** The statements between a construct's delimiters (`( … )`, `{ … }`, `do … done`, `$( … )`). */
  private inner(node: SyntaxNode): ListNode {
    const children = node.children;
    const first = children[0];
    const last = children[children.length - 1];
    const start = first && !first.isNamed ? first.endIndex : node.startIndex;
    const end = last && !last.isNamed && children.length > 1 ? last.startIndex : node.endIndex;
    return this.block(children, start, end);
  }

  private simple(node: SyntaxNode, assignments: Assignment[], words: Word[], redirects: Redirect[]): SimpleNode {
    return { type: 'simple', ...this.range(node), redirects, assignments, words };
  }

  private command(node: SyntaxNode): SimpleNode {
    const assignments: Assignment[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    node.children.forEach((child, i) => {
      if (child.type === 'variable_assignment' && words.length === 0) assignments.push(this.assignment(child));
      else if (redirectTypes.has(child.type)) redirects.push(...this.redirect(child).redirects);
      else if (child.type === 'command_name') words.push(this.word(child.namedChildren[0] ?? child));
      else if (node.fieldNameForChild(i) === 'argument' || (child.isNamed && child.type !== 'comment'))
        words.push(this.word(child));
    });
    return this.simple(node, assignments, words, redirects);
  }

  /** `export A=1 B`, `local x`, `unset -f f`: the keyword is the command name; every operand is a word. */
  private declaration(node: SyntaxNode): SimpleNode {
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (const child of node.children) {
      if (redirectTypes.has(child.type)) redirects.push(...this.redirect(child).redirects);
      else if (child.type !== 'comment') words.push(this.word(child));
    }
    return this.simple(node, [], words, redirects);
  }

  /** `[ -f x ]` → words `[`, `-f`, `x`, `]`: operands whole, operators and brackets as their own words. */
  private testWords(node: SyntaxNode): Word[] {
    const out: Word[] = [];
    const visit = (n: SyntaxNode): void => {
      const grouping = ['unary_expression', 'binary_expression', 'parenthesized_expression', 'postfix_expression'];
      if (n.childCount === 0 || (n.isNamed && !grouping.includes(n.type))) out.push(this.word(n));
      else for (const c of n.children) visit(c);
    };
    for (const child of node.children) visit(child);
    return out;
  }

  private assignment(node: SyntaxNode): Assignment {
    const nameNode = node.childForFieldName('name');
    const valueNode = node.childForFieldName('value');
    const append = node.children.some((c) => c.type === '+=');
    const assignment: Assignment = {
      ...this.range(node),
      name: nameNode?.text ?? '',
      value: undefined,
      append,
    };
    if (valueNode?.type === 'array') assignment.elements = valueNode.namedChildren.map((c) => this.word(c));
    else if (valueNode) assignment.value = this.word(valueNode);
    return assignment;
  }

  word(node: SyntaxNode): Word {
    const start = node.startIndex; // each position read crosses into WASM: read once
    const end = node.endIndex;
    const text = this.source.slice(start, end);
    const substitutions: Substitution[] = [];
    const find = (n: SyntaxNode): void => {
      const kind = substitutionTypes[n.type];
      if (kind) substitutions.push({ kind, ...this.range(n), body: this.inner(n) });
      else for (const c of n.namedChildren) find(c);
    };
    if (/\$\(|`|[<>]\(/.test(text)) find(node); // walking every word's sub-tree is the costly part: only when needed
    return { start, end, text, ...unquote(text), substitutions };
  }

  /** A redirect node; a heredoc may also carry the rest of its line (`tail`), see the file comment. */
  private redirect(node: SyntaxNode): { redirects: Redirect[]; tail: SyntaxNode[] } {
    if (node.type !== 'heredoc_redirect') return { redirects: [this.plainRedirect(node)], tail: [] };
    const redirects: Redirect[] = [];
    const tail: SyntaxNode[] = [];
    let op = '<<';
    let startNode: SyntaxNode | undefined;
    let bodyNode: SyntaxNode | undefined;
    let endNode: SyntaxNode | undefined;
    let fd: number | undefined;
    node.children.forEach((child, i) => {
      const field = node.fieldNameForChild(i);
      if (child.type === '<<' || child.type === '<<-') op = child.type;
      else if (child.type === 'file_descriptor') fd = Number(child.text);
      else if (child.type === 'heredoc_start') startNode = child;
      else if (child.type === 'heredoc_body') bodyNode = child;
      else if (child.type === 'heredoc_end') endNode = child;
      else if (field === 'redirect') redirects.push(...this.redirect(child).redirects);
      else if (field === 'operator' || field === 'right' || child.type === 'pipeline' || statementTypes.has(child.type))
        tail.push(child);
    });
    const delimiter = startNode ? this.word(startNode) : undefined;
    const lineEnd = this.source.indexOf('\n', node.startIndex);
    const bodyStart = bodyNode?.startIndex ?? (lineEnd < 0 ? node.endIndex : lineEnd + 1);
    const heredoc: Redirect = {
      start: node.startIndex,
      end: startNode?.endIndex ?? node.endIndex,
      op,
      fd,
      target: delimiter,
      heredoc: {
        delimiter: delimiter?.value ?? delimiter?.text ?? '',
        quoted: delimiter?.quoted ?? false,
        stripTabs: op === '<<-',
        body: { start: bodyStart, end: Math.max(bodyStart, endNode?.startIndex ?? bodyNode?.endIndex ?? bodyStart) },
      },
    };
    return { redirects: [heredoc, ...redirects], tail };
  }

  private plainRedirect(node: SyntaxNode): Redirect {
    let op = '';
    let fd: number | undefined;
    let target: Word | undefined;
    for (const child of node.children) {
      if (child.type === 'file_descriptor') fd = Number(child.text);
      else if (!child.isNamed && !op) op = child.type;
      else if (child.isNamed && !target && child.type !== 'ERROR') target = this.word(child);
    }
    return { ...this.range(node), op, fd, target };
  }

  /** `a | b && c || d`, possibly negated or redirected, possibly mis-nested by the grammar: flatten, then rebuild. */
  private chain(node: SyntaxNode): ShellNode {
    const parts: ChainPart[] = [];
    this.flatten(node, parts, false);
    return rebuild(parts);
  }

  private flatten(node: SyntaxNode, out: ChainPart[], negated: boolean): void {
    switch (node.type) {
      case 'list':
      case 'pipeline':
        for (const child of node.children) {
          if (!child.isNamed && chainTokens.has(child.type)) out.push({ operator: operator(child) });
          else if (statementTypes.has(child.type)) this.flatten(child, out, false);
        }
        return;
      case 'negated_command':
        for (const child of node.namedChildren) if (statementTypes.has(child.type)) this.flatten(child, out, true);
        return;
      case 'redirected_statement':
        this.redirectedStatement(node, out, negated);
        return;
      default:
        out.push({ operand: this.statement(node), negated });
    }
  }

  private redirectedStatement(node: SyntaxNode, out: ChainPart[], negated: boolean): void {
    const body = node.childForFieldName('body');
    const first = out.length;
    if (body) this.flatten(body, out, negated);
    const redirects: Redirect[] = [];
    const tails: SyntaxNode[] = [];
    for (const child of node.children) {
      if (!redirectTypes.has(child.type)) continue;
      const { redirects: found, tail } = this.redirect(child);
      redirects.push(...found);
      tails.push(...tail);
    }
    // `>> file` alone is a command with no words; otherwise the redirects belong to the last operand of the body
    // (the shell binds them to one command, not to the list).
    if (!body) out.push({ operand: this.simple(node, [], [], []), negated });
    const target = lastOperand(out, first);
    if (target) {
      target.redirects.push(...redirects);
      target.end = Math.max(target.end, ...redirects.map((r) => r.end));
    }
    for (const tail of tails) {
      if (!tail.isNamed) out.push({ operator: operator(tail) });
      else this.flatten(tail, out, false);
    }
  }

  private ifStatement(node: SyntaxNode): ShellNode {
    const clauses: { kind: 'if' | 'elif' | 'else'; condition: ListNode | undefined; body: ListNode }[] = [];
    const clause = (kind: 'if' | 'elif' | 'else', children: SyntaxNode[], from: number, to: number): void => {
      if (kind === 'else') {
        clauses.push({ kind, condition: undefined, body: this.block(children, from, to) });
        return;
      }
      const then = children.findIndex((c) => c.type === 'then');
      const conditionChildren = then < 0 ? children : children.slice(0, then);
      const bodyChildren = then < 0 ? [] : children.slice(then + 1);
      const bodyStart = then < 0 ? to : children[then].endIndex;
      clauses.push({
        kind,
        condition: this.block(conditionChildren, from, then < 0 ? to : children[then].startIndex),
        body: this.block(bodyChildren, bodyStart, to),
      });
    };
    const children = node.children;
    const nested = children.findIndex((c) => c.type === 'elif_clause' || c.type === 'else_clause' || c.type === 'fi');
    const own = nested < 0 ? children : children.slice(0, nested);
    clause('if', own.slice(1), children[0].endIndex, nested < 0 ? node.endIndex : children[nested].startIndex);
    for (const child of children) {
      if (child.type === 'elif_clause' || child.type === 'else_clause') {
        const kind = child.type === 'elif_clause' ? 'elif' : 'else';
        const first = child.children[0];
        clause(kind, child.children.slice(1), first?.endIndex ?? child.startIndex, child.endIndex);
      }
    }
    return { type: 'if', ...this.range(node), redirects: [], clauses };
  }

  private forStatement(node: SyntaxNode): ShellNode {
    const body = node.childForFieldName('body');
    const values = node.childrenForFieldName('value');
    const hasIn = node.children.some((c) => c.type === 'in');
    return {
      type: 'for',
      ...this.range(node),
      redirects: [],
      variable: node.type === 'for_statement' ? node.childForFieldName('variable')?.text : undefined,
      values: hasIn ? values.map((v) => this.word(v)) : undefined,
      body: body ? this.inner(body) : emptyList(node.endIndex),
    };
  }

  private whileStatement(node: SyntaxNode): ShellNode {
    const body = node.childForFieldName('body');
    const conditionChildren = node.children.filter((_, i) => node.fieldNameForChild(i) === 'condition');
    const keyword = node.children[0];
    return {
      type: keyword?.type === 'until' ? 'until' : 'while',
      ...this.range(node),
      redirects: [],
      condition: this.block(conditionChildren, keyword?.endIndex ?? node.startIndex, body?.startIndex ?? node.endIndex),
      body: body ? this.inner(body) : emptyList(node.endIndex),
    };
  }

  private caseStatement(node: SyntaxNode): ShellNode {
    const subject = node.childForFieldName('value');
    const items = node.namedChildren
      .filter((c) => c.type === 'case_item')
      .map((item) => {
        const children = item.children;
        const close = children.findIndex((c) => c.type === ')');
        const patterns = children.filter((_, i) => item.fieldNameForChild(i) === 'value').map((p) => this.word(p));
        const bodyChildren = children.slice(close + 1);
        return {
          patterns,
          body: this.block(bodyChildren, close >= 0 ? children[close].endIndex : item.startIndex, item.endIndex),
        };
      });
    return { type: 'case', ...this.range(node), redirects: [], subject: subject ? this.word(subject) : undefined, items };
  }

  private functionDefinition(node: SyntaxNode): ShellNode {
    const body = node.childForFieldName('body');
    return {
      type: 'function',
      ...this.range(node),
      redirects: [],
      name: node.childForFieldName('name')?.text ?? '',
      body: body ? this.statement(body) : emptyList(node.endIndex),
    };
  }
}

function operator(node: SyntaxNode): Operator {
  return { token: node.type as OperatorToken, start: node.startIndex, end: node.endIndex };
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
