/**
 * `image analyze --format html`: a bar per layer (its size, with the bytes a later layer deleted or overwrote
 * hatched as waste) labelled with the Dockerfile line that made it, the Dockerfile with each step's layer size and
 * waste on its line (given `--file`), dive's figures, the CI gates, and where the hidden bytes are. Pure.
 */
import type { Analysis } from '../../image/analyze.js';
import type { GateResult } from '../../image/gates.js';
import { type HistoryRow, humanSize } from '../../image/history.js';
import type { ImageInfo } from '../../image/inspect.js';
import { type Bar, barChart, legend } from './chart.js';
import { type Annotation, codeListing } from './code.js';
import { type Html, html } from './escape.js';
import { type Card, cards, percent, plural, renderPage, section } from './page.js';

export interface AnalyzeHtmlInput {
  image: ImageInfo;
  rows: readonly HistoryRow[];
  analysis: Analysis;
  gates: readonly GateResult[];
  /** Per row, the Dockerfile line that produced it (`--file`). */
  lines?: readonly (number | undefined)[];
  /** The Dockerfile given with `--file`. */
  dockerfile?: { path: string; text: string };
}

/** Bytes each layer wrote that a later layer deleted or overwrote (layerwise's hidden bytes, by writer). */
export function wastedByLayer(analysis: Analysis): Map<number, number> {
  const wasted = new Map<number, number>();
  for (const pair of analysis.hiddenByLayers) wasted.set(pair.writtenBy, (wasted.get(pair.writtenBy) ?? 0) + pair.bytes);
  return wasted;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** BuildKit ends every created-by with ` # buildkit`; a chart label has better use for the room. */
export const withoutBuildkitMark = (text: string) => text.replace(/ # buildkit$/, '');

/** "#3 · line 7" — the layer, and the Dockerfile line when known. */
function layerKey(row: HistoryRow, line: number | undefined): string {
  return `#${row.layer}${line === undefined ? '' : ` · line ${line}`}`;
}

export function layerBars(input: AnalyzeHtmlInput, anchor: string | undefined): Bar[] {
  const wasted = wastedByLayer(input.analysis);
  return input.rows.flatMap((row, i) => {
    if (row.layer === null) return [];
    const line = input.lines?.[i];
    const waste = Math.min(row.size, wasted.get(row.layer) ?? 0);
    const kept = row.size - waste;
    return [
      {
        label: layerKey(row, line),
        detail: withoutBuildkitMark(row.createdBy) || '(no history entry)',
        href: line !== undefined && anchor ? `#${anchor}-L${line}` : undefined,
        segments: [
          { value: kept, kind: 'kept' },
          { value: waste, kind: 'wasted' },
        ],
        value: waste ? `${humanSize(row.size)} (${humanSize(waste)} wasted)` : humanSize(row.size),
        tip:
          `layer ${row.layer}${line === undefined ? '' : `, Dockerfile line ${line}`}\n${oneLine(row.createdBy) || '(no history entry)'}\n` +
          `size ${humanSize(row.size)}, compressed ${humanSize(row.compressedSize)}` +
          (waste ? `\n${humanSize(waste)} of it deleted or overwritten by a later layer` : ''),
      },
    ];
  });
}

function gatesTable(gates: readonly GateResult[]): Html {
  return html`<table class="data"><thead><tr><th>Gate</th><th class="n">Actual</th><th class="n">Threshold</th><th>Result</th></tr></thead><tbody>${gates.map(
    (gate) =>
      html`<tr><td>${gate.rule}</td><td class="n">${Number.isFinite(gate.actual) ? gate.actual : 'n/a'}</td><td class="n">${gate.threshold ?? 'disabled'}</td><td><span class="badge ${gate.passed ? 'pass' : 'fail'}">${gate.skipped ? 'skip' : gate.passed ? '✓ pass' : '✗ fail'}</span></td></tr>`,
  )}</tbody></table>`;
}

function layersTable(input: AnalyzeHtmlInput): Html {
  const wasted = wastedByLayer(input.analysis);
  return html`<table class="data"><thead><tr><th class="n">Layer</th><th class="n">Line</th><th>Created by</th><th class="n">Size</th><th class="n">Compressed</th><th class="n">Wasted</th></tr></thead><tbody>${input.rows.map(
    (row, i) =>
      html`<tr><td class="n">${row.layer ?? '—'}</td><td class="n">${input.lines?.[i] ?? ''}</td><td class="path">${oneLine(row.createdBy)}</td><td class="n">${humanSize(row.size)}</td><td class="n">${row.emptyLayer ? '' : humanSize(row.compressedSize)}</td><td class="n">${row.layer !== null && wasted.get(row.layer) ? humanSize(wasted.get(row.layer) ?? 0) : ''}</td></tr>`,
  )}</tbody></table>`;
}

function dockerfileSection(input: AnalyzeHtmlInput, dockerfile: { path: string; text: string }): Html {
  const wasted = wastedByLayer(input.analysis);
  const lineOf = new Map<number, number>();
  input.rows.forEach((row, i) => {
    const line = input.lines?.[i];
    if (row.layer !== null && line !== undefined) lineOf.set(row.layer, line);
  });
  const notes: Annotation[] = input.rows.flatMap((row, i) => {
    const line = input.lines?.[i];
    if (line === undefined) return [];
    const waste = row.layer === null ? 0 : (wasted.get(row.layer) ?? 0);
    const hiders = input.analysis.hiddenByLayers.filter((pair) => pair.writtenBy === row.layer);
    return [
      {
        line,
        kind: waste ? 'warning' : 'size',
        aside: html`<span class="badge size">${row.layer === null ? 'no layer' : humanSize(row.size)}</span>`,
        badge: waste ? `${humanSize(waste)} wasted` : undefined,
        message: waste
          ? hiders.map((pair) => {
              const by = lineOf.get(pair.hiddenBy);
              return html`<span>${humanSize(pair.bytes)} in ${plural(pair.files, 'file')} written here ${by === undefined ? `are hidden by layer ${pair.hiddenBy}` : html`are deleted or overwritten by <a href="#dockerfile-L${by}">line ${by}</a>`}. </span>`;
            })
          : undefined,
      },
    ];
  });
  return section(
    'dockerfile',
    html`Dockerfile <span class="mono muted">${dockerfile.path}</span>`,
    html`<p class="note">Each step that made a layer shows its size on the right.</p>${codeListing(dockerfile.text, notes, 'dockerfile')}`,
  );
}

function hiddenSection(input: AnalyzeHtmlInput): Html {
  const { analysis } = input;
  if (analysis.hidden.length === 0) return html`<p class="note">No file is deleted or overwritten by a later layer.</p>`;
  const top = analysis.hidden.slice(0, 100);
  return html`<table class="data"><thead><tr><th class="n">Bytes</th><th>Path</th><th>Written by</th><th>Hidden by</th></tr></thead><tbody>${top.map(
    (file) =>
      html`<tr><td class="n">${humanSize(file.bytes)}</td><td class="path">/${file.path}</td><td>layer ${file.writtenBy}</td><td>${file.how} in layer ${file.hiddenBy}</td></tr>`,
  )}</tbody></table>${analysis.hidden.length > top.length ? html`<p class="note">… and ${analysis.hidden.length - top.length} more (--format json lists all).</p>` : ''}`;
}

export function renderAnalyzeHtml(input: AnalyzeHtmlInput): string {
  const { analysis, rows, gates } = input;
  const { dive } = analysis;
  const total = rows.reduce((sum, row) => sum + row.size, 0);
  const failed = gates.filter((gate) => !gate.passed).length;
  const summary: Card[] = [
    { value: humanSize(total), label: 'total size' },
    { value: humanSize(analysis.hiddenBytes), label: 'hidden in lower layers', tone: analysis.hiddenBytes ? 'warn' : 'ok' },
    { value: percent(dive.efficiency), label: 'dive efficiency', tone: dive.efficiency >= 0.9 ? 'ok' : 'warn' },
    { value: humanSize(dive.wastedBytes), label: 'dive wasted bytes' },
    ...(gates.length
      ? [{ value: failed ? `${failed} failed` : 'passed', label: 'CI gates', tone: failed ? ('bad' as const) : ('ok' as const) }]
      : []),
  ];
  const bars = layerBars(input, input.dockerfile ? 'dockerfile' : undefined);
  const body = html`${cards(summary)}${section(
    'layers',
    'Layer sizes',
    html`${legend([
      { kind: 'kept', label: 'bytes in the final image' },
      { kind: 'wasted', label: 'wasted: deleted or overwritten by a later layer (hatched)' },
    ])}${barChart({ title: 'Size of each layer, lowest first', bars, format: humanSize, id: 'layer-chart' })}`,
  )}${input.dockerfile ? dockerfileSection(input, input.dockerfile) : ''}${section('history', 'History', layersTable(input))}${section(
    'hidden',
    'Where the waste is',
    hiddenSection(input),
  )}${gates.length ? section('gates', 'CI gates', gatesTable(gates)) : ''}`;
  return renderPage({
    kind: 'image analyze',
    title: input.image.source,
    subtitle: html`<span class="mono">${input.image.digest}</span>`,
    body,
  });
}
