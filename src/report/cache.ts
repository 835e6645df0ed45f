/**
 * Renders cache predictions: design.md's JSON shapes for `cache diff` and `cache replay`, and a terminal view that
 * shows the Dockerfile with each step marked. Pure: values in, text out.
 */
import type { Prediction, StepPrediction } from '../cache/predict.js';
import type { ReplayBuild, ReplayReport } from '../cache/replay.js';
import type { FixComparison, ReplaySide, RewrittenCommit } from '../cache/replay-compare.js';

export interface Paint {
  green: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
}

export const noPaint: Paint = { green: (s) => s, red: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s };

/** The step object shared by `cache diff` and `cache replay` JSON. */
export function stepJson(step: StepPrediction): Record<string, unknown> {
  return {
    stage: step.stage,
    line: step.line,
    instruction: step.instruction,
    status: step.status,
    reason: step.reason,
    kind: step.kind,
  };
}

export function diffJson(prediction: Prediction, sides: { old: string; new: string }): string {
  return `${JSON.stringify({ old: sides.old, new: sides.new, steps: prediction.steps.map(stepJson), summary: prediction.summary, assumptions: prediction.assumptions }, null, 2)}\n`;
}

const MARK = { cached: '✓', rebuilt: '✗', unknown: '?' } as const;

/** The NEW Dockerfile, each step's line marked cached / rebuilt / unknown with its reason underneath. */
export function diffTty(
  prediction: Prediction,
  text: string,
  sides: { old: string; new: string },
  paint: Paint = noPaint,
): string {
  const colour = { cached: paint.green, rebuilt: paint.red, unknown: paint.yellow };
  const byLine = new Map<number, StepPrediction[]>();
  for (const step of prediction.steps) byLine.set(step.line, [...(byLine.get(step.line) ?? []), step]);
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
  const width = String(lines.length).length;
  const out: string[] = [
    paint.bold(`cache diff: ${sides.old} → ${sides.new}`) + paint.dim(`  (${prediction.assumptions.join(', ')})`),
  ];
  lines.forEach((line, i) => {
    const steps = byLine.get(i + 1) ?? [];
    const number = String(i + 1).padStart(width);
    if (steps.length === 0) {
      out.push(paint.dim(`   ${number} │ ${line}`));
      return;
    }
    const worst = steps.find((s) => s.status === 'rebuilt') ?? steps.find((s) => s.status === 'unknown') ?? steps[0];
    out.push(`${colour[worst.status](MARK[worst.status])}  ${number} │ ${line}`);
    for (const step of steps) {
      if (step.status === 'cached') continue;
      const stage = prediction.steps.some((s) => s.stage !== step.stage) ? `[${step.stage}] ` : '';
      out.push(`   ${' '.repeat(width)} │ ${colour[step.status](`└ ${stage}${step.status}: ${step.reason}`)}`);
    }
  });
  const { cached, rebuilt, unknown } = prediction.summary;
  out.push('');
  out.push(`${paint.green(`${cached} cached`)}, ${paint.red(`${rebuilt} rebuilt`)}, ${paint.yellow(`${unknown} unknown`)}`);
  return `${out.join('\n')}\n`;
}

/** What `cache replay` reports besides the builds: commits left out and, with `--compare-fix`, the fixed history. */
export interface ReplayExtras {
  /** Commits not replayed (no Dockerfile, or it does not parse), with the reason (FILE:LINE:COL for parse errors). */
  skipped?: readonly { commit: string; reason: string }[];
  compareFix?: {
    comparison: FixComparison;
    /** The history replayed with each commit's Dockerfile fixed. */
    after: ReplayReport;
    /** Per commit of `after`: whether the fix changed it and which fixes it applied. */
    rewrites: readonly RewrittenCommit[];
  };
}

function buildJson(build: ReplayBuild): Record<string, unknown> {
  return {
    commit: build.commit,
    subject: build.subject,
    steps: build.prediction.steps.map(stepJson),
    summary: build.prediction.summary,
  };
}

/** design.md's replay shape plus `skipped` and, with `--compare-fix`, `compareFix` (documented in docs/cache.md). */
export function replayJson(report: ReplayReport, extras: ReplayExtras = {}): string {
  const fix = extras.compareFix;
  const changes = new Map(fix?.rewrites.map((r) => [r.commit, r]));
  return `${JSON.stringify(
    {
      builds: report.builds.map(buildJson),
      summary: report.summary,
      skipped: extras.skipped ?? [],
      ...(fix && {
        compareFix: {
          ...fix.comparison,
          builds: fix.after.builds.map((build) => ({
            ...buildJson(build),
            changed: changes.get(build.commit)?.changed ?? false,
            rules: changes.get(build.commit)?.rules ?? [],
          })),
          summary: fix.after.summary,
        },
      }),
    },
    null,
    2,
  )}\n`;
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

const seconds = (value: number) => `${value.toFixed(0)} s`;

/** Each step of one side with its own hit rate, rebuilds and estimated cost (steps do not pair across sides). */
function sideSteps(label: string, side: ReplaySide, paint: Paint): string[] {
  const multiStage = new Set(side.steps.map((step) => step.stage)).size > 1;
  const out = [
    paint.bold(`  ${label}`),
    paint.dim(`  ${'hit'.padStart(7)}${'rebuilt'.padStart(9)}${'est.'.padStart(7)}  line  step`),
  ];
  for (const step of side.steps) {
    const figures = `${percent(step.hitRate).padStart(7)}${`${step.rebuilt}/${step.builds}`.padStart(9)}${seconds(step.seconds).padStart(7)}`;
    const name = `${multiStage ? `[${step.stage}] ` : ''}${step.instruction.replace(/\s+/g, ' ')}`;
    out.push(
      `  ${step.rebuilt ? paint.red(figures) : paint.green(figures)}  ${String(step.line).padStart(4)}  ${name.length > 70 ? `${name.slice(0, 69)}…` : name}`,
    );
  }
  return out;
}

/**
 * The before/after of `--compare-fix`: whole-build totals side by side, the verdict, then each side's own steps
 * (a fix can split one RUN into two, so steps are not paired), and every fix lint --fix found but did not make.
 */
export function compareFixTty(compare: FixComparison, paint: Paint = noPaint): string {
  const { before, after, saved } = compare;
  const rules = compare.rules.map((r) => `${r.rule} ×${r.count}`).join(', ') || 'none';
  const row = (label: string, a: string, b: string) => `  ${label.padEnd(24)} ${a.padStart(12)} ${b.padStart(12)}`;
  const out = [
    paint.bold(
      `with lint --fix applied to every commit (${compare.changedCommits} of ${before.builds} Dockerfiles changed; fixes: ${rules})`,
    ),
    paint.dim(row('whole history', 'as committed', 'fixed')),
    row('hit rate', percent(before.hitRate), percent(after.hitRate)),
    row('steps rebuilt', String(before.rebuilt), String(after.rebuilt)),
    row('steps unknown', String(before.unknown), String(after.unknown)),
    row('estimated rebuild cost', seconds(before.rebuiltSeconds), seconds(after.rebuiltSeconds)),
  ];
  const rate = `hit rate ${percent(before.hitRate)} → ${percent(after.hitRate)}`;
  const verdict =
    saved.rebuiltSeconds > 0
      ? paint.green(`the rewrite would have saved about ${saved.rebuiltSeconds.toFixed(0)} s of rebuilds (${rate})`)
      : saved.rebuiltSeconds < 0
        ? paint.red(`the rewrite would have cost about ${(-saved.rebuiltSeconds).toFixed(0)} s more rebuilding (${rate})`)
        : `the rewrite would not have changed the estimated rebuild cost (${rate})`;
  out.push(verdict);
  for (const [label, side] of [
    ['as committed', before],
    ['fixed', after],
  ] as const) {
    if (side.defaultSeconds > 0 && side.defaultSeconds < side.rebuiltSeconds)
      out.push(
        paint.yellow(
          `  ${label}: ${seconds(side.defaultSeconds)} of ${seconds(side.rebuiltSeconds)} by DEFAULT weights (no build record times those instructions)`,
        ),
      );
  }
  out.push('');
  out.push(
    paint.dim('per step (a fix can split one RUN into two, so each side lists its own steps; lines as of the newest commit):'),
  );
  out.push(...sideSteps('as committed', before, paint));
  out.push(...sideSteps('fixed by lint --fix', after, paint));
  if (compare.refused.length) {
    out.push('');
    out.push(
      paint.yellow(
        `not fixed: ${compare.refused.length === 1 ? '1 fix' : `${compare.refused.length} fixes`} lint --fix found but did not make`,
      ),
    );
    for (const r of compare.refused) out.push(`  ${r.commit.slice(0, 10)}  ${r.line}:${r.column}  ${r.rule}: ${r.reason}`);
  }
  return `${out.join('\n')}\n`;
}

export function replayTty(report: ReplayReport, paint: Paint = noPaint, extras: Pick<ReplayExtras, 'skipped'> = {}): string {
  const s = report.summary;
  const out: string[] = [];
  out.push(
    paint.bold(
      `cache replay: ${s.builds} builds, first-parent history, oldest first (each build sees every earlier build's cache)`,
    ),
  );
  out.push('');
  for (const build of report.builds) {
    const p = build.prediction.summary;
    const first = build.prediction.steps.find((x) => x.status !== 'cached');
    const why = first ? `  first miss: line ${first.line} ${first.instruction.slice(0, 40)} — ${first.reason}` : '';
    out.push(
      `${build.commit.slice(0, 10)}  ${paint.green(`${p.cached}✓`)} ${paint.red(`${p.rebuilt}✗`)} ${paint.yellow(`${p.unknown}?`)}  ${paint.dim(build.subject.slice(0, 50))}${paint.dim(why)}`,
    );
  }
  out.push('');
  out.push(
    paint.bold(
      `hit rate: ${(s.hitRate * 100).toFixed(1)}% of steps cached (${s.cached} cached, ${s.rebuilt} rebuilt, ${s.unknown} unknown)`,
    ),
  );
  out.push(paint.bold('steps most often rebuilt:'));
  for (const step of s.steps.filter((x) => x.rebuilt > 0).slice(0, 10)) {
    const triggers = step.triggers
      .slice(0, 3)
      .map((t) => `${t.reason} ×${t.count}`)
      .join('; ');
    out.push(
      `  ${String(step.rebuilt).padStart(4)}× ${paint.red('rebuilt')} ${(step.hitRate * 100).toFixed(0).padStart(3)}% hit  [${step.stage}] ${step.instruction.slice(0, 50)}`,
    );
    if (triggers) out.push(paint.dim(`        triggers: ${triggers}`));
  }
  const cost = s.cost;
  out.push('');
  out.push(
    `estimated rebuild cost: ${cost.rebuiltSeconds.toFixed(0)} s over ${s.builds} builds (${cost.source === 'defaults' ? 'DEFAULT weights, not measured: ' : 'weights from build records: '}${cost.description})`,
  );
  const skipped = extras.skipped ?? [];
  if (skipped.length) {
    out.push(
      paint.yellow(`skipped ${skipped.length === 1 ? '1 commit' : `${skipped.length} commits`} (not in the figures above):`),
    );
    for (const skip of skipped) out.push(`  ${skip.commit.slice(0, 10)}  ${skip.reason}`);
  }
  return `${out.join('\n')}\n`;
}
