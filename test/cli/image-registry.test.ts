/**
 * `layerwise image …` on registry references, end to end against the real test registry: the same image read from
 * the registry and from an OCI layout gives the same report; --platform picks from an index; failures exit 2 with
 * the reference named, never a stack trace.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { buildImage, type FileSpec, writeOciLayout } from '../support/random-image.js';
import { needsRegistries, registries, uniqueRepository } from '../support/registries.js';
import { RegistryPusher, syntheticImage } from '../support/registry-push.js';

const layers: FileSpec[][] = [
  [
    { path: 'etc/', type: 'directory' },
    { path: 'etc/os-release', content: 'ID=test\n' },
    { path: 'bin/tool', content: 9000 },
  ],
  [
    { path: 'var/', type: 'directory' },
    { path: 'var/cache.bin', content: 30_000 },
  ],
  [{ path: 'var/.wh.cache.bin' }, { path: 'app', content: 'hello' }],
];
const history = [
  { createdBy: 'ADD rootfs.tar /' },
  { createdBy: 'ENV A=1', emptyLayer: true },
  { createdBy: 'RUN /bin/sh -c make-cache # buildkit' },
  { createdBy: 'RUN /bin/sh -c rm /var/cache.bin # buildkit' },
];

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

describe('image commands on registry images', needsRegistries(), () => {
  const r = registries!;
  const scratch = mkdtempSync(join(tmpdir(), 'layerwise-cli-registry-'));
  let reference: string;
  let layout: string;
  before(async () => {
    const image = await buildImage({ layers, history, compression: 'gzip' });
    const repository = uniqueRepository('cli');
    await new RegistryPusher(r.open).built(repository, image, 'v1');
    reference = `${r.open}/${repository}:v1`;
    layout = join(scratch, 'layout');
    await writeOciLayout(layout, [{ image, tag: 'v1' }]);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  for (const command of ['history', 'analyze'])
    test(`image ${command} --format json: the registry and an OCI layout of the same image agree`, async () => {
      const fromRegistry = await run('image', command, '--format', 'json', reference);
      assert.equal(fromRegistry.code, 0, fromRegistry.err);
      const fromLayout = await run('image', command, '--format', 'json', `oci:${layout}:v1`);
      assert.equal(fromLayout.code, 0, fromLayout.err);
      const strip = (text: string) => {
        const { image: _image, source: _source, ...rest } = JSON.parse(text);
        return rest;
      };
      assert.deepEqual(strip(fromRegistry.out), strip(fromLayout.out));
      const json = JSON.parse(fromRegistry.out);
      if (command === 'history')
        assert.deepEqual(
          json.layers.map((layer: { createdBy: string; emptyLayer: boolean }) => [layer.createdBy, layer.emptyLayer]),
          history.map((entry) => [entry.createdBy, Boolean(entry.emptyLayer)]),
        );
    });

  test('--platform picks from a two-platform index; docker:// works as well as a bare reference', async () => {
    const repository = uniqueRepository('cli-index');
    const amd64 = await syntheticImage('docker', [{ amd: 'x' }], { os: 'linux', architecture: 'amd64' });
    const arm64 = await syntheticImage('docker', [{ arm: 'yy' }], { os: 'linux', architecture: 'arm64' });
    await new RegistryPusher(r.open).index(repository, 'docker', [amd64, arm64], 'multi');
    const arm = await run(
      'image',
      'history',
      '--format',
      'json',
      '--platform',
      'linux/arm64',
      `docker://${r.open}/${repository}:multi`,
    );
    assert.equal(arm.code, 0, arm.err);
    assert.deepEqual(
      JSON.parse(arm.out).layers.map((layer: { digest: string }) => layer.digest),
      arm64.layers.map((layer) => layer.digest),
    );
    const missing = await run('image', 'history', '--platform', 'linux/s390x', `${r.open}/${repository}:multi`);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no image for platform linux\/s390x \(available: linux\/amd64, linux\/arm64\)/);
  });

  test('a missing tag and a registry wanting credentials exit 2 with a one-line reason', async () => {
    const missing = await run('image', 'history', `${r.open}/layerwise-test/never-pushed:v9`);
    assert.equal(missing.code, 2);
    assert.equal(
      missing.err.trim(),
      `${r.open}/layerwise-test/never-pushed: manifest v9 not found: MANIFEST_UNKNOWN manifest unknown`,
    );
    const saved = process.env.DOCKER_CONFIG;
    process.env.DOCKER_CONFIG = scratch; // no config.json there: anonymous
    try {
      const locked = await run('image', 'history', `${r.basic}/layerwise-test/anything:v1`);
      assert.equal(locked.code, 2);
      assert.match(
        locked.err,
        /authentication required .* no credentials for this registry in the Docker config \(docker login 127\.0\.0\.1:5001\)/,
      );
      assert.doesNotMatch(locked.err, /\n\s+at /);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_CONFIG;
      else process.env.DOCKER_CONFIG = saved;
    }
  });

  test('--insecure: plain HTTP to a registry that is not on loopback; without it, HTTPS and a clear refusal', async (t) => {
    // The machine's first non-loopback IPv4 address, forwarded to the loopback registry: a registry "elsewhere".
    const address = Object.values(networkInterfaces())
      .flat()
      .find((info) => info && info.family === 'IPv4' && !info.internal)?.address;
    if (!address) return t.skip('SKIPPED: no non-loopback IPv4 address on this machine');
    const [host, port] = r.open.split(':');
    const sockets = new Set<Socket>();
    const forwarder = createServer((client) => {
      const upstream = connect(Number(port), host);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => forwarder.listen(0, address, resolve));
    t.after(() => {
      for (const socket of sockets) socket.destroy();
      forwarder.close();
    });
    const elsewhere = `${address}:${(forwarder.address() as AddressInfo).port}`;
    const remote = reference.replace(r.open, elsewhere);
    const refused = await run('image', 'history', '--format', 'json', remote);
    assert.equal(refused.code, 2, refused.err);
    assert.equal(refused.err.trim().split('\n').length, 1, refused.err);
    assert.equal(
      refused.err.trim(),
      `${remote.split(':v1')[0]}: cannot reach the registry at https://${elsewhere}: it does not speak HTTPS (a plain-HTTP registry? --insecure reads it over HTTP)`,
    );
    const insecure = await run('image', 'history', '--insecure', '--format', 'json', remote);
    assert.equal(insecure.code, 0, insecure.err);
    const direct = await run('image', 'history', '--format', 'json', reference);
    const layersOf = (text: string) => JSON.parse(text).layers;
    assert.deepEqual(layersOf(insecure.out), layersOf(direct.out));
  });
});
