import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ExcludeFilter, type MatchInfo, PatternMatcher, readIgnoreFile } from '../../src/cache/dockerignore.js';
import { BadPatternError, cleanPath, goMatch } from '../../src/cache/go-path.js';
import { InputError } from '../../src/errors.js';

/** Matches `path` as the context walk does: every ancestor first, passing each directory's info down. */
function walkMatch(patterns: string[], path: string): boolean {
  const pm = new PatternMatcher(patterns);
  const parts = path.split('/');
  let info: MatchInfo | undefined;
  for (let i = 1; i < parts.length; i++) info = pm.matches(parts.slice(0, i).join('/'), info).info;
  return pm.matches(path, info).matched;
}

describe('dockerignore: single patterns (double star, wildcards, escapes, regexp metacharacters)', () => {
  const cases: [string, string, boolean][] = [
    ['**', 'anything', true],
    ['**', 'deep/er/path', true],
    ['**/', 'x', true],
    ['**/**', 'a/b', true],
    ['logs/**', 'logs/today/x.log', true],
    ['logs/**', 'logs', false],
    ['**/logs', 'logs', true],
    ['**/logs', 'src/logs/a', true],
    ['**/cfg/*', 'x/cfg/y', true],
    ['**rc', 'rc', true],
    ['**rc', 'a/b/npmrc', true],
    ['**/*.tmp', 'a.tmp', true],
    ['**/*.tmp', 'x/y/a.tmp', true],
    ['**/*.tmp', 'x/y/a.tmpx', false],
    ['src**/*.ts', 'src/a.ts', true],
    ['src**/*.ts', 'src/deep/er/a.ts', true],
    ['src/*.ts', 'src/deep/a.ts', false],
    ['src/*.ts', 'src/a.ts', true],
    ['*.md', 'README.md', true],
    ['*.md', 'docs/README.md', false],
    ['docs', 'docs/a/b.md', true],
    ['node_modules', 'pkg/node_modules/x', false],
    ['x[0-9]y', 'x5y', true],
    ['x[0-9]y', 'xay', false],
    ['x[^0-9]y', 'xay', true],
    ['x[!0-9]y', 'x!y', true],
    ['x[!0-9]y', 'xay', false],
    ['.*', '.env', true],
    ['.*', 'env', false],
    ['a.b', 'aXb', false],
    ['a.b', 'a.b', true],
    ['a?b', 'aXb', true],
    ['a?b', 'a/b', false],
    ['a?b', 'ab', false],
    ['a\\\\', 'a\\', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'aXb', false],
    ['fn(x)/y', 'fn(x)/y', true],
    ['a+b|c{d}$', 'a+b|c{d}$', true],
    ['pkg-1.0+build.whl', 'pkg-1.0+build.whl', true],
    ['dist/*.whl', 'dist/pkg-1.0+build-py3.whl', true],
    ['./src/../build', 'build/out', true],
    ['/abs', 'abs', false], // only readIgnoreFile strips the leading slash; --exclude patterns keep it
    ['dir/', 'dir/file', true],
    ['  spaced  ', 'spaced', true],
    ['é?', 'éü', true],
    ['[[:digit:]]x', '7x', true],
    ['[[:digit:]]x', ':x', false],
    ['\\d', '4', true],
    ['\\d', 'd', false],
    ['a^b', 'a^b', true], // no wildcard: compared as text
    ['a^*', 'a^b', false], // a wildcard makes it a Go regexp, where ^ is an anchor
  ];
  for (const [pattern, path, expected] of cases) {
    test(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(path)}`, () => {
      assert.equal(walkMatch([pattern], path), expected);
      assert.equal(new PatternMatcher([pattern]).matches(path).matched, expected, 'without parent info');
    });
  }
});

describe('dockerignore: exceptions', () => {
  const cases: [string[], string, boolean][] = [
    [['**', '!keep/me'], 'keep/me/file', false],
    [['**', '!keep/me', 'keep/me/file'], 'keep/me/file', true],
    [['*.md', '!README.md'], 'README.md', false],
    [['*.md', '!README.md'], 'CHANGES.md', true],
    [['!README.md', '*.md'], 'README.md', true],
    [['docs', '!docs/keep.md'], 'docs/keep.md', false],
    [['docs', '!docs/keep.md'], 'docs/other.md', true],
  ];
  for (const [patterns, path, expected] of cases) {
    test(`${JSON.stringify(patterns)} → ${path} ${expected ? 'excluded' : 'kept'}`, () => {
      assert.equal(walkMatch(patterns, path), expected);
    });
  }

  test('a lone "!" is an error', () => {
    assert.throws(() => new PatternMatcher(['!']), InputError);
  });

  test('an excluded directory is skipped unless an exception could reach inside it', () => {
    const filter = new ExcludeFilter(new PatternMatcher(['docs', 'build', '!docs/keep.md']));
    assert.deepEqual([filter.check('docs', true).skipDir, filter.check('build', true).skipDir], [false, true]);
    const wild = new ExcludeFilter(new PatternMatcher(['docs', '!*/keep.md']));
    assert.equal(wild.check('docs', true).skipDir, false, 'a wildcard exception disables the skip');
    const none = new ExcludeFilter(new PatternMatcher(['docs']));
    assert.equal(none.check('docs', true).skipDir, true);
  });
});

describe('dockerignore: reading the file', () => {
  test('comments only at column 0, trimming, cleaning, leading slash, BOM, CRLF', () => {
    const text = '\uFEFF# comment\n  #not-a-comment\n\n /abs/path \r\n! ./keep/../kept\nsub/dir/\n/\n!/x\n';
    assert.deepEqual(readIgnoreFile(text), ['#not-a-comment', 'abs/path', '!kept', 'sub/dir', '/', '!x']);
  });
  test('a pattern that is only "!" is kept for the matcher to reject', () => {
    assert.deepEqual(readIgnoreFile('!\n'), ['!']);
  });
});

describe('dockerignore: invalid patterns are input errors', () => {
  for (const pattern of ['[', 'a[', '[]a]', '[a-]', '[-a]', 'x\\', '[^]', 'a[b-', '[[:nope:]]']) {
    test(`${JSON.stringify(pattern)} is rejected`, () => {
      assert.throws(() => new PatternMatcher([pattern]), InputError);
    });
  }
});

describe('Go path.Match', () => {
  const cases: [string, string, boolean | 'error'][] = [
    ['abc', 'abc', true],
    ['*', 'abc', true],
    ['*c', 'abc', true],
    ['a*', 'a', true],
    ['a*', 'ab/c', false],
    ['a*/b', 'abc/b', true],
    ['a*/b', 'a/c/b', false],
    ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
    ['a*b?c*x', 'abxbbxdbxebxczzx', true],
    ['a*b?c*x', 'abxbbxdbxebxczzy', false],
    ['ab[c]', 'abc', true],
    ['ab[b-d]', 'abc', true],
    ['ab[e-g]', 'abc', false],
    ['ab[^c]', 'abc', false],
    ['ab[^b-d]', 'abc', false],
    ['ab[^e-g]', 'abc', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'ab', false],
    ['a?b', 'a☺b', true],
    ['a[^a]b', 'a☺b', true],
    ['a???b', 'a☺b', false],
    ['[a-ζ]*', 'α', true],
    ['*[a-ζ]', 'A', false],
    ['a?b', 'a/b', false],
    ['a*b', 'a/b', false],
    ['[\\]a]', ']', true],
    ['[\\-]', '-', true],
    ['[x\\-]', 'x', true],
    ['[x\\-]', 'z', false],
    ['[\\-x]', 'a', false],
    ['[]a]', ']', 'error'],
    ['[-]', '-', 'error'],
    ['[x-]', 'x', 'error'],
    ['[a-b-c]', 'a', 'error'],
    ['[', 'a', 'error'],
    ['[^', 'a', 'error'],
    ['[^bc', 'a', 'error'],
    ['a[', 'a', 'error'],
    ['a[', 'ab', 'error'],
    ['a[', 'x', 'error'],
    ['a/b[', 'x', 'error'],
    ['*x', 'xxx', true],
  ];
  for (const [pattern, name, expected] of cases) {
    test(`path.Match(${JSON.stringify(pattern)}, ${JSON.stringify(name)}) = ${expected}`, () => {
      if (expected === 'error') assert.throws(() => goMatch(pattern, name), BadPatternError);
      else assert.equal(goMatch(pattern, name), expected);
    });
  }
  test('path.Clean', () => {
    assert.deepEqual(['', 'a//b', './a/./b/', '/../a', '../../a/..', 'a/b/../../..', '/'].map(cleanPath), [
      '.',
      'a/b',
      'a/b',
      '/a',
      '../..',
      '..',
      '/',
    ]);
  });
});
