/**
 * `lint --fix`, pure: lint, apply the safe fixes of the findings as text edits on the original text, re-parse, check
 * mechanically that the file still executes the same commands (safety.ts), and lint again until no fix is left —
 * fixes that conflicted wait for the next pass — within a bounded number of passes. Writing the result is the
 * caller's business (write.ts, the CLI).
 */
import { type Dockerfile, ParseError, parseDockerfile, validateInstructions } from '../dockerfile/index.js';
import type { Fix, TextEdit } from '../rules/define.js';
import { type Finding, type LintOptions, type LintResult, lint } from '../rules/lint.js';
import { ruleById } from '../rules/registry.js';
import { withShellMemo } from '../shell/memo.js';
import { applyEdits, choose, malformed, mapOffset } from './apply.js';
import { localProblems } from './local.js';
import { checkPass } from './safety.js';
import { type SequenceMemo, sequenceMemo } from './sequence.js';

export { unifiedDiff } from './diff.js';

export interface FixOptions extends LintOptions {
  /** Also apply fixes marked unsafe (`--fix-unsafe`); `config.fixUnsafe` (.layerwise.yaml `fix-unsafe`) opts in per rule. */
  unsafe?: boolean;
  /** Lint-and-fix rounds before giving up (default 10). */
  maxPasses?: number;
}

export interface AppliedFix {
  rule: string;
  /** Where the finding was, in the text of the pass that fixed it. */
  line: number;
  column: number;
  message: string;
  /** Offsets into the text of that pass (`pass` 1 is the original). */
  edits: TextEdit[];
  pass: number;
  safety: Fix['safety'];
}

export interface RefusedFix {
  rule: string;
  line: number;
  column: number;
  reason: string;
}

export interface FixOutcome {
  file: string;
  before: string;
  after: string;
  changed: boolean;
  /** Passes that applied fixes (0: nothing to fix); each pass lints the text the previous one produced. */
  passes: number;
  /** False when fixes were still pending after `maxPasses` (they are listed in `refused`). */
  converged: boolean;
  applied: AppliedFix[];
  refused: RefusedFix[];
  /** Findings of the fixed text. */
  remaining: Finding[];
  /** The original text does not parse: nothing was fixed (`after` equals `before`). */
  parseError?: ParseError;
}

const DEFAULT_MAX_PASSES = 10;

type Candidate = Finding & { fix: Fix };

export function fixDockerfile(source: string, options: FixOptions = {}): FixOutcome {
  // Every pass lints a text whose RUNs are mostly those of the pass before: each distinct script is parsed once.
  return withShellMemo(() => fixPasses(source, options));
}

function fixPasses(source: string, options: FixOptions): FixOutcome {
  const file = options.file ?? 'Dockerfile';
  const maxPasses = options.maxPasses ?? DEFAULT_MAX_PASSES;
  const applied: AppliedFix[] = [];
  let refused = new Map<string, Refusal>();
  let text = source;
  let remaining: Finding[] = [];
  let rounds = 0; // passes that applied something
  const memo = sequenceMemo();
  // The trees of the texts checked in this pass: the next pass lints one of them, and need not parse it again.
  const checked = new Map<string, Dockerfile>();
  let result: LintResult | undefined;
  for (let pass = 1; ; pass++) {
    // A pass whose fixes were all refused left the text as it was: its findings are those of the last lint.
    if (result?.source !== text) {
      // (Most passes are checked without parsing the whole text: then there is nothing to look up.)
      const parsed = checked.size > 0 ? checked.get(text) : undefined;
      result = lint(text, parsed ? { ...options, parsed } : options);
    }
    checked.clear();
    if (result.parseError) {
      if (pass === 1) return { ...unchanged(file, source), parseError: result.parseError };
      throw new Error(`bug: the text fixed in pass ${pass - 1} does not parse: ${result.parseError.message}`);
    }
    remaining = result.findings;
    const candidates = applicable(result.findings, options, refused);
    if (candidates.length === 0) {
      return outcome(file, source, text, rounds, true, applied, refusals(refused, remaining, options), remaining);
    }
    if (pass > maxPasses) {
      for (const c of candidates) refuse(refused, c, `the fixes did not settle after ${maxPasses} passes`);
      return outcome(file, source, text, rounds, false, applied, refusals(refused, remaining, options), remaining);
    }
    const ast = result.ast as Dockerfile;
    const { chosen } = choose(candidates.map((c) => c.fix.edits));
    const accepted = acceptable(
      ast,
      memo,
      checked,
      chosen.map((i) => candidates[i]),
      (c, reason) => refuse(refused, c, reason),
    );
    if (accepted.length === 0) continue; // everything tried was refused; the next pass looks at what is left
    rounds++;
    for (const c of accepted) {
      applied.push({
        rule: c.rule,
        line: c.line,
        column: c.column,
        message: c.message,
        edits: c.fix.edits,
        pass,
        safety: c.fix.safety,
      });
    }
    const edits = accepted.flatMap((c) => c.fix.edits).sort((a, b) => a.start - b.start || a.end - b.end);
    text = applyEdits(text, edits);
    refused = moved(refused, edits);
  }
}

/** A refused fix, with its edits in the offsets of the current pass's text (they identify it in later passes). */
interface Refusal {
  refused: RefusedFix;
  rule: string;
  messageId: string;
  edits: TextEdit[];
}

function refuse(refused: Map<string, Refusal>, c: Candidate, reason: string): void {
  const entry = { refused: refusal(c, reason), rule: c.rule, messageId: c.messageId, edits: c.fix.edits };
  refused.set(keyOf(entry), entry);
}

/** The refusals in the offsets of the text after `edits` (sorted by start) were applied. */
function moved(refused: Map<string, Refusal>, edits: TextEdit[]): Map<string, Refusal> {
  const next = new Map<string, Refusal>();
  for (const entry of refused.values()) {
    const shifted = entry.edits.map((e) => ({ ...e, start: mapOffset(edits, e.start), end: mapOffset(edits, e.end) }));
    const at = { ...entry, edits: shifted };
    next.set(keyOf(at), at);
  }
  return next;
}

function refusals(refused: Map<string, Refusal>, remaining: Finding[], options: FixOptions): RefusedFix[] {
  // A rule whose fixes are all unsafe explains its missing fixes only to a run that would apply them.
  const quietRules = new Map<string, boolean>();
  const quiet = (rule: string) => {
    let is = quietRules.get(rule);
    if (is === undefined) {
      is = ruleById(rule, options.rules)?.fixesUnsafe === true && !unsafeAllowed(options, rule);
      quietRules.set(rule, is);
    }
    return is;
  };
  return [...[...refused.values()].map((r) => r.refused), ...unfixable(remaining.filter((f) => !quiet(f.rule)))];
}

function unsafeAllowed(options: FixOptions, rule: string): boolean {
  const optIn = options.config?.fixUnsafe;
  return options.unsafe === true || optIn === true || (optIn instanceof Set && optIn.has(rule));
}

/** The fixes lint may apply now: safe (or unsafe when asked), not refused before, one per distinct edit set. */
function applicable(findings: Finding[], options: FixOptions, refused: Map<string, Refusal>): Candidate[] {
  const seen = new Set<string>();
  return findings.filter((f): f is Candidate => {
    if (!f.fix || (f.fix.safety === 'unsafe' && !unsafeAllowed(options, f.rule))) return false;
    const key = keyOf({ rule: f.rule, messageId: f.messageId, edits: f.fix.edits });
    if (refused.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The fixes of one pass that can be applied together: each must be well formed and pass the checks on its own;
 * then all of them together must too — when they do not, those that pass with the ones before them are taken, the
 * rest wait for the next pass.
 */
function acceptable(
  ast: Dockerfile,
  memo: SequenceMemo,
  checked: Map<string, Dockerfile>,
  chosen: Candidate[],
  refuse: (c: Candidate, reason: string) => void,
): Candidate[] {
  const verdict = (fixes: Candidate[]) => verdictOf(ast, fixes, memo, checked);
  const together = verdict(chosen);
  if (together === undefined) return chosen;
  const alone = chosen.filter((c) => {
    const bad = malformed(c.fix.edits, ast.source.length) ?? verdict([c]);
    if (bad !== undefined) refuse(c, bad);
    return bad === undefined;
  });
  // When every fix passed alone, `alone` is `chosen`, which was just refused together.
  if (alone.length <= 1 || (alone.length < chosen.length && verdict(alone) === undefined)) return alone;
  // Together they clash (e.g. two fixes of one command): keep each that still passes with those kept before it.
  const kept: Candidate[] = [];
  for (const c of alone) if (kept.length === 0 || verdict([...kept, c]) === undefined) kept.push(c);
  return kept;
}

/** Why applying these fixes together is refused, or undefined when it is safe; `checked` keeps each tree it parsed. */
function verdictOf(
  ast: Dockerfile,
  fixes: Candidate[],
  memo: SequenceMemo,
  checked: Map<string, Dockerfile>,
): string | undefined {
  for (const c of fixes) {
    const bad = malformed(c.fix.edits, ast.source.length);
    if (bad) return bad;
  }
  // Most fixes touch a few instructions: those alone are parsed again and compared, when that is provably the same.
  const local = localProblems(
    ast,
    fixes.map((c) => c.fix),
    memo,
  );
  if (local) return local[0]?.reason;
  const next = applyEdits(
    ast.source,
    fixes.flatMap((c) => c.fix.edits),
  );
  let after: Dockerfile;
  try {
    after = parseDockerfile(next, { file: ast.file });
    checked.set(next, after);
  } catch (error) {
    if (error instanceof ParseError) return `the fixed file would not parse: ${error.message}`;
    throw error;
  }
  const invalid = validateInstructions(after)[0];
  if (invalid && validateInstructions(ast).length === 0) return `BuildKit would refuse the fixed file: ${invalid.message}`;
  const problems = checkPass(
    ast,
    after,
    fixes.map((c) => c.fix),
    memo,
  );
  return problems[0]?.reason;
}

/** Findings whose rule explains why it offers no fix. */
function unfixable(findings: Finding[]): RefusedFix[] {
  return findings.flatMap((f) =>
    f.unfixable !== undefined ? [{ rule: f.rule, line: f.line, column: f.column, reason: f.unfixable }] : [],
  );
}

function refusal(c: Candidate, reason: string): RefusedFix {
  return { rule: c.rule, line: c.line, column: c.column, reason };
}

/**
 * Identifies a fix by its rule and its edits: where (offsets into the text of the pass — refusals are moved along
 * as later passes edit the text, see `moved`) and what they write. Two identical fixes at two places are two fixes.
 */
function keyOf(fix: { rule: string; messageId: string; edits: readonly TextEdit[] }): string {
  const edits = [...fix.edits].sort((a, b) => a.start - b.start || a.end - b.end).map((e) => `${e.start}:${e.end}:${e.text}`);
  return `${fix.rule}\0${fix.messageId}\0${edits.join('\0')}`;
}

function unchanged(file: string, source: string): FixOutcome {
  return {
    file,
    before: source,
    after: source,
    changed: false,
    passes: 0,
    converged: true,
    applied: [],
    refused: [],
    remaining: [],
  };
}

function outcome(
  file: string,
  before: string,
  after: string,
  passes: number,
  converged: boolean,
  applied: AppliedFix[],
  refused: RefusedFix[],
  remaining: Finding[],
): FixOutcome {
  return { file, before, after, changed: before !== after, passes, converged, applied, refused, remaining };
}
