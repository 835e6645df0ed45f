/**
 * `printDockerfile`: the text back from the tree. Elements tile the file in order, each with its exact source text
 * and line terminator, so `printDockerfile(parseDockerfile(t)) === t`. To change a file, apply text edits to
 * `ast.source` at node ranges and parse again (src/fix does this).
 */
import type { Dockerfile } from './ast.js';

export function printDockerfile(ast: Dockerfile): string {
  const parts: string[] = ast.bom ? ['\uFEFF'] : [];
  for (const element of ast.elements) {
    parts.push(ast.source.slice(element.range.start.offset, element.range.end.offset), element.eol);
  }
  return parts.join('');
}
