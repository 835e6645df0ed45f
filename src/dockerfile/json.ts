/**
 * The JSON form of the tree (`layerwise parse --format json`), documented in docs/ast.md: the AST without the
 * source text, with `elements` reduced to the comments (directives and instructions have their own lists; blank
 * lines carry nothing), plus the instruction layer's problems (BuildKit would refuse to build the file).
 */
import type { Comment, Dockerfile } from './ast.js';
import { validateInstructions } from './validate.js';

export interface Problem {
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface DockerfileJson extends Omit<Dockerfile, 'source' | 'elements'> {
  version: 1;
  comments: Comment[];
  problems: Problem[];
}

export function toJson(ast: Dockerfile): DockerfileJson {
  const { source: _source, elements, ...rest } = ast;
  const problems = validateInstructions(ast).map((error) => ({
    message: error.reason,
    line: error.line,
    column: error.column,
    endLine: error.end?.line ?? error.line,
    endColumn: error.end?.column ?? error.column,
  }));
  return {
    version: 1,
    ...rest,
    comments: elements.filter((element): element is Comment => element.type === 'Comment'),
    problems,
  };
}
