import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { normalise, resolveSegments } from '../../src/shell/state.js';

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
      assert.equal(normalise(path), resolveSegments(path));
    }),
    { numRuns: 2000 },
  );
});
