/**
 * A streaming tar reader: members come out one at a time with their bodies left in the stream until asked for, so
 * memory stays constant whatever the archive size, and skipping a member's data costs no copying. Entries must be
 * consumed in order: an entry's `body()` is readable only until the next entry is requested.
 */
import type { ByteStream } from '../image.js';
import type { TarHeader } from './header.js';
import { type BlockSource, TarWalker, TruncatedError } from './walker.js';

export interface TarEntry extends TarHeader {
  /** The member's data, streamed from the archive. Valid only until the next entry is requested. */
  body(): ByteStream;
}

/** Reads blocks out of an async byte stream, keeping at most one chunk (plus one header) in memory. */
export class StreamBlockSource implements BlockSource {
  position = 0;
  private chunk: Uint8Array = new Uint8Array(0);
  private at = 0;
  private readonly iterator: AsyncIterator<Uint8Array>;
  private done = false;

  constructor(stream: ByteStream) {
    this.iterator = stream[Symbol.asyncIterator]();
  }

  private async fill(): Promise<boolean> {
    while (this.at >= this.chunk.length) {
      if (this.done) return false;
      const next = await this.iterator.next();
      if (next.done) {
        this.done = true;
        return false;
      }
      this.chunk = next.value;
      this.at = 0;
    }
    return true;
  }

  async read(length: number): Promise<Uint8Array | undefined> {
    if (this.chunk.length - this.at >= length) {
      const view = this.chunk.subarray(this.at, this.at + length);
      this.at += length;
      this.position += length;
      return view;
    }
    const out = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      if (!(await this.fill())) {
        if (filled === 0) return undefined;
        throw new TruncatedError();
      }
      const take = Math.min(length - filled, this.chunk.length - this.at);
      out.set(this.chunk.subarray(this.at, this.at + take), filled);
      this.at += take;
      filled += take;
    }
    this.position += length;
    return out;
  }

  async skip(length: number): Promise<void> {
    let left = length;
    while (left > 0) {
      if (!(await this.fill())) throw new TruncatedError();
      const take = Math.min(left, this.chunk.length - this.at);
      this.at += take;
      left -= take;
      this.position += take;
    }
  }

  /** Yields the next `length` bytes as views into the incoming chunks. */
  async *take(length: number, onRead: (count: number) => void): AsyncGenerator<Uint8Array> {
    let left = length;
    while (left > 0) {
      if (!(await this.fill())) throw new TruncatedError();
      const take = Math.min(left, this.chunk.length - this.at);
      const view = this.chunk.subarray(this.at, this.at + take);
      this.at += take;
      left -= take;
      this.position += take;
      onRead(take);
      yield view;
    }
  }

  /** Reads and discards whatever follows the end-of-archive marker, so a verifying stream reaches its end check. */
  async drain(): Promise<void> {
    this.at = this.chunk.length;
    while (await this.fill()) this.at = this.chunk.length;
  }

  async close(): Promise<void> {
    if (!this.done) {
      this.done = true;
      await this.iterator.return?.();
    }
  }
}

/** The members of a tar stream, in order. `what` names the archive in error messages. */
export async function* readTar(stream: ByteStream, what: string): AsyncGenerator<TarEntry> {
  const source = new StreamBlockSource(stream);
  const walker = new TarWalker(source, what);
  try {
    for (;;) {
      const header = await walker.next();
      if (!header) {
        // Padding after the end marker (GNU tar fills 10 KiB records) is still part of the blob: read it so that a
        // digest-verifying stream sees its end and checks.
        await source.drain();
        return;
      }
      let consumed = 0;
      let reading = false;
      let valid = true;
      const entry = header as TarEntry;
      entry.body = () => {
        if (!valid) throw new Error(`${what}: the body of ${header.name} was read after moving to the next entry (bug)`);
        if (reading) throw new Error(`${what}: the body of ${header.name} was read twice (bug)`);
        reading = true;
        return (async function* () {
          try {
            yield* source.take(header.size, (count) => {
              consumed += count;
            });
          } catch (error) {
            if (error instanceof TruncatedError) throw walker.truncated(header.offset, `in the data of ${header.name}`);
            throw error;
          }
        })();
      };
      yield entry;
      valid = false;
      await walker.skipData(header, consumed);
    }
  } finally {
    await source.close();
  }
}
