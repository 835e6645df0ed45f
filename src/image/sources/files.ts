/** File-system helpers for the sources: positional reads, ranged streams, paths that cannot leave their root. */
import { createReadStream } from 'node:fs';
import { type FileHandle, open, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { InputError } from '../../errors.js';
import type { ByteStream } from '../image.js';
import type { RandomAccess } from '../tar/index.js';

/**
 * Chunk size for blob streams: big enough that per-chunk overhead is a few percent, small enough to keep memory flat
 * (every chunk is a fresh Buffer that lives until V8 collects it; see decompress.ts).
 */
export const READ_CHUNK = 64 * 1024;

/** An open file with positional reads (for indexing a tar without reading it). */
export async function openRandomAccess(path: string, what: string): Promise<RandomAccess & { handle: FileHandle }> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new InputError(`${what}: cannot open (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw new InputError(`${what}: not a regular file`);
  }
  return {
    handle,
    size: stat.size,
    read: async (position, length) => {
      const buffer = Buffer.allocUnsafe(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
        if (bytesRead === 0) throw new InputError(`${what}: file shrank while reading`);
        filled += bytesRead;
      }
      return buffer;
    },
  };
}

/** Streams `length` bytes of a file from `start` (an empty range yields nothing). */
export function fileRange(path: string, start: number, length: number): ByteStream {
  if (length === 0) return (async function* () {})();
  return createReadStream(path, { start, end: start + length - 1, highWaterMark: READ_CHUNK });
}

/** Streams a whole file. */
export function fileStream(path: string): ByteStream {
  return createReadStream(path, { highWaterMark: READ_CHUNK });
}

/**
 * Resolves `relativePath` under `root`, refusing absolute paths, `..` and symlinks that lead outside `root`.
 * Returns undefined when the file does not exist.
 */
export async function resolveInside(root: string, relativePath: string, what: string): Promise<string | undefined> {
  if (isAbsolute(relativePath) || relativePath.split(/[\\/]/).includes('..'))
    throw new InputError(`${what}: ${relativePath} points outside the layout`);
  const realRoot = await realpath(root);
  let real: string;
  try {
    real = await realpath(join(root, relativePath));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(`${what}: cannot read ${relativePath} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const inside = relative(realRoot, real);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside))
    throw new InputError(`${what}: ${relativePath} resolves outside the layout (to ${real})`);
  return real;
}

/** The platform this process runs on (the default when an index offers several). */
export { hostPlatform } from './registry/platform.js';
