/** Compression for tests: gzip through node:zlib, zstd through the system `zstd` binary (Node 20 has no zstd encoder). */
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';

export type TestCompression = 'none' | 'gzip' | 'zstd';

export function hasZstdBinary(): boolean {
  return spawnSync('zstd', ['--version']).status === 0;
}

export function compress(bytes: Uint8Array, compression: TestCompression, level = 3): Buffer {
  if (compression === 'none') return Buffer.from(bytes);
  if (compression === 'gzip') return gzipSync(bytes, { level: Math.min(level, 9) });
  const result = spawnSync('zstd', [`-${level}`, '-c', '-q'], { input: bytes, maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`zstd failed: ${result.stderr}`);
  return result.stdout;
}

export async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Yields `bytes` in chunks of `size` (as a file or socket would). */
export async function* chunked(bytes: Uint8Array, size = 65536): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}
