/** Shell-form command text: BuildKit's joined text, its source map, and the same-length script. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandToSource, lineStarts, parseDockerfile, positionAt } from '../../src/dockerfile/index.js';

const text = [
  'FROM a',
  'RUN apt-get update \\  ',
  '    # a comment \\',
  '',
  '  && apt-get install -y \\',
  '\tcurl',
  'RUN ["exec"]',
  '',
].join('\r\n');

test('command.text is BuildKit joined text (the RUN cache key)', () => {
  const run = parseDockerfile(text).instructions[1];
  assert.equal(run.command?.text, 'apt-get update   && apt-get install -y \tcurl');
  assert.equal(run.original, 'RUN apt-get update   && apt-get install -y \tcurl');
  assert.equal(parseDockerfile(text).instructions[2].command, undefined);
});

test('every index of the text maps back to the Dockerfile', () => {
  const ast = parseDockerfile(text);
  const command = ast.instructions[1].command!;
  for (let i = 0; i < command.text.length; i++) {
    assert.equal(text[commandToSource(command, i)], command.text[i], `index ${i}`);
  }
  const curl = command.text.indexOf('curl');
  assert.deepEqual(positionAt(ast, commandToSource(command, curl)), {
    line: 6,
    column: 2,
    offset: commandToSource(command, curl),
  });
  assert.equal(commandToSource(command, command.text.length), command.range.end.offset);
});

test('positions follow whichever text is asked about (the line-start memo is per text, not per first caller)', () => {
  const other = { source: 'FROM b\nRUN x\n', bom: false };
  const withBom = { source: '\ufeffFROM b\nRUN x\n', bom: true };
  assert.deepEqual(lineStarts(other), [0, 7, 13]);
  assert.deepEqual(lineStarts(withBom), [1, 8, 14]);
  assert.deepEqual(positionAt(other, 9), { line: 2, column: 3, offset: 9 });
  assert.deepEqual(positionAt(parseDockerfile(text), text.indexOf('curl')), { line: 6, column: 2, offset: text.indexOf('curl') });
  assert.deepEqual(lineStarts({ source: other.source, bom: true }), [1, 7, 13]);
});

test('script has the source length, blanks comments and empty lines, and keeps shell continuations', () => {
  const command = parseDockerfile(text).instructions[1].command!;
  const source = text.slice(command.range.start.offset, command.range.end.offset);
  assert.equal(command.script.length, source.length);
  assert.equal(
    command.script,
    `apt-get update    \\\n${' '.repeat('    # a comment \\\r\n'.length + '\r\n'.length)}  && apt-get install -y  \\\n\tcurl`,
  );
  for (const word of ['update', 'install', 'curl']) {
    const i = command.script.indexOf(word);
    assert.equal(text.slice(command.range.start.offset + i, command.range.start.offset + i + word.length), word);
  }
});

test('with the backtick escape, continuations become backslash-newline for the shell', () => {
  const source = '# escape=`\nFROM a\nRUN a `\n  b\n';
  const command = parseDockerfile(source).instructions[1].command!;
  assert.equal(command.text, 'a   b');
  assert.equal(command.script, 'a \\\n  b');
});

test('a one-line command is its own script', () => {
  const command = parseDockerfile('RUN echo hi # there\n').instructions[0].command!;
  assert.equal(command.script, 'echo hi # there');
  assert.deepEqual(command.map, [0, 4, 15]);
});
