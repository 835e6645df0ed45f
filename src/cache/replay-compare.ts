/**
 * `cache replay --compare-fix`: the same history replayed twice — as committed, and with every commit's Dockerfile
 * rewritten (by `lint --fix`) — summed into what the rewrite would have saved: hit rate, rebuilt steps and estimated
 * rebuild cost before and after, and each side's steps with their own figures. Steps are not paired across the two
 * sides: a rewrite can split one RUN into two or move a COPY, so a step of the fixed Dockerfile often has no
 * counterpart in the original. Whole builds compare; steps are listed per side. Pure.
 */
import type { ReplayReport, StepStats } from './replay.js';

/** A fix the rewrite did not make, where and why (`lint --fix`'s refusals). */
export interface RefusedRewrite {
  rule: string;
  line: number;
  column: number;
  reason: string;
}

/** What the rewrite did to one commit's Dockerfile. */
export interface RewrittenCommit {
  commit: string;
  changed: boolean;
  /** The fixes applied (one entry per fix); empty when the text did not change. */
  rules: readonly string[];
  refused: readonly RefusedRewrite[];
}

type StepFigures = Pick<
  StepStats,
  'stage' | 'kind' | 'line' | 'instruction' | 'builds' | 'cached' | 'rebuilt' | 'unknown' | 'hitRate' | 'seconds'
>;

export interface ReplaySide {
  builds: number;
  cached: number;
  rebuilt: number;
  unknown: number;
  hitRate: number;
  /** Estimated seconds spent rebuilding over the history (same cost model on both sides). */
  rebuiltSeconds: number;
  /** The part of `rebuiltSeconds` weighted by default weights, not by a build record. */
  defaultSeconds: number;
  /** The steps most often rebuilt, most first (at most 5). */
  mostRebuilt: Pick<StepStats, 'stage' | 'kind' | 'instruction' | 'rebuilt' | 'hitRate' | 'seconds'>[];
  /**
   * Every step of this side, in the build order of the newest commit (steps that no longer exist there follow, in
   * the order first seen); `line` and `instruction` as of the newest commit that had the step.
   */
  steps: StepFigures[];
}

export interface FixComparison {
  /** Commits whose Dockerfile the rewrite changed (of `before.builds`). */
  changedCommits: number;
  /** Fixes applied over the history, by rule, most first. */
  rules: { rule: string; count: number }[];
  /** Fixes the rewrite found but did not make, per commit (the commit's Dockerfile is replayed as far as fixed). */
  refused: ({ commit: string } & RefusedRewrite)[];
  before: ReplaySide;
  after: ReplaySide;
  /** before − after: positive numbers are savings. */
  saved: { rebuilt: number; rebuiltSeconds: number; hitRate: number };
}

/** Where each step of the newest build stands in its build order, keyed as stage, kind and line. */
function newestOrder(report: ReplayReport): Map<string, number> {
  const order = new Map<string, number>();
  for (const step of report.builds.at(-1)?.prediction.steps ?? [])
    order.set(`${step.stage}\0${step.kind}\0${step.line}`, order.size);
  return order;
}

function side(report: ReplayReport): ReplaySide {
  const s = report.summary;
  const newest = newestOrder(report);
  // A step's line is as of the newest build that had it, so the newest build's steps are found by line; steps gone
  // from it follow in the summary's order (most rebuilt first).
  const position = (step: StepStats, index: number) =>
    newest.get(`${step.stage}\0${step.kind}\0${step.line}`) ?? newest.size + index;
  const steps = s.steps
    .map((step, index) => ({ step, at: position(step, index) }))
    .sort((a, b) => a.at - b.at)
    .map(({ step: { stage, kind, line, instruction, builds, cached, rebuilt, unknown, hitRate, seconds } }) => ({
      stage,
      kind,
      line,
      instruction,
      builds,
      cached,
      rebuilt,
      unknown,
      hitRate,
      seconds,
    }));
  return {
    builds: s.builds,
    cached: s.cached,
    rebuilt: s.rebuilt,
    unknown: s.unknown,
    hitRate: s.hitRate,
    rebuiltSeconds: s.cost.rebuiltSeconds,
    defaultSeconds: s.cost.defaultSeconds,
    mostRebuilt: s.steps
      .filter((step) => step.rebuilt > 0)
      .slice(0, 5)
      .map(({ stage, kind, instruction, rebuilt, hitRate, seconds }) => ({
        stage,
        kind,
        instruction,
        rebuilt,
        hitRate,
        seconds,
      })),
    steps,
  };
}

export function compareReplays(before: ReplayReport, after: ReplayReport, rewrites: readonly RewrittenCommit[]): FixComparison {
  const counts = new Map<string, number>();
  for (const rule of rewrites.flatMap((r) => r.rules)) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  const a = side(before);
  const b = side(after);
  return {
    changedCommits: rewrites.filter((r) => r.changed).length,
    rules: [...counts].map(([rule, count]) => ({ rule, count })).sort((x, y) => y.count - x.count || (x.rule < y.rule ? -1 : 1)),
    refused: rewrites.flatMap((r) => r.refused.map((refusal) => ({ commit: r.commit, ...refusal }))),
    before: a,
    after: b,
    saved: {
      rebuilt: a.rebuilt - b.rebuilt,
      rebuiltSeconds: a.rebuiltSeconds - b.rebuiltSeconds,
      hitRate: b.hitRate - a.hitRate,
    },
  };
}
