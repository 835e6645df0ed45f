/** Small helpers for the parser tests. */
import assert from 'node:assert/strict';
import { dumpDockerfile, ParseError, parseDockerfile, printDockerfile } from '../../src/dockerfile/index.js';

/** BuildKit's dump of `text`, after checking that it round-trips. */
export function dump(text: string): string {
  const ast = parseDockerfile(text);
  assert.equal(printDockerfile(ast), text);
  return dumpDockerfile(ast);
}

/** The ParseError that parsing `text` throws, as `LINE:COL: reason`. */
export function refusal(text: string): string {
  try {
    parseDockerfile(text);
  } catch (error) {
    assert.ok(error instanceof ParseError, `expected a ParseError, got ${error}`);
    return `${error.line}:${error.column}: ${error.reason}`;
  }
  assert.fail('expected a ParseError');
}

/** The source text a range covers. */
export function slice(text: string, range: { start: { offset: number }; end: { offset: number } }): string {
  return text.slice(range.start.offset, range.end.offset);
}
