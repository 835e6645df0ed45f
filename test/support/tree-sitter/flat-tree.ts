/**
 * tree-sitter's tree copied into plain JS arrays in one TreeCursor pass, so the walk in walk.ts reads numbers and
 * strings instead of calling into WASM. Every property read on a tree-sitter `Node` (type, end, named, children)
 * is a WASM call that first copies the node into a transfer buffer (130–230 ns each, measured), and `children`
 * allocates a `Node` per child; the cursor reads the same facts at about a third of the cost and allocates nothing.
 * Nodes are numbered in document order (the root is 0); children are linked as first child / next sibling.
 */
import type { SyntaxTree } from './load.js';

export interface FlatTree {
  source: string;
  /** Number of nodes copied. */
  size: number;
  type: string[];
  named: boolean[];
  start: number[];
  end: number[];
  /** The field name under which the node sits in its parent (`argument`, `body`, …), or undefined. */
  field: (string | undefined)[];
  /** Index of the first child / next sibling, -1 when none. */
  first: number[];
  next: number[];
}

/**
 * Word-like nodes whose sub-tree (quotes, expansions, concatenation parts) the walk only needs when the word holds
 * a command or process substitution; otherwise the copy stops at the word itself, which is where most nodes are.
 */
const wordTypes = new Set([
  'word',
  'string',
  'raw_string',
  'ansi_c_string',
  'translated_string',
  'concatenation',
  'simple_expansion',
  'expansion',
  'number',
  'string_content',
  'heredoc_body',
  'comment',
  'regex',
  'extglob_pattern',
  'brace_expression',
]);

/** Leaves in tree-sitter-bash (tokens): asking for their first child would be a wasted WASM call. */
const leafTypes = new Set(['word', 'number', 'variable_name', 'raw_string', 'file_descriptor']);

/**
 * The parents whose children's field names the walk reads (parse.ts); of a `command`'s children only the anonymous
 * ones need it (`argument` can be a bare `$` or `==`), a named child being a word anyway.
 */
const fieldParents = new Set([
  'variable_assignment',
  'heredoc_redirect',
  'redirected_statement',
  'for_statement',
  'c_style_for_statement',
  'while_statement',
  'function_definition',
  'case_statement',
  'case_item',
]);

/** `$(`, `` ` ``, `<(` or `>(` within [start, end): where a word may run commands. */
export function mayHoldSubstitution(source: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x60) return true; // `
    if ((c === 0x24 || c === 0x3c || c === 0x3e) && source.charCodeAt(i + 1) === 0x28 && i + 1 < end) return true; // $( <( >(
  }
  return false;
}

/** Per language: whether each type id is a named node (asking WASM once per id, not once per node). */
const namedByLanguage = new WeakMap<object, boolean[]>();

/**
 * One copy, reused by every parse: its arrays only grow, and entries past `size` are stale. Parsing is synchronous
 * and a parse's walk is done before the next parse starts, so a single scratch copy is enough and saves allocating
 * nine arrays per script (the largest single source of garbage in a lint run, measured).
 */
const scratch: FlatTree = { source: '', size: 0, type: [], named: [], start: [], end: [], field: [], first: [], next: [] };
const parentOf: number[] = [];
const lastChild: number[] = [];

/** Copies `tree` into the shared scratch copy, valid until the next call. */
export function flattenTree(tree: SyntaxTree, source: string): FlatTree {
  const language = tree.language;
  let namedCache = namedByLanguage.get(language);
  if (!namedCache) {
    namedCache = [];
    namedByLanguage.set(language, namedCache);
  }
  const flat = scratch;
  flat.source = source;
  flat.size = 0;
  const cursor = tree.walk();
  try {
    let parent = -1;
    for (;;) {
      const i = flat.size++;
      const typeId = cursor.nodeTypeId;
      const type = language.types[typeId] || 'ERROR';
      let named = namedCache[typeId];
      if (named === undefined) {
        named = type === 'ERROR' || language.nodeTypeIsNamed(typeId);
        namedCache[typeId] = named;
      }
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      const parentType = parent < 0 ? '' : flat.type[parent];
      const fieldId = fieldParents.has(parentType) || (parentType === 'command' && !named) ? cursor.currentFieldId : 0;
      flat.type[i] = type;
      flat.named[i] = named;
      flat.start[i] = start;
      flat.end[i] = end;
      flat.field[i] = fieldId ? (language.fields[fieldId] ?? undefined) : undefined;
      flat.first[i] = -1;
      flat.next[i] = -1;
      parentOf[i] = parent;
      lastChild[i] = -1;
      if (parent >= 0) {
        if (lastChild[parent] < 0) flat.first[parent] = i;
        else flat.next[lastChild[parent]] = i;
        lastChild[parent] = i;
      }
      const descend = named && !leafTypes.has(type) && (!wordTypes.has(type) || mayHoldSubstitution(source, start, end));
      if (descend && cursor.gotoFirstChild()) {
        parent = i;
        continue;
      }
      let current = i;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return flat;
        current = parentOf[current];
      }
      parent = parentOf[current];
    }
  } finally {
    cursor.delete();
  }
}

/** The children of node `i`, in order. */
export function childrenOf(flat: FlatTree, i: number): number[] {
  const out: number[] = [];
  for (let c = flat.first[i]; c >= 0; c = flat.next[c]) out.push(c);
  return out;
}

/** The named children of node `i`, in order. */
export function namedChildrenOf(flat: FlatTree, i: number): number[] {
  const out: number[] = [];
  for (let c = flat.first[i]; c >= 0; c = flat.next[c]) if (flat.named[c]) out.push(c);
  return out;
}

/** The first child of `i` under `field`, or -1. */
export function childForField(flat: FlatTree, i: number, field: string): number {
  for (let c = flat.first[i]; c >= 0; c = flat.next[c]) if (flat.field[c] === field) return c;
  return -1;
}
