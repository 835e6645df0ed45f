import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unquote } from '../../src/shell/words.js';

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
