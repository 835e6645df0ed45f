/**
 * dive's efficiency score and wasted bytes, reproduced exactly (wagoodman/dive `filetree.Efficiency` and
 * `image.Analyze`) so that numbers can be compared with dive's:
 * - each layer is a tree of its entries (parents added implicitly, with no payload); only its leaves are scored;
 * - a path's CumulativeSize sums the sizes of its leaves over all layers, minDiscoveredSize keeps the smallest;
 * - a whiteout scores 0 for a file, and for a directory the size of everything under it in the stack of the layers
 *   below (dive stacks layers 0..k-1; a directory only last mentioned implicitly is not a directory to dive, so its
 *   whiteout scores 0 too); a whiteout of a path missing from that stack stops dive's walk of that layer;
 * - opaque markers (`.wh..wh..opq`) are ignored;
 * - efficiency = Σ min / Σ cumulative (1 when nothing was found); wasted bytes = Σ cumulative over paths seen in two
 *   or more layers (the copy you keep included — dive issue #684); user size = all layers but the first.
 * Pure.
 */
import type { LayerEntry } from './layers.js';
import { OPAQUE_MARKER, WHITEOUT_PREFIX } from './layers.js';

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

export interface DiveInefficiency {
  path: string;
  cumulativeSize: number;
  /** Layers (0-based) whose leaves touched the path, in order. */
  layers: number[];
}

export interface DiveResult {
  efficiency: number;
  wastedBytes: number;
  /** Σ tar entry sizes over all layers (dive's image size). */
  sizeBytes: number;
  /** The same without the first layer. */
  userSizeBytes: number;
  /** wastedBytes / userSizeBytes, as a fraction (Infinity or NaN when userSizeBytes is 0, as in Go). */
  wastedUserPercent: number;
  /** Paths seen in two or more layers, largest cumulative size first. */
  inefficiencies: DiveInefficiency[];
}

/** Go's sort.Strings order: byte order of the UTF-8 encoding. */
function compareGo(a: string, b: string): number {
  // For UTF-16 strings, code-unit order equals UTF-8 byte order except across surrogates; fall back only then.
  if (/[\ud800-\udfff]/.test(a) || /[\ud800-\udfff]/.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : a > b ? 1 : 0;
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
export class DiveEfficiency {
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
