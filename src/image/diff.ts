/**
 * Comparing two images: which layers they share (by blob digest, which is what a pull transfers), the bytes a host
 * holding A must download to run B, and the files added, removed and changed between their final filesystems
 * (contents compared by digest, plus type, link target, mode and owner). Pure.
 */
import type { LayerEntry } from './layers.js';

/** A path in a final filesystem. */
export interface FileState {
  kind: LayerEntry['kind'];
  size: number;
  mode: number;
  uid: number;
  gid: number;
  linkTarget: string;
  contentDigest?: string;
}

interface Node {
  state?: FileState;
  children?: Map<string, Node>;
}

/** The filesystem an image's layers produce (OCI whiteout and opaque-directory rules). Feed layers in order. */
export class FinalFilesystem {
  private readonly root: Node = { children: new Map() };

  addLayer(entries: LayerEntry[]): void {
    // Opaque markers hide only what lower layers put there: collect this layer's directories first.
    const opaque = entries.filter((entry) => entry.kind === 'opaque');
    for (const entry of opaque) {
      // At the layer root the marker hides nothing, as on the engine (see analyze.ts).
      if (entry.path === '') continue;
      const dir = this.find(entry.path.split('/'));
      if (dir) dir.children = new Map();
    }
    for (const entry of entries) {
      if (entry.kind === 'opaque') continue;
      const parts = entry.path.split('/');
      const name = parts.pop() as string;
      let node = this.root;
      for (const part of parts) {
        node.children ??= new Map();
        let child = node.children.get(part);
        if (!child || (child.state && child.state.kind !== 'directory')) {
          child = { children: new Map() };
          node.children.set(part, child);
        }
        node = child;
      }
      node.children ??= new Map();
      if (entry.kind === 'whiteout') {
        node.children.delete(name);
        continue;
      }
      const existing = node.children.get(name);
      const { kind, size, mode, uid, gid, linkTarget, contentDigest } = entry;
      const state: FileState = { kind, size, mode, uid, gid, linkTarget, ...(contentDigest ? { contentDigest } : {}) };
      if (existing && kind === 'directory' && (!existing.state || existing.state.kind === 'directory')) existing.state = state;
      else node.children.set(name, { state, ...(kind === 'directory' ? { children: new Map() } : {}) });
    }
  }

  private find(parts: string[]): Node | undefined {
    let node: Node | undefined = this.root;
    for (const part of parts) {
      node = node.children?.get(part);
      if (!node) return undefined;
    }
    return node;
  }

  /** Every path with its state (directories created only implicitly have none and are left out). */
  files(): Map<string, FileState> {
    const out = new Map<string, FileState>();
    const walk = (node: Node, prefix: string) => {
      if (!node.children) return;
      for (const [name, child] of node.children) {
        const path = prefix ? `${prefix}/${name}` : name;
        if (child.state) out.set(path, child.state);
        walk(child, path);
      }
    };
    walk(this.root, '');
    return out;
  }
}

export interface LayerRef {
  digest: string;
  diffId: string;
  compressedSize: number;
}

export interface FileChange {
  path: string;
  kind: LayerEntry['kind'];
  sizeA?: number;
  sizeB?: number;
}

export interface ImageDiff {
  layers: { shared: LayerRef[]; onlyInA: LayerRef[]; onlyInB: LayerRef[] };
  /** Compressed bytes a host holding A downloads to run B. */
  pullBytes: number;
  files: { added: FileChange[]; removed: FileChange[]; changed: FileChange[] };
  summary: { sharedLayers: number; newLayers: number; pullBytes: number; added: number; removed: number; changed: number };
}

function sameFile(a: FileState, b: FileState): boolean {
  return (
    a.kind === b.kind &&
    a.size === b.size &&
    a.mode === b.mode &&
    a.uid === b.uid &&
    a.gid === b.gid &&
    a.linkTarget === b.linkTarget &&
    a.contentDigest === b.contentDigest
  );
}

export function diffImages(
  a: { layers: LayerRef[]; files: Map<string, FileState> },
  b: { layers: LayerRef[]; files: Map<string, FileState> },
): ImageDiff {
  const inA = new Set(a.layers.map((layer) => layer.digest));
  const inB = new Set(b.layers.map((layer) => layer.digest));
  const shared = b.layers.filter((layer) => inA.has(layer.digest));
  const onlyInB = b.layers.filter((layer) => !inA.has(layer.digest));
  const onlyInA = a.layers.filter((layer) => !inB.has(layer.digest));
  // A layer listed twice in B is pulled once.
  const pullBytes = [...new Map(onlyInB.map((layer) => [layer.digest, layer.compressedSize])).values()].reduce(
    (sum, size) => sum + size,
    0,
  );
  const added: FileChange[] = [];
  const removed: FileChange[] = [];
  const changed: FileChange[] = [];
  for (const [path, state] of b.files) {
    if (state.kind === 'directory') continue;
    const before = a.files.get(path);
    if (!before || before.kind === 'directory') added.push({ path, kind: state.kind, sizeB: state.size });
    else if (!sameFile(before, state)) changed.push({ path, kind: state.kind, sizeA: before.size, sizeB: state.size });
  }
  for (const [path, state] of a.files) {
    if (state.kind === 'directory') continue;
    const after = b.files.get(path);
    if (!after || after.kind === 'directory') removed.push({ path, kind: state.kind, sizeA: state.size });
  }
  const byPath = (x: FileChange, y: FileChange) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0);
  added.sort(byPath);
  removed.sort(byPath);
  changed.sort(byPath);
  return {
    layers: { shared, onlyInA, onlyInB },
    pullBytes,
    files: { added, removed, changed },
    summary: {
      sharedLayers: shared.length,
      newLayers: onlyInB.length,
      pullBytes,
      added: added.length,
      removed: removed.length,
      changed: changed.length,
    },
  };
}
