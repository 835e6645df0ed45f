import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { availableZstdBackends, openDecompressed, peek, sniffCompression } from '../../src/image/decompress.js';
import { chunked, collect, compress, hasZstdBinary } from '../support/compress.js';

const sample = Buffer.concat([randomBytes(300_000), Buffer.alloc(2_000_000, 7), Buffer.from('tail')]);
const zstdSkip = hasZstdBinary() ? false : 'SKIPPED: no zstd binary to make test data';

test('sniffs gzip, zstd and plain tar from the first bytes', () => {
  assert.equal(sniffCompression(compress(sample, 'gzip')), 'gzip');
  assert.equal(sniffCompression(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0])), 'zstd');
  assert.equal(sniffCompression(Buffer.from('ustar')), 'none');
  assert.equal(sniffCompression(Buffer.alloc(0)), 'none');
});

test('gzip round-trips through small and odd-sized chunks', async () => {
  for (const size of [997, 1 << 20]) {
    const { compression, stream } = await openDecompressed(chunked(compress(sample, 'gzip'), size), { what: 't' });
    assert.equal(compression, 'gzip');
    assert.ok((await collect(stream)).equals(sample));
  }
});

test('plain data passes through unchanged', async () => {
  const { compression, stream } = await openDecompressed(chunked(sample, 1000), { what: 't' });
  assert.equal(compression, 'none');
  assert.ok((await collect(stream)).equals(sample));
});

describe('zstd', { skip: zstdSkip }, () => {
  for (const backend of availableZstdBackends()) {
    test(`${backend} backend round-trips, including highly compressible data`, async () => {
      const zeros = Buffer.alloc(8_000_000);
      for (const data of [sample, zeros]) {
        for (const size of [997, 65536]) {
          const { compression, stream } = await openDecompressed(chunked(compress(data, 'zstd', 9), size), {
            what: 't',
            zstd: backend,
          });
          assert.equal(compression, 'zstd');
          assert.ok((await collect(stream)).equals(data));
        }
      }
    });

    test(`${backend} backend: truncated and corrupt streams are InputErrors naming the blob`, async () => {
      const packed = compress(sample, 'zstd');
      const truncated = packed.subarray(0, packed.length - 100);
      await assert.rejects(
        async () => collect((await openDecompressed(chunked(truncated), { what: 'blob X', zstd: backend })).stream),
        (error: Error) => error instanceof InputError && /blob X: truncated zstd/.test(error.message),
      );
      const corrupt = Buffer.from(packed);
      corrupt.fill(0xaa, 100, 400);
      await assert.rejects(
        async () => collect((await openDecompressed(chunked(corrupt), { what: 'blob X', zstd: backend })).stream),
        (error: Error) => error instanceof InputError && /blob X: (corrupt|truncated) zstd/.test(error.message),
      );
    });

    test(`${backend} backend refuses a bomb past the ratio bound`, async () => {
      const bomb = compress(Buffer.alloc(200_000_000), 'zstd', 3);
      await assert.rejects(
        async () =>
          collect(
            (
              await openDecompressed(chunked(bomb), {
                what: 'bomb',
                zstd: backend,
                limits: { maxRatio: 100, ratioGraceBytes: 1 << 20 },
              })
            ).stream,
          ),
        /bomb: expands more than 100:1/,
      );
    });
  }
});

test('truncated gzip is an InputError naming the blob', async () => {
  const packed = compress(sample, 'gzip');
  await assert.rejects(
    async () => collect((await openDecompressed(chunked(packed.subarray(0, packed.length - 10)), { what: 'blob Y' })).stream),
    (error: Error) => error instanceof InputError && /^blob Y: truncated gzip/.test(error.message),
  );
});

test('corrupt gzip is an InputError naming the blob', async () => {
  const packed = Buffer.from(compress(sample, 'gzip'));
  packed.fill(0xff, 40, 200);
  await assert.rejects(
    async () => collect((await openDecompressed(chunked(packed), { what: 'blob Y' })).stream),
    (error: Error) => error instanceof InputError && /^blob Y: (corrupt|truncated) gzip/.test(error.message),
  );
});

test('absolute size bound and gzip ratio bound refuse bombs', async () => {
  const bomb = compress(Buffer.alloc(50_000_000), 'gzip', 9);
  await assert.rejects(
    async () => collect((await openDecompressed(chunked(bomb), { what: 'b', limits: { maxLayerBytes: 10_000_000 } })).stream),
    /b: uncompressed size exceeds the limit of 10000000 bytes/,
  );
  await assert.rejects(
    async () =>
      collect((await openDecompressed(chunked(bomb), { what: 'b', limits: { maxRatio: 50, ratioGraceBytes: 1000 } })).stream),
    /b: expands more than 50:1/,
  );
});

test('peek: dropping the rest unread closes the source (a registry connection is not left open)', async () => {
  let closed = false;
  async function* source(): AsyncGenerator<Uint8Array> {
    try {
      yield Buffer.from('abcd');
      yield Buffer.from('efgh');
    } finally {
      closed = true;
    }
  }
  const { head, rest } = await peek(source(), 2);
  assert.equal(Buffer.from(head).toString(), 'abcd');
  await (rest as AsyncGenerator<Uint8Array>).return(undefined);
  assert.equal(closed, true);
});
