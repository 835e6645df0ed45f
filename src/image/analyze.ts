/**
 * Image analysis over scanned layers: per-layer added/changed/removed bytes, dive's efficiency and wasted bytes
 * (dive.ts), and layerwise's own figure — the bytes stored in lower layers that the final filesystem cannot see
 * (overwritten or deleted), each with the layer that wrote it and the layer that hid it. CI gates evaluate dive's
 * three rules. Pure: takes layer entry lists, returns numbers.
 */
import { DiveEfficiency, type DiveResult } from './dive.js';
import type { LayerEntry } from './layers.js';

interface UnionNode {
  children?: Map<string, UnionNode>;
  kind: LayerEntry['kind'] | 'implicit-directory';
  /** Bytes this node stores (regular file data, symlink target length). */
  bytes: number;
  /** 0-based layer that wrote it. */
  layer: number;
}

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

function storedBytes(entry: LayerEntry): number {
  if (entry.kind === 'file') return entry.size;
  if (entry.kind === 'symlink') return Buffer.byteLength(entry.linkTarget);
  return 0;
}

const isDirectory = (node: UnionNode) => node.kind === 'directory' || node.kind === 'implicit-directory';

/** Feed layers in order with `addLayer`, then read `result()`. */
export class Analyzer {
  private readonly root: UnionNode = { kind: 'directory', bytes: 0, layer: -1, children: new Map() };
  private readonly dive = new DiveEfficiency();
  private readonly stats: LayerChangeStats[] = [];
  private readonly hidden: HiddenFile[] = [];

  addLayer(index: number, entries: LayerEntry[]): void {
    this.dive.addLayer(index, entries);
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
    for (const entry of entries) this.apply(entry, index, stats);
  }

  private hide(
    node: UnionNode,
    path: string,
    by: number,
    how: HiddenFile['how'],
    stats: LayerChangeStats,
    onlyBelow = false,
  ): boolean {
    // Returns whether the node itself was hidden (and should be unlinked by the caller).
    if (onlyBelow && node.layer >= by && !isDirectory(node)) return false;
    if (node.children) {
      for (const [name, child] of node.children)
        if (this.hide(child, `${path}/${name}`, by, how, stats, onlyBelow)) node.children.delete(name);
      if (onlyBelow && (node.layer >= by || node.children.size > 0)) return false;
    }
    if (node.bytes > 0 || !isDirectory(node)) {
      this.hidden.push({ path, bytes: node.bytes, writtenBy: node.layer, hiddenBy: by, how });
      stats.removedBytes += how === 'deleted' ? node.bytes : 0;
      stats.removedFiles += how === 'deleted' ? 1 : 0;
    }
    return true;
  }

  private apply(entry: LayerEntry, layer: number, stats: LayerChangeStats): void {
    const parts = entry.path.split('/');
    const name = parts[parts.length - 1];
    if (entry.kind === 'opaque') {
      const dir = this.lookup(parts);
      if (dir?.children)
        for (const [child, node] of dir.children)
          if (this.hide(node, `${entry.path}/${child}`, layer, 'deleted', stats, true)) dir.children.delete(child);
      return;
    }
    const parent = this.parentFor(parts, layer, stats);
    const existing = parent.children?.get(name);
    if (entry.kind === 'whiteout') {
      if (existing && this.hide(existing, entry.path, layer, 'deleted', stats)) parent.children?.delete(name);
      return;
    }
    const bytes = storedBytes(entry);
    if (existing) {
      if (isDirectory(existing) && entry.kind === 'directory') {
        existing.kind = 'directory';
        existing.layer = layer;
        return;
      }
      this.hide(existing, entry.path, layer, 'overwritten', stats);
      stats.changedBytes += bytes;
      stats.changedFiles += 1;
    } else if (entry.kind !== 'directory') {
      stats.addedBytes += bytes;
      stats.addedFiles += 1;
    }
    parent.children ??= new Map();
    parent.children.set(name, { kind: entry.kind, bytes, layer, ...(entry.kind === 'directory' ? { children: new Map() } : {}) });
  }

  private lookup(parts: string[]): UnionNode | undefined {
    let node: UnionNode | undefined = this.root;
    for (const name of parts) {
      node = node.children?.get(name);
      if (!node) return undefined;
    }
    return node;
  }

  /** The parent directory of a path, creating missing directories and replacing non-directories on the way. */
  private parentFor(parts: string[], layer: number, stats: LayerChangeStats): UnionNode {
    let node = this.root;
    for (let i = 0; i < parts.length - 1; i += 1) {
      node.children ??= new Map();
      let child = node.children.get(parts[i]);
      if (child && !isDirectory(child)) {
        this.hide(child, parts.slice(0, i + 1).join('/'), layer, 'overwritten', stats);
        child = undefined;
      }
      if (!child) {
        child = { kind: 'implicit-directory', bytes: 0, layer, children: new Map() };
        node.children.set(parts[i], child);
      }
      node = child;
    }
    return node;
  }

  result(): Analysis {
    const hidden = this.hidden.filter((file) => file.bytes > 0).sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1));
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
      hiddenByLayers: [...pairs.values()].sort((a, b) => b.bytes - a.bytes),
    };
  }
}

/** Analyses layers given as entry lists, lowest first. */
export function analyzeLayers(layers: LayerEntry[][]): Analysis {
  const analyzer = new Analyzer();
  for (const [index, entries] of layers.entries()) analyzer.addLayer(index, entries);
  return analyzer.result();
}

// ── CI gates: dive's three rules (`.dive-ci`), same names and defaults. ──

export interface GateRules {
  /** Fail when efficiency is below this (dive default with --ci: 0.9). */
  lowestEfficiency?: number;
  /** Fail when wasted bytes exceed this (dive default: disabled). */
  highestWastedBytes?: number;
  /** Fail when wasted bytes / user size exceed this fraction (dive default with --ci: 0.1). */
  highestUserWastedPercent?: number;
}

export const diveCiDefaults: Required<Pick<GateRules, 'lowestEfficiency' | 'highestUserWastedPercent'>> = {
  lowestEfficiency: 0.9,
  highestUserWastedPercent: 0.1,
};

export interface GateResult {
  rule: keyof GateRules;
  threshold: number;
  actual: number;
  passed: boolean;
}

export function evaluateGates(dive: DiveResult, rules: GateRules): GateResult[] {
  const results: GateResult[] = [];
  if (rules.lowestEfficiency !== undefined)
    results.push({
      rule: 'lowestEfficiency',
      threshold: rules.lowestEfficiency,
      actual: dive.efficiency,
      passed: !(dive.efficiency < rules.lowestEfficiency),
    });
  if (rules.highestWastedBytes !== undefined)
    results.push({
      rule: 'highestWastedBytes',
      threshold: rules.highestWastedBytes,
      actual: dive.wastedBytes,
      passed: !(dive.wastedBytes > rules.highestWastedBytes),
    });
  if (rules.highestUserWastedPercent !== undefined)
    results.push({
      rule: 'highestUserWastedPercent',
      threshold: rules.highestUserWastedPercent,
      actual: dive.wastedUserPercent,
      passed: !(dive.wastedUserPercent > rules.highestUserWastedPercent),
    });
  return results;
}

/** Byte counts as dive's config accepts them (go-humanize ParseBytes): `20MB` = 20·1000², `20MiB` = 20·1024², `123`. */
export function parseBytes(text: string): number | undefined {
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgtpe]?i?b?)?\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = (match[2] ?? '').toLowerCase();
  const powers: Record<string, number> = {
    '': 0,
    b: 0,
    k: 1,
    kb: 1,
    m: 2,
    mb: 2,
    g: 3,
    gb: 3,
    t: 4,
    tb: 4,
    p: 5,
    pb: 5,
    e: 6,
    eb: 6,
  };
  const binary: Record<string, number> = {
    ki: 1,
    kib: 1,
    mi: 2,
    mib: 2,
    gi: 3,
    gib: 3,
    ti: 4,
    tib: 4,
    pi: 5,
    pib: 5,
    ei: 6,
    eib: 6,
  };
  if (unit in powers) return Math.floor(Number(match[1]) * 1000 ** powers[unit]);
  if (unit in binary) return Math.floor(Number(match[1]) * 1024 ** binary[unit]);
  return undefined;
}
