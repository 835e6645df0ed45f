/**
 * `docker history`, computed from the image alone: one row per config history entry (empty layers included), each
 * non-empty entry paired with the next layer. Docker (overlay2 store) records a layer's size in one of two ways,
 * depending on how the layer entered its store — verified on Docker 28.5:
 * - `applied` (pulled, loaded, imported): moby's `directory.Size` over the unpacked layer — regular files' sizes with
 *   a hard-linked inode once, symlinks as the length of their target, directories and whiteouts 0;
 * - `built` (a BuildKit build on that engine): the sum of the layer tar's header sizes — regular files only, so
 *   symlinks count 0.
 * An image alone cannot say which one a given engine used; both are computed and `applied` is the default (what any
 * machine that pulls the image shows). Pure.
 */
import type { ConfigFile } from './image.js';
import type { LayerEntry } from './layers.js';

export type SizeMode = 'applied' | 'built';

/** Accumulates one layer's size both ways `docker history` may show it. */
export class DockerSize {
  /** `directory.Size` of the applied layer. */
  applied = 0;
  /** Σ tar header sizes (BuildKit-built layers). */
  built = 0;

  add(entry: LayerEntry): void {
    // A hard link shares its target's inode, which was counted when the target was added: count nothing.
    if (entry.kind === 'file') {
      this.applied += entry.size;
      this.built += entry.size;
    } else if (entry.kind === 'symlink') this.applied += Buffer.byteLength(entry.linkTarget);
  }
}

/** What history needs to know about each layer, lowest first. */
export interface LayerFacts {
  digest: string;
  diffId: string;
  /** Size as `docker history` reports it for a pulled/loaded layer. */
  size: number;
  /** Size as `docker history` reports it on the engine that built the layer with BuildKit. */
  builtSize: number;
  /** Size of the blob as stored (what a pull transfers). */
  compressedSize: number;
}

export interface HistoryRow {
  /** Layer digest (blob as stored); null for empty-layer entries. */
  digest: string | null;
  diffId: string | null;
  size: number;
  /** Both of docker's figures (see the top of this file); `size` is one of them. */
  appliedSize: number;
  builtSize: number;
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
export function historyRows(config: ConfigFile, layers: LayerFacts[], mode: SizeMode = 'applied'): HistoryRow[] {
  const rows: HistoryRow[] = [];
  const sizes = (layer: LayerFacts) => ({
    digest: layer.digest,
    diffId: layer.diffId,
    size: mode === 'built' ? layer.builtSize : layer.size,
    appliedSize: layer.size,
    builtSize: layer.builtSize,
    compressedSize: layer.compressedSize,
  });
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
        ...sizes(layer),
        emptyLayer: false,
        layer: next,
      });
      next += 1;
    } else
      rows.push({
        ...base,
        digest: null,
        diffId: null,
        size: 0,
        appliedSize: 0,
        builtSize: 0,
        compressedSize: 0,
        emptyLayer: true,
        layer: null,
      });
  }
  for (; next < layers.length; next += 1) {
    const layer = layers[next];
    rows.push({
      ...sizes(layer),
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
