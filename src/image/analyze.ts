/**
 * Image analysis over scanned layers: per-layer added/changed/removed bytes, dive's efficiency and wasted bytes
 * (dive.ts), and layerwise's own figure — the bytes stored in lower layers that the final filesystem cannot see
 * (overwritten or deleted), each with the layer that wrote it and the layer that hid it. The union filesystem is
 * kept per path id of a shared PathTrie in typed arrays (kind, bytes, writing layer), not as a tree of objects, so
 * memory grows by tens of bytes per path. Pure: takes layer records, returns numbers.
 */
import { DiveEfficiency, type DiveResult } from './dive.js';
import { EntryKind, type LayerRecord, LayerRecorder } from './layer-record.js';
import type { LayerEntry } from './layers.js';
import { WHITEOUT_PREFIX } from './layers.js';
import { growFloat64, growInt32, growUint8, PathTrie } from './path-trie.js';

/** A file that some layer stored but the final filesystem does not show. */
export interface HiddenFile {
  path: string;
  bytes: number;
  /** Layer (0-based) that wrote the bytes. */
  writtenBy: number;
  /** Layer (0-based) that deleted or overwrote them. */
  hiddenBy: number;
  how: 'deleted' | 'overwritten';
}

export interface LayerChangeStats {
  index: number;
  /** Bytes of paths that did not exist below. */
  addedBytes: number;
  addedFiles: number;
  /** Bytes of paths that replaced something below. */
  changedBytes: number;
  changedFiles: number;
  /** Bytes of lower-layer files this layer deleted (whiteouts, opaque directories, type changes). */
  removedBytes: number;
  removedFiles: number;
}

export interface LayerPairWaste {
  writtenBy: number;
  hiddenBy: number;
  bytes: number;
  files: number;
}

export interface Analysis {
  layers: LayerChangeStats[];
  dive: DiveResult;
  /** Σ bytes hidden: what an image rebuilt to write each file once, in its final form, would save. */
  hiddenBytes: number;
  hidden: HiddenFile[];
  /** Hidden bytes grouped by (writer, hider): the pairs of Dockerfile steps worth fixing. */
  hiddenByLayers: LayerPairWaste[];
}

/** Union node states (`Analyzer.kinds`). */
const ABSENT = 0;
const DIRECTORY = 1;
const OTHER = 2;

/** Hidden files as parallel arrays (path id, bytes, writer, hider, deleted?) until `result()` names them. */
class HiddenList {
  ids = new Int32Array(256);
  bytes = new Float64Array(256);
  writers = new Int32Array(256);
  hiders = new Int32Array(256);
  deleted = new Uint8Array(256);
  length = 0;

  push(id: number, bytes: number, writer: number, hider: number, deleted: boolean): void {
    if (this.length === this.ids.length) {
      const size = this.length * 2;
      this.ids = growInt32(this.ids, size, 0);
      this.bytes = growFloat64(this.bytes, size, 0);
      this.writers = growInt32(this.writers, size, 0);
      this.hiders = growInt32(this.hiders, size, 0);
      this.deleted = growUint8(this.deleted, size);
    }
    const at = this.length++;
    this.ids[at] = id;
    this.bytes[at] = bytes;
    this.writers[at] = writer;
    this.hiders[at] = hider;
    this.deleted[at] = deleted ? 1 : 0;
  }
}

/** Largest first; then path, writer and hider, so that the order never depends on how the union was walked. */
export function compareHidden(a: HiddenFile, b: HiddenFile): number {
  return (
    b.bytes - a.bytes || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.writtenBy - b.writtenBy || a.hiddenBy - b.hiddenBy
  );
}

/** Feed layers in order: `recorder()` collects a layer's entries, `addLayer` takes the record; then `result()`. */
export class Analyzer {
  readonly trie = new PathTrie();
  private readonly dive = new DiveEfficiency(this.trie);
  private readonly stats: LayerChangeStats[] = [];
  private readonly hidden = new HiddenList();
  // The union filesystem so far, per trie id: state, stored bytes, the layer that wrote it.
  private kinds = new Uint8Array(0);
  private bytes = new Float64Array(0);
  private writers = new Int32Array(0);

  /** A collector for one layer's entries (several may fill at once: they share only the trie). */
  recorder(): LayerRecorder {
    return new LayerRecorder(this.trie);
  }

  addLayer(index: number, record: LayerRecord): void {
    this.ensureCapacity();
    this.dive.addLayer(index, record);
    const stats: LayerChangeStats = {
      index,
      addedBytes: 0,
      addedFiles: 0,
      changedBytes: 0,
      changedFiles: 0,
      removedBytes: 0,
      removedFiles: 0,
    };
    this.stats.push(stats);
    for (let i = 0; i < record.length; i += 1) this.apply(record.keys[i], record.kinds[i], record.bytes[i], index, stats);
  }

  private ensureCapacity(): void {
    const needed = this.trie.size;
    if (this.kinds.length >= needed) return;
    const size = Math.max(needed, this.kinds.length * 2, 1024);
    const first = this.kinds.length === 0;
    this.kinds = growUint8(this.kinds, size);
    this.bytes = growFloat64(this.bytes, size, 0);
    this.writers = growInt32(this.writers, size, 0);
    if (first) {
      this.kinds[PathTrie.ROOT] = DIRECTORY;
      this.writers[PathTrie.ROOT] = -1;
    }
  }

  private hasChildren(id: number): boolean {
    for (let child = this.trie.firstChild(id); child >= 0; child = this.trie.nextSibling(child))
      if (this.kinds[child] !== ABSENT) return true;
    return false;
  }

  /**
   * Hides a node and what it holds, recording the bytes; returns whether the node itself went (the caller unlinks
   * it). `onlyBelow` (opaque directories) spares what layer `by` itself wrote.
   */
  private hide(id: number, by: number, deleted: boolean, stats: LayerChangeStats, onlyBelow = false): boolean {
    const isDirectory = this.kinds[id] === DIRECTORY;
    if (onlyBelow && this.writers[id] >= by && !isDirectory) return false;
    if (isDirectory) {
      for (let child = this.trie.firstChild(id); child >= 0; child = this.trie.nextSibling(child))
        if (this.kinds[child] !== ABSENT && this.hide(child, by, deleted, stats, onlyBelow)) this.kinds[child] = ABSENT;
      if (onlyBelow && (this.writers[id] >= by || this.hasChildren(id))) return false;
    }
    const bytes = this.bytes[id];
    if (bytes > 0 || !isDirectory) {
      if (bytes > 0) this.hidden.push(id, bytes, this.writers[id], by, deleted);
      if (deleted) {
        stats.removedBytes += bytes;
        stats.removedFiles += 1;
      }
    }
    return true;
  }

  private apply(key: number, kind: number, bytes: number, layer: number, stats: LayerChangeStats): void {
    if (kind === EntryKind.opaque) {
      const dir = this.trie.parent(key);
      // A marker at the layer root hides nothing: overlay2 turns the marker into its directory's opaque xattr, and
      // overlayfs never treats a layer's root as opaque (checked with `docker export`: test/image/engine.test.ts).
      if (dir === PathTrie.ROOT || this.kinds[dir] !== DIRECTORY) return;
      for (let child = this.trie.firstChild(dir); child >= 0; child = this.trie.nextSibling(child))
        if (this.kinds[child] !== ABSENT && this.hide(child, layer, true, stats, true)) this.kinds[child] = ABSENT;
      return;
    }
    const parent = this.trie.parent(key);
    this.makeDirectories(parent, layer, stats);
    if (kind === EntryKind.whiteout) {
      const target = this.trie.child(parent, this.trie.name(key).slice(WHITEOUT_PREFIX.length));
      if (target >= 0 && this.kinds[target] !== ABSENT && this.hide(target, layer, true, stats)) this.kinds[target] = ABSENT;
      return;
    }
    const isDirectory = kind === EntryKind.directory;
    if (this.kinds[key] !== ABSENT) {
      if (this.kinds[key] === DIRECTORY && isDirectory) {
        this.writers[key] = layer;
        return;
      }
      this.hide(key, layer, false, stats);
      stats.changedBytes += bytes;
      stats.changedFiles += 1;
    } else if (!isDirectory) {
      stats.addedBytes += bytes;
      stats.addedFiles += 1;
    }
    this.kinds[key] = isDirectory ? DIRECTORY : OTHER;
    this.bytes[key] = bytes;
    this.writers[key] = layer;
  }

  /** Makes `dir` and its ancestors directories of the union, replacing non-directories on the way. */
  private makeDirectories(dir: number, layer: number, stats: LayerChangeStats): void {
    if (this.kinds[dir] === DIRECTORY) return; // a directory's ancestors are directories already
    const chain: number[] = [];
    for (let node = dir; node !== PathTrie.ROOT; node = this.trie.parent(node)) chain.push(node);
    for (let at = chain.length - 1; at >= 0; at -= 1) {
      const node = chain[at];
      if (this.kinds[node] === DIRECTORY) continue;
      if (this.kinds[node] === OTHER) this.hide(node, layer, false, stats);
      this.kinds[node] = DIRECTORY;
      this.bytes[node] = 0;
      this.writers[node] = layer;
    }
  }

  result(): Analysis {
    const list = this.hidden;
    const hidden: HiddenFile[] = [];
    for (let at = 0; at < list.length; at += 1)
      hidden.push({
        path: this.trie.path(list.ids[at]),
        bytes: list.bytes[at],
        writtenBy: list.writers[at],
        hiddenBy: list.hiders[at],
        how: list.deleted[at] ? 'deleted' : 'overwritten',
      });
    hidden.sort(compareHidden);
    const pairs = new Map<string, LayerPairWaste>();
    for (const file of hidden) {
      const key = `${file.writtenBy}:${file.hiddenBy}`;
      const pair = pairs.get(key) ?? { writtenBy: file.writtenBy, hiddenBy: file.hiddenBy, bytes: 0, files: 0 };
      pair.bytes += file.bytes;
      pair.files += 1;
      pairs.set(key, pair);
    }
    return {
      layers: this.stats,
      dive: this.dive.result(),
      hiddenBytes: hidden.reduce((sum, file) => sum + file.bytes, 0),
      hidden,
      hiddenByLayers: [...pairs.values()].sort(
        (a, b) => b.bytes - a.bytes || a.writtenBy - b.writtenBy || a.hiddenBy - b.hiddenBy,
      ),
    };
  }
}

/** Analyses layers given as entry lists, lowest first. */
export function analyzeLayers(layers: LayerEntry[][]): Analysis {
  const analyzer = new Analyzer();
  for (const [index, entries] of layers.entries()) {
    const recorder = analyzer.recorder();
    for (const entry of entries) recorder.add(entry);
    analyzer.addLayer(index, recorder.finish());
  }
  return analyzer.result();
}
