/**
 * Reads an image's layers once, lowest first, turning each into its changes (see layers.ts) plus the facts history
 * needs. Entries stream into a collector chosen by the caller (a compact record for analysis, a list for diff,
 * nothing for history), so no layer is held as objects unless asked; bodies are skipped unless contents are to be
 * hashed. Works on the Image interface only: where the image came from does not matter here.
 */
import { createHash } from 'node:crypto';
import { DockerSize } from './history.js';
import type { Image } from './image.js';
import { type LayerEntry, LayerWalk } from './layers.js';
import { readTar } from './tar/reader.js';

/** Receives one layer's entries as they stream, and turns them into what the visitor gets. */
export interface LayerCollector<T> {
  /** Optional: numbers names for the layer walk's duplicate check (see LayerWalk). */
  intern?: (key: string) => number;
  add(entry: LayerEntry): void;
  finish(): T;
}

export interface ScannedLayer<T = undefined> {
  index: number;
  digest: string;
  diffId: string;
  compressedSize: number;
  /** Size as `docker history` reports it for a pulled/loaded layer (see history.ts). */
  size: number;
  /** Size as `docker history` reports it on the engine that built the layer. */
  builtSize: number;
  /** What the collector made of the layer's entries (undefined without one). */
  collected: T;
}

export interface ScanOptions {
  /** Hash regular files' contents (for image diff's "changed" files). Costs a sha256 pass over the data. */
  hashContents?: boolean;
  /** Progress in stored (compressed) bytes, against the sum of the layers' `size()`. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Visits each layer's scan in order; the visitor may drop the entries once it is done with them. The next layer is
 * read while the current one is visited (two in flight at most): decompression runs on libuv's thread pool, so
 * this keeps a second core busy, as `gzip -dc | tar -t` does with its two processes.
 */
export async function scanImage<T = undefined>(
  image: Image,
  visit: (layer: ScannedLayer<T>) => void | Promise<void>,
  options: ScanOptions & { collect?: () => LayerCollector<T> } = {},
): Promise<void> {
  const layers = await image.layers();
  const sizes = await Promise.all(layers.map((layer) => layer.size()));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  let done = 0;
  const onStoredBytes = options.onProgress
    ? (bytes: number) => {
        done += bytes;
        options.onProgress?.(done, total);
      }
    : undefined;
  const read = async (index: number): Promise<ScannedLayer<T>> => {
    const layer = layers[index];
    const digest = await layer.digest();
    const what = `${image.source}: layer ${index + 1} (${digest})`;
    const stream = await layer.uncompressed({ onStoredBytes });
    const collector = options.collect?.();
    const walk = new LayerWalk(what, collector?.intern);
    const sizer = new DockerSize();
    for await (const header of readTar(stream, what)) {
      const entry = walk.entry(header);
      if (!entry) continue;
      if (options.hashContents && entry.kind === 'file') {
        const hash = createHash('sha256');
        for await (const chunk of header.body()) hash.update(chunk);
        entry.contentDigest = `sha256:${hash.digest('hex')}`;
      }
      sizer.add(entry);
      collector?.add(entry);
    }
    return {
      index,
      digest,
      diffId: await layer.diffId(),
      compressedSize: sizes[index],
      size: sizer.applied,
      builtSize: sizer.built,
      collected: collector?.finish() as T,
    };
  };
  const inFlight = new Map<number, Promise<ScannedLayer<T>>>();
  const start = (index: number) => {
    if (index < layers.length && !inFlight.has(index)) {
      const promise = read(index);
      promise.catch(() => {}); // awaited in order below; a later layer's failure must not be reported as unhandled
      inFlight.set(index, promise);
    }
  };
  try {
    for (let index = 0; index < layers.length; index += 1) {
      start(index);
      start(index + 1);
      const scanned = await (inFlight.get(index) as Promise<ScannedLayer<T>>);
      inFlight.delete(index);
      await visit(scanned);
    }
  } finally {
    // A failure stops the walk: let a layer still being read finish (or fail) quietly before returning.
    await Promise.allSettled(inFlight.values());
  }
}
