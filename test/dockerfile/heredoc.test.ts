/** Heredocs (parser.go heredocsFromLine / ParseHeredoc and the body loop). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDockerfile, parseHeredocWord } from '../../src/dockerfile/index.js';
import { dump, refusal, slice } from './support.js';

const heredocs = (text: string) =>
  parseDockerfile(text).instructions.flatMap((node) =>
    node.heredocs.map((h) => ({ name: h.name, fd: h.fd, chomp: h.chomp, expand: h.expand, content: h.content })),
  );

test('several heredocs on one line are read one after another; the dump shows only the line', () => {
  const text = 'FROM a\nRUN <<A cat - 3<<-"B" > /f\necho $X\nA\n\t\tb\n\tB\nRUN next\n';
  assert.deepEqual(heredocs(text), [
    { name: 'A', fd: 0, chomp: false, expand: true, content: 'echo $X\n' },
    { name: 'B', fd: 3, chomp: true, expand: false, content: '\t\tb\n' },
  ]);
  assert.equal(dump(text), '(from "a")\n(run "<<A cat - 3<<-\\"B\\" > /f")\n(run "next")\n');
  const run = parseDockerfile(text).instructions[1];
  assert.deepEqual(
    run.heredocs.map((h) => [slice(text, h.range), slice(text, h.bodyRange), slice(text, h.terminatorRange)]),
    [
      ['<<A', 'echo $X\n', 'A'],
      ['3<<-"B"', '\t\tb\n', '\tB'],
    ],
  );
  assert.deepEqual(
    run.lines.map((line) => line.kind),
    ['code', 'heredoc', 'heredoc-end', 'heredoc', 'heredoc-end'],
  );
});

test('any quoting in the delimiter turns expansion off; the name is unquoted', () => {
  for (const word of ["'EOF'", '"EOF"', 'E"O"F']) {
    const [h] = heredocs(`COPY <<${word} /x\nbody\nEOF\n`);
    assert.deepEqual([h.name, h.expand], ['EOF', false], word);
  }
  // Unlike a shell, BuildKit still expands after an escaped delimiter: only quotes count.
  assert.deepEqual(
    heredocs('COPY <<\\EOF /x\nbody\nEOF\n').map((h) => [h.name, h.expand]),
    [['EOF', true]],
  );
  assert.deepEqual(parseHeredocWord('<< EOF'), { name: 'EOF', fd: 0, chomp: false, expand: true });
  assert.equal(parseHeredocWord('<<'), undefined);
  assert.equal(parseHeredocWord('<<a b'), undefined);
});

test('only RUN/COPY/ADD in shell or list form (also under ONBUILD) read bodies; quoted << is not a heredoc', () => {
  assert.deepEqual(heredocs('RUN echo "<<X"\nFROM a\n'), []);
  assert.deepEqual(heredocs('CMD <<X\nFROM a\n'), []);
  assert.deepEqual(heredocs('RUN ["<<X"]\nFROM a\n'), []);
  assert.equal(dump('ONBUILD RUN <<E\nhi\nE\n'), '(onbuild (run "<<E"))\n');
  assert.deepEqual(heredocs('ONBUILD RUN <<E\nhi\nE\n'), [{ name: 'E', fd: 0, chomp: false, expand: true, content: 'hi\n' }]);
});

test('bodies are raw: comments, blank lines, continuations and CRLF are kept; the terminator ignores \\r', () => {
  const text = 'RUN <<EOF\r\n# not a comment \\\r\n\r\nEOF\r\nFROM a\r\n';
  assert.deepEqual(heredocs(text), [{ name: 'EOF', fd: 0, chomp: false, expand: true, content: '# not a comment \\\r\n\r\n' }]);
  assert.equal(dump(text), '(run "<<EOF")\n(from "a")\n');
});

test('<<- allows leading tabs (not spaces) before the terminator', () => {
  assert.equal(heredocs('RUN <<-E\n\tx\n\t\tE\n')[0].content, '\tx\n');
  assert.equal(refusal('RUN <<-E\n  E\n'), '1:5: unterminated heredoc');
});

test('the lexer behind detection always uses backslash, whatever the escape directive', () => {
  assert.deepEqual(
    heredocs('# escape=`\nRUN <<\\E\nx\nE\n').map((h) => h.name),
    ['E'],
  );
});

test('a missing terminator is refused', () => {
  assert.equal(refusal('FROM a\nCOPY <<EOF /x\nbody\n'), '2:6: unterminated heredoc');
});

test('a heredoc inside a continued line is found in the joined text', () => {
  const text = 'RUN cat \\\n  <<EOF\nx\nEOF\n';
  const [run] = parseDockerfile(text).instructions;
  assert.equal(run.heredocs[0].range.start.line, 2);
  assert.equal(slice(text, run.heredocs[0].range), '<<EOF');
});
