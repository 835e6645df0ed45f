import assert from 'node:assert/strict';
import { test } from 'node:test';
import { removeQuotes, removeQuotesIn, unquote } from '../../src/shell/words.js';

test('quote removal follows POSIX: single, double, backslash, ANSI-C', () => {
  assert.equal(unquote(`'a b'`).value, 'a b');
  assert.equal(unquote(`"a \\"b\\" \\x"`).value, 'a "b" \\x'); // inside "…" only \$ \` \" \\ escape
  assert.equal(unquote('x\\ y').value, 'x y');
  assert.equal(unquote('a\\\nb').value, 'ab'); // line continuation
  assert.equal(unquote(`$'a\\tb\\x41\\u00e9'`).value, 'a\tbAé');
  assert.equal(unquote(`--opt="v w"`).value, '--opt=v w');
  assert.equal(unquote('"$"').value, '$');
});

test('expansions make a word dynamic; globs and tilde are flagged, not expanded', () => {
  assert.equal(unquote('$HOME/x').value, undefined);
  assert.equal(unquote('"$' + '{A:-b}"').value, undefined);
  assert.equal(unquote('$(pwd)').value, undefined);
  assert.equal(unquote('`pwd`').value, undefined);
  assert.equal(unquote("'$HOME'").value, '$HOME');
  const glob = unquote('/var/lib/apt/lists/*');
  assert.deepEqual([glob.value, glob.glob], ['/var/lib/apt/lists/*', true]);
  assert.equal(unquote('"*"').glob, false);
  const home = unquote('~/.cache');
  assert.deepEqual([home.value, home.tilde], ['~/.cache', true]);
  assert.equal(unquote('plain').quoted, false);
  assert.equal(unquote('"q"').quoted, true);
});

test('quote removal in place reads nothing past the end of its range', () => {
  // Each word is followed by text that would change its value if it were read: a newline after a backslash, a closing
  // quote, more hex or octal digits, an expansion after `$`.
  const cases: [string, string][] = [
    ['a\\', '\nb'],
    ["'abc", "'"],
    ['"ab\\', '$"'],
    ["$'\\x4", "1'"],
    ["$'\\u00", "e9'"],
    ["$'\\1", "01'"],
    ['"a$', 'HOME"'],
    ['x$', 'y'],
    ['', '~'],
    ['"abc', '"'],
  ];
  for (const [word, after] of cases) {
    const src = `pre ${word}${after}`;
    assert.deepEqual(removeQuotesIn(src, 4, 4 + word.length), removeQuotes(word), JSON.stringify(word));
  }
});
