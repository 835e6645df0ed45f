/**
 * `layerwise demo`: the article's story on one screen — what lint finds in the mono-layer Dockerfile, what `--fix`
 * changes, what one more package costs in rebuilt steps before and after the fix, and where the HTML report is.
 * Pure: the CLI gathers the values, this turns them into text.
 */
import type { Prediction, StepPrediction } from '../cache/predict.js';
import type { LintResult } from '../rules/lint.js';
import { noPaint, type Paint } from './cache.js';
import { renderLintTty } from './tty.js';

/** A step the demo could not take, and why (a feature still being built, a file that could not be written). */
export interface Unavailable {
  unavailable: string;
}

export interface DemoScenario {
  /** What the Dockerfile was, in words ("before the fix"). */
  label: string;
  /** Where it came from (a file name, or "lint --fix"). */
  source: string;
  prediction: Prediction;
  /** The Dockerfile after the edit (what the prediction is for). */
  edited: string;
  /** The package managers each RUN invokes, by line (what a rebuild of that step downloads again). */
  managers: ReadonlyMap<number, readonly string[]>;
}

export interface DemoStory {
  /** The Dockerfile as shown to the user (`examples/seed/Dockerfile`). */
  file: string;
  lint: LintResult;
  /** The unified diff `lint --fix --diff` prints. */
  fix: { diff: string } | Unavailable;
  /** The edit whose cost is predicted: one more package for this manager. */
  added: { manager: string; name: string };
  before: DemoScenario;
  after: DemoScenario;
  /** The HTML report written: the same story on one page. */
  report: { path: string } | Unavailable;
}

const MARK = { cached: '✓', rebuilt: '✗', unknown: '?' } as const;

export function renderDemo(story: DemoStory, paint: Paint = noPaint, color = false): string {
  const out: string[] = [];
  const heading = (n: number, text: string) => out.push('', paint.bold(`${n}. ${text}`));
  out.push(paint.bold(`layerwise demo: the article's mono-layer Dockerfile (${story.file}), from lint to cache`));

  heading(1, `lint: what wastes the cache in ${story.file}`);
  out.push(indent(renderLintTty([story.lint], { color, frames: false }).replace(/^.*\n/, '')));

  heading(2, 'fix: layerwise lint --fix --diff');
  if ('diff' in story.fix) out.push(indent(colorDiff(story.fix.diff, paint)));
  else out.push(`   ${paint.yellow('not available:')} ${story.fix.unavailable}`);

  const { manager, name } = story.added;
  heading(3, `cache: add one package (${name}) to the ${manager} install, rebuild — predicted, nothing is built`);
  for (const scenario of [story.before, story.after]) {
    out.push(`   ${paint.bold(scenario.label)} ${paint.dim(`(${scenario.source})`)}`);
    for (const step of scenario.prediction.steps) out.push(`     ${stepLine(step, paint)}`);
    out.push(`     ${verdict(scenario, paint)}`);
  }

  heading(4, 'report: the same story as one HTML page (self-contained: open it offline, from file://)');
  if ('path' in story.report) out.push(`   ${story.report.path}`);
  else out.push(`   ${paint.yellow('not available:')} ${story.report.unavailable}`);
  out.push(
    '',
    paint.dim('Your own: layerwise lint --diff Dockerfile · layerwise cache diff HEAD · layerwise cache replay --compare-fix'),
  );
  return `${out.join('\n')}\n`;
}

function indent(text: string): string {
  return text
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => (line ? `   ${line}` : line))
    .join('\n');
}

function colorDiff(diff: string, paint: Paint): string {
  return diff
    .split('\n')
    .map((line) =>
      line.startsWith('+++') || line.startsWith('---')
        ? paint.bold(line)
        : line.startsWith('+')
          ? paint.green(line)
          : line.startsWith('-')
            ? paint.red(line)
            : line.startsWith('@@')
              ? paint.dim(line)
              : line,
    )
    .join('\n');
}

/** One step on one line: mark, line number, the instruction shortened to fit, and why it rebuilds. */
function stepLine(step: StepPrediction, paint: Paint): string {
  const colour = { cached: paint.green, rebuilt: paint.red, unknown: paint.yellow }[step.status];
  const text = shorten(step.instruction.replace(/\s+/g, ' ').trim(), 56).padEnd(56);
  const why = step.status === 'cached' ? 'cached' : `${step.status}: ${step.reason}`;
  return `${colour(MARK[step.status])} ${String(step.line).padStart(2)}  ${text}  ${colour(why)}`;
}

function shorten(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** The package managers of the steps with this status: what runs again (rebuilt), whose layer is kept (cached). */
export function managersWhere(scenario: DemoScenario, status: StepPrediction['status']): string[] {
  return scenario.prediction.steps
    .filter((step) => step.status === status)
    .flatMap((step) => scenario.managers.get(step.line) ?? []);
}

/** The counts, then the package managers that run again and those whose layer stays cached — the article's point. */
export function verdict(scenario: DemoScenario, paint: Paint = noPaint): string {
  const { cached, rebuilt, unknown } = scenario.prediction.summary;
  const parts = [paint.green(`${cached} cached`), paint.red(`${rebuilt} rebuilt`)];
  if (unknown) parts.push(paint.yellow(`${unknown} unknown`));
  const again = managersWhere(scenario, 'rebuilt');
  const kept = managersWhere(scenario, 'cached');
  let text = parts.join(', ');
  if (again.length) text += `: ${paint.red(again.join(' and '))} run${again.length === 1 ? 's' : ''} again`;
  if (kept.length) text += `; ${paint.green(`the ${kept.join(' and ')} layer stays CACHED`)}`;
  return text;
}
