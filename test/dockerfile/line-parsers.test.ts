/** How the text after the flags becomes arguments (line_parsers.go): JSON form, word lists, ENV/LABEL, ARG, … */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDockerfile } from '../../src/dockerfile/index.js';
import { parseWords } from '../../src/dockerfile/line-parsers.js';
import { dump, refusal, slice } from './support.js';

describe('JSON (exec) form', () => {
  test('a JSON array of strings is exec form, with each string literal located', () => {
    const text = 'CMD  [ "a b",\t"c\\"d" ]  \n';
    const node = parseDockerfile(text).instructions[0];
    assert.equal(node.json, true);
    assert.equal(node.command, undefined);
    assert.deepEqual(
      node.args.map((arg) => [arg.value, slice(text, arg.range)]),
      [
        ['a b', '"a b"'],
        ['c"d', '"c\\"d"'],
      ],
    );
    assert.equal(dump('RUN []\n'), '(run)\n');
  });

  test('anything JSON cannot read falls back to the shell form (or the word list)', () => {
    assert.equal(dump("CMD ['a', 'b']\n"), "(cmd \"['a', 'b']\")\n");
    assert.equal(dump('CMD ["a", "b"] c\n'), '(cmd "[\\"a\\", \\"b\\"] c")\n');
    assert.equal(dump('CMD ["a",]\n'), '(cmd "[\\"a\\",]")\n');
    assert.equal(dump('COPY ["a", "b"\n'), '(copy "[\\"a\\"," "\\"b\\"")\n');
    assert.equal(dump('CMD {"a": 1}\n'), '(cmd "{\\"a\\": 1}")\n');
  });

  test('a number too big for Go falls back too (Go cannot decode it)', () => {
    assert.equal(dump('CMD ["a", 1e400]\n'), '(cmd "[\\"a\\", 1e400]")\n');
  });

  test('a valid array holding a non-string is refused', () => {
    for (const rest of ['["a", 1]', '[["a"]]', '[null]', '[true, "x"]']) {
      assert.equal(refusal(`RUN ${rest}\n`), '1:5: when using JSON array syntax, arrays must be comprised of strings only');
    }
    assert.match(refusal('COPY [1, "b"]\n'), /comprised of strings only/);
  });

  test('an unpaired surrogate escape decodes to U+FFFD, as in Go', () => {
    assert.equal(parseDockerfile('CMD ["\\ud800x"]\n').instructions[0].args[0].value, '\uFFFDx');
  });
});

describe('word lists', () => {
  test('COPY/ADD/VOLUME, FROM and EXPOSE split on [\\t\\v\\f\\r ]+ and keep quotes', () => {
    assert.equal(dump('COPY "a b"  c\td\n'), '(copy "\\"a" "b\\"" "c" "d")\n');
    assert.equal(dump('EXPOSE 80/tcp  443\n'), '(expose "80/tcp" "443")\n');
    assert.equal(dump('FROM a\u00a0b\n'), '(from "a\\u00a0b")\n');
  });

  test('USER, WORKDIR, STOPSIGNAL and MAINTAINER keep the whole rest', () => {
    assert.equal(dump('WORKDIR  /a b  \nUSER x:y\n'), '(workdir "/a b")\n(user "x:y")\n');
  });
});

describe('parseWords (ARG, and ENV/LABEL before splitting)', () => {
  const words = (text: string, escapeToken = '\\') => parseWords(text, escapeToken).map((w) => w.value);

  test("BuildKit's own cases", () => {
    assert.deepEqual(words('foo'), ['foo']);
    assert.deepEqual(words('foo bar'), ['foo', 'bar']);
    assert.deepEqual(words("foo bar 'abc xyz'"), ['foo', 'bar', "'abc xyz'"]);
    assert.deepEqual(words('foo bar "abc xyz"'), ['foo', 'bar', '"abc xyz"']);
    assert.deepEqual(words('àöû'), ['àöû']);
    assert.deepEqual(words('föo bàr "âbc xÿz"'), ['föo', 'bàr', '"âbc xÿz"']);
  });

  test('escapes are kept, inert inside single quotes, dropped at the very end', () => {
    assert.deepEqual(words('a\\ b "c\\" d" \'e\\\' f\''), ['a\\ b', '"c\\" d"', "'e\\'", "f'"]);
    assert.deepEqual(words('a b\\'), ['a', 'b']);
    assert.deepEqual(words('"a\\'), ['"a']);
    assert.deepEqual(words('a`` b', '`'), ['a``', 'b']);
    assert.deepEqual(words('"" x'), ['""', 'x']);
    assert.deepEqual(words('a\u3000b'), ['a', 'b']);
  });
});

describe('ENV and LABEL', () => {
  test('legacy form: the first word has no =, the value keeps its inner blanks', () => {
    const text = 'ENV  PATH  /a  b \n';
    const node = parseDockerfile(text).instructions[0];
    assert.equal(dump(text), '(env "PATH" "/a  b" "")\n');
    assert.deepEqual(
      node.pairs?.map((p) => [p.key.value, p.value.value, p.separator, slice(text, p.range)]),
      [['PATH', '/a  b', '', 'PATH  /a  b']],
    );
  });

  test('new form: every word is split at its first =', () => {
    const text = 'LABEL a=1 "b c"="d=e" f=\n';
    assert.equal(dump(text), '(label "a" "1" "=" "\\"b c\\"" "\\"d=e\\"" "=" "f" "" "=")\n');
    const pairs = parseDockerfile(text).instructions[0].pairs!;
    assert.deepEqual(
      pairs.map((p) => [slice(text, p.key.range), slice(text, p.value.range)]),
      [
        ['a', '1'],
        ['"b c"', '"d=e"'],
        ['f', ''],
      ],
    );
  });

  test('errors: a legacy pair without a value, a new-form word without =', () => {
    assert.equal(refusal('ENV PATH\n'), '1:5: ENV must have two arguments');
    assert.equal(refusal('LABEL a=1 b\n'), `1:11: Syntax error - can't find = in "b". Must be of the form: name=value`);
    assert.equal(dump('ENV\n'), '(env)\n');
  });
});

describe('ARG, HEALTHCHECK, ONBUILD', () => {
  test('ARG keeps each word as written', () => {
    assert.equal(dump('ARG a b="c d" e=\n'), '(arg "a" "b=\\"c d\\"" "e=")\n');
  });

  test('HEALTHCHECK: a type word, then a maybe-JSON command', () => {
    assert.equal(dump('HEALTHCHECK\n'), '(healthcheck)\n');
    assert.equal(dump('HEALTHCHECK NONE\n'), '(healthcheck "NONE")\n');
    assert.equal(dump('HEALTHCHECK --retries=3 CMD ["a", "b"]\n'), '(healthcheck ["--retries=3"] "CMD" "a" "b")\n');
    const text = 'HEALTHCHECK CMD  curl -f x || exit 1\n';
    const node = parseDockerfile(text).instructions[0];
    assert.equal(node.command?.text, 'curl -f x || exit 1');
    assert.equal(slice(text, node.command!.range), 'curl -f x || exit 1');
  });

  test('ONBUILD parses its trigger like an instruction, flags included', () => {
    const text = 'ONBUILD --a RUN --mount=x echo "hi"\n';
    assert.equal(dump(text), '(onbuild ["--a"] (run ["--mount=x"] "echo \\"hi\\""))\n');
    const trigger = parseDockerfile(text).instructions[0].trigger!;
    assert.equal(trigger.name, 'RUN');
    assert.equal(slice(text, trigger.keywordRange), 'RUN');
    assert.equal(slice(text, trigger.command!.range), 'echo "hi"');
    assert.equal(dump('ONBUILD ONBUILD ADD a b\n'), '(onbuild (onbuild (add "a" "b")))\n');
    assert.equal(dump('ONBUILD\n'), '(onbuild)\n');
  });
});
