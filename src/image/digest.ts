/**
 * Digests: parsing `algorithm:hex`, hashing bytes, and verifying a stream against an expected digest and size
 * while it flows (the check fires when the stream ends, so a consumer that stops early pays nothing).
 */
import { createHash, type Hash } from 'node:crypto';
import { InputError } from '../errors.js';
import type { ByteStream, Digest } from './image.js';

const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export function isDigest(text: unknown): text is Digest {
  return typeof text === 'string' && DIGEST.test(text);
}

/** Throws an InputError naming `what` unless `text` is a well-formed sha256/sha512 digest. */
export function checkDigest(text: unknown, what: string): Digest {
  if (!isDigest(text)) throw new InputError(`${what}: not a valid digest: ${JSON.stringify(text)?.slice(0, 100)}`);
  return text;
}

export function algorithmOf(digest: Digest): 'sha256' | 'sha512' {
  return digest.startsWith('sha512:') ? 'sha512' : 'sha256';
}

/** The hex part of a digest (the file name under `blobs/<algorithm>/`). */
export function hexOf(digest: Digest): string {
  return digest.slice(digest.indexOf(':') + 1);
}

export function digestOf(bytes: Uint8Array, algorithm: 'sha256' | 'sha512' = 'sha256'): Digest {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

export interface VerifyOptions {
  /** Expected digest; the stream fails at its end when the content differs. */
  digest?: Digest;
  /** Expected size in bytes; the stream fails as soon as it is exceeded, or at its end when short. */
  size?: number;
  /** What is being read, for the error message. */
  what: string;
}

/** Passes `source` through unchanged, failing when its digest or size differ from the expected ones. */
export async function* verified(source: ByteStream, options: VerifyOptions): AsyncGenerator<Uint8Array> {
  const hash: Hash | undefined = options.digest ? createHash(algorithmOf(options.digest)) : undefined;
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (options.size !== undefined && size > options.size)
      throw new InputError(`${options.what}: more data than the ${options.size} bytes the descriptor declares`);
    hash?.update(chunk);
    yield chunk;
  }
  if (options.size !== undefined && size !== options.size)
    throw new InputError(`${options.what}: truncated: ${size} bytes where the descriptor declares ${options.size}`);
  if (hash && options.digest) {
    const actual = `${algorithmOf(options.digest)}:${hash.digest('hex')}`;
    if (actual !== options.digest)
      throw new InputError(`${options.what}: digest mismatch: content is ${actual}, expected ${options.digest}`);
  }
}

/** Hashes a whole stream (for sources that must compute a digest the manifest does not give them). */
export async function digestStream(
  source: ByteStream,
  algorithm: 'sha256' | 'sha512' = 'sha256',
): Promise<{ digest: Digest; size: number }> {
  const hash = createHash(algorithm);
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    hash.update(chunk);
  }
  return { digest: `${algorithm}:${hash.digest('hex')}`, size };
}
