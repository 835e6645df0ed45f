import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { normalise } from '../../src/shell/state.js';

/** The segment walk alone (what `normalise` does for a path that is not already normal). */
function walk(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

test('normalise resolves `.`, `..`, repeated and trailing slashes; a normal path comes back as it is', () => {
  const cases: [string, string][] = [
    ['/', '/'],
    ['/a/b', '/a/b'],
    ['/a//b/', '/a/b'],
    ['/a/./b/.', '/a/b'],
    ['/a/../b/..', '/'],
    ['/a/.b/..c/...', '/a/.b/..c/...'],
    ['a/b', '/a/b'],
    ['', '/'],
  ];
  for (const [path, expected] of cases) assert.equal(normalise(path), expected, path);
  const segment = fc.constantFrom('', '.', '..', '...', 'a', '.a', 'a.', 'ab', '..a');
  fc.assert(
    fc.property(fc.boolean(), fc.array(segment, { maxLength: 6 }), (absolute, parts) => {
      const path = (absolute ? '/' : '') + parts.join('/');
      assert.equal(normalise(path), walk(path));
    }),
    { numRuns: 2000 },
  );
});
