import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { InputError } from '../../../src/errors.js';
import { digestOf } from '../../../src/image/digest.js';
import { MediaTypes } from '../../../src/image/image.js';
import { selectImage } from '../../../src/image/select.js';
import { type ImageCore, imageFromCore, indexFromCore } from '../../../src/image/sources/core.js';
import { chunked, collect, compress } from '../../support/compress.js';

/** A core over blobs held in memory: the smallest possible source. */
function memoryCore(layers: Buffer[], compression: 'none' | 'gzip', tamper?: (blobs: Map<string, Buffer>) => void): ImageCore {
  const blobs = new Map<string, Buffer>();
  const descriptors = layers.map((tar) => {
    const blob = compress(tar, compression);
    const digest = digestOf(blob);
    blobs.set(digest, blob);
    return {
      mediaType: compression === 'gzip' ? MediaTypes.ociLayerGzip : MediaTypes.ociLayer,
      digest,
      size: blob.length,
    };
  });
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: layers.map((tar) => digestOf(tar)) },
      history: layers.map((_, i) => ({ created_by: `step ${i}` })),
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaTypes.ociManifest,
      config: { mediaType: MediaTypes.ociConfig, digest: digestOf(config), size: config.length },
      layers: descriptors,
    }),
  );
  tamper?.(blobs);
  return {
    source: 'memory:test',
    rawManifest: async () => manifest,
    rawConfigFile: async () => config,
    blob: async (digest) => {
      const blob = blobs.get(digest);
      if (!blob) throw new InputError(`no blob ${digest}`);
      return chunked(blob, 4096);
    },
  };
}

const tars = [randomBytes(10_000), Buffer.alloc(50_000, 1)];

test('a core becomes an Image: digests, diff IDs, sizes and both streams', async () => {
  for (const compression of ['none', 'gzip'] as const) {
    const image = imageFromCore(memoryCore(tars, compression));
    const layers = await image.layers();
    assert.equal(layers.length, 2);
    for (const [i, layer] of layers.entries()) {
      assert.equal(await layer.diffId(), digestOf(tars[i]));
      assert.equal(await layer.compression(), compression);
      const blob = await collect(await layer.compressed());
      assert.equal(digestOf(blob), await layer.digest());
      assert.equal(blob.length, await layer.size());
      assert.ok((await collect(await layer.uncompressed())).equals(tars[i]));
    }
    assert.equal(await image.mediaType(), MediaTypes.ociManifest);
    assert.equal(await image.digest(), digestOf(await image.rawManifest()));
    assert.equal((await image.configFile()).history?.[1].created_by, 'step 1');
    assert.equal(await (await image.layerByDiffId(digestOf(tars[1]))).diffId(), digestOf(tars[1]));
  }
});

test('a blob whose content differs from its digest fails at the end of the stream', async () => {
  const image = imageFromCore(
    memoryCore(tars, 'gzip', (blobs) => {
      const [digest] = blobs.keys();
      blobs.set(digest, compress(Buffer.alloc(10_000, 9), 'gzip'));
    }),
  );
  const [layer] = await image.layers();
  await assert.rejects(
    async () => collect(await layer.uncompressed()),
    /memory:test: layer 1 \(sha256:[0-9a-f]+\): (digest mismatch|truncated|more data)/,
  );
});

test('a diff ID that does not match the uncompressed tar fails', async () => {
  const core = memoryCore(tars, 'gzip');
  const config = JSON.parse((await core.rawConfigFile()).toString());
  config.rootfs.diff_ids[0] = digestOf(Buffer.from('other'));
  const rawConfig = Buffer.from(JSON.stringify(config));
  const manifest = JSON.parse((await core.rawManifest()).toString());
  manifest.config.digest = digestOf(rawConfig);
  manifest.config.size = rawConfig.length;
  const image = imageFromCore({
    ...core,
    rawConfigFile: async () => rawConfig,
    rawManifest: async () => Buffer.from(JSON.stringify(manifest)),
  });
  const [layer] = await image.layers();
  await assert.rejects(async () => collect(await layer.uncompressed()), /layer 1 .*uncompressed: digest mismatch/);
});

test('config digest mismatch, layer/diff-ID count mismatch and malformed manifests are InputErrors', async () => {
  const core = memoryCore(tars, 'none');
  const otherConfig = Buffer.from('{"rootfs":{"type":"layers","diff_ids":[]}}');
  await assert.rejects(imageFromCore({ ...core, rawConfigFile: async () => otherConfig }).configFile(), /config digest mismatch/);
  const manifest = JSON.parse((await core.rawManifest()).toString());
  manifest.config.digest = digestOf(otherConfig);
  const short = imageFromCore({
    ...core,
    rawConfigFile: async () => otherConfig,
    rawManifest: async () => Buffer.from(JSON.stringify(manifest)),
  });
  await assert.rejects(short.layers(), /lists 2 layers but the config has 0 diff IDs/);
  const bad = imageFromCore({ ...core, rawManifest: async () => Buffer.from('{"schemaVersion":2,"layers":[]}') });
  await assert.rejects(bad.manifest(), (error: Error) => error instanceof InputError && /manifest config/.test(error.message));
  const notJson = imageFromCore({ ...core, rawManifest: async () => Buffer.from('{') });
  await assert.rejects(notJson.manifest(), /memory:test: manifest: invalid JSON/);
  const huge = imageFromCore({ ...core, rawManifest: async () => Buffer.alloc(100) }, { limits: { maxJsonBytes: 50 } });
  await assert.rejects(huge.manifest(), /manifest larger than the 50-byte limit/);
});

test('an index core picks a platform, skips attestations and verifies the child manifest digest', async () => {
  const amd = memoryCore(tars, 'gzip');
  const arm = memoryCore([tars[1]], 'none');
  const entry = async (core: ImageCore, platform: object) => {
    const raw = await core.rawManifest();
    return { mediaType: MediaTypes.ociManifest, digest: digestOf(raw), size: raw.length, platform };
  };
  const attestation = { ...(await entry(arm, { os: 'unknown', architecture: 'unknown' })) };
  const manifests = [
    await entry(amd, { os: 'linux', architecture: 'amd64' }),
    await entry(arm, { os: 'linux', architecture: 'arm64' }),
    attestation,
  ];
  const raw = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests }));
  const index = indexFromCore({
    source: 'memory:index',
    rawManifest: async () => raw,
    child: async (descriptor) => (descriptor.digest === manifests[0].digest ? amd : arm),
  });
  const host = { os: 'linux', architecture: 'amd64' };
  assert.equal((await (await selectImage(index, undefined, host)).layers()).length, 2);
  assert.equal((await (await selectImage(index, { os: 'linux', architecture: 'arm64' }, host)).layers()).length, 1);
  await assert.rejects(
    selectImage(index, { os: 'linux', architecture: 's390x' }, host),
    /no image for platform linux\/s390x \(available: linux\/amd64, linux\/arm64\)/,
  );
  const liar = indexFromCore({ source: 'memory:index', rawManifest: async () => raw, child: async () => arm });
  await assert.rejects((await liar.image(manifests[0].digest)).manifest(), /manifest digest mismatch/);
});
