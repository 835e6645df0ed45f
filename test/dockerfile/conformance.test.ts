/** BuildKit's own parser test data, read in place from ../shared/conformance/buildkit (never copied). */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { dumpDockerfile, ParseError, parseDockerfile, printDockerfile } from '../../src/dockerfile/index.js';
import { needsShared, sharedDir } from '../support/paths.js';

const buildkit = sharedDir ? join(sharedDir, 'conformance', 'buildkit') : '';
const cases = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

describe('BuildKit testfiles: parse --format buildkit equals result', needsShared(), () => {
  const dir = join(buildkit, 'testfiles');
  test('all 33 cases are there', () => assert.equal(cases(dir).length, 33));
  for (const name of cases(dir)) {
    test(name, () => {
      const text = readFileSync(join(dir, name, 'Dockerfile'), 'utf8');
      const ast = parseDockerfile(text);
      assert.equal(dumpDockerfile(ast), readFileSync(join(dir, name, 'result'), 'utf8'));
      assert.equal(printDockerfile(ast), text);
    });
  }
});

describe('BuildKit testfiles-negative are refused with a ParseError', needsShared(), () => {
  const dir = join(buildkit, 'testfiles-negative');
  const expected: Record<string, RegExp> = {
    empty_dockerfile: /^file with no instructions$/,
    env_no_value: /^ENV must have two arguments$/,
    only_comments: /^file with no instructions$/,
    'shykes-nested-json': /^when using JSON array syntax, arrays must be comprised of strings only$/,
  };
  test('all 4 cases are there', () => assert.deepEqual(cases(dir), Object.keys(expected).sort()));
  for (const name of cases(dir)) {
    test(name, () => {
      const text = readFileSync(join(dir, name, 'Dockerfile'), 'utf8');
      assert.throws(
        () => parseDockerfile(text),
        (error) => error instanceof ParseError && expected[name].test(error.reason),
      );
    });
  }
});

test('testfile-line: instructions span BuildKit StartLine..EndLine', needsShared(), () => {
  const ast = parseDockerfile(readFileSync(join(buildkit, 'testfile-line', 'Dockerfile'), 'utf8'));
  const spans = ast.instructions.map((node) => [node.range.start.line, node.range.end.line]);
  assert.deepEqual(spans, [
    [5, 5],
    [11, 12],
    [17, 31],
  ]);
  assert.deepEqual([spans[0][0], spans[spans.length - 1][1]], [5, 31]);
});
