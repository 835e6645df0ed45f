/**
 * `image diff --format html`: both images' layers as bars of their compressed size — dotted where the layer is
 * shared (a host holding A already has it), solid where it must be pulled — then the files added, removed and
 * changed. Pure.
 */
import type { FileChange, ImageDiff } from '../../image/diff.js';
import { type HistoryRow, humanSize } from '../../image/history.js';
import type { ImageInfo } from '../../image/inspect.js';
import { type Bar, barChart, legend } from './chart.js';
import { type Html, html } from './escape.js';
import { withoutBuildkitMark } from './image-analyze.js';
import { cards, plural, renderPage, section } from './page.js';

export interface ImageDiffHtmlInput {
  a: { image: ImageInfo; rows: readonly HistoryRow[] };
  b: { image: ImageInfo; rows: readonly HistoryRow[] };
  diff: ImageDiff;
}

/** Files listed per kind of change; the rest are counted (the JSON report lists all). */
const FILE_LIMIT = 200;

function bars(rows: readonly HistoryRow[], shared: ReadonlySet<string>, other: string): Bar[] {
  return rows.flatMap((row) => {
    if (row.layer === null || row.digest === null) return [];
    const isShared = shared.has(row.digest);
    return [
      {
        label: `#${row.layer}`,
        detail: withoutBuildkitMark(row.createdBy) || '(no history entry)',
        segments: [{ value: row.compressedSize, kind: isShared ? 'shared' : 'new' }],
        value: `${humanSize(row.compressedSize)} ${isShared ? 'shared' : `only in ${other === 'A' ? 'B' : 'A'}`}`,
        tip: `layer ${row.layer}: ${row.createdBy.replace(/\s+/g, ' ').trim() || '(no history entry)'}\n${row.digest}\ncompressed ${humanSize(row.compressedSize)}, ${
          isShared ? `also in ${other}` : `not in ${other}`
        }`,
      },
    ];
  });
}

function files(title: string, sign: string, items: readonly FileChange[]): Html {
  if (items.length === 0) return html``;
  const shown = items.slice(0, FILE_LIMIT);
  const size = (item: FileChange) =>
    item.sizeA !== undefined && item.sizeB !== undefined
      ? `${humanSize(item.sizeA)} → ${humanSize(item.sizeB)}`
      : humanSize(item.sizeB ?? item.sizeA ?? 0);
  return html`<h3>${title} <span class="muted">(${items.length})</span></h3><table class="data"><thead><tr><th></th><th>Path</th><th>Kind</th><th class="n">Size</th></tr></thead><tbody>${shown.map(
    (item) =>
      html`<tr><td class="mono">${sign}</td><td class="path">/${item.path}</td><td>${item.kind}</td><td class="n">${size(item)}</td></tr>`,
  )}</tbody></table>${items.length > shown.length ? html`<p class="note">… and ${items.length - shown.length} more (--format json lists all).</p>` : ''}`;
}

export function renderImageDiffHtml(input: ImageDiffHtmlInput): string {
  const { diff } = input;
  const shared = new Set(diff.layers.shared.map((layer) => layer.digest));
  const key = legend([
    { kind: 'shared', label: 'shared: already on a host holding the other image (dotted)' },
    { kind: 'new', label: 'only in this image (solid)' },
  ]);
  const body = html`${cards([
    { value: humanSize(diff.pullBytes), label: 'to pull, given A', tone: diff.pullBytes ? 'warn' : 'ok' },
    { value: diff.summary.sharedLayers, label: 'layers shared', tone: 'ok' },
    { value: diff.summary.newLayers, label: 'new layers in B' },
    { value: diff.summary.added, label: 'files added' },
    { value: diff.summary.removed, label: 'files removed' },
    { value: diff.summary.changed, label: 'files changed' },
  ])}${section(
    'layers-b',
    html`Layers of B <span class="mono muted">${input.b.image.source}</span>`,
    html`${key}${barChart({ title: 'Compressed size of each layer of B', bars: bars(input.b.rows, shared, 'A'), format: humanSize, id: 'chart-b' })}`,
  )}${section(
    'layers-a',
    html`Layers of A <span class="mono muted">${input.a.image.source}</span>`,
    barChart({
      title: 'Compressed size of each layer of A',
      bars: bars(input.a.rows, shared, 'B'),
      format: humanSize,
      id: 'chart-a',
    }),
  )}${section(
    'files',
    'Files',
    diff.summary.added + diff.summary.removed + diff.summary.changed === 0
      ? html`<p class="note">The two filesystems hold the same files.</p>`
      : html`${files('Added', '+', diff.files.added)}${files('Removed', '−', diff.files.removed)}${files('Changed', '~', diff.files.changed)}`,
  )}`;
  return renderPage({
    kind: 'image diff',
    title: `${input.a.image.source} → ${input.b.image.source}`,
    subtitle: `${plural(diff.summary.sharedLayers, 'layer')} shared; a host holding A pulls ${humanSize(diff.pullBytes)} to run B.`,
    body,
  });
}
