/**
 * The registry source against real registries (scripts/registry.sh): Docker v2 and OCI images and indexes pushed
 * through the distribution API, read back as Images; auth from a temporary DOCKER_CONFIG (inline and through a
 * credential helper); blob redirects to storage on another origin; 404s; and — through a loopback proxy in front of
 * the real registry — retries on 503 and dropped connections, and digest mismatches.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { InputError } from '../../src/errors.js';
import type { Image } from '../../src/image/image.js';
import { RegistryClient } from '../../src/image/sources/registry/client.js';
import { openRegistry, openRegistryImage } from '../../src/image/sources/registry.js';
import { collect, hasZstdBinary } from '../support/compress.js';
import { startFileServer, startProxy } from '../support/loopback-servers.js';
import { buildImage, randomLayers, writeOciLayout } from '../support/random-image.js';
import { needsRegistries, registries, uniqueRepository } from '../support/registries.js';
import { RegistryPusher, type SyntheticImage, sha256, syntheticImage } from '../support/registry-push.js';
import { validateImage } from '../support/validate-image.js';

const fast = { retry: { baseDelayMs: 1, maxDelayMs: 5 } };

/** Reads everything an Image offers and checks it against what was pushed (the core verifies every digest). */
async function assertImage(image: Image, pushed: SyntheticImage): Promise<void> {
  assert.equal(await image.digest(), pushed.manifestDigest);
  assert.deepEqual(Buffer.from(await image.rawManifest()), pushed.manifest);
  assert.deepEqual(Buffer.from(await image.rawConfigFile()), pushed.config);
  assert.equal(await image.configName(), sha256(pushed.config));
  const config = await image.configFile();
  assert.equal(config.architecture, pushed.platform.architecture);
  const layers = await image.layers();
  assert.equal(layers.length, pushed.layers.length);
  for (const [index, layer] of layers.entries()) {
    assert.equal(await layer.digest(), pushed.layers[index].digest);
    assert.equal(await layer.diffId(), pushed.layers[index].diffId);
    assert.equal(await layer.compression(), 'gzip');
    assert.deepEqual(await collect(await layer.compressed()), pushed.layers[index].blob);
    assert.deepEqual(await collect(await layer.uncompressed()), pushed.layers[index].tar);
  }
  await validateImage(image);
  await image.close();
}

describe('registry source (real registries)', needsRegistries(), () => {
  const r = registries!;
  const login = { username: r.user, password: r.password };

  describe('the open registry', () => {
    const pusher = new RegistryPusher(r.open);
    for (const format of ['docker', 'oci'] as const)
      test(`a ${format} image, by tag and by digest`, async () => {
        const repository = uniqueRepository(format);
        const image = await syntheticImage(format, [{ 'etc/a.txt': 'hello' }, { 'usr/b.bin': Buffer.alloc(70_000, 7) }]);
        const digest = await pusher.image(repository, image, 'v1');
        assert.equal(digest, image.manifestDigest);
        const opened = await openRegistryImage(`${r.open}/${repository}:v1`);
        assert.equal(opened.source, `docker://${r.open}/${repository}:v1`);
        assert.equal(
          await opened.mediaType(),
          format === 'docker'
            ? 'application/vnd.docker.distribution.manifest.v2+json'
            : 'application/vnd.oci.image.manifest.v1+json',
        );
        await assertImage(opened, image);
        await assertImage(await openRegistryImage(`docker://${r.open}/${repository}@${digest}`), image);
        await assertImage(await openRegistryImage(`${r.open}/${repository}:ignored@${digest}`), image);
        const head = await new RegistryClient(r.open).manifestHead(repository, 'v1');
        assert.deepEqual(head, { mediaType: await opened.mediaType(), digest, size: image.manifest.length });
      });

    for (const format of ['docker', 'oci'] as const)
      test(`a ${format} index with two platforms: the host's by default, --platform picks`, async () => {
        const repository = uniqueRepository(`${format}-index`);
        const amd64 = await syntheticImage(format, [{ arch: 'amd64' }], { os: 'linux', architecture: 'amd64' });
        const arm64 = await syntheticImage(format, [{ arch: 'arm64' }], { os: 'linux', architecture: 'arm64', variant: 'v8' });
        await pusher.index(repository, format, [amd64, arm64], 'multi');
        const reference = `${r.open}/${repository}:multi`;
        const index = await openRegistry(reference);
        assert.ok('indexManifest' in index);
        assert.equal((await index.indexManifest()).manifests.length, 2);
        await assertImage(await openRegistryImage(reference, { defaultPlatform: { os: 'linux', architecture: 'amd64' } }), amd64);
        await assertImage(await openRegistryImage(reference, { defaultPlatform: { os: 'linux', architecture: 'arm64' } }), arm64);
        await assertImage(
          await openRegistryImage(reference, { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }),
          arm64,
        );
        await assert.rejects(
          openRegistryImage(reference, { platform: { os: 'linux', architecture: 's390x' } }),
          (error: unknown) =>
            error instanceof InputError &&
            /no image for platform linux\/s390x \(available: linux\/amd64, linux\/arm64\/v8\)/.test(error.message),
        );
      });

    test('random images with gzip, zstd and uncompressed layers pass validateImage', async () => {
      const compressions = hasZstdBinary() ? (['gzip', 'zstd', 'none'] as const) : (['gzip', 'none'] as const);
      for (const compression of compressions) {
        const repository = uniqueRepository(`random-${compression}`);
        const built = await buildImage({ layers: randomLayers(3), compression });
        await pusher.built(repository, built, 'v1');
        const image = await openRegistryImage(`${r.open}/${repository}:v1`);
        await validateImage(image);
        for (const [index, layer] of (await image.layers()).entries()) {
          assert.equal(await layer.compression(), compression);
          assert.deepEqual(await collect(await layer.uncompressed()), built.tars[index]);
        }
      }
    });

    test('images copied in by skopeo (a real client), as Docker v2 and as OCI', async () => {
      const built = await buildImage({ layers: randomLayers(2) });
      const layout = mkdtempSync(join(tmpdir(), 'layerwise-oci-'));
      try {
        await writeOciLayout(layout, [{ image: built, tag: 'v1' }]);
        for (const [format, mediaType] of [
          ['v2s2', 'application/vnd.docker.distribution.manifest.v2+json'],
          ['oci', 'application/vnd.oci.image.manifest.v1+json'],
        ] as const) {
          const repository = uniqueRepository(`skopeo-${format}`);
          execFileSync(
            'skopeo',
            [
              '--insecure-policy',
              'copy',
              '--quiet',
              '--dest-tls-verify=false',
              '--format',
              format,
              `oci:${layout}:v1`,
              `docker://${r.open}/${repository}:v1`,
            ],
            { stdio: ['ignore', 'ignore', 'pipe'] },
          );
          const image = await openRegistryImage(`${r.open}/${repository}:v1`);
          assert.equal(await image.mediaType(), mediaType);
          await validateImage(image);
          const layers = await image.layers();
          assert.deepEqual(
            await Promise.all(layers.map((layer) => layer.diffId())),
            built.tars.map((tar) => sha256(tar)),
          );
        }
      } finally {
        rmSync(layout, { recursive: true, force: true });
      }
    });

    test('404s name the reference: unknown tag, unknown repository, missing blob', async () => {
      const repository = uniqueRepository('missing');
      const image = await syntheticImage('oci', [{ a: 'a' }]);
      await pusher.image(repository, image, 'v1');
      await assert.rejects(openRegistryImage(`${r.open}/${repository}:nope`), {
        name: 'InputError',
        message: `${r.open}/${repository}: manifest nope not found: MANIFEST_UNKNOWN manifest unknown`,
      });
      await assert.rejects(
        openRegistryImage(`${r.open}/layerwise-test/never-pushed:v1`),
        (error: unknown) =>
          error instanceof InputError && error.message.startsWith(`${r.open}/layerwise-test/never-pushed: manifest v1 not found`),
      );
      const client = new RegistryClient(r.open);
      await assert.rejects(
        client.blob(repository, sha256('absent')),
        (error: unknown) => error instanceof InputError && error.message.includes(`blob ${sha256('absent')} not found`),
      );
    });

    test('manifests are read with a size bound', async () => {
      const repository = uniqueRepository('bounded');
      const image = await syntheticImage('docker', [{ a: 'a' }]);
      await pusher.image(repository, image, 'v1');
      await assert.rejects(
        openRegistryImage(`${r.open}/${repository}:v1`, { maxManifestBytes: 100 }),
        /manifest v1 is \d+ bytes, over the 100-byte limit/,
      );
    });

    test('a registry that is not there is a clear error, not a hang or a stack trace', async () => {
      // a port that was free a moment ago: nothing listens there
      const probe = await startFileServer(tmpdir());
      await probe.close();
      await assert.rejects(
        openRegistryImage(`${probe.address}/a/b:v1`, fast),
        (error: unknown) =>
          error instanceof InputError &&
          error.message.startsWith(`${probe.address}/a/b: cannot reach the registry at http://${probe.address}: `) &&
          error.message.includes('ECONNREFUSED'),
      );
    });
  });

  describe('retries and tampering, through a loopback proxy', () => {
    const pusher = new RegistryPusher(r.open);
    let repository: string;
    let image: SyntheticImage;
    before(async () => {
      repository = uniqueRepository('proxied');
      image = await syntheticImage('docker', [{ 'a.txt': 'retry me' }]);
      await pusher.image(repository, image, 'v1');
    });

    test('503s, 429s and dropped connections are retried with backoff', async () => {
      const delays: number[] = [];
      const sleep = async (ms: number) => {
        delays.push(ms);
      };
      for (const failure of [503, 429, 'reset'] as const) {
        const proxy = await startProxy(r.open, { fault: (n) => (n <= 2 ? failure : 'pass') });
        try {
          await assertImage(
            await openRegistryImage(`${proxy.address}/${repository}:v1`, { sleep, retry: { baseDelayMs: 100 } }),
            image,
          );
          assert.equal(proxy.seen[0].url, `/v2/${repository}/manifests/v1`);
          assert.equal(proxy.seen[1].url, `/v2/${repository}/manifests/v1`);
          assert.equal(proxy.seen[2].url, `/v2/${repository}/manifests/v1`);
        } finally {
          await proxy.close();
        }
      }
      // 503s and 429s carry Retry-After: 0 (honoured); resets back off exponentially with jitter.
      assert.deepEqual(delays.slice(0, 4), [0, 0, 0, 0]);
      assert.ok(delays[4] >= 80 && delays[4] <= 120 && delays[5] >= 160 && delays[5] <= 240, String(delays));
    });

    test('a blob download broken off mid-way resumes with Range where it stopped, or restarts on a 200', async () => {
      const resumable = uniqueRepository('resume');
      const big = await syntheticImage('oci', [{ 'big.bin': randomBytes(3_000_000) }]);
      await pusher.image(resumable, big, 'v1');
      const blob = big.layers[0];
      const blobUrl = `/v2/${resumable}/blobs/${blob.digest}`;
      assert.ok(blob.blob.length > 2_000_000);
      for (const ignoreRange of [false, true]) {
        // The proxy drops the connection once, after passing on exactly 1,000,000 bytes of the blob.
        const proxy = await startProxy(r.open, { cutOnceAfter: 1_000_000, ignoreRange });
        try {
          const opened = await openRegistryImage(`${proxy.address}/${resumable}:v1`, fast);
          const [layer] = await opened.layers();
          // compressed() checks the blob's digest and size over the resumed stream; uncompressed() its diff ID too.
          if (ignoreRange) assert.deepEqual(await collect(await layer.uncompressed()), blob.tar);
          else assert.deepEqual(await collect(await layer.compressed()), blob.blob);
          await opened.close();
          const gets = proxy.seen.filter((seen) => seen.url === blobUrl);
          assert.deepEqual(
            gets.map((seen) => [seen.headers.range === undefined, seen.status]),
            [
              [true, 200],
              [false, ignoreRange ? 200 : 206],
            ],
          );
          // The resume starts at the bytes the client had passed on. The proxy sends exactly 1,000,000 before the cut,
          // but the HTTP stack may drop what was still buffered when the socket broke (CI once saw 940,656), so the
          // offset is any point after the start and no later than the cut — never 0 (a restart) nor past the cut.
          const resumedAt = Number(/^bytes=(\d+)-$/.exec(String(gets[1].headers.range))?.[1]);
          assert.ok(resumedAt > 0 && resumedAt <= 1_000_000, `resumed at ${gets[1].headers.range}`);
        } finally {
          await proxy.close();
        }
      }
    });

    test('retries are bounded: a registry that keeps failing is reported with its status', async () => {
      const proxy = await startProxy(r.open, { fault: () => 503 });
      try {
        await assert.rejects(openRegistryImage(`${proxy.address}/${repository}:v1`, fast), {
          name: 'InputError',
          message: `${proxy.address}/${repository}: the registry answered 503 for manifest v1`,
        });
        assert.equal(proxy.seen.length, 4);
      } finally {
        await proxy.close();
      }
      const dropper = await startProxy(r.open, { fault: () => 'reset' });
      try {
        await assert.rejects(
          openRegistryImage(`${dropper.address}/${repository}:v1`, fast),
          (error: unknown) =>
            error instanceof InputError &&
            error.message.includes('cannot reach the registry') &&
            error.message.includes('after 4 attempts'),
        );
      } finally {
        await dropper.close();
      }
    });

    test('a blob whose bytes do not match its digest fails the stream', async () => {
      const flip = (url: string, body: Buffer) => {
        if (!url.includes(`/blobs/${image.layers[0].digest}`)) return undefined;
        const copy = Buffer.from(body);
        copy[copy.length - 20] ^= 0xff;
        return copy;
      };
      const proxy = await startProxy(r.open, { tamper: flip });
      try {
        const opened = await openRegistryImage(`${proxy.address}/${repository}:v1`);
        const [layer] = await opened.layers();
        await assert.rejects(
          collect(await layer.compressed()),
          (error: unknown) => error instanceof InputError && /digest mismatch/.test(error.message),
        );
      } finally {
        await proxy.close();
      }
    });

    test('a manifest that does not match the digest asked for is refused', async () => {
      const proxy = await startProxy(r.open, {
        tamper: (url, body) =>
          url.includes('/manifests/')
            ? Buffer.from(body.toString().replace('"schemaVersion":2', '"schemaVersion": 2'))
            : undefined,
      });
      try {
        await assert.rejects(
          openRegistryImage(`${proxy.address}/${repository}@${image.manifestDigest}`),
          (error: unknown) =>
            error instanceof InputError &&
            error.message.includes(`manifest digest mismatch`) &&
            error.message.includes(image.manifestDigest),
        );
      } finally {
        await proxy.close();
      }
    });
  });

  describe('basic auth', () => {
    let repository: string;
    let image: SyntheticImage;
    let configDir: string;
    const savedEnv = { DOCKER_CONFIG: process.env.DOCKER_CONFIG, PATH: process.env.PATH };
    before(async () => {
      repository = uniqueRepository('basic');
      image = await syntheticImage('oci', [{ 'secret.txt': 'basic' }]);
      await new RegistryPusher(r.basic, { credentials: login }).image(repository, image, 'v1');
      configDir = mkdtempSync(join(tmpdir(), 'layerwise-docker-config-'));
      process.env.DOCKER_CONFIG = configDir;
    });
    after(() => {
      for (const [key, value] of Object.entries(savedEnv)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      rmSync(configDir, { recursive: true, force: true });
    });
    const writeConfig = (config: unknown) => writeFileSync(join(configDir, 'config.json'), JSON.stringify(config));

    test('without credentials: a clear 401 naming the registry', async () => {
      writeConfig({});
      await assert.rejects(openRegistryImage(`${r.basic}/${repository}:v1`), {
        name: 'InputError',
        message: `${r.basic}: authentication required for ${r.basic}/${repository}: no credentials for this registry in the Docker config (docker login ${r.basic})`,
      });
    });

    test('credentials from DOCKER_CONFIG auths (base64), keyed by host or by URL', async () => {
      const auth = Buffer.from(`${r.user}:${r.password}`).toString('base64');
      writeConfig({ auths: { [r.basic]: { auth } } });
      await assertImage(await openRegistryImage(`${r.basic}/${repository}:v1`), image);
      writeConfig({ auths: { [`http://${r.basic}/v2/`]: { auth } } });
      await assertImage(await openRegistryImage(`${r.basic}/${repository}:v1`), image);
    });

    test('wrong credentials are reported as refused', async () => {
      writeConfig({ auths: { [r.basic]: { auth: Buffer.from(`${r.user}:wrong`).toString('base64') } } });
      await assert.rejects(
        openRegistryImage(`${r.basic}/${repository}:v1`),
        (error: unknown) =>
          error instanceof InputError &&
          error.message.includes('unauthorized') &&
          error.message.includes('refused the credentials'),
      );
    });

    test('credentials from a credential helper (credHelpers beats credsStore)', async () => {
      const bin = join(configDir, 'bin');
      mkdirSync(bin, { recursive: true });
      const helper = (name: string, script: string) => {
        writeFileSync(join(bin, `docker-credential-${name}`), `#!/bin/sh\n${script}\n`);
        chmodSync(join(bin, `docker-credential-${name}`), 0o755);
      };
      // A real helper speaks the protocol: `get` with the server address on stdin, JSON on stdout.
      helper(
        'layerwise-good',
        `[ "$1" = get ] || exit 1\nread server\n[ "$server" = "${r.basic}" ] || { echo "credentials not found in native keychain"; exit 1; }\necho '{"ServerURL":"'"$server"'","Username":"${r.user}","Secret":"${r.password}"}'`,
      );
      helper('layerwise-empty', 'echo "credentials not found in native keychain"; exit 1');
      process.env.PATH = `${bin}${delimiter}${savedEnv.PATH}`;
      writeConfig({ credsStore: 'layerwise-empty', credHelpers: { [r.basic]: 'layerwise-good' } });
      await assertImage(await openRegistryImage(`${r.basic}/${repository}:v1`), image);
      writeConfig({ credsStore: 'layerwise-empty' });
      await assert.rejects(openRegistryImage(`${r.basic}/${repository}:v1`), /authentication required/);
      writeConfig({ credsStore: 'layerwise-absent' });
      await assert.rejects(
        openRegistryImage(`${r.basic}/${repository}:v1`),
        /docker-credential-layerwise-absent not found on PATH/,
      );
    });
  });

  describe('redirects to blob storage', () => {
    test('blobs follow the registry redirect; Authorization never leaves the registry origin', async () => {
      const repository = uniqueRepository('redirect');
      const image = await syntheticImage('docker', [{ 'big.bin': Buffer.alloc(200_000, 3) }, { 'small.txt': 'x' }]);
      await new RegistryPusher(r.redirect, { credentials: login }).image(repository, image, 'v1');
      const [, blobPort] = r.blobServer.split(':');
      const storage = await startFileServer(r.redirectStorage, Number(blobPort));
      const proxy = await startProxy(r.redirect);
      try {
        await assertImage(await openRegistryImage(`${proxy.address}/${repository}:v1`, { credentials: login }), image);
        const blobGets = storage.seen.filter((entry) => entry.method === 'GET');
        // config + two layers, each read twice by assertImage (compressed and uncompressed) and once for sniffing
        assert.ok(blobGets.length >= 3, `blob storage served ${blobGets.length} requests`);
        assert.ok(blobGets.every((entry) => entry.url.startsWith('/docker/registry/v2/blobs/sha256/')));
        assert.deepEqual(
          blobGets.filter((entry) => entry.headers.authorization !== undefined),
          [],
        );
        const registryBlobRequests = proxy.seen.filter((entry) => entry.url.includes('/blobs/'));
        assert.ok(registryBlobRequests.length >= 3);
        assert.ok(registryBlobRequests.every((entry) => entry.headers.authorization?.startsWith('Basic ')));
      } finally {
        await proxy.close();
        await storage.close();
      }
    });
  });
});
