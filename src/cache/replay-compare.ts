/**
 * `cache replay --compare-fix`: the same history replayed twice — as committed, and with every commit's Dockerfile
 * rewritten (by `lint --fix`) — summed into what the rewrite would have saved: hit rate, rebuilt steps and estimated
 * rebuild cost before and after, and the steps most often rebuilt on each side. Pure.
 */
import type { ReplayReport, StepStats } from './replay.js';

export interface ReplaySide {
  builds: number;
  cached: number;
  rebuilt: number;
  unknown: number;
  hitRate: number;
  /** Estimated seconds spent rebuilding over the history (same cost model on both sides). */
  rebuiltSeconds: number;
  /** The steps most often rebuilt, most first (at most 5). */
  mostRebuilt: Pick<StepStats, 'stage' | 'kind' | 'instruction' | 'rebuilt' | 'hitRate' | 'seconds'>[];
}

export interface FixComparison {
  /** Commits whose Dockerfile the rewrite changed (of `before.builds`). */
  changedCommits: number;
  /** Fixes applied over the history, by rule, most first. */
  rules: { rule: string; count: number }[];
  before: ReplaySide;
  after: ReplaySide;
  /** before − after: positive numbers are savings. */
  saved: { rebuilt: number; rebuiltSeconds: number; hitRate: number };
}

function side(report: ReplayReport): ReplaySide {
  const s = report.summary;
  return {
    builds: s.builds,
    cached: s.cached,
    rebuilt: s.rebuilt,
    unknown: s.unknown,
    hitRate: s.hitRate,
    rebuiltSeconds: s.cost.rebuiltSeconds,
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
  };
}

export function compareReplays(
  before: ReplayReport,
  after: ReplayReport,
  rewrite: { changedCommits: number; rules: readonly string[] },
): FixComparison {
  const counts = new Map<string, number>();
  for (const rule of rewrite.rules) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  const a = side(before);
  const b = side(after);
  return {
    changedCommits: rewrite.changedCommits,
    rules: [...counts].map(([rule, count]) => ({ rule, count })).sort((x, y) => y.count - x.count || (x.rule < y.rule ? -1 : 1)),
    before: a,
    after: b,
    saved: {
      rebuilt: a.rebuilt - b.rebuilt,
      rebuiltSeconds: a.rebuiltSeconds - b.rebuiltSeconds,
      hitRate: b.hitRate - a.hitRate,
    },
  };
}
