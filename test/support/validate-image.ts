/**
 * The invariants every image must satisfy, whatever its source (go-containerregistry's `validate.Image`): manifest
 * digest, config digest, one diff ID per layer, each blob's digest and size, each tar's diff ID, and history entries
 * that account for every layer. Every source test ends by calling this.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { digestOf } from '../../src/image/digest.js';
import type { Image } from '../../src/image/image.js';

async function hashStream(stream: AsyncIterable<Uint8Array>): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

export async function validateImage(image: Image): Promise<void> {
  const rawManifest = await image.rawManifest();
  assert.equal(await image.digest(), digestOf(rawManifest), 'image digest is the digest of the raw manifest');
  assert.equal(await image.size(), rawManifest.length);
  const manifest = await image.manifest();
  const rawConfig = await image.rawConfigFile();
  assert.equal(digestOf(rawConfig), manifest.config.digest, 'config digest');
  assert.equal(await image.configName(), manifest.config.digest);
  assert.equal(rawConfig.length, manifest.config.size, 'config size');
  const config = await image.configFile();
  const layers = await image.layers();
  assert.equal(layers.length, manifest.layers.length);
  assert.equal(config.rootfs.diff_ids.length, layers.length, 'one diff ID per layer');
  if (config.history) {
    const nonEmpty = config.history.filter((entry) => !entry.empty_layer).length;
    assert.equal(nonEmpty, layers.length, 'non-empty history entries account for every layer');
  }
  for (const [i, layer] of layers.entries()) {
    const stored = await hashStream(await layer.compressed());
    assert.equal(stored.digest, manifest.layers[i].digest, `layer ${i} digest`);
    assert.equal(stored.size, manifest.layers[i].size, `layer ${i} size`);
    assert.equal(await layer.size(), stored.size);
    const tar = await hashStream(await layer.uncompressed());
    assert.equal(tar.digest, config.rootfs.diff_ids[i], `layer ${i} diff ID`);
    assert.equal(await layer.diffId(), tar.digest);
    assert.equal(await layer.digest(), stored.digest);
  }
}
