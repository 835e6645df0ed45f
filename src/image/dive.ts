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
 * dive holds a tree of objects per layer plus the stacked tree; here every tree is a set of ids of one shared
 * PathTrie, with the stacked tree's payloads and the per-path figures in typed arrays indexed by id, and each layer's
 * tree is built only while that layer is scored. The test oracle (test/support/analysis-reference.ts) is the object
 * transcription; a property test holds the two equal. Pure.
 */
import { EntryKind, type LayerRecord } from './layer-record.js';
import { WHITEOUT_PREFIX } from './layers.js';
import { compareGo, growFloat64, growInt32, growUint8, PathTrie } from './path-trie.js';

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

/** Payload codes: dive's FileInfo of a node. NONE is the empty FileInfo of a parent created implicitly. */
const NONE = 0;
const FILE = 1;
const DIRECTORY = 2;

const isWhiteoutName = (name: string) => name.startsWith(WHITEOUT_PREFIX);

/** One layer's tree, as local indices over trie ids (0 is the root); children sorted in Go order. */
interface LayerTree {
  ids: number[];
  payloads: number[];
  sizes: number[];
  childCounts: Int32Array;
  /** Local indices of every node but the root, children before parents, siblings in sorted order. */
  postOrder: Int32Array;
}

/** Feed layers in order with `addLayer`, then read `result()`. */
export class DiveEfficiency {
  // The stacked tree of the layers added so far: membership, payload and size per trie id.
  private inStack = new Uint8Array(0);
  private stackPayload = new Uint8Array(0);
  private stackSize = new Float64Array(0);
  // Per path (trie id): Σ sizes, smallest size, first layer that scored it (-1: never), the later ones.
  private cumulative = new Float64Array(0);
  private minimum = new Float64Array(0);
  private firstLayer = new Int32Array(0);
  private readonly laterLayers = new Map<number, number[]>();
  /** Scratch: the local index of a trie id in the layer being built, -1 otherwise. */
  private local = new Int32Array(0);
  private readonly layerSizes: number[] = [];

  constructor(private readonly trie: PathTrie) {}

  addLayer(index: number, record: LayerRecord): void {
    this.ensureCapacity();
    let fileSize = 0;
    for (let i = 0; i < record.length; i += 1) if (record.kinds[i] === EntryKind.file) fileSize += record.bytes[i];
    this.layerSizes.push(fileSize);
    const tree = this.layerTree(record);
    this.score(index, tree);
    this.stack(tree);
  }

  /** dive's per-layer tree: AddPath for each entry (opaque markers left out), parents created without payload. */
  private layerTree(record: LayerRecord): LayerTree {
    const ids = [PathTrie.ROOT];
    const payloads = [NONE];
    const sizes = [0];
    this.local[PathTrie.ROOT] = 0;
    const chain: number[] = [];
    for (let i = 0; i < record.length; i += 1) {
      const kind = record.kinds[i];
      if (kind === EntryKind.opaque) continue;
      const id = record.keys[i];
      for (let node = id; this.local[node] < 0; node = this.trie.parent(node)) chain.push(node);
      while (chain.length > 0) {
        const node = chain.pop() as number;
        this.local[node] = ids.length;
        ids.push(node);
        payloads.push(NONE);
        sizes.push(0);
      }
      const at = this.local[id];
      payloads[at] = kind === EntryKind.directory ? DIRECTORY : FILE;
      sizes[at] = kind === EntryKind.file ? record.bytes[i] : 0;
    }
    const count = ids.length;
    // Children of each local node, grouped (CSR) and sorted by name as dive's visits are.
    const childCounts = new Int32Array(count);
    for (let at = 1; at < count; at += 1) childCounts[this.local[this.trie.parent(ids[at])]] += 1;
    const starts = new Int32Array(count + 1);
    for (let at = 0; at < count; at += 1) starts[at + 1] = starts[at] + childCounts[at];
    const fill = starts.slice(0, count);
    const children = new Int32Array(Math.max(0, count - 1));
    for (let at = 1; at < count; at += 1) children[fill[this.local[this.trie.parent(ids[at])]]++] = at;
    for (let at = 0; at < count; at += 1) {
      if (childCounts[at] < 2) continue;
      const group = Array.from(children.subarray(starts[at], starts[at + 1]));
      group.sort((a, b) => compareGo(this.trie.name(ids[a]), this.trie.name(ids[b])));
      children.set(group, starts[at]);
    }
    for (const id of ids) this.local[id] = -1;
    // Child-first walk (dive's VisitDepthChildFirst), the root itself not visited.
    const postOrder = new Int32Array(count - 1);
    let written = 0;
    const nodes = new Int32Array(count);
    const cursors = new Int32Array(count);
    let depth = 1;
    nodes[0] = 0;
    cursors[0] = starts[0];
    while (depth > 0) {
      const top = nodes[depth - 1];
      const cursor = cursors[depth - 1];
      if (cursor < starts[top + 1]) {
        cursors[depth - 1] = cursor + 1;
        const child = children[cursor];
        nodes[depth] = child;
        cursors[depth] = starts[child];
        depth += 1;
      } else {
        depth -= 1;
        if (top !== 0) postOrder[written++] = top;
      }
    }
    return { ids, payloads, sizes, childCounts, postOrder };
  }

  /** Scores the layer's leaves against the stack of the layers below (which this layer has not changed yet). */
  private score(index: number, tree: LayerTree): void {
    for (const at of tree.postOrder) {
      if (tree.childCounts[at] > 0) continue;
      const id = tree.ids[at];
      const name = this.trie.name(id);
      let key = id;
      let size = tree.sizes[at];
      if (isWhiteoutName(name)) {
        key = this.trie.child(this.trie.parent(id), name.slice(WHITEOUT_PREFIX.length));
        if (key < 0 || this.inStack[key] === 0) return; // dive: "path does not exist" aborts the rest of this layer
        size = this.stackPayload[key] === DIRECTORY ? this.stackedSubtreeSize(key) : 0;
      }
      if (this.firstLayer[key] < 0) {
        this.firstLayer[key] = index;
        this.cumulative[key] = size;
        this.minimum[key] = size;
      } else {
        this.cumulative[key] += size;
        if (size < this.minimum[key]) this.minimum[key] = size;
        const later = this.laterLayers.get(key);
        if (later) later.push(index);
        else this.laterLayers.set(key, [index]);
      }
    }
  }

  /** dive's FileTree.Stack: a whiteout removes the path below; every other node (implicit parents too) replaces. */
  private stack(tree: LayerTree): void {
    for (const at of tree.postOrder) {
      const id = tree.ids[at];
      const name = this.trie.name(id);
      if (isWhiteoutName(name)) {
        const target = this.trie.child(this.trie.parent(id), name.slice(WHITEOUT_PREFIX.length));
        if (target >= 0 && this.inStack[target] !== 0) this.unstack(target);
        continue;
      }
      // AddPath: missing parents are created with an empty payload; the node keeps its children.
      for (let parent = this.trie.parent(id); this.inStack[parent] === 0; parent = this.trie.parent(parent)) {
        this.inStack[parent] = 1;
        this.stackPayload[parent] = NONE;
        this.stackSize[parent] = 0;
      }
      this.inStack[id] = 1;
      this.stackPayload[id] = tree.payloads[at];
      this.stackSize[id] = tree.sizes[at];
    }
  }

  /** Σ payload sizes of a stacked node and everything stacked under it. */
  private stackedSubtreeSize(id: number): number {
    let size = 0;
    const pending = [id];
    while (pending.length > 0) {
      const node = pending.pop() as number;
      size += this.stackSize[node];
      for (let child = this.trie.firstChild(node); child >= 0; child = this.trie.nextSibling(child))
        if (this.inStack[child] !== 0) pending.push(child);
    }
    return size;
  }

  private unstack(id: number): void {
    const pending = [id];
    while (pending.length > 0) {
      const node = pending.pop() as number;
      this.inStack[node] = 0;
      this.stackPayload[node] = NONE;
      this.stackSize[node] = 0;
      for (let child = this.trie.firstChild(node); child >= 0; child = this.trie.nextSibling(child))
        if (this.inStack[child] !== 0) pending.push(child);
    }
  }

  private ensureCapacity(): void {
    const needed = this.trie.size;
    if (this.inStack.length >= needed) return;
    const size = Math.max(needed, this.inStack.length * 2, 1024);
    const first = this.inStack.length === 0;
    this.inStack = growUint8(this.inStack, size);
    this.stackPayload = growUint8(this.stackPayload, size);
    this.stackSize = growFloat64(this.stackSize, size, 0);
    this.cumulative = growFloat64(this.cumulative, size, 0);
    this.minimum = growFloat64(this.minimum, size, 0);
    this.firstLayer = growInt32(this.firstLayer, size, -1);
    this.local = growInt32(this.local, size, -1);
    if (first) this.inStack[PathTrie.ROOT] = 1;
  }

  result(): DiveResult {
    let minimum = 0;
    let discovered = 0;
    const inefficiencies: DiveInefficiency[] = [];
    for (let id = 0; id < this.firstLayer.length; id += 1) {
      if (this.firstLayer[id] < 0) continue;
      minimum += this.minimum[id];
      discovered += this.cumulative[id];
      const later = this.laterLayers.get(id);
      if (later)
        inefficiencies.push({
          path: `/${this.trie.path(id)}`,
          cumulativeSize: this.cumulative[id],
          layers: [this.firstLayer[id], ...later],
        });
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
