/**
 * Layer decompression as streams: gzip through node:zlib, zstd through node:zlib where Node has it (≥ 22.15) and
 * through the zstddec WASM decoder otherwise. Output is bounded (absolute size and expansion ratio) so a
 * decompression bomb fails fast instead of running for hours; truncated and corrupt input fail with the name of
 * what was being read.
 */
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { InputError } from '../errors.js';
import { type ByteStream, type Compression, defaultReadLimits, type ReadLimits } from './image.js';

const GZIP_MAGIC = [0x1f, 0x8b];
/**
 * Decompressed chunk size. zlib's 16 KiB default makes every later stage pay its per-chunk cost 4 times as often;
 * 256 KiB chunks cost 15-20 MB more peak memory (each one is a fresh Buffer, freed only when V8 collects it).
 */
const OUTPUT_CHUNK = 64 * 1024;
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/** Recognises gzip and zstd by their magic numbers; anything else is taken as an uncompressed tar. */
export function sniffCompression(head: Uint8Array): Compression {
  if (startsWith(head, GZIP_MAGIC)) return 'gzip';
  if (startsWith(head, ZSTD_MAGIC)) return 'zstd';
  return 'none';
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((byte, i) => bytes[i] === byte);
}

/** The zstd decoder in use: Node's own when present, else the WASM one. Exposed so tests can force either path. */
export type ZstdBackend = 'node' | 'wasm';

type ZstdFactory = (options?: { chunkSize?: number }) => NodeJS.ReadWriteStream;
const nodeZstd = (zlib as unknown as { createZstdDecompress?: ZstdFactory }).createZstdDecompress;

export function availableZstdBackends(): ZstdBackend[] {
  return nodeZstd ? ['node', 'wasm'] : ['wasm'];
}

export interface DecompressOptions {
  /** What is being read, for error messages (`docker-archive:/a.tar: layer sha256:…`). */
  what: string;
  limits?: Partial<ReadLimits>;
  /** Force a zstd backend (tests); default: Node's when available. */
  zstd?: ZstdBackend;
}

/**
 * Peeks at the first bytes of `source`, then returns the uncompressed stream and the compression found.
 * The returned stream re-emits the peeked bytes; nothing is read twice from the source.
 */
export async function openDecompressed(
  source: ByteStream,
  options: DecompressOptions,
): Promise<{ compression: Compression; stream: ByteStream }> {
  const { head, rest } = await peek(source, 4);
  const compression = sniffCompression(head);
  return { compression, stream: decompress(rest, compression, options) };
}

/** Decompresses `source` (already known to be `compression`), enforcing the read limits. */
export function decompress(source: ByteStream, compression: Compression, options: DecompressOptions): ByteStream {
  const limits = { ...defaultReadLimits, ...options.limits };
  const counted = countBytes(source);
  let inner: ByteStream;
  if (compression === 'none') return bounded(counted.stream, counted, limits, options.what, false);
  if (compression === 'gzip')
    inner = viaTransform(counted.stream, zlib.createGunzip({ chunkSize: OUTPUT_CHUNK }), options.what, 'gzip');
  else if ((options.zstd ?? (nodeZstd ? 'node' : 'wasm')) === 'node' && nodeZstd)
    inner = viaTransform(counted.stream, nodeZstd({ chunkSize: OUTPUT_CHUNK }), options.what, 'zstd');
  else inner = zstdWasm(counted.stream, options.what);
  return bounded(inner, counted, limits, options.what, true);
}

/** Reads at least `n` bytes (or to the end) and returns them plus a stream that replays them before the rest. */
export async function peek(source: ByteStream, n: number): Promise<{ head: Uint8Array; rest: ByteStream }> {
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < n) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    length += next.value.length;
  }
  const head = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  async function* rest(): AsyncGenerator<Uint8Array> {
    try {
      if (head.length > 0) yield head;
      if (done) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      if (!done) await iterator.return?.();
    }
  }
  // A generator's `finally` runs only once it has started; closing the rest unread must still close the source
  // (core's compression() peeks and drops the rest: a registry response would otherwise hold its connection open).
  const generator = rest();
  let started = false;
  const next = generator.next.bind(generator);
  const close = generator.return.bind(generator);
  generator.next = (...args) => {
    started = true;
    return next(...args);
  };
  generator.return = async (value) => {
    if (!started && !done) {
      started = true;
      await iterator.return?.();
    }
    return close(value);
  };
  return { head, rest: generator };
}

interface Counter {
  stream: ByteStream;
  bytes: number;
}

function countBytes(source: ByteStream): Counter {
  const counter: Counter = { bytes: 0, stream: source };
  counter.stream = (async function* () {
    for await (const chunk of source) {
      counter.bytes += chunk.length;
      yield chunk;
    }
  })();
  return counter;
}

async function* bounded(
  source: ByteStream,
  input: Counter,
  limits: ReadLimits,
  what: string,
  compressed: boolean,
): AsyncGenerator<Uint8Array> {
  let out = 0;
  for await (const chunk of source) {
    out += chunk.length;
    if (out > limits.maxLayerBytes)
      throw new InputError(
        `${what}: uncompressed size exceeds the limit of ${limits.maxLayerBytes} bytes (refusing a possible decompression bomb)`,
      );
    if (compressed && out > limits.ratioGraceBytes && out > limits.maxRatio * Math.max(1, input.bytes))
      throw new InputError(
        `${what}: expands more than ${limits.maxRatio}:1 (${out} bytes from ${input.bytes}; refusing a possible decompression bomb)`,
      );
    yield chunk;
  }
}

/** Runs a zlib transform over an async source, turning zlib's errors into InputErrors that name the blob. */
async function* viaTransform(
  source: ByteStream,
  transform: NodeJS.ReadWriteStream,
  what: string,
  format: string,
): AsyncGenerator<Uint8Array> {
  const input = Readable.from(source, { objectMode: false });
  input.on('error', (error) => (transform as unknown as Readable).destroy(error));
  input.pipe(transform);
  try {
    for await (const chunk of transform as unknown as AsyncIterable<Uint8Array>) yield chunk;
  } catch (error) {
    throw asInputError(error, what, format);
  } finally {
    input.destroy();
    (transform as unknown as Readable).destroy();
  }
}

function asInputError(error: unknown, what: string, format: string): Error {
  if (error instanceof InputError) return error;
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'Z_BUF_ERROR' || /unexpected end/i.test(message))
    return new InputError(`${what}: truncated ${format} stream (${message})`);
  return new InputError(`${what}: corrupt ${format} stream (${message})`);
}

type WasmDecoder = { decodeStreaming(arrays: Iterable<Uint8Array>): Generator<Uint8Array> };
let wasmDecoder: Promise<WasmDecoder> | undefined;

function loadWasmDecoder(): Promise<WasmDecoder> {
  wasmDecoder ??= import('zstddec/stream').then(async ({ ZSTDDecoder }) => {
    const decoder = new ZSTDDecoder();
    await decoder.init();
    return decoder;
  });
  return wasmDecoder;
}

/**
 * zstddec pulls its input from a synchronous iterable. Each `next()` of its generator consumes at most one new input
 * chunk (it yields at least once per non-empty chunk), so we only call it while a chunk is queued: that turns the
 * pull decoder into one fed by an async stream, with backpressure and at most one chunk held. zstddec does not check
 * zstd's error codes, so a corrupt frame shows up as a run of empty outputs that consume nothing; we stop on that.
 */
async function* zstdWasm(source: ByteStream, what: string): AsyncGenerator<Uint8Array> {
  const decoder = await loadWasmDecoder();
  const queue: Uint8Array[] = [];
  let ended = false;
  // Empty outputs in a row since the decoder last took a chunk: many means it is stuck on a corrupt frame.
  let emptyRun = 0;
  const input: Iterable<Uint8Array> = {
    [Symbol.iterator]: () => ({
      next: (): IteratorResult<Uint8Array> => {
        const chunk = queue.shift();
        if (chunk) {
          emptyRun = 0;
          return { done: false, value: chunk };
        }
        if (ended) return { done: true, value: undefined };
        throw new Error('zstd decoder asked for input before it arrived (bug)');
      },
    }),
  };
  const output = decoder.decodeStreaming(input);
  const step = (): IteratorResult<Uint8Array> => {
    try {
      return output.next();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/incomplete stream/i.test(message)) throw new InputError(`${what}: truncated zstd stream`);
      throw new InputError(`${what}: corrupt zstd stream (${message})`);
    }
  };
  for await (const chunk of source) {
    if (chunk.length === 0) continue;
    queue.push(chunk);
    while (queue.length > 0) {
      const next = step();
      if (next.done) throw new InputError(`${what}: corrupt zstd stream (data after the end)`);
      if (next.value.length === 0) {
        if (++emptyRun > 1024) throw new InputError(`${what}: corrupt zstd stream (decoder made no progress)`);
        continue;
      }
      yield next.value;
    }
  }
  ended = true;
  for (;;) {
    const next = step();
    if (next.done) return;
    if (next.value.length === 0) {
      if (++emptyRun > 1024) throw new InputError(`${what}: corrupt zstd stream (decoder made no progress)`);
      continue;
    }
    yield next.value;
  }
}
