/**
 * Rule tests that read like a spec (typescript-eslint's RuleTester): `valid` Dockerfiles must give no finding of the
 * rule; each `invalid` one must give exactly the listed findings (messageId and full position) and, after the
 * rule's safe fixes are applied until the text stops changing, exactly `output` (`null`: no fix) — which must parse.
 * It initialises the shell parser itself.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_CONFIG, type LintConfig } from '../../src/rules/config.js';
import type { AnyRule, BuildContextView, TextEdit } from '../../src/rules/define.js';
import { type Finding, lint } from '../../src/rules/lint.js';

export interface CaseOptions {
  /** Per-rule options (as in .layerwise.yaml's `rules:`). */
  options?: Record<string, unknown>;
  buildArgs?: string[];
  name?: string;
  /** A build context for context-aware rules: its files (context-relative path → content). */
  context?: Record<string, string>;
  /** Apply unsafe fixes too (as `lint --fix-unsafe` does) when computing `output`. */
  unsafe?: boolean;
}

export type ValidCase = string | ({ code: string } & CaseOptions);

export interface ExpectedFinding {
  messageId: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The formatted message, when the case wants to pin it. */
  message?: string;
}

export interface InvalidCase extends CaseOptions {
  code: string;
  errors: ExpectedFinding[];
  /** The text after all safe fixes; `null` when the rule offers none here. */
  output: string | null;
}

/** Fix rounds before the tester calls a fix unstable (each round must change the text). */
const MAX_FIX_ROUNDS = 10;

export function ruleTester(rule: AnyRule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(rule.id, () => {
    // Rules read every RUN through the real shell parser: the one setup every rule test needs.
    for (const item of cases.valid) {
      const spec = typeof item === 'string' ? { code: item } : item;
      test(`valid: ${spec.name ?? firstLines(spec.code)}`, () => {
        const result = run(rule, spec.code, spec);
        assert.equal(result.parseError, undefined, 'the case must parse');
        assert.deepEqual(result.findings.map(describeFinding), []);
      });
    }
    for (const item of cases.invalid) {
      test(`invalid: ${item.name ?? firstLines(item.code)}`, () => {
        const result = run(rule, item.code, item);
        assert.equal(result.parseError, undefined, 'the case must parse');
        const actual = result.findings.map((finding, index) => ({
          messageId: finding.messageId,
          line: finding.line,
          column: finding.column,
          endLine: finding.endLine,
          endColumn: finding.endColumn,
          ...(item.errors[index]?.message !== undefined && { message: finding.message }),
        }));
        assert.deepEqual(actual, item.errors);
        assert.equal(fixUntilStable(rule, item.code, item), item.output ?? item.code);
        if (item.output === null)
          assert.ok(!result.findings.some((f) => f.fixable || (item.unsafe && f.fix)), 'output is null but a fix was offered');
      });
    }
  });
}

function run(rule: AnyRule, code: string, spec: CaseOptions) {
  const config: LintConfig = spec.options
    ? { ...DEFAULT_CONFIG, ruleOptions: new Map([[rule.id, spec.options]]) }
    : DEFAULT_CONFIG;
  return lint(code, {
    rules: [rule],
    config,
    buildArgs: spec.buildArgs,
    ...(spec.context && { context: contextOf(spec.context) }),
  });
}

function contextOf(files: Record<string, string>): BuildContextView {
  return { exists: (path) => Object.hasOwn(files, path), read: (path) => (Object.hasOwn(files, path) ? files[path] : undefined) };
}

/** Applies the rule's safe fixes, re-linting after each round, until nothing changes; every round must parse. */
function fixUntilStable(rule: AnyRule, code: string, spec: CaseOptions): string {
  let text = code;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const edits = run(rule, text, spec).findings.flatMap((finding) =>
      finding.fix && (finding.fixable || spec.unsafe) ? [finding.fix.edits] : [],
    );
    if (edits.length === 0) return text;
    const next = applyNonOverlapping(text, edits);
    if (next === text) return text;
    const reparsed = run(rule, next, spec);
    assert.equal(reparsed.parseError, undefined, `the fixed text must parse:\n${next}`);
    text = next;
  }
  assert.fail(`fixes did not settle after ${MAX_FIX_ROUNDS} rounds`);
}

/** Applies whole edit sets in source order, skipping a set that overlaps one already taken (the next round gets it). */
function applyNonOverlapping(text: string, sets: TextEdit[][]): string {
  const taken: TextEdit[] = [];
  const sorted = [...sets].sort((a, b) => Math.min(...a.map((e) => e.start)) - Math.min(...b.map((e) => e.start)));
  for (const set of sorted) {
    if (set.some((edit) => taken.some((other) => edit.start < other.end && other.start < edit.end))) continue;
    taken.push(...set);
  }
  let out = text;
  for (const edit of taken.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

function describeFinding(finding: Finding): string {
  return `${finding.line}:${finding.column} ${finding.rule}: ${finding.message}`;
}

function firstLines(code: string): string {
  const text = code.replace(/\n/g, '⏎');
  return text.length > 70 ? `${text.slice(0, 67)}...` : text;
}
