/**
 * Renders cache predictions: design.md's JSON shapes for `cache diff` and `cache replay`, and a terminal view that
 * shows the Dockerfile with each step marked. Pure: values in, text out.
 */
import type { Prediction, StepPrediction } from '../cache/predict.js';
import type { ReplayReport } from '../cache/replay.js';
import type { FixComparison } from '../cache/replay-compare.js';

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

/** `compareFix` (with `--compare-fix`): the FixComparison shape documented in docs/cache.md. */
export function replayJson(report: ReplayReport, compareFix?: FixComparison): string {
  return `${JSON.stringify(
    {
      builds: report.builds.map((b) => ({
        commit: b.commit,
        subject: b.subject,
        steps: b.prediction.steps.map(stepJson),
        summary: b.prediction.summary,
      })),
      summary: report.summary,
      ...(compareFix ? { compareFix } : {}),
    },
    null,
    2,
  )}\n`;
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/** The before/after table of `--compare-fix`. */
export function compareFixTty(compare: FixComparison, paint: Paint = noPaint): string {
  const { before, after, saved } = compare;
  const rules = compare.rules.map((r) => `${r.rule} ×${r.count}`).join(', ') || 'none';
  const row = (label: string, a: string, b: string) => `  ${label.padEnd(24)} ${a.padStart(10)} ${b.padStart(10)}`;
  const out = [
    paint.bold(
      `with lint --fix applied to every commit (${compare.changedCommits} of ${before.builds} Dockerfiles changed; fixes: ${rules})`,
    ),
    paint.dim(row('', 'as committed', 'fixed')),
    row('hit rate', percent(before.hitRate), percent(after.hitRate)),
    row('steps rebuilt', String(before.rebuilt), String(after.rebuilt)),
    row('steps unknown', String(before.unknown), String(after.unknown)),
    row('estimated rebuild cost', `${before.rebuiltSeconds.toFixed(0)} s`, `${after.rebuiltSeconds.toFixed(0)} s`),
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
    ['most rebuilt as committed', before],
    ['most rebuilt when fixed', after],
  ] as const) {
    if (side.mostRebuilt.length === 0) continue;
    out.push(paint.dim(`  ${label}:`));
    for (const step of side.mostRebuilt.slice(0, 3))
      out.push(`    ${String(step.rebuilt).padStart(4)}× [${step.stage}] ${step.instruction.slice(0, 60)}`);
  }
  return `${out.join('\n')}\n`;
}

export function replayTty(report: ReplayReport, paint: Paint = noPaint): string {
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
  return `${out.join('\n')}\n`;
}
