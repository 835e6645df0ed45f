/** Builder flags (split_command.go extractBuilderFlags). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractFlags } from '../../src/dockerfile/flags.js';
import { parseDockerfile } from '../../src/dockerfile/index.js';
import { dump, slice } from './support.js';

const flags = (text: string, escapeToken = '\\') => extractFlags(text, escapeToken).flags.map((flag) => flag.text);

test('quotes are removed and escape+char becomes char inside flag words', () => {
  assert.deepEqual(flags(`--a="x y" --b='p'q --c=\\"d --e=f\\ g rest`), ['--a=x y', '--b=pq', '--c="d', '--e=f g']);
  assert.deepEqual(flags('--a=`"b --c=\\d', '`'), ['--a="b', '--c=\\d']);
  assert.deepEqual(flags('--a=b` --c', '`'), ['--a=b --c']);
  assert.deepEqual(flags('--x=""'), ['--x=']);
  assert.deepEqual(flags('--x=a\\'), ['--x=a']);
});

test('a bare -- ends the flags and is dropped; flags stop at the first other word', () => {
  assert.equal(dump('COPY --a -- --b c\n'), '(copy ["--a"] "--b" "c")\n');
  assert.equal(dump('COPY --a --\n'), '(copy ["--a"])\n');
  assert.equal(dump('COPY a --b c\n'), '(copy "a" "--b" "c")\n');
  assert.equal(dump('COPY -a b\n'), '(copy "-a" "b")\n');
  assert.equal(dump('CMD --x ["a"]\n'), '(cmd ["--x"] "a")\n');
});

test('the rest starts after the flags, and flag ranges are the words as written', () => {
  const text = 'RUN --mount=type=cache,target="/a b" --network=none  echo hi\n';
  const node = parseDockerfile(text).instructions[0];
  assert.deepEqual(
    node.flags.map((flag) => [flag.text, flag.name, flag.value, slice(text, flag.range)]),
    [
      ['--mount=type=cache,target=/a b', 'mount', 'type=cache,target=/a b', '--mount=type=cache,target="/a b"'],
      ['--network=none', 'network', 'none', '--network=none'],
    ],
  );
  assert.equal(node.command?.text, 'echo hi');
});

test('BuildKit reads flags byte by byte: non-ASCII comes out as Latin-1 bytes, 0xA0 splits the word', () => {
  assert.deepEqual(flags('--x=é a'), ['--x=Ã©']);
  assert.equal(dump('COPY --chown=José a b\n'), '(copy ["--chown=JosÃ©"] "a" "b")\n');
  // U+00E0 is C3 A0 in UTF-8, and Go's unicode.IsSpace(0xA0) is true.
  const result = extractFlags('--x=à b', '\\');
  assert.deepEqual(
    result.flags.map((flag) => flag.text),
    ['--x=Ã'],
  );
  assert.equal(result.restStart, 6);
});
