/**
 * fixDockerfile with rules made for the test: passes, conflicts that wait, refusals (a file that would not parse,
 * a changed command, a boundary moved without meaning to, a "split" that changes a command), non-convergence.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixDockerfile } from '../../src/fix/index.js';
import { type AnyRule, defineRule, type Fix } from '../../src/rules/define.js';

const docs = { description: 'd', whatItDoes: 'w', why: 'y', example: '', useInstead: '', fixSafety: '', references: [] };

/** A rule made for a test: one message `m`, the visitors `create` returns. */
function testRule(id: string, create: Parameters<typeof defineRule<object, 'm'>>[0]['create']): AnyRule {
  return defineRule({
    id,
    status: 'stable',
    since: '0',
    severity: 'warning',
    tags: ['cache'],
    fix: 'sometimes',
    messages: { m: 'm' },
    docs,
    defaultOptions: {},
    create,
  });
}

/** A rule that reports every RUN and fixes it with `edits(source, runStart, runEnd)`. */
function runRule(id: string, fix: (source: string, start: number, end: number) => Fix | undefined): AnyRule {
  return testRule(id, (ctx) => ({
    RUN(instruction) {
      const command = instruction.command;
      if (!command) return;
      const made = fix(ctx.source, command.range.start.offset, command.range.end.offset);
      ctx.report({ node: instruction, messageId: 'm', ...(made ? { fix: made } : { unfixable: 'no fix here' }) });
    },
  }));
}

const replaceWord = (from: string, to: string) =>
  runRule(`replace-${from}`, (source, start, end) => {
    const at = source.indexOf(from, start);
    return at >= 0 && at < end ? { safety: 'safe', edits: [{ start: at, end: at + from.length, text: to }] } : undefined;
  });

describe('fixDockerfile', () => {
  test('applies safe fixes, lints again, and stops when nothing is left', () => {
    const outcome = fixDockerfile('FROM a\nRUN foo x\nRUN foo y\n', { rules: [replaceWord('foo', 'bar')] });
    assert.equal(outcome.after, 'FROM a\nRUN bar x\nRUN bar y\n');
    assert.equal(outcome.passes, 1);
    assert.ok(outcome.converged);
    assert.deepEqual(
      outcome.applied.map((a) => [a.rule, a.line, a.column, a.pass]),
      [
        ['replace-foo', 2, 1, 1],
        ['replace-foo', 3, 1, 1],
      ],
    );
    assert.equal(fixDockerfile(outcome.after, { rules: [replaceWord('foo', 'bar')] }).changed, false);
  });

  test('the same fix at several places with the same text around it: each is applied, in one pass', () => {
    // Each `foo` follows the same 40+ characters: a fix is identified by where it is, not only by what precedes it.
    const line = `RUN ${'true && '.repeat(6)}foo\n`;
    const outcome = fixDockerfile(`FROM a\n${line.repeat(3)}`, { rules: [replaceWord('foo', 'bar')] });
    assert.equal(outcome.after, `FROM a\n${line.replace('foo', 'bar').repeat(3)}`);
    assert.deepEqual([outcome.passes, outcome.applied.length, outcome.converged], [1, 3, true]);
  });

  test('two fixes that touch the same text: the later one waits for the next pass', () => {
    const rules = [replaceWord('foo', 'bar'), replaceWord('foo x', 'baz x')];
    const outcome = fixDockerfile('FROM a\nRUN foo x\n', { rules });
    assert.equal(outcome.applied.length, 1);
    assert.equal(outcome.after, 'FROM a\nRUN bar x\n');
    const chained = fixDockerfile('FROM a\nRUN foo x\n', { rules: [replaceWord('foo', 'bar'), replaceWord('bar', 'qux')] });
    assert.equal(chained.after, 'FROM a\nRUN qux x\n');
    assert.equal(chained.passes, 2);
  });

  test('unsafe fixes only when asked', () => {
    const rule = runRule('unsafe', (source, start) =>
      source.startsWith('foo', start) ? { safety: 'unsafe', edits: [{ start, end: start + 3, text: 'bar' }] } : undefined,
    );
    assert.equal(fixDockerfile('FROM a\nRUN foo\n', { rules: [rule] }).changed, false);
    assert.equal(fixDockerfile('FROM a\nRUN foo\n', { rules: [rule], unsafe: true }).after, 'FROM a\nRUN bar\n');
  });

  test('a fix that would make the file unparsable is refused, never applied', () => {
    const rule = runRule('breaks', (_source, start) => ({ safety: 'safe', edits: [{ start, end: start, text: '<<EOF ' }] }));
    const outcome = fixDockerfile('FROM a\nRUN foo\n', { rules: [rule] });
    assert.equal(outcome.changed, false);
    assert.match(outcome.refused[0].reason, /would not parse: .*unterminated heredoc/);
  });

  test('a fix that changes a command it did not touch, or moves a RUN boundary, is refused with the reason', () => {
    // Opening a quote at the end of one RUN's line turns the next line into part of it.
    const quote = runRule('continues', (source, _start, end) =>
      source.slice(end - 1, end) === '1' ? { safety: 'safe', edits: [{ start: end, end, text: ' \\' }] } : undefined,
    );
    const outcome = fixDockerfile('FROM a\nRUN echo 1\nRUN echo 2\n', { rules: [quote] });
    assert.equal(outcome.changed, false);
    assert.match(
      outcome.refused.find((r) => r.rule === 'continues')!.reason,
      /no longer runs as before|joins two RUNs|would run where/,
    );
  });

  test('a split may move a RUN boundary but must keep every command word for word', () => {
    const split = (text: string) =>
      runRule('split', (source, start, end) => {
        const at = source.indexOf(' && ', start);
        return at >= 0 && at < end
          ? { safety: 'safe', structure: 'split', edits: [{ start: at, end: at + 4, text }] }
          : undefined;
      });
    assert.equal(fixDockerfile('FROM a\nRUN a && b\n', { rules: [split('\nRUN ')] }).after, 'FROM a\nRUN a\nRUN b\n');
    const changing = fixDockerfile('FROM a\nRUN a && b\n', { rules: [split('\nRUN c && ')] });
    assert.equal(changing.changed, false);
    assert.match(changing.refused[0].reason, /a split must only move commands, but it adds `c`/);
    // The same boundary move without `structure` is refused.
    const plain = runRule('plain', (source, start, end) => {
      const at = source.indexOf(' && ', start);
      return at >= 0 && at < end ? { safety: 'safe', edits: [{ start: at, end: at + 4, text: '\nRUN ' }] } : undefined;
    });
    assert.match(
      fixDockerfile('FROM a\nRUN a && b\n', { rules: [plain] }).refused[0].reason,
      /splits a RUN \(`a`, `b`\) without meaning to/,
    );
  });

  test('a move may carry an instruction within its stage, never into another stage', () => {
    const moveArg = (to: string) =>
      testRule(`move-to-${to}`, (ctx) => ({
        ARG(instruction) {
          const start = ctx.source.lastIndexOf('\n', instruction.range.start.offset) + 1;
          const end = instruction.range.end.offset + 1;
          const at = ctx.source.indexOf(to);
          const edits = [
            { start, end, text: '' },
            { start: at, end: at, text: ctx.source.slice(start, end) },
          ];
          ctx.report({ node: instruction, messageId: 'm', fix: { safety: 'safe', structure: 'move', edits } });
        },
      }));
    const text = 'FROM a\nARG X\nRUN one\nRUN two $X\nFROM b\nRUN three\n';
    assert.equal(
      fixDockerfile(text, { rules: [moveArg('RUN two')] }).after,
      'FROM a\nRUN one\nARG X\nRUN two $X\nFROM b\nRUN three\n',
    );
    const across = fixDockerfile(text, { rules: [moveArg('RUN three')] });
    assert.equal(across.changed, false);
    assert.match(across.refused[0].reason, /`ARG X` would move to another stage/);
  });

  test('fixes that never settle stop after maxPasses and are reported', () => {
    const grow = runRule('grow', (_source, _start, end) => ({ safety: 'safe', edits: [{ start: end, end, text: ' x' }] }));
    const outcome = fixDockerfile('FROM a\nRUN echo\n', { rules: [grow], maxPasses: 3 });
    assert.equal(outcome.passes, 3);
    assert.equal(outcome.converged, false);
    assert.equal(outcome.after, 'FROM a\nRUN echo x x x\n');
    assert.match(outcome.refused[0].reason, /did not settle after 3 passes/);
  });

  test('a rule that offers no fix says why; a file that does not parse is returned unchanged with its error', () => {
    const none = runRule('none', () => undefined);
    assert.deepEqual(fixDockerfile('FROM a\nRUN x\n', { rules: [none] }).refused, [
      { rule: 'none', line: 2, column: 1, reason: 'no fix here' },
    ]);
    const broken = fixDockerfile('FROM a\nRUN <<EOF\n', { rules: [none] });
    assert.equal(broken.changed, false);
    assert.ok(broken.parseError);
  });
});
