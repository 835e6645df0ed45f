/**
 * `cache diff --format html`: the NEW Dockerfile with every build step marked cached / rebuilt / unknown on its line
 * (a glyph, a word and a colour), the reason under each step that misses, and the steps as a table. Pure.
 */
import type { Prediction, StepPrediction, StepStatus } from '../../cache/predict.js';
import { parseDockerfile } from '../../dockerfile/parse.js';
import { type Annotation, type Block, codeListing, instructionBlocks } from './code.js';
import { type Html, html } from './escape.js';
import { cards, percent, prose, renderPage, section } from './page.js';

export const STATUS_GLYPH: Record<StepStatus, string> = { cached: '✓', rebuilt: '✗', unknown: '?' };

/** "✓ cached", "✗ rebuilt": the status in a glyph and a word. */
export function statusLabel(status: StepStatus): string {
  return `${STATUS_GLYPH[status]} ${status}`;
}

function annotation(step: StepPrediction, multiStage: boolean): Annotation {
  const stage = multiStage ? `[${step.stage}] ` : '';
  return {
    line: step.line,
    kind: step.status,
    badge: statusLabel(step.status),
    message:
      step.status === 'cached'
        ? undefined
        : html`${stage}<strong>${step.status}</strong>: ${prose(step.reason)}${step.trigger ? html` <span class="muted">(trigger: ${step.trigger})</span>` : ''}`,
  };
}

/** The instructions' lines; none when the text does not parse (the listing then annotates single lines). */
export function blocksOf(text: string): Block[] | undefined {
  try {
    return instructionBlocks(parseDockerfile(text));
  } catch {
    return undefined;
  }
}

/** NEW's text with every step's status on its line and the reason under each miss (anchors `<id>-L<line>`). */
export function stepListing(prediction: Prediction, newText: string, id: string): Html {
  const multiStage = new Set(prediction.steps.map((step) => step.stage)).size > 1;
  return codeListing(
    newText,
    prediction.steps.map((step) => annotation(step, multiStage)),
    id,
    { blocks: blocksOf(newText), stripe: ['cached', 'rebuilt', 'unknown'] },
  );
}

export function renderCacheDiffHtml(prediction: Prediction, newText: string, sides: { old: string; new: string }): string {
  const { cached, rebuilt, unknown } = prediction.summary;
  const total = cached + rebuilt + unknown;
  const table = html`<table class="data"><thead><tr><th class="n">Line</th><th>Stage</th><th>Step</th><th>Status</th><th>Why</th></tr></thead><tbody>${prediction.steps.map(
    (step) =>
      html`<tr class="step ${step.status}"><td class="n"><a href="#new-L${step.line}">${step.line}</a></td><td class="nowrap">${step.stage}</td><td class="path">${step.instruction}</td><td><span class="badge ${step.status}">${statusLabel(step.status)}</span></td><td>${prose(step.reason)}</td></tr>`,
  )}</tbody></table>`;
  const body = html`${cards([
    { value: percent(total ? cached / total : 0), label: 'of steps cached', tone: rebuilt ? 'warn' : 'ok' },
    { value: cached, label: 'cached', tone: 'ok' },
    { value: rebuilt, label: 'rebuilt', tone: rebuilt ? 'bad' : undefined },
    { value: unknown, label: 'unknown', tone: unknown ? 'warn' : undefined },
  ])}${section(
    'dockerfile',
    'The NEW Dockerfile, step by step',
    html`<p class="note">Assuming ${prediction.assumptions.join(', ')}. Each step BuildKit numbers is marked with what it would report after building OLD.</p>${stepListing(prediction, newText, 'new')}`,
  )}${section('steps', 'Steps', table)}`;
  return renderPage({
    kind: 'cache diff',
    title: `${sides.old} → ${sides.new}`,
    subtitle: 'Which steps of NEW BuildKit would report CACHED after building OLD, and why the others would not.',
    body,
  });
}
