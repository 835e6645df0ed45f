/** `oci:DIR[:TAG|:@INDEX]`: an OCI image layout directory (what `skopeo copy … oci:DIR` and buildx `--output type=oci` write). */
import { open, stat } from 'node:fs/promises';
import { InputError } from '../../errors.js';
import { readAll } from '../bytes.js';
import type { ZstdBackend } from '../decompress.js';
import type { Image, Platform, ReadLimits } from '../image.js';
import { fileStream, hostPlatform, resolveInside } from './files.js';
import { type LayoutStore, openLayout } from './layout.js';

export interface OciLayoutOptions {
  tag?: string;
  sourceIndex?: number;
  platform?: Platform;
  limits?: Partial<ReadLimits>;
  zstd?: ZstdBackend;
}

/** A directory as a layout store: every path is resolved inside the directory (symlinks included). */
export function directoryStore(root: string, source: string): LayoutStore {
  return {
    source,
    async readSmall(path, maxBytes) {
      const real = await resolveInside(root, path, source);
      if (!real) return undefined;
      const handle = await open(real, 'r');
      try {
        return await readAll(handle.createReadStream({ autoClose: false }), maxBytes, `${source}: ${path}`);
      } finally {
        await handle.close();
      }
    },
    async stream(path) {
      const real = await resolveInside(root, path, source);
      if (!real) throw new InputError(`${source}: ${path} is missing from the layout`);
      return fileStream(real);
    },
    async has(path) {
      return (await resolveInside(root, path, source)) !== undefined;
    },
    async close() {},
  };
}

export async function openOciLayout(dir: string, options: OciLayoutOptions = {}): Promise<Image> {
  const source = `oci:${dir}${options.tag ? `:${options.tag}` : options.sourceIndex !== undefined ? `:@${options.sourceIndex}` : ''}`;
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new InputError(`${source}: not a directory`);
  return openLayout(directoryStore(dir, source), { ...options, hostPlatform: hostPlatform() });
}
