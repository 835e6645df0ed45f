/**
 * `docker history`, computed from the image alone: one row per config history entry (empty layers included), each
 * non-empty entry paired with the next layer, and layer sizes as the overlay2 driver reports them — the sum of
 * non-directory entries' sizes with a hard-linked inode counted once, symlinks as the length of their target,
 * whiteouts 0 (moby's `directory.Size` over the applied layer). Pure.
 */
import type { ConfigFile } from './image.js';
import type { LayerEntry } from './layers.js';

/** Accumulates one layer's size as `docker history` shows it. */
export class DockerSize {
  bytes = 0;

  add(entry: LayerEntry): void {
    // A hard link shares its target's inode, which was counted when the target was added: count nothing.
    if (entry.kind === 'file') this.bytes += entry.size;
    else if (entry.kind === 'symlink') this.bytes += Buffer.byteLength(entry.linkTarget);
  }
}

/** What history needs to know about each layer, lowest first. */
export interface LayerFacts {
  digest: string;
  diffId: string;
  /** Size as `docker history` reports it. */
  size: number;
  /** Size of the blob as stored (what a pull transfers). */
  compressedSize: number;
}

export interface HistoryRow {
  /** Layer digest (blob as stored); null for empty-layer entries. */
  digest: string | null;
  diffId: string | null;
  size: number;
  compressedSize: number;
  createdBy: string;
  emptyLayer: boolean;
  comment: string;
  created: string | null;
  /** 0-based layer index, null for empty entries. */
  layer: number | null;
}

/**
 * Pairs history entries with layers the way docker does: each non-empty entry takes the next layer. Layers with no
 * history left get a row with an empty command (BuildKit's normaliser would have added one); surplus non-empty
 * entries become empty rows.
 */
export function historyRows(config: ConfigFile, layers: LayerFacts[]): HistoryRow[] {
  const rows: HistoryRow[] = [];
  let next = 0;
  for (const entry of config.history ?? []) {
    const base = {
      createdBy: entry.created_by ?? '',
      comment: entry.comment ?? '',
      created: entry.created ?? null,
    };
    const layer = !entry.empty_layer ? layers[next] : undefined;
    if (layer) {
      rows.push({
        ...base,
        digest: layer.digest,
        diffId: layer.diffId,
        size: layer.size,
        compressedSize: layer.compressedSize,
        emptyLayer: false,
        layer: next,
      });
      next += 1;
    } else rows.push({ ...base, digest: null, diffId: null, size: 0, compressedSize: 0, emptyLayer: true, layer: null });
  }
  for (; next < layers.length; next += 1) {
    const layer = layers[next];
    rows.push({
      digest: layer.digest,
      diffId: layer.diffId,
      size: layer.size,
      compressedSize: layer.compressedSize,
      createdBy: '',
      comment: '',
      created: null,
      emptyLayer: false,
      layer: next,
    });
  }
  return rows;
}

/**
 * Docker's human sizes (go-units `HumanSizeWithPrecision(size, 3)`): decimal units, three significant digits,
 * formatted like Go's `%.3g` (so 999.5 kB prints as `1e+03kB`, as docker does).
 */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < units.length - 1) {
    size /= 1000;
    unit += 1;
  }
  return `${formatG(size, 3)}${units[unit]}`;
}

/** Go's `%.<precision>g`. */
export function formatG(value: number, precision: number): string {
  if (value === 0) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(precision)))));
  if (exponent < -4 || exponent >= precision) {
    const [mantissa, exp] = value.toExponential(precision - 1).split('e');
    const trimmed = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
    const sign = exp.startsWith('-') ? '-' : '+';
    const digits = exp.replace(/^[+-]/, '').padStart(2, '0');
    return `${trimmed}e${sign}${digits}`;
  }
  const fixed = value.toFixed(Math.max(0, precision - 1 - exponent));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}
