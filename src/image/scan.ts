/**
 * Reads an image's layers once, lowest first, turning each into its list of changes (see layers.ts) plus the facts
 * history needs. One layer's entries are in memory at a time; bodies are skipped unless contents are to be hashed.
 * Works on the Image interface only: where the image came from does not matter here.
 */
import { createHash } from 'node:crypto';
import { DockerSize } from './history.js';
import type { Image } from './image.js';
import { type LayerEntry, LayerWalk } from './layers.js';
import { readTar } from './tar/reader.js';

export interface ScannedLayer {
  index: number;
  digest: string;
  diffId: string;
  compressedSize: number;
  /** Size as `docker history` reports it for a pulled/loaded layer (see history.ts). */
  size: number;
  /** Size as `docker history` reports it on the engine that built the layer. */
  builtSize: number;
  entries: LayerEntry[];
}

export interface ScanOptions {
  /** Hash regular files' contents (for image diff's "changed" files). Costs a sha256 pass over the data. */
  hashContents?: boolean;
  /** Progress in stored (compressed) bytes, against the sum of the layers' `size()`. */
  onProgress?: (done: number, total: number) => void;
}

/** Visits each layer's scan in order; the visitor may drop the entries once it is done with them. */
export async function scanImage(
  image: Image,
  visit: (layer: ScannedLayer) => void | Promise<void>,
  options: ScanOptions = {},
): Promise<void> {
  const layers = await image.layers();
  const sizes = await Promise.all(layers.map((layer) => layer.size()));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  let done = 0;
  for (const [index, layer] of layers.entries()) {
    const digest = await layer.digest();
    const what = `${image.source}: layer ${index + 1} (${digest})`;
    const stream = await layer.uncompressed({
      onStoredBytes: options.onProgress
        ? (bytes) => {
            done += bytes;
            options.onProgress?.(done, total);
          }
        : undefined,
    });
    const walk = new LayerWalk(what);
    const sizer = new DockerSize();
    const entries: LayerEntry[] = [];
    for await (const header of readTar(stream, what)) {
      const entry = walk.entry(header);
      if (!entry) continue;
      if (options.hashContents && entry.kind === 'file') {
        const hash = createHash('sha256');
        for await (const chunk of header.body()) hash.update(chunk);
        entry.contentDigest = `sha256:${hash.digest('hex')}`;
      }
      sizer.add(entry);
      entries.push(entry);
    }
    await visit({
      index,
      digest,
      diffId: await layer.diffId(),
      compressedSize: sizes[index],
      size: sizer.applied,
      builtSize: sizer.built,
      entries,
    });
  }
}
