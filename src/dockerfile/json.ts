/**
 * The JSON form of the tree (`layerwise parse --format json`), documented in docs/ast.md: the AST without the
 * source text, with `elements` reduced to the comments (directives and instructions have their own lists; blank
 * lines carry nothing).
 */
import type { Comment, Dockerfile } from './ast.js';

export interface DockerfileJson extends Omit<Dockerfile, 'source' | 'elements'> {
  version: 1;
  comments: Comment[];
}

export function toJson(ast: Dockerfile): DockerfileJson {
  const { source: _source, elements, ...rest } = ast;
  return { version: 1, ...rest, comments: elements.filter((element): element is Comment => element.type === 'Comment') };
}
