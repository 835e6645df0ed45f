/**
 * Resolving base images for `cache diff --resolve-base` against the real loopback registry (two images pushed under
 * one tag) and the real engine's local images.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { chainId, resolveBaseImage } from '../../../src/image/sources/base-image.js';
import { needsEngine } from '../../support/engine.js';
import { needsRegistries, testRegistries, uniqueRepository } from '../../support/registries.js';
import { mediaTypes, RegistryPusher, type SyntheticImage, sha256, syntheticImage } from '../../support/registry-push.js';

/** The same layers under another config (a label and an ENV): a new manifest digest, the same ChainID. */
function withConfig(image: SyntheticImage, extra: Record<string, unknown>): SyntheticImage {
  const parsed = JSON.parse(image.config.toString('utf8'));
  parsed.config = { ...parsed.config, ...extra };
  const config = Buffer.from(JSON.stringify(parsed));
  const manifest = JSON.parse(image.manifest.toString('utf8'));
  manifest.config = { mediaType: mediaTypes[image.format].config, digest: sha256(config), size: config.length };
  const bytes = Buffer.from(JSON.stringify(manifest));
  return { ...image, config, manifest: bytes, manifestDigest: sha256(bytes) };
}

describe('chainId', () => {
  test('is the first diff ID alone, then sha256 of "parent child" (OCI image-spec identity)', () => {
    const a = `sha256:${'a'.repeat(64)}`;
    const b = `sha256:${'b'.repeat(64)}`;
    assert.equal(chainId([a]), a);
    assert.equal(chainId([a, b]), `sha256:${createHash('sha256').update(`${a} ${b}`).digest('hex')}`);
    assert.equal(chainId([]), '');
  });
});

describe('resolveBaseImage from a registry (real loopback registry)', () => {
  test(
    'two images pushed under one tag: a new digest and new layers; a config-only re-push keeps the layers',
    needsRegistries(),
    async () => {
      const { open } = testRegistries();
      const repository = uniqueRepository('resolve-base');
      const pusher = new RegistryPusher(open);
      const ref = `${open}/${repository}:stable`;

      const first = await syntheticImage('docker', [{ 'etc/os-release': 'one' }]);
      await pusher.image(repository, first, 'stable');
      const one = await resolveBaseImage(ref, { source: 'registry' });
      assert.equal(one.digest, first.manifestDigest);
      assert.equal(one.layers, first.layers[0].diffId);
      assert.equal(one.id, sha256(first.config));
      assert.deepEqual(one.env, ['PATH=/usr/bin:/bin']);
      assert.equal(one.source, 'registry');

      const second = await syntheticImage('oci', [{ 'etc/os-release': 'one' }, { 'usr/bin/new': 'two' }]);
      await pusher.image(repository, second, 'stable');
      const two = await resolveBaseImage(ref, { source: 'registry' });
      assert.equal(two.digest, second.manifestDigest);
      assert.notEqual(two.layers, one.layers);

      const relabelled = withConfig(first, { Labels: { rebuilt: 'yes' }, WorkingDir: '/srv', User: 'app' });
      await pusher.image(repository, relabelled, 'stable');
      const three = await resolveBaseImage(ref, { source: 'registry' });
      assert.notEqual(three.digest, one.digest);
      assert.notEqual(three.id, one.id);
      assert.equal(three.layers, one.layers);
      assert.equal(three.workingDir, '/srv');
      assert.equal(three.user, 'app');

      // Pinned by digest, the registry answers for the first push even though the tag moved on.
      const pinned = await resolveBaseImage(`${open}/${repository}@${first.manifestDigest}`, { source: 'auto' });
      assert.equal(pinned.layers, one.layers);
      assert.equal(pinned.digest, one.digest);
    },
  );

  test('an index resolves to its digest and the layers of the asked platform', needsRegistries(), async () => {
    const { open } = testRegistries();
    const repository = uniqueRepository('resolve-base-index');
    const amd = await syntheticImage('oci', [{ a: 'amd64' }], { os: 'linux', architecture: 'amd64' });
    const arm = await syntheticImage('oci', [{ a: 'arm64' }], { os: 'linux', architecture: 'arm64' });
    const digest = await new RegistryPusher(open).index(repository, 'oci', [amd, arm], 'multi');
    const ref = `${open}/${repository}:multi`;
    const resolved = await resolveBaseImage(ref, { source: 'registry', platform: { os: 'linux', architecture: 'arm64' } });
    assert.equal(resolved.digest, digest);
    assert.equal(resolved.layers, arm.layers[0].diffId);
  });

  test('a tag the registry does not have is an input error naming it', needsRegistries(), async () => {
    const { open } = testRegistries();
    await assert.rejects(resolveBaseImage(`${open}/${uniqueRepository('missing')}:none`, { source: 'registry' }), {
      name: 'InputError',
    });
  });
});

describe('resolveBaseImage from the engine (real engine)', () => {
  test("auto prefers the engine's local image, as a default build does; daemon requires it", needsEngine(), async () => {
    const local = await resolveBaseImage('debian:bookworm', { source: 'auto' });
    assert.equal(local.source, 'daemon');
    assert.match(local.layers, /^sha256:[0-9a-f]{64}$/);
    assert.equal(local.id, local.digest);
    const [id, layers] = execFileSync(
      'docker',
      ['image', 'inspect', 'debian:bookworm', '--format', '{{json .Id}}\n{{json .RootFS.Layers}}'],
      {
        encoding: 'utf8',
      },
    )
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.equal(local.id, id);
    assert.equal(local.layers, chainId(layers));
    await assert.rejects(resolveBaseImage(`layerwise-test/no-such-image:${Date.now()}`, { source: 'daemon' }), {
      name: 'InputError',
      message: /the engine has no such image/,
    });
  });
});
