/**
 * A horizontal bar chart in plain SVG (no charting library): one labelled bar per item, each bar made of segments
 * (a layer's kept and wasted bytes, or shared and new), each segment kind drawn with its own fill *and* pattern, a
 * value printed after every bar, and the full details as hover/focus text. Pure.
 */
import { type Content, type Html, html } from './escape.js';

export interface Segment {
  value: number;
  /** seg-<kind> is its fill: kept, wasted, shared, new. */
  kind: string;
}

export interface Bar {
  /** The short label left of the bar ("#3 · line 7"). */
  label: string;
  /** The text after the label (an instruction), shortened to fit; the hover text has it in full. */
  detail?: string;
  /** Where the label links (a Dockerfile line anchor). */
  href?: string;
  segments: Segment[];
  /** The figure printed after the bar. */
  value: string;
  /** Hover / focus text (also the bar's accessible name). */
  tip: string;
}

export interface LegendItem {
  kind: string;
  label: string;
}

const WIDTH = 960;
const LABEL = 380;
const VALUE = 170;
const ROW = 26;
const TOP = 22;
const CHARS = 54;

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}

/** Round tick steps (1, 2, 5 × 10ⁿ) covering 0…max with at most `count` intervals. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? rough;
  const ticks: number[] = [];
  for (let value = 0; value <= max + step * 1e-9; value += step) ticks.push(value);
  if (ticks[ticks.length - 1] < max) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

export function legend(items: readonly LegendItem[]): Html {
  return html`<ul class="legend">${items.map(
    (item) =>
      html`<li><svg class="swatch" viewBox="0 0 18 12" aria-hidden="true"><rect class="seg-${item.kind}" width="18" height="12" rx="2"/></svg>${item.label}</li>`,
  )}</ul>`;
}

/** The chart; `format` prints axis ticks. */
export function barChart(options: { title: string; bars: readonly Bar[]; format: (value: number) => string; id: string }): Html {
  const { bars, format } = options;
  const max = Math.max(0, ...bars.map((bar) => bar.segments.reduce((sum, s) => sum + s.value, 0)));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1] || 1;
  const plot = WIDTH - LABEL - VALUE;
  const x = (value: number) => (value / top) * plot;
  const height = TOP + bars.length * ROW + 6;
  const grid = ticks.map(
    (tick) =>
      html`<line class="grid" x1="${LABEL + x(tick)}" y1="${TOP - 4}" x2="${LABEL + x(tick)}" y2="${height - 4}"/><text class="tick" x="${LABEL + x(tick)}" y="12" text-anchor="middle">${format(tick)}</text>`,
  );
  const rows = bars.map((bar, index) => {
    const y = TOP + index * ROW;
    let offset = 0;
    const segments = bar.segments.map((segment) => {
      // A bar that has any bytes stays visible (at least 2 units wide) however small against the largest.
      const width = segment.value > 0 ? Math.max(2, x(segment.value)) : 0;
      const rect = html`<rect class="seg seg-${segment.kind}" data-kind="${segment.kind}" data-value="${segment.value}" x="${(LABEL + offset).toFixed(2)}" y="${y + 4}" width="${width.toFixed(2)}" height="${ROW - 8}" rx="2"/>`;
      offset += width;
      return rect;
    });
    const text: Content = [
      html`<tspan class="bar-key">${bar.label}</tspan>`,
      bar.detail ? html`<tspan class="muted" dx="8">${shorten(bar.detail, CHARS - [...bar.label].length)}</tspan>` : '',
    ];
    const label = html`<text class="bar-label" x="4" y="${y + ROW / 2 + 4}">${text}</text>`;
    return html`<g class="bar" tabindex="0" data-index="${index}"><title>${bar.tip}</title><rect class="track" x="0" y="${y}" width="${WIDTH}" height="${ROW}"/>${bar.href ? html`<a href="${bar.href}">${label}</a>` : label}${segments}<text class="bar-value" x="${(LABEL + offset + 6).toFixed(2)}" y="${y + ROW / 2 + 4}">${bar.value}</text></g>`;
  });
  return html`<svg class="chart" id="${options.id}" viewBox="0 0 ${WIDTH} ${height}" role="group" aria-label="${options.title}">${grid}${rows}</svg>`;
}
