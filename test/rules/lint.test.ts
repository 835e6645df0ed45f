import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDockerfile } from '../../src/dockerfile/index.js';
import { DEFAULT_CONFIG, parseConfig } from '../../src/rules/config.js';
import { defineRule, type RuleDocs } from '../../src/rules/define.js';
import { lint } from '../../src/rules/lint.js';
import pipExternallyManaged from '../../src/rules/pip-externally-managed.js';

const docs: RuleDocs = { description: '', whatItDoes: '', why: '', example: '', useInstead: '', fixSafety: '', references: [] };

/** Reports every RUN on its instruction (first line), with a safe fix that upper-cases `run`. */
const everyRun = defineRule({
  id: 'every-run',
  status: 'stable',
  since: '0.1.0',
  severity: 'info',
  tags: ['cache'],
  fix: 'always',
  hadolint: ['DL0001'],
  buildkit: 'EveryRun',
  messages: { run: 'a RUN with {{count}} flags (limit {{limit}})' },
  defaultOptions: { limit: 1 },
  docs,
  create: (ctx) => ({
    RUN(instruction) {
      const keyword = instruction.keywordRange;
      ctx.report({
        node: instruction,
        messageId: 'run',
        data: { count: instruction.flags.length, limit: ctx.options.limit },
        fix: { safety: 'safe', edits: [{ start: keyword.start.offset, end: keyword.end.offset, text: 'RUN' }] },
      });
    },
  }),
});

const order: string[] = [];
const tracer = defineRule({
  id: 'tracer',
  status: 'stable',
  since: '0.1.0',
  severity: 'warning',
  tags: ['size'],
  fix: 'never',
  messages: { m: 'm' },
  defaultOptions: {},
  docs,
  create: () => ({
    Dockerfile: () => order.push('Dockerfile'),
    Instruction: (i) => order.push(`Instruction ${i.name}`),
    FROM: () => order.push('FROM'),
    'Dockerfile:exit': () => order.push('exit'),
  }),
});

const rules = [everyRun, tracer];
const positions = (text: string, config = DEFAULT_CONFIG) =>
  lint(text, { rules, config }).findings.map((f) => `${f.rule}@${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.severity}`);

test('visitors run in order: Dockerfile, then each instruction (generic, then by name), then exit', () => {
  order.length = 0;
  lint('FROM a:1\nRUN x\n', { rules });
  assert.deepEqual(order, ['Dockerfile', 'Instruction FROM', 'FROM', 'Instruction RUN', 'exit']);
});

test('an instruction-level finding spans the instruction’s first line; options and data fill the message', () => {
  const [finding] = lint('FROM a:1\n  run --network=none echo \\\n  hi\n', { rules }).findings;
  assert.equal(finding.message, 'a RUN with 1 flags (limit 1)');
  assert.deepEqual([finding.line, finding.column, finding.endLine, finding.endColumn], [2, 3, 2, 28]);
  assert.equal(finding.fixable, true);
  assert.deepEqual(finding.fix?.edits, [{ start: 11, end: 14, text: 'RUN' }]);
  const config = parseConfig('rules:\n  every-run: { limit: 4 }\n', 'c', rules);
  assert.equal(lint('FROM a:1\nRUN x\n', { rules, config }).findings[0].message, 'a RUN with 0 flags (limit 4)');
});

test('pragmas: layerwise and hadolint, next instruction and global; # check=skip for BuildKit names', () => {
  const text = 'FROM a:1\n# layerwise ignore=every-run # reason\n\nRUN a\nRUN b\n';
  assert.deepEqual(positions(text), ['every-run@5:1-5:6 info']);
  assert.deepEqual(positions('FROM a:1\n# hadolint ignore=DL0001,DL3008\nRUN a\nRUN b\n'), ['every-run@4:1-4:6 info']);
  assert.deepEqual(positions('# hadolint global ignore=dl0001\nFROM a:1\nRUN a\nRUN b\n'), []);
  assert.deepEqual(positions('FROM a:1\nRUN a\n# layerwise global ignore=every-run\nRUN b\n'), []);
  assert.deepEqual(positions('# check=skip=Other,EveryRun\nFROM a:1\nRUN a\n'), []);
  assert.deepEqual(positions('# check=error=true;skip=all\nFROM a:1\nRUN a\n'), []);
  assert.deepEqual(positions('# check=skip=Other\nFROM a:1\nRUN a\n'), ['every-run@3:1-3:6 info']);
  assert.deepEqual(positions('FROM a:1\n# layerwise ignore=unknown-rule\nRUN a\n'), ['every-run@3:1-3:6 info']);
});

test('configuration: ignored rules, severity overrides, off', () => {
  const text = 'FROM a:1\nRUN a\n';
  assert.deepEqual(positions(text, parseConfig('ignored: [every-run]', 'c', rules)), []);
  assert.deepEqual(positions(text, parseConfig('severity: { DL0001: error }', 'c', rules)), ['every-run@2:1-2:6 error']);
  assert.deepEqual(positions(text, parseConfig('severity: { every-run: off }', 'c', rules)), []);
});

test('a file that does not parse gives its ParseError and no findings', () => {
  const result = lint('FROM a:1\nRUN a\nENV PATH\n', { file: 'bad/Dockerfile', rules });
  assert.equal(result.findings.length, 0);
  assert.ok(result.parseError);
  assert.match(result.parseError.message, /^bad\/Dockerfile:3:\d+: /);
});

test('a crashing rule is a bug, reported with the rule and the file', () => {
  const crash = defineRule({
    ...tracer,
    id: 'crash',
    create: () => ({
      RUN: () => {
        throw new Error('boom');
      },
    }),
  });
  assert.throws(
    () => lint('FROM a:1\nRUN a\n', { rules: [crash], file: 'x/Dockerfile' }),
    /rule crash crashed on x\/Dockerfile: boom/,
  );
  const badEdit = defineRule({
    ...tracer,
    id: 'bad-edit',
    create: (ctx) => ({
      RUN: (i) => ctx.report({ node: i, messageId: 'm', fix: { safety: 'safe', edits: [{ start: 5, end: 500, text: '' }] } }),
    }),
  });
  assert.throws(() => lint('FROM a:1\nRUN a\n', { rules: [badEdit] }), /edit \[5, 500\) is outside the source/);
});

test('a rule whose visitors differ from file to file still meets every instruction it asks for, in rule order', () => {
  // The engine lays visitors out once per rule set and checks each file against that layout: this rule listens to RUN
  // only in files with an ARG, and to FROM and USER otherwise, so consecutive files do not fit one layout.
  const seen: string[] = [];
  const varying = defineRule({
    ...tracer,
    id: 'varying',
    create: (ctx) =>
      ctx.ast.instructions.some((i) => i.name === 'ARG')
        ? { RUN: (i) => seen.push(`varying RUN ${i.range.start.line}`) }
        : { FROM: () => seen.push('varying FROM'), USER: () => seen.push('varying USER') },
  });
  const steady = defineRule({
    ...tracer,
    id: 'steady',
    create: () => ({ RUN: (i) => seen.push(`steady RUN ${i.range.start.line}`), FROM: () => seen.push('steady FROM') }),
  });
  const set = [varying, steady];
  lint('FROM a:1\nRUN a\nUSER u\n', { rules: set });
  lint('FROM a:1\nARG X\nRUN a\n', { rules: set });
  lint('FROM a:1\nUSER u\n', { rules: set });
  assert.deepEqual(seen, [
    'varying FROM',
    'steady FROM',
    'steady RUN 2',
    'varying USER',
    'steady FROM',
    'varying RUN 3',
    'steady RUN 3',
    'varying FROM',
    'steady FROM',
    'varying USER',
  ]);
});

test('one parsed tree linted again with other build args is judged with those args, each time', () => {
  // The stages are the lint run's: a memo per tree returned the first run's model to the next (stale base image).
  const text =
    'ARG BASE=debian:bullseye\nFROM ${BASE}\nRUN apt-get update && apt-get install -y python3-pip\nRUN pip install flask\n';
  const parsed = parseDockerfile(text, { file: 'Dockerfile' });
  const found = (base: string) =>
    lint(text, { parsed, buildArgs: [`BASE=${base}`], rules: [pipExternallyManaged] }).findings.map((f) => f.rule);
  assert.equal(lint(text, { parsed }).ast, parsed, 'the given tree is linted, not a new parse');
  assert.deepEqual(found('debian:bullseye'), []);
  assert.deepEqual(found('debian:bookworm'), ['pip-externally-managed']);
  assert.deepEqual(found('debian:bullseye'), []);
});

test('findings at one range are ordered by rule id code unit by code unit, whatever the locale', () => {
  // localeCompare put `_` before `-` (ICU's order), and its order may change with the process locale.
  const at = (id: string) =>
    defineRule({
      id,
      status: 'stable',
      since: '0.1.0',
      severity: 'info',
      tags: ['cache'],
      fix: 'never',
      messages: { m: 'm' },
      defaultOptions: {},
      docs,
      create: (ctx) => ({ RUN: (instruction) => ctx.report({ node: instruction, messageId: 'm' }) }),
    });
  const order = (ids: string[]) => lint('FROM a:1\nRUN b\n', { rules: ids.map(at) }).findings.map((f) => f.rule);
  assert.deepEqual(order(['tie_a', 'tie-b']), ['tie-b', 'tie_a']);
  assert.deepEqual(order(['tie-b', 'tie_a']), ['tie-b', 'tie_a']);
});
