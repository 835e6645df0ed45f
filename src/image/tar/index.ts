/**
 * Indexing a tar file without reading its members' data: headers are read at computed offsets and bodies skipped
 * by arithmetic, so listing a multi-gigabyte `docker save` archive reads a few kilobytes. Callers then read a
 * member's bytes directly at `dataOffset`.
 */
import { InputError } from '../../errors.js';
import type { TarHeader } from './header.js';
import { type BlockSource, TarWalker, TruncatedError } from './walker.js';

/** Positional reads from something of known size (a file, a buffer). */
export interface RandomAccess {
  readonly size: number;
  /** Exactly `length` bytes at `position` (the caller never reads past `size`). */
  read(position: number, length: number): Promise<Uint8Array>;
}

class RandomAccessBlockSource implements BlockSource {
  position = 0;

  constructor(private readonly file: RandomAccess) {}

  async read(length: number): Promise<Uint8Array | undefined> {
    if (this.position >= this.file.size) return undefined;
    if (this.position + length > this.file.size) throw new TruncatedError();
    const bytes = await this.file.read(this.position, length);
    this.position += length;
    return bytes;
  }

  async skip(length: number): Promise<void> {
    if (this.position + length > this.file.size) throw new TruncatedError();
    this.position += length;
  }
}

/** The members of a tar file, in order, with the offsets of their data. Refuses more than `maxEntries` members. */
export async function indexTar(file: RandomAccess, what: string, maxEntries = 1_000_000): Promise<TarHeader[]> {
  const walker = new TarWalker(new RandomAccessBlockSource(file), what);
  const headers: TarHeader[] = [];
  for (;;) {
    const header = await walker.next();
    if (!header) return headers;
    if (headers.length >= maxEntries) throw new InputError(`${what}: more than ${maxEntries} members`);
    headers.push(header);
    await walker.skipData(header);
  }
}

/** A RandomAccess over bytes in memory (tests, small archives). */
export function bufferAccess(bytes: Uint8Array): RandomAccess {
  return { size: bytes.length, read: async (position, length) => bytes.subarray(position, position + length) };
}
