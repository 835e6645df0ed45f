/**
 * Replays a history of builds: each build is classified against the cache of every build before it (BuildKit's
 * cache remembers them all, so a revert hits entries made builds ago), explained against the build just before it,
 * and summed into hit rates, the steps most often rebuilt with their triggers, and an estimated rebuild cost. Pure:
 * builds are handed in one at a time, so the caller can read each commit lazily and memory stays bounded.
 */
import { analyzeScript } from '../shell/commands.js';
import {
  BuildCache,
  type BuildInput,
  classify,
  keysFor,
  type Prediction,
  type PredictOptions,
  type Reference,
} from './predict.js';

export interface ReplayBuild {
  commit: string;
  subject: string;
  prediction: Prediction;
}

export interface StepStats {
  stage: string;
  kind: string;
  /** The instruction and line as of the latest build that had this step. */
  instruction: string;
  line: number;
  builds: number;
  cached: number;
  rebuilt: number;
  unknown: number;
  hitRate: number;
  /** Reasons for rebuilds, most frequent first. */
  triggers: { reason: string; count: number }[];
  /** Estimated seconds spent rebuilding this step over the history. */
  seconds: number;
}

export interface CostModel {
  source: 'defaults' | 'records';
  description: string;
  /** Seconds for one run of a step, by instruction text (records) or kind (defaults). */
  secondsFor: (step: { kind: string; instruction: string }) => number;
  /** Whether a record timed this step (absent: none did); the others fall back to default weights. */
  measured?: (step: { kind: string; instruction: string }) => boolean;
}

/** Labelled guesses used when no build record says how long steps take. */
export const DEFAULT_COST: CostModel = {
  source: 'defaults',
  description: 'RUN 20 s, COPY/ADD 1 s, WORKDIR 0.1 s, FROM (pull) 5 s',
  secondsFor: ({ kind }) => ({ RUN: 20, COPY: 1, ADD: 1, WORKDIR: 0.1, FROM: 5 })[kind] ?? 1,
};

/** The shell script of a RUN instruction's text (flags dropped); undefined for the exec form. */
function runScript(instruction: string): string | undefined {
  const rest = instruction.replace(/^RUN\s+/i, '').replace(/^(?:--\S+\s+)*/, '');
  return rest.trimStart().startsWith('[') ? undefined : rest;
}

/**
 * Labelled guesses that follow the work a RUN does: 5 s per simple command it runs (read with the real shell parser,
 * which must be initialised), so splitting one RUN into two does not double its estimated cost. Other steps as
 * DEFAULT_COST.
 */
export const COMMAND_WEIGHTED_COST: CostModel = {
  source: 'defaults',
  description: 'RUN 5 s per command it runs, COPY/ADD 1 s, WORKDIR 0.1 s, FROM (pull) 5 s',
  secondsFor: (step) => {
    if (step.kind !== 'RUN') return DEFAULT_COST.secondsFor(step);
    const script = runScript(step.instruction);
    if (script === undefined) return 5;
    return 5 * Math.max(1, analyzeScript(script).commands.length);
  },
};

/** Weights from build records (`layerwise build --record`): mean duration per instruction text, else the defaults. */
export function costFromRecords(
  records: { steps: { instruction: string; durationMs?: number; cached: boolean }[] }[],
  fallback: CostModel = DEFAULT_COST,
): CostModel {
  const totals = new Map<string, { ms: number; n: number }>();
  for (const record of records) {
    for (const step of record.steps) {
      if (step.cached || step.durationMs === undefined) continue;
      const t = totals.get(step.instruction) ?? { ms: 0, n: 0 };
      totals.set(step.instruction, { ms: t.ms + step.durationMs, n: t.n + 1 });
    }
  }
  return {
    source: 'records',
    description: `${totals.size} instructions timed by ${records.length} build record(s); others: ${fallback.description}`,
    secondsFor: (step) => {
      const t = totals.get(step.instruction);
      return t ? t.ms / t.n / 1000 : fallback.secondsFor(step);
    },
    measured: (step) => totals.has(step.instruction),
  };
}

export interface ReplayReport {
  builds: ReplayBuild[];
  summary: {
    builds: number;
    cached: number;
    rebuilt: number;
    unknown: number;
    hitRate: number;
    steps: StepStats[];
    /** `defaultSeconds`: the part of `rebuiltSeconds` weighted by defaults (all of it unless records timed steps). */
    cost: { source: CostModel['source']; description: string; rebuiltSeconds: number; defaultSeconds: number };
  };
}

export class Replayer {
  private readonly cache = new BuildCache();
  private previous: Reference | undefined;
  private readonly builds: ReplayBuild[] = [];
  private readonly stats = new Map<string, StepStats & { reasons: Map<string, number> }>();
  private defaultSeconds = 0;

  constructor(
    private readonly options: PredictOptions = {},
    private readonly cost: CostModel = DEFAULT_COST,
  ) {}

  /** Adds the next build (oldest first). */
  add(commit: string, subject: string, input: BuildInput): ReplayBuild {
    const keys = keysFor({ id: commit, ...input }, this.options);
    const prediction = classify(keys, this.cache, this.previous, input.context, this.options);
    this.cache.remember(keys);
    this.previous = { keys, context: input.context };
    const build = { commit, subject, prediction };
    this.builds.push(build);
    const ordinal = new Map<string, number>();
    for (const step of prediction.steps) {
      const base = `${step.stage}\0${step.kind}`;
      const n = ordinal.get(base) ?? 0;
      ordinal.set(base, n + 1);
      const id = `${base}\0${n}`;
      const stats = this.stats.get(id) ?? {
        stage: step.stage,
        kind: String(step.kind),
        instruction: step.instruction,
        line: step.line,
        builds: 0,
        cached: 0,
        rebuilt: 0,
        unknown: 0,
        hitRate: 0,
        triggers: [],
        seconds: 0,
        reasons: new Map<string, number>(),
      };
      stats.instruction = step.instruction;
      stats.line = step.line;
      stats.builds++;
      stats[step.status]++;
      if (step.status === 'rebuilt') {
        stats.reasons.set(step.reason, (stats.reasons.get(step.reason) ?? 0) + 1);
        const weighed = { kind: String(step.kind), instruction: step.instruction };
        const seconds = this.cost.secondsFor(weighed);
        stats.seconds += seconds;
        if (!this.cost.measured?.(weighed)) this.defaultSeconds += seconds;
      }
      this.stats.set(id, stats);
    }
    return build;
  }

  report(): ReplayReport {
    const steps = [...this.stats.values()].map(({ reasons, ...s }) => ({
      ...s,
      hitRate: s.builds ? s.cached / s.builds : 0,
      triggers: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
    }));
    steps.sort((a, b) => b.rebuilt - a.rebuilt || b.seconds - a.seconds);
    const total = { cached: 0, rebuilt: 0, unknown: 0 };
    for (const b of this.builds) for (const k of ['cached', 'rebuilt', 'unknown'] as const) total[k] += b.prediction.summary[k];
    const all = total.cached + total.rebuilt + total.unknown;
    return {
      builds: this.builds,
      summary: {
        builds: this.builds.length,
        ...total,
        hitRate: all ? total.cached / all : 0,
        steps,
        cost: {
          source: this.cost.source,
          description: this.cost.description,
          rebuiltSeconds: steps.reduce((n, s) => n + s.seconds, 0),
          defaultSeconds: this.defaultSeconds,
        },
      },
    };
  }
}
