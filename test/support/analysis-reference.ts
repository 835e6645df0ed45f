/**
 * The straightforward tree implementations of dive's efficiency (a transcription of wagoodman/dive's
 * `filetree.Efficiency` and `FileTree.Stack`, one object per node) and of layerwise's hidden-bytes union, as they were
 * before src/image moved to compact path tables. Kept only as the oracle of the property test
 * (test/image/analysis-property.test.ts): the compact code must give the same numbers on any layers.
 */
import type { Analysis, HiddenFile, LayerChangeStats, LayerPairWaste } from '../../src/image/analyze.js';
import type { DiveInefficiency, DiveResult } from '../../src/image/dive.js';
import type { LayerEntry } from '../../src/image/layers.js';
import { OPAQUE_MARKER, WHITEOUT_PREFIX } from '../../src/image/layers.js';
import { compareGo } from '../../src/image/path-trie.js';

interface Payload {
  isDir: boolean;
  size: number;
}

interface TreeNode {
  name: string;
  children?: Map<string, TreeNode>;
  /** undefined: created implicitly as the parent of an entry (dive's empty FileInfo: not a dir, size 0). */
  payload?: Payload;
}

function sortedChildren(node: TreeNode): TreeNode[] {
  return node.children ? [...node.children.values()].sort((a, b) => compareGo(a.name, b.name)) : [];
}

/** dive's AddPath: walks/creates the parents, then sets the payload on the last node (keeping its children). */
function addPath(root: TreeNode, parts: string[], payload: Payload | undefined): void {
  let node = root;
  for (const name of parts) {
    node.children ??= new Map();
    let child = node.children.get(name);
    if (!child) {
      child = { name };
      node.children.set(name, child);
    }
    node = child;
  }
  node.payload = payload;
}

function getNode(root: TreeNode, parts: string[]): TreeNode | undefined {
  let node: TreeNode | undefined = root;
  for (const name of parts) {
    node = node.children?.get(name);
    if (!node) return undefined;
  }
  return node;
}

function removePath(root: TreeNode, parts: string[]): void {
  const parent = getNode(root, parts.slice(0, -1));
  parent?.children?.delete(parts[parts.length - 1]);
}

/**
 * Visits a subtree child-first in sorted order (dive's VisitDepthChildFirst), including `node` unless it is the root.
 * `parts` is one shared stack (the path of the visited node): visitors use it at once and never keep it.
 */
function visitChildFirst(
  node: TreeNode,
  visit: (node: TreeNode, parts: string[]) => boolean,
  parts: string[] = [],
  isRoot = true,
): boolean {
  for (const child of sortedChildren(node)) {
    parts.push(child.name);
    const going = visitChildFirst(child, visit, parts, false);
    parts.pop();
    if (!going) return false;
  }
  return isRoot ? true : visit(node, parts);
}

function subtreeSize(node: TreeNode): number {
  let size = node.payload?.size ?? 0;
  if (node.children) for (const child of node.children.values()) size += subtreeSize(child);
  return size;
}

const isWhiteoutName = (name: string) => name.startsWith(WHITEOUT_PREFIX);
const trimWhiteout = (name: string) => (isWhiteoutName(name) ? name.slice(WHITEOUT_PREFIX.length) : name);

interface PathData {
  cumulative: number;
  min: number;
  layers: number[];
}

/** Feed layers in order with `addLayer`, then read `result()`. */
export class ReferenceDive {
  private readonly stacked: TreeNode = { name: '' };
  private readonly paths = new Map<string, PathData>();
  private readonly layerSizes: number[] = [];

  addLayer(index: number, entries: LayerEntry[]): void {
    const tree: TreeNode = { name: '' };
    let fileSize = 0;
    for (const entry of entries) {
      fileSize += entry.size;
      if (entry.kind === 'opaque') continue; // dive never adds `.wh..wh..opq` paths
      const parts = entry.path.split('/');
      if (entry.kind === 'whiteout') parts[parts.length - 1] = `${WHITEOUT_PREFIX}${parts[parts.length - 1]}`;
      if (parts[parts.length - 1] === OPAQUE_MARKER) continue;
      addPath(tree, parts, { isDir: entry.kind === 'directory', size: entry.size });
    }
    this.layerSizes.push(fileSize);

    // Score this layer's leaves against the stack of the layers below.
    visitChildFirst(tree, (node, parts) => {
      if (node.children && node.children.size > 0) return true;
      const logical = [...parts.slice(0, -1), trimWhiteout(node.name)];
      let size: number;
      if (isWhiteoutName(node.name)) {
        const previous = getNode(this.stacked, logical);
        if (!previous) return false; // dive: "path does not exist" aborts the rest of this layer
        size = previous.payload?.isDir ? subtreeSize(previous) : 0;
      } else size = node.payload?.size ?? 0;
      const key = `/${logical.join('/')}`;
      let data = this.paths.get(key);
      if (!data) {
        data = { cumulative: 0, min: -1, layers: [] };
        this.paths.set(key, data);
      }
      data.cumulative += size;
      if (data.min < 0 || size < data.min) data.min = size;
      data.layers.push(index);
      return true;
    });

    // Stack this layer (dive's FileTree.Stack): whiteouts remove, everything else (implicit parents too) replaces.
    visitChildFirst(tree, (node, parts) => {
      if (isWhiteoutName(node.name)) removePath(this.stacked, [...parts.slice(0, -1), trimWhiteout(node.name)]);
      else addPath(this.stacked, parts, node.payload);
      return true;
    });
  }

  result(): DiveResult {
    let minimum = 0;
    let discovered = 0;
    const inefficiencies: DiveInefficiency[] = [];
    for (const [path, data] of this.paths) {
      minimum += data.min;
      discovered += data.cumulative;
      if (data.layers.length >= 2) inefficiencies.push({ path, cumulativeSize: data.cumulative, layers: data.layers });
    }
    inefficiencies.sort((a, b) => b.cumulativeSize - a.cumulativeSize || compareGo(a.path, b.path));
    const wastedBytes = inefficiencies.reduce((sum, item) => sum + item.cumulativeSize, 0);
    const sizeBytes = this.layerSizes.reduce((sum, size) => sum + size, 0);
    const userSizeBytes = sizeBytes - (this.layerSizes[0] ?? 0);
    return {
      efficiency: discovered === 0 ? 1 : minimum / discovered,
      wastedBytes,
      sizeBytes,
      userSizeBytes,
      wastedUserPercent: wastedBytes / userSizeBytes,
      inefficiencies,
    };
  }
}

interface UnionNode {
  children?: Map<string, UnionNode>;
  kind: LayerEntry['kind'] | 'implicit-directory';
  /** Bytes this node stores (regular file data, symlink target length). */
  bytes: number;
  /** 0-based layer that wrote it. */
  layer: number;
}

function storedBytes(entry: LayerEntry): number {
  if (entry.kind === 'file') return entry.size;
  if (entry.kind === 'symlink') return Buffer.byteLength(entry.linkTarget);
  return 0;
}

const isDirectory = (node: UnionNode) => node.kind === 'directory' || node.kind === 'implicit-directory';

/** Feed layers in order with `addLayer`, then read `result()`. */
export class ReferenceAnalyzer {
  private readonly root: UnionNode = { kind: 'directory', bytes: 0, layer: -1, children: new Map() };
  private readonly dive = new ReferenceDive();
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
      if (entry.path === '') return; // the engine ignores a marker at the layer root (test/image/engine.test.ts)
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

/** The reference analysis of entry lists, lowest layer first. */
export function referenceAnalysis(layers: LayerEntry[][]): Analysis {
  const analyzer = new ReferenceAnalyzer();
  for (const [index, entries] of layers.entries()) analyzer.addLayer(index, entries);
  return analyzer.result();
}
