/** Bounded reads of small documents (manifests, configs, index.json): a hostile source cannot make us buffer gigabytes. */
import { InputError } from '../errors.js';
import type { ByteStream } from './image.js';

/** Reads a whole stream into memory, failing once it exceeds `maxBytes`. */
export async function readAll(source: ByteStream, maxBytes: number, what: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of source) {
    length += chunk.length;
    if (length > maxBytes) throw new InputError(`${what}: larger than the ${maxBytes}-byte limit for JSON documents`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, length);
}

/** Parses JSON bytes, naming `what` on failure; the result must be an object (not an array or a scalar). */
export function parseJsonObject(bytes: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (error) {
    throw new InputError(`${what}: invalid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InputError(`${what}: expected a JSON object`);
  return value as Record<string, unknown>;
}

/** Parses JSON bytes that may be any value (docker-archive's manifest.json is an array). */
export function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (error) {
    throw new InputError(`${what}: invalid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}
