/**
 * Every path an image mentions, interned once: a node per distinct path, numbered 0 (the root) upwards, with its
 * parent and its name held in typed arrays, names shared between nodes (one string per distinct name), and children
 * found through one open-addressing hash table keyed by (parent, name). An image of 100k files costs a few MB here,
 * where a tree of objects and Maps cost about 1 KB per file; analyses keep their per-path figures in typed arrays
 * indexed by these ids (see dive.ts, analyze.ts). Pure.
 */

/** Go's sort.Strings order: byte order of the UTF-8 encoding (dive sorts names this way). */
const SURROGATE = /[\ud800-\udfff]/;

export function compareGo(a: string, b: string): number {
  // For UTF-16 strings, code-unit order equals UTF-8 byte order except across surrogates; fall back only then.
  if (SURROGATE.test(a) || SURROGATE.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : a > b ? 1 : 0;
}

const EMPTY = -1;

export class PathTrie {
  static readonly ROOT = 0;
  private parents = new Int32Array(1024);
  private nameIds = new Int32Array(1024);
  private firstChildren = new Int32Array(1024).fill(EMPTY);
  private nextSiblings = new Int32Array(1024).fill(EMPTY);
  private count = 1;
  private readonly names: string[] = [''];
  private readonly nameIndex = new Map<string, number>([['', 0]]);
  /** Open addressing: slot → node id + 1 (0 = empty). Keys are (parent, nameId), compared through the node arrays. */
  private slots = new Int32Array(2048);

  constructor() {
    this.parents[0] = EMPTY;
  }

  /** Number of nodes (ids are 0 … size-1). */
  get size(): number {
    return this.count;
  }

  parent(id: number): number {
    return this.parents[id];
  }

  name(id: number): string {
    return this.names[this.nameIds[id]];
  }

  /** The child of `parent` called `name`, or -1. */
  child(parent: number, name: string): number {
    const nameId = this.nameIndex.get(name);
    if (nameId === undefined) return EMPTY;
    return this.find(parent, nameId);
  }

  /** Calls `visit` with each child of `parent` (in the order they were first interned). */
  forEachChild(parent: number, visit: (child: number) => void): void {
    for (let child = this.firstChildren[parent]; child !== EMPTY; child = this.nextSiblings[child]) visit(child);
  }

  firstChild(id: number): number {
    return this.firstChildren[id];
  }

  nextSibling(id: number): number {
    return this.nextSiblings[id];
  }

  /** The id of a `/`-separated path (empty segments ignored), creating the nodes on the way. */
  intern(path: string): number {
    let node = PathTrie.ROOT;
    let start = 0;
    while (start <= path.length) {
      let end = path.indexOf('/', start);
      if (end < 0) end = path.length;
      if (end > start) node = this.internChild(node, path.slice(start, end));
      start = end + 1;
    }
    return node;
  }

  /** The child of `parent` called `name`, created when missing. */
  internChild(parent: number, name: string): number {
    let nameId = this.nameIndex.get(name);
    if (nameId === undefined) {
      nameId = this.names.length;
      // Flatten: a name split off a longer string may be a slice that keeps the whole string alive.
      const own = name.length > 12 ? Buffer.from(name, 'utf8').toString('utf8') : name;
      this.names.push(own);
      this.nameIndex.set(own, nameId);
    } else {
      const found = this.find(parent, nameId);
      if (found !== EMPTY) return found;
    }
    if (this.count === this.parents.length) this.grow();
    const id = this.count;
    this.count += 1;
    this.parents[id] = parent;
    this.nameIds[id] = nameId;
    this.firstChildren[id] = EMPTY;
    this.nextSiblings[id] = this.firstChildren[parent];
    this.firstChildren[parent] = id;
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id);
    return id;
  }

  /** The path of a node, without a leading slash ('' for the root). */
  path(id: number): string {
    const parts: string[] = [];
    for (let node = id; node > PathTrie.ROOT; node = this.parents[node]) parts.push(this.name(node));
    return parts.reverse().join('/');
  }

  /** Whether `ancestor` is `id` or one of its ancestors. */
  isWithin(id: number, ancestor: number): boolean {
    for (let node = id; node !== EMPTY; node = this.parents[node]) if (node === ancestor) return true;
    return false;
  }

  private hash(parent: number, nameId: number): number {
    return (Math.imul(parent, 0x9e3779b1) ^ Math.imul(nameId, 0x85ebca77)) >>> 0;
  }

  private find(parent: number, nameId: number): number {
    const mask = this.slots.length - 1;
    for (let slot = this.hash(parent, nameId) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot];
      if (entry === 0) return EMPTY;
      const id = entry - 1;
      if (this.parents[id] === parent && this.nameIds[id] === nameId) return id;
    }
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hash(this.parents[id], this.nameIds[id]) & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = id + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let id = 1; id < this.count; id += 1) this.place(id);
  }

  private grow(): void {
    const size = this.parents.length * 2;
    this.parents = growInt32(this.parents, size, 0);
    this.nameIds = growInt32(this.nameIds, size, 0);
    this.firstChildren = growInt32(this.firstChildren, size, EMPTY);
    this.nextSiblings = growInt32(this.nextSiblings, size, EMPTY);
  }
}

/** A copy of `array` with room for `size` elements, the new ones set to `fill`. */
export function growInt32(array: Int32Array, size: number, fill: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(size);
  grown.set(array);
  if (fill !== 0) grown.fill(fill, array.length);
  return grown;
}

export function growFloat64(array: Float64Array, size: number, fill: number): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(size);
  grown.set(array);
  if (fill !== 0) grown.fill(fill, array.length);
  return grown;
}

export function growUint8(array: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
  const grown = new Uint8Array(size);
  grown.set(array);
  return grown;
}
