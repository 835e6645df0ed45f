/** Line assembly, directives, comments, BOM, CRLF and limits: parser.go / directives.go rule by rule. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDockerfile } from '../../src/dockerfile/index.js';
import { dump, refusal, slice } from './support.js';

describe('directives', () => {
  test('escape=` makes the backtick the continuation and escape token', () => {
    const text = '# escape=`\nFROM a\nRUN b `\n  c \\\nCOPY --x=a`b c d\n';
    const ast = parseDockerfile(text);
    assert.equal(ast.escapeToken, '`');
    assert.equal(dump(text), '(from "a")\n(run "b   c \\\\")\n(copy ["--x=ab"] "c" "d")\n');
    assert.deepEqual(
      ast.directives.map((d) => [d.name, d.value, slice(text, d.nameRange), slice(text, d.valueRange)]),
      [['escape', '`', 'escape', '`']],
    );
  });

  test('keys are case-insensitive, blanks around = and after the value are allowed', () => {
    const ast = parseDockerfile('#  EScape =  `  \n# SYNTAX=docker/dockerfile:1 // x\n#check=skip=all;error=true\nFROM a\n');
    assert.deepEqual(
      ast.directives.map((d) => [d.name, d.value]),
      [
        ['escape', '`'],
        ['syntax', 'docker/dockerfile:1 // x'],
        ['check', 'skip=all;error=true'],
      ],
    );
  });

  test('recognition stops at the first line that is not a directive (blank, comment, unknown key, instruction)', () => {
    for (const stopper of ['', '# just a comment', '# key = FOO bar', '#', 'FROM a']) {
      const ast = parseDockerfile(`# syntax=a\n${stopper}\n# escape=\`\nFROM b \`\n`);
      assert.deepEqual(
        ast.directives.map((d) => d.name),
        ['syntax'],
        stopper,
      );
      assert.equal(ast.escapeToken, '\\');
    }
  });

  test('an indented directive counts; a directive is never part of PrevComment', () => {
    const ast = parseDockerfile('   # escape = `\n# about a\nFROM a\n');
    assert.equal(ast.escapeToken, '`');
    assert.deepEqual(ast.instructions[0].comments, ['about a']);
  });

  test('a repeated directive and a bad escape token are errors', () => {
    assert.equal(refusal('# syntax=a\n# Syntax=b\nFROM a\n'), '2:3: only one syntax parser directive can be used');
    assert.equal(refusal('# escape=x\nFROM a\n'), "1:10: invalid escape token 'x' does not match ` or \\");
  });

  test('directives are not continued', () => {
    assert.equal(dump('# escape=\\\nFROM a\n'), '(from "a")\n');
    assert.equal(parseDockerfile('# syntax=a \\\nFROM a\n').directives[0].value, 'a \\');
  });
});

describe('line continuation', () => {
  test('blanks after the escape token are allowed', () => {
    assert.equal(dump('FROM a\nRUN a \\  \t\n  b\n'), '(from "a")\n(run "a   b")\n');
  });

  test('an escaped escape token does not continue (nor, as in BuildKit, a triple one)', () => {
    assert.equal(dump('RUN a\\\\\nRUN b\n'), '(run "a\\\\\\\\")\n(run "b")\n');
    assert.equal(dump('RUN a\\\\\\\nRUN b\n'), '(run "a\\\\\\\\\\\\")\n(run "b")\n');
  });

  test('a line that is only the escape token contributes nothing; continuation lines keep their indentation', () => {
    assert.equal(dump('RUN a \\\n\\\n  b\n'), '(run "a   b")\n');
    assert.equal(dump('RUN a\\\n \\\n  b\n'), '(run "a   b")\n');
  });

  test('a lone escape line starts an instruction', () => {
    const ast = parseDockerfile('\\\nFROM a\n');
    assert.equal(ast.instructions[0].range.start.line, 1);
    assert.equal(dump('\\\nFROM a\n'), '(from "a")\n');
    assert.equal(dump('\\\n'), '("")\n');
  });

  test('comment lines inside a continuation are dropped, even indented or ending in the escape token', () => {
    const text = 'RUN a \\\n# one\n   # two \\\n  b\n';
    assert.equal(dump(text), '(run "a   b")\n');
    assert.deepEqual(
      parseDockerfile(text).instructions[0].lines.map((line) => line.kind),
      ['code', 'comment', 'comment', 'code'],
    );
  });

  test('empty lines inside a continuation are dropped with a NoEmptyContinuation warning', () => {
    const text = `
FROM alpine:3.6

RUN valid \\
    continuation

RUN something \\

    following \\

    more

RUN another \\

    thing

RUN non-indented \\
# this is a comment
   after-comment

RUN indented \\
    # this is an indented comment
    comment
	`;
    const ast = parseDockerfile(text);
    assert.deepEqual(
      ast.warnings.map((w) => [w.rule, w.message, w.range.start.line]),
      [
        ['NoEmptyContinuation', 'Empty continuation line found in: RUN something     following     more', 8],
        ['NoEmptyContinuation', 'Empty continuation line found in: RUN another     thing', 14],
      ],
    );
  });

  test('only a line without a trailing escape ends the instruction', () => {
    assert.equal(dump('RUN a \\\n\nRUN b\n'), '(run "a RUN b")\n');
    assert.equal(dump('FROM a\nRUN a \\'), '(from "a")\n(run "a")\n');
  });
});

describe('comments, blank lines and PrevComment', () => {
  test('PrevComment collects the comments above; a bare # resets it, blank lines do not', () => {
    const ast = parseDockerfile('# a\n\n#  b  \nFROM x\n# c\n#\n# d\nRUN y\nRUN z\n  # e\nRUN w\n');
    assert.deepEqual(
      ast.instructions.map((node) => node.comments),
      [['a', 'b'], ['d'], [], ['# e']],
    );
    assert.deepEqual(
      ast.elements.map((element) => element.type),
      [
        'Comment',
        'Blank',
        'Comment',
        'Instruction',
        'Comment',
        'Comment',
        'Comment',
        'Instruction',
        'Instruction',
        'Comment',
        'Instruction',
      ],
    );
  });

  test('a file with no instructions is refused', () => {
    assert.equal(refusal(''), '1:1: file with no instructions');
    assert.equal(refusal('# syntax=x\n# c\n\n   \n'), '4:1: file with no instructions');
  });
});

describe('keywords', () => {
  test('instruction names are case-insensitive; the dump lower-cases them', () => {
    const ast = parseDockerfile('fRoM a AS b\nRun x\n');
    assert.deepEqual(
      ast.instructions.map((node) => [node.keyword, node.name, node.known]),
      [
        ['fRoM', 'FROM', true],
        ['Run', 'RUN', true],
      ],
    );
    assert.equal(dump('fRoM a AS b\n'), '(from "a" "AS" "b")\n');
  });

  test('unknown instructions dump as BuildKit does', () => {
    assert.equal(dump('FROM a\nFOO bar baz\n'), '(from "a")\n(foo "")\n');
    assert.equal(parseDockerfile('FOO bar\n').instructions[0].known, false);
  });
});

describe('bytes: BOM, CRLF, the 64 KiB line limit', () => {
  test('a BOM is dropped from line 1 and is not part of any line', () => {
    const text = '\uFEFF# escape=`\nFROM a\n';
    const ast = parseDockerfile(text);
    assert.equal(ast.bom, true);
    assert.equal(ast.escapeToken, '`');
    assert.deepEqual(ast.elements[0].range.start, { line: 1, column: 1, offset: 1 });
    assert.equal(dump(text), '(from "a")\n');
  });

  test('CRLF line ends are trimmed (continuations too) and kept for printing', () => {
    const text = 'FROM a\r\nRUN b \\\r\n  c\r\n\r\nCMD ["d"]\r\n';
    assert.equal(dump(text), '(from "a")\n(run "b   c")\n(cmd "d")\n');
    assert.deepEqual(
      parseDockerfile(text).elements.map((element) => element.eol),
      ['\r\n', '\r\n', '\r\n', '\r\n'],
    );
  });

  test('a line of 65535 bytes is fine, 65536 bytes is refused (counted in UTF-8)', () => {
    assert.equal(parseDockerfile(`FROM a\nLABEL x=${'a'.repeat(65535 - 8)}\n`).instructions.length, 2);
    assert.equal(parseDockerfile(`FROM a\nLABEL x=${'a'.repeat(65535 - 8)}`).instructions.length, 2);
    assert.equal(
      refusal(`FROM a\nLABEL x=${'a'.repeat(65536 - 8)}\n`),
      '2:1: dockerfile line greater than max allowed size of 65535',
    );
    assert.equal(
      refusal(`FROM a\nLABEL x=${'é'.repeat(32764)}\n`),
      '2:1: dockerfile line greater than max allowed size of 65535',
    );
    // BuildKit's own case: the scanner error, after the instructions before it.
    assert.equal(
      refusal(`\n\t\tFROM image\n\t\tLABEL test=${'a'.repeat(65536)}\n`),
      '3:1: dockerfile line greater than max allowed size of 65535',
    );
  });

  test('a too-long line before any instruction reports the missing instructions first, as BuildKit', () => {
    assert.equal(refusal(`# ${'a'.repeat(70000)}\nFROM a\n`), '1:1: file with no instructions');
  });
});

describe('positions', () => {
  test('keyword, flags and arguments carry exact ranges across continuation lines', () => {
    const text = 'FROM a\n  COPY --from=b \\\n    --chown=1 src/ \\\n  /dst\n';
    const copy = parseDockerfile(text).instructions[1];
    assert.equal(slice(text, copy.keywordRange), 'COPY');
    assert.deepEqual(copy.keywordRange.start, { line: 2, column: 3, offset: 9 });
    assert.deepEqual(
      copy.flags.map((flag) => [flag.name, flag.value, slice(text, flag.range), flag.range.start.line]),
      [
        ['from', 'b', '--from=b', 2],
        ['chown', '1', '--chown=1', 3],
      ],
    );
    assert.deepEqual(
      copy.args.map((arg) => [arg.value, slice(text, arg.range), arg.range.start.line, arg.range.start.column]),
      [
        ['src/', 'src/', 3, 15],
        ['/dst', '/dst', 4, 3],
      ],
    );
    assert.deepEqual(
      [copy.range.start, copy.range.end],
      [
        { line: 2, column: 1, offset: 7 },
        { line: 4, column: 7, offset: 52 },
      ],
    );
  });

  test('every element tiles the file, and printing gives it back', () => {
    const text = '\uFEFF# syntax=x\r\n\r\n  # c\nFROM a\n\tRUN b \\\n# c\n\n c\nCOPY <<EOF /x\nbody\nEOF';
    const ast = parseDockerfile(text);
    let at = 1;
    for (const element of ast.elements) {
      assert.equal(element.range.start.offset, at);
      at = element.range.end.offset + element.eol.length;
    }
    assert.equal(at, text.length);
  });
});
