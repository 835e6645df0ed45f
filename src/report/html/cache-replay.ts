/**
 * `cache replay --format html`: a commit × step grid (oldest commit on the left) where each cell says cached or
 * rebuilt by glyph, word, colour and pattern, and its hover/focus text names what triggered the rebuild; the hit rate
 * of each step; the steps most often rebuilt with their triggers; and, when the replay compared the Dockerfile with
 * its `--fix`ed form, the two side by side. Pure.
 */
import type { StepPrediction } from '../../cache/predict.js';
import type { ReplayBuild, ReplayReport } from '../../cache/replay.js';
import { STATUS_GLYPH } from './cache-diff.js';
import { type Html, html } from './escape.js';
import { type Card, cards, percent, plural, prose, renderPage, section } from './page.js';

export interface ReplayHtmlInput {
  report: ReplayReport;
  /** Commits left out (no Dockerfile, or it did not parse). */
  skipped?: readonly { commit: string; reason: string }[];
  /**
   * `--compare-fix`: the same history replayed with each commit's Dockerfile as `lint --fix` rewrites it (replay-git's
   * `rewritten`), and what the rewrite changed (the `changedCommits` and `rules` of replay-git's `compare`).
   */
  compareFix?: {
    after: ReplayReport;
    changedCommits?: number;
    rules?: readonly { rule: string; count: number }[];
    /** Fixes `lint --fix` found but did not make, per commit (replay-git's `compare.refused`). */
    refused?: readonly { commit: string; rule: string; line: number; column: number; reason: string }[];
  };
}

interface Row {
  id: string;
  /** The step as of the newest build that has it. */
  latest: StepPrediction;
  /** Per build (same order as the report's), the step in that build. */
  cells: (StepPrediction | undefined)[];
}

/**
 * A step is the same step across commits when it has the same stage, kind and ordinal among that stage's steps of
 * that kind (the identity the replay's per-step statistics use), so an edited or moved RUN keeps its row.
 */
function rows(builds: readonly ReplayBuild[]): Row[] {
  const found = new Map<string, Row>();
  builds.forEach((build, column) => {
    const ordinal = new Map<string, number>();
    for (const step of build.prediction.steps) {
      const base = `${step.stage}\0${step.kind}`;
      const n = ordinal.get(base) ?? 0;
      ordinal.set(base, n + 1);
      const id = `${base}\0${n}`;
      const row = found.get(id) ?? { id, latest: step, cells: builds.map(() => undefined) };
      row.latest = step;
      row.cells[column] = step;
      found.set(id, row);
    }
  });
  // The newest build's order first; steps that no longer exist after them, in the order they were first seen.
  const newest = builds.length ? builds[builds.length - 1] : undefined;
  const all = [...found.values()];
  const current = all.filter((row) => newest && row.cells[builds.length - 1] !== undefined);
  current.sort((a, b) => (newest?.prediction.steps.indexOf(a.latest) ?? 0) - (newest?.prediction.steps.indexOf(b.latest) ?? 0));
  return [...current, ...all.filter((row) => !current.includes(row))];
}

const short = (commit: string) => commit.slice(0, 8);

function stepName(step: StepPrediction, multiStage: boolean): string {
  return `${multiStage ? `[${step.stage}] ` : ''}line ${step.line} · ${step.instruction.replace(/\s+/g, ' ')}`;
}

function cellTip(build: ReplayBuild, step: StepPrediction): string {
  const why =
    step.status === 'cached' ? 'cached' : `${step.status}: ${step.reason}${step.trigger ? ` (trigger: ${step.trigger})` : ''}`;
  return `${short(build.commit)} ${build.subject}\nline ${step.line}: ${step.instruction.replace(/\s+/g, ' ')}\n${why}`;
}

/** The hit rate of one row: cached builds over the builds that had the step. */
function hitRate(row: Row): { rate: number; cached: number; builds: number } {
  const present = row.cells.filter((cell) => cell !== undefined);
  const cached = present.filter((cell) => cell.status === 'cached').length;
  return { rate: present.length ? cached / present.length : 0, cached, builds: present.length };
}

function grid(report: ReplayReport, id: string): Html {
  const { builds } = report;
  const multiStage = new Set(builds.flatMap((b) => b.prediction.steps.map((s) => s.stage))).size > 1;
  const head = html`<thead><tr><th class="step" scope="col">Step (as of the newest commit)</th>${builds.map(
    (build) =>
      html`<th class="commit" scope="col" title="${`${build.commit}\n${build.subject}`}"><span>${short(build.commit)}</span></th>`,
  )}<th scope="col">Hit rate</th></tr></thead>`;
  const body = rows(builds).map((row) => {
    const rate = hitRate(row);
    const name = stepName(row.latest, multiStage);
    const cells = row.cells.map((step, column) =>
      step
        ? html`<td class="cell ${step.status}" tabindex="0" title="${cellTip(builds[column], step)}">${STATUS_GLYPH[step.status]}<span class="visually-hidden"> ${step.status}</span></td>`
        : html`<td class="cell absent" title="${`${short(builds[column].commit)}: no such step in this commit`}">·<span class="visually-hidden"> absent</span></td>`,
    );
    return html`<tr data-step="${row.id.replaceAll('\0', ' ')}"><th class="step" scope="row" title="${name}">${name}</th>${cells}<td class="rate" data-rate="${rate.rate}"><meter min="0" max="1" value="${rate.rate}" aria-hidden="true"></meter>${percent(rate.rate)} <span class="muted">(${rate.cached}/${rate.builds})</span></td></tr>`;
  });
  const foot = html`<tfoot><tr><th scope="row">not cached</th>${builds.map(
    (build) => html`<td>${build.prediction.summary.rebuilt + build.prediction.summary.unknown}</td>`,
  )}<td></td></tr></tfoot>`;
  return html`<div class="scroll"><table class="grid" id="${id}"><caption class="visually-hidden">Cache status of each step (rows) in each commit (columns, oldest first)</caption>${head}<tbody>${body}</tbody>${foot}</table></div>`;
}

/** Each commit with its subject (the grid's columns only have room for the hash). */
function commitsTable(report: ReplayReport): Html {
  return html`<table class="data" id="commits"><thead><tr><th class="n">#</th><th>Commit</th><th>Subject</th><th class="n">Cached</th><th class="n">Not cached</th><th>First miss</th></tr></thead><tbody>${report.builds.map(
    (build, i) => {
      const { cached, rebuilt, unknown } = build.prediction.summary;
      const first = build.prediction.steps.find((step) => step.status !== 'cached');
      return html`<tr><td class="n">${i + 1}</td><td class="mono">${short(build.commit)}</td><td>${build.subject}</td><td class="n">${cached}</td><td class="n">${rebuilt + unknown}</td><td>${first ? html`line ${first.line}: ${prose(first.reason)}` : html`<span class="muted">—</span>`}</td></tr>`;
    },
  )}</tbody></table>`;
}

function summaryCards(report: ReplayReport): Card[] {
  const s = report.summary;
  return [
    { value: percent(s.hitRate), label: 'of steps cached', tone: s.hitRate >= 0.8 ? 'ok' : 'warn' },
    { value: s.builds, label: 'commits replayed' },
    { value: s.rebuilt, label: 'step rebuilds', tone: s.rebuilt ? 'bad' : undefined },
    {
      value: `${s.cost.rebuiltSeconds.toFixed(0)} s`,
      label: s.cost.source === 'defaults' ? 'est. rebuild time (default weights)' : 'est. rebuild time (from records)',
    },
  ];
}

function mostRebuilt(report: ReplayReport): Html {
  const steps = report.summary.steps.filter((step) => step.rebuilt > 0);
  const multiStage = new Set(report.summary.steps.map((step) => step.stage)).size > 1;
  if (steps.length === 0) return html`<p class="note">No step was rebuilt in this history.</p>`;
  return html`<table class="data"><thead><tr><th class="n">Rebuilt</th><th class="n">Hit rate</th><th>Step</th><th>Triggers</th><th class="n">Est. time</th></tr></thead><tbody>${steps.map(
    (step) =>
      html`<tr><td class="n">${step.rebuilt}×</td><td class="n">${percent(step.hitRate)}</td><td class="path">${multiStage ? `[${step.stage}] ` : ''}line ${step.line} · ${step.instruction}</td><td>${step.triggers.map(
        (t) => html`<div>${t.reason} <span class="muted">×${t.count}</span></div>`,
      )}</td><td class="n">${step.seconds.toFixed(0)} s</td></tr>`,
  )}</tbody></table>`;
}

function comparison(before: ReplayReport, fix: NonNullable<ReplayHtmlInput['compareFix']>): Html {
  const after = fix.after;
  const signed = (value: number, unit: string, digits = 0) =>
    `${value > 0 ? '+' : value < 0 ? '−' : '±'}${Math.abs(value).toFixed(digits)}${unit}`;
  /** A change for the better reads "better", for the worse "worse": the word, not only the sign, says which. */
  const verdict = (change: number, higherIsBetter: boolean) =>
    change === 0
      ? html`<span class="muted">same</span>`
      : change > 0 === higherIsBetter
        ? html`<span class="badge cached">better</span>`
        : html`<span class="badge rebuilt">worse</span>`;
  const b = before.summary;
  const a = after.summary;
  const metrics = [
    {
      name: 'steps cached',
      before: percent(b.hitRate),
      after: percent(a.hitRate),
      change: signed((a.hitRate - b.hitRate) * 100, ' points', 1),
      verdict: verdict(a.hitRate - b.hitRate, true),
    },
    {
      name: 'step rebuilds',
      before: b.rebuilt,
      after: a.rebuilt,
      change: signed(a.rebuilt - b.rebuilt, ''),
      verdict: verdict(a.rebuilt - b.rebuilt, false),
    },
    {
      name: 'estimated rebuild time',
      before: `${b.cost.rebuiltSeconds.toFixed(0)} s`,
      after: `${a.cost.rebuiltSeconds.toFixed(0)} s`,
      change: signed(a.cost.rebuiltSeconds - b.cost.rebuiltSeconds, ' s'),
      verdict: verdict(a.cost.rebuiltSeconds - b.cost.rebuiltSeconds, false),
    },
  ];
  const changed =
    fix.changedCommits === undefined ? '' : ` The rewrite changed the Dockerfile of ${plural(fix.changedCommits, 'commit')}`;
  const rules = fix.rules?.length
    ? html`: ${fix.rules.map((r, i) => html`${i ? ', ' : ''}<code>${r.rule}</code> ×${r.count}`)}.`
    : changed
      ? '.'
      : '';
  return html`<p class="note">The same ${plural(a.builds, 'commit')} replayed with each Dockerfile as <code>layerwise lint --fix</code> rewrites it.${changed}${rules}</p><table class="data compare" id="compare-table"><thead><tr><th></th><th class="n">Before (as committed)</th><th class="n">After --fix</th><th class="n">Change</th><th></th></tr></thead><tbody>${metrics.map(
    (m) =>
      html`<tr><th scope="row">${m.name}</th><td class="n">${m.before}</td><td class="n">${m.after}</td><td class="n">${m.change}</td><td>${m.verdict}</td></tr>`,
  )}</tbody></table><p class="note">A fix can split one step into two, so steps are not paired across the two histories: each has its own rows.</p><h3>After --fix, commit by commit</h3>${grid(after, 'grid-after')}<h3>After --fix: steps most often rebuilt</h3>${mostRebuilt(after)}${refusedFixes(fix.refused ?? [])}`;
}

function refusedFixes(refused: NonNullable<NonNullable<ReplayHtmlInput['compareFix']>['refused']>): Html | string {
  if (refused.length === 0) return '';
  return html`<h3 id="refused-fixes">${plural(refused.length, 'fix', 'fixes')} found but not made</h3><ul>${refused.map(
    (r) =>
      html`<li><span class="mono">${short(r.commit)}</span> line ${r.line}:${r.column} <code>${r.rule}</code>: ${r.reason}</li>`,
  )}</ul>`;
}

export function renderReplayHtml(input: ReplayHtmlInput): string {
  const { report } = input;
  const builds = report.builds;
  const range = builds.length ? `${short(builds[0].commit)} … ${short(builds[builds.length - 1].commit)}` : 'no commits';
  const skipped = input.skipped ?? [];
  const body = html`${cards(summaryCards(report))}${section(
    'grid-section',
    'Cached or rebuilt, commit by commit',
    html`<p class="note">Oldest commit on the left; each build sees the cache of every build before it. Hover or focus a cell for what triggered the rebuild. ✓ cached · ✗ rebuilt (hatched) · ? unknown (dashed) · · not in that commit.</p>${grid(report, 'grid')}`,
  )}${section('commits-section', 'Commits', commitsTable(report))}${section('rebuilt', 'Steps most often rebuilt', mostRebuilt(report))}${
    input.compareFix ? section('compare-fix', 'Before and after --fix', comparison(report, input.compareFix)) : ''
  }${
    skipped.length
      ? section(
          'skipped',
          `${plural(skipped.length, 'commit')} skipped`,
          html`<ul>${skipped.map((s) => html`<li><span class="mono">${short(s.commit)}</span> ${s.reason}</li>`)}</ul>`,
        )
      : ''
  }<p class="note">Cost: ${report.summary.cost.description}.</p>`;
  return renderPage({
    kind: 'cache replay',
    title: `${plural(builds.length, 'commit')}: ${range}`,
    subtitle: 'First-parent history, oldest first: which steps BuildKit would have reported CACHED in each build.',
    body,
  });
}
