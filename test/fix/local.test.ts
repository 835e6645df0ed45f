/**
 * local.ts (`localProblems`) against the whole check it stands in for: whenever it answers, the fixed file parses,
 * BuildKit's instruction layer does not refuse it (unless it already refused the original), and checkPass on the
 * whole trees gives the same problems in the same order. On random Dockerfiles with random edits (newlines,
 * continuations, comments, heredocs, FROM, SHELL, other escape tokens), and on every pass of a sample of the corpus
 * with the fixes the rules offer (alone, together, growing sets — what fixDockerfile asks).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { type Dockerfile, ParseError, parseDockerfile, validateInstructions } from '../../src/dockerfile/index.js';
import { applyEdits, choose, malformed } from '../../src/fix/apply.js';
import { localProblems } from '../../src/fix/local.js';
import { checkPass, type SafetyProblem } from '../../src/fix/safety.js';
import { sequenceMemo } from '../../src/fix/sequence.js';
import type { Fix } from '../../src/rules/define.js';
import { lint } from '../../src/rules/lint.js';
import { needsShared, sharedDir } from '../support/paths.js';
import { corpusFiles } from '../support/run-scripts.js';

/** What the whole check says: a refusal before the comparison, or checkPass's problems. */
function whole(before: Dockerfile, fixes: Fix[]): { refused: string } | SafetyProblem[] {
  let after: Dockerfile;
  try {
    after = parseDockerfile(
      applyEdits(
        before.source,
        fixes.flatMap((f) => f.edits),
      ),
    );
  } catch (error) {
    if (error instanceof ParseError) return { refused: error.message };
    throw error;
  }
  const invalid = validateInstructions(after)[0];
  if (invalid && validateInstructions(before).length === 0) return { refused: invalid.message };
  return checkPass(before, after, fixes);
}

/** Asserts that localProblems, when it answers, answers as the whole check; returns its answer. */
function agrees(before: Dockerfile, fixes: Fix[], memo = sequenceMemo()): SafetyProblem[] | undefined {
  const local = localProblems(before, fixes, memo);
  if (local !== undefined) {
    assert.deepEqual(local, whole(before, fixes), `${JSON.stringify(before.source)} with ${JSON.stringify(fixes)}`);
  }
  return local;
}

const LINES = [
  'FROM alpine AS base',
  'FROM base',
  'RUN apt-get update && apt-get install -y curl',
  'RUN set -e; \\\n  cd /x && make \\\n  # note\n  install',
  'RUN echo a | tee b; echo a | tee b',
  'RUN ["echo", "x"]',
  'SHELL ["/bin/bash", "-c"]',
  'COPY a b',
  'ENV A=1',
  'ARG V',
  'WORKDIR /w',
  '# comment',
  '',
  '  RUN indented `\n  next',
  'RUN <<EOF\necho hi\nEOF',
  'RUN --mount=type=cache,target=/c pip install x',
  'ONBUILD RUN y',
  'BOGUS x',
  'run lower && lower',
  'RUN a \\\n\n  b',
];
const PREFIXES = ['', '# escape=`\n', '# syntax=docker/dockerfile:1\n', '\ufeff'];
const TEXTS = [
  '',
  ' ',
  '\n',
  ' \\\n',
  '\\',
  '`',
  ' && ',
  ';',
  'RUN ',
  '\nRUN x',
  '\nFROM b\n',
  '#',
  '# c\n',
  '<<EOF',
  'EOF',
  'x',
  '-y ',
  '"',
  '$(',
  ')',
  '\r',
  '\nSHELL ["sh"]\n',
  'x\n',
];
const STRUCTURES = [undefined, undefined, 'split', 'merge', 'move'] as const;

const dockerfile = fc
  .tuple(fc.constantFrom(...PREFIXES), fc.array(fc.constantFrom(...LINES), { minLength: 1, maxLength: 8 }))
  .map(([prefix, lines]) => `${prefix}FROM scratch\n${lines.join('\n')}\n`);

test('localProblems answers as the whole check on random edits', (t) => {
  let answered = 0;
  let problems = 0;
  const count = (local: SafetyProblem[] | undefined) => {
    if (local) answered++;
    if (local?.length) problems++;
  };
  fc.assert(
    fc.property(
      dockerfile,
      fc.array(
        fc.record({
          edits: fc.array(
            fc.record({
              instruction: fc.option(fc.nat(), { freq: 5 }),
              // Replace the instruction's whole lines, terminator included (a fix that moves or removes it).
              whole: fc.boolean(),
              at: fc.nat(),
              span: fc.nat(6),
              text: fc.constantFrom(...TEXTS),
            }),
            { minLength: 1, maxLength: 3 },
          ),
          structure: fc.constantFrom(...STRUCTURES),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      (source, drawn) => {
        let before: Dockerfile;
        try {
          before = parseDockerfile(source);
        } catch {
          return;
        }
        const length = source.length;
        // Mostly inside an instruction (where rules edit), sometimes anywhere.
        const instructions = before.instructions;
        const sets = drawn.map((d) =>
          d.edits.map((e) => {
            const chosen = e.instruction === null ? undefined : instructions[e.instruction % instructions.length];
            if (chosen && e.whole) {
              const start = chosen.range.start.offset - chosen.range.start.column + 1;
              return { start, end: chosen.range.end.offset + chosen.eol.length, text: e.text };
            }
            const range = chosen?.range;
            const from = range?.start.offset ?? 0;
            const start = from + (e.at % ((range?.end.offset ?? length) - from + 1));
            return { start, end: Math.min(length, start + e.span), text: e.text };
          }),
        );
        const formed = sets.map((edits, i) => ({ edits, i })).filter((s) => malformed(s.edits, length) === undefined);
        const fixes = choose(formed.map((s) => s.edits)).chosen.map((k): Fix => {
          const structure = drawn[formed[k].i].structure;
          return { safety: 'safe', edits: formed[k].edits, ...(structure ? { structure } : {}) };
        });
        if (fixes.length === 0) return;
        const memo = sequenceMemo();
        count(agrees(before, fixes, memo));
        for (const fix of fixes) count(agrees(before, [fix], memo));
      },
    ),
    { numRuns: 5000 },
  );
  t.diagnostic(`the local check answered ${answered} times, ${problems} of them with problems`);
  assert.ok(answered > 400 && problems > 50, `the local check answered only ${answered} times: the test does not exercise it`);
});

test('localProblems answers as the whole check on every pass of a corpus sample', needsShared(), (t) => {
  const files = corpusFiles(join(sharedDir!, 'corpus')).filter((_, i) => i % 5 === 0);
  let asked = 0;
  let answered = 0;
  for (const file of files) {
    let text = readFileSync(file, 'utf8');
    for (let pass = 0; pass < 10; pass++) {
      const result = lint(text);
      if (!result.ast) break;
      const offered = result.findings.flatMap((f) => (f.fix ? [f.fix] : []));
      const fixes = choose(offered.map((f) => f.edits)).chosen.map((i) => offered[i]);
      if (fixes.length === 0) break;
      const memo = sequenceMemo();
      const sets = [fixes, ...fixes.map((f) => [f]), ...fixes.map((_, n) => fixes.slice(0, n + 1)).slice(1, -1)];
      for (const set of sets) {
        asked++;
        if (agrees(result.ast, set, memo)) answered++;
      }
      const next = applyEdits(
        text,
        fixes.flatMap((f) => f.edits),
      );
      if (Array.isArray(whole(result.ast, fixes)) && next !== text) text = next;
      else break;
    }
  }
  t.diagnostic(`${files.length} files: the local check answered ${answered} of ${asked} verdicts`);
  assert.ok(answered > asked * 0.8, `the local check answered only ${answered} of ${asked}`);
});
