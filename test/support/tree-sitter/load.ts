/**
 * Loads web-tree-sitter's runtime and the tree-sitter-bash grammar (both WASM, dev dependencies) once, lazily, then
 * parses synchronously: the oracle that the hand-written parser of src/shell/parser/ is held to.
 * Callers await `initShellParser()` once, then call the synchronous functions.
 */
import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';

export type { Node as SyntaxNode, Tree as SyntaxTree } from 'web-tree-sitter';

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

/** Loads the bash grammar (about 1.3 MB of WASM) the first time; later calls return at once. */
export function initShellParser(): Promise<void> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    await Parser.init();
    const language = await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
    const instance = new Parser();
    instance.setLanguage(language);
    parser = instance;
  })();
  loading.catch(() => {
    loading = undefined; // let a later call retry instead of caching the failure
  });
  return loading;
}

/** True once `initShellParser()` has finished: the synchronous API can be used. */
export function shellParserReady(): boolean {
  return parser !== undefined;
}

/**
 * Parses one script. The caller owns the tree and must free it with `tree.delete()` (WASM memory is not garbage
 * collected). Throws when `initShellParser()` has not completed: that is a programming error, not bad input.
 */
export function parseShellTree(script: string): Tree {
  if (!parser) throw new Error('shell parser used before `await initShellParser()`');
  const tree = parser.parse(script);
  if (!tree) throw new Error('tree-sitter returned no tree'); // only happens on cancellation, which we never request
  return tree;
}
