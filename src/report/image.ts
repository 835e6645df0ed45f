/**
 * Reports of the image commands: the JSON shapes design.md fixes (fields may be added, never renamed) and the
 * terminal tables. Pure: values in, text out.
 */
import type { Analysis } from '../image/analyze.js';
import type { ImageDiff } from '../image/diff.js';
import type { GateResult } from '../image/gates.js';
import { type HistoryRow, humanSize } from '../image/history.js';
import type { ImageInfo } from '../image/inspect.js';

/** A history row as JSON, with the Dockerfile line when `--file` mapped it. */
function rowJson(row: HistoryRow, line?: number) {
  return {
    digest: row.digest,
    diffId: row.diffId,
    size: row.size,
    appliedSize: row.appliedSize,
    builtSize: row.builtSize,
    compressedSize: row.compressedSize,
    createdBy: row.createdBy,
    emptyLayer: row.emptyLayer,
    comment: row.comment,
    created: row.created,
    layer: row.layer,
    ...(line !== undefined ? { line } : {}),
  };
}

export function historyJson(image: ImageInfo, rows: HistoryRow[], lines?: (number | undefined)[]): string {
  return `${JSON.stringify({ image, layers: rows.map((row, i) => rowJson(row, lines?.[i])) }, null, 2)}\n`;
}

/** Go's %q-free CLI display of created-by: tabs to spaces, truncated like `docker history` (45 characters). */
export function truncateCreatedBy(text: string, width = 45): string {
  const flat = text.replace(/\t/g, ' ');
  const chars = [...flat];
  return chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : flat;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => [...row[column]].length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] + 3)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

/** Newest first, as `docker history` prints. */
export function historyTty(rows: HistoryRow[], options: { noTrunc?: boolean; lines?: (number | undefined)[] } = {}): string {
  const header = ['LAYER', ...(options.lines ? ['LINE'] : []), 'CREATED BY', 'SIZE', 'COMPRESSED', 'COMMENT'];
  const body = rows
    .map((row, i) => [
      row.digest ? row.digest.slice(7, 19) : '<empty>',
      ...(options.lines ? [options.lines[i] !== undefined ? String(options.lines[i]) : ''] : []),
      options.noTrunc ? row.createdBy : truncateCreatedBy(row.createdBy),
      humanSize(row.size),
      row.emptyLayer ? '' : humanSize(row.compressedSize),
      row.comment,
    ])
    .reverse();
  return `${table([header, ...body])}\n`;
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

export function analyzeJson(
  image: ImageInfo,
  rows: HistoryRow[],
  analysis: Analysis,
  gates: GateResult[],
  lines?: (number | undefined)[],
): string {
  const { dive } = analysis;
  return `${JSON.stringify(
    {
      image,
      layers: rows.map((row, i) => rowJson(row, lines?.[i])),
      totalSize: rows.reduce((sum, row) => sum + row.size, 0),
      wastedBytes: dive.wastedBytes,
      efficiency: dive.efficiency,
      wasted: dive.inefficiencies.map((item) => ({ path: item.path, bytes: item.cumulativeSize, layers: item.layers })),
      userSize: dive.userSizeBytes,
      userWastedPercent: finite(dive.wastedUserPercent),
      hiddenBytes: analysis.hiddenBytes,
      hidden: analysis.hidden,
      hiddenByLayers: analysis.hiddenByLayers,
      layerChanges: analysis.layers,
      gates,
      passed: gates.every((gate) => gate.passed),
    },
    null,
    2,
  )}\n`;
}

function percent(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(1)} %` : 'n/a';
}

export function analyzeTty(rows: HistoryRow[], analysis: Analysis, gates: GateResult[], top = 10): string {
  const { dive } = analysis;
  const describe = (layer: number) => {
    const row = rows.find((candidate) => candidate.layer === layer);
    return `layer ${layer}${row?.createdBy ? ` (${truncateCreatedBy(row.createdBy, 50)})` : ''}`;
  };
  const lines: string[] = [];
  lines.push(`Total size:          ${humanSize(rows.reduce((sum, row) => sum + row.size, 0))}`);
  lines.push(
    `Hidden bytes:        ${humanSize(analysis.hiddenBytes)}  (stored in lower layers, invisible in the final filesystem)`,
  );
  lines.push(`dive efficiency:     ${(dive.efficiency * 100).toFixed(4)} %`);
  lines.push(
    `dive wasted bytes:   ${humanSize(dive.wastedBytes)}  (${dive.wastedBytes} bytes; user wasted ${percent(dive.wastedUserPercent)})`,
  );
  lines.push('');
  lines.push('Per layer (added / changed / removed):');
  for (const stats of analysis.layers)
    lines.push(
      `  ${describe(stats.index)}: +${humanSize(stats.addedBytes)} ~${humanSize(stats.changedBytes)} -${humanSize(stats.removedBytes)}`,
    );
  if (analysis.hiddenByLayers.length > 0) {
    lines.push('');
    lines.push('Where hidden bytes come from (written by → hidden by):');
    for (const pair of analysis.hiddenByLayers.slice(0, top))
      lines.push(
        `  ${humanSize(pair.bytes).padStart(8)} in ${pair.files} files: ${describe(pair.writtenBy)} → ${describe(pair.hiddenBy)}`,
      );
    lines.push('');
    lines.push(`Largest hidden files (top ${Math.min(top, analysis.hidden.length)} of ${analysis.hidden.length}):`);
    for (const file of analysis.hidden.slice(0, top))
      lines.push(
        `  ${humanSize(file.bytes).padStart(8)}  /${file.path}  (layer ${file.writtenBy} → ${file.how} in layer ${file.hiddenBy})`,
      );
  }
  if (gates.length > 0) {
    lines.push('');
    lines.push('CI gates:');
    for (const gate of gates) {
      const status = gate.skipped ? 'SKIP' : gate.passed ? 'PASS' : 'FAIL';
      const actual = Number.isFinite(gate.actual) ? gate.actual : 'n/a';
      const threshold = gate.threshold === null ? 'disabled' : `threshold ${gate.threshold}`;
      lines.push(`  ${status}  ${gate.rule}: ${actual} (${threshold}, from ${gate.source})`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function diffJson(a: ImageInfo, b: ImageInfo, diff: ImageDiff): string {
  return `${JSON.stringify({ a, b, ...diff }, null, 2)}\n`;
}

export function diffTty(diff: ImageDiff, top = 20): string {
  const lines: string[] = [];
  lines.push(
    `Layers: ${diff.summary.sharedLayers} shared, ${diff.summary.newLayers} new — a host holding A pulls ${humanSize(diff.pullBytes)} to run B`,
  );
  lines.push(`Files: ${diff.summary.added} added, ${diff.summary.removed} removed, ${diff.summary.changed} changed`);
  const list = (title: string, items: ImageDiff['files']['added'], sign: string) => {
    if (items.length === 0) return;
    lines.push('');
    lines.push(`${title}:`);
    for (const item of items.slice(0, top))
      lines.push(
        `  ${sign} /${item.path}${item.sizeB !== undefined ? `  ${humanSize(item.sizeB)}` : item.sizeA !== undefined ? `  ${humanSize(item.sizeA)}` : ''}`,
      );
    if (items.length > top) lines.push(`  … ${items.length - top} more (--format json lists all)`);
  };
  list('Added', diff.files.added, '+');
  list('Removed', diff.files.removed, '-');
  list('Changed', diff.files.changed, '~');
  return `${lines.join('\n')}\n`;
}
