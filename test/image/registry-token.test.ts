/**
 * A real bearer-token flow: the token-auth registry of scripts/registry.sh verifies JWTs that our test token service
 * (test/support/token-server.ts) signs; the client follows the WWW-Authenticate challenge to it. Checks basic
 * credentials and identity (refresh) tokens from a DOCKER_CONFIG, anonymous pulls, refusals and token caching.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { RegistryClient } from '../../src/image/sources/registry/client.js';
import { openRegistryImage } from '../../src/image/sources/registry.js';
import { needsRegistries, registries, uniqueRepository } from '../support/registries.js';
import { RegistryPusher, type SyntheticImage, syntheticImage } from '../support/registry-push.js';
import { REFRESH_TOKEN, startTokenServer, type TokenServer } from '../support/token-server.js';

async function readAllLayers(reference: string, options: Parameters<typeof openRegistryImage>[1] = {}): Promise<number> {
  const image = await openRegistryImage(reference, options);
  let bytes = 0;
  for (const layer of await image.layers()) for await (const chunk of await layer.uncompressed()) bytes += chunk.length;
  return bytes;
}

describe('bearer tokens against the token-auth registry', needsRegistries(), () => {
  const r = registries!;
  const login = { username: r.user, password: r.password };
  let server: TokenServer;
  let image: SyntheticImage;
  let privateRepository: string;
  let publicRepository: string;
  let configDir: string;
  const savedConfig = process.env.DOCKER_CONFIG;

  before(async () => {
    server = await startTokenServer(r);
    image = await syntheticImage('oci', [{ 'a.txt': 'token' }, { 'b.txt': 'flow' }]);
    privateRepository = uniqueRepository('private');
    publicRepository = `public/${uniqueRepository('open')}`;
    const pusher = new RegistryPusher(r.token, { credentials: login });
    await pusher.image(privateRepository, image, 'v1');
    await pusher.image(publicRepository, image, 'v1');
    configDir = mkdtempSync(join(tmpdir(), 'layerwise-docker-config-'));
    process.env.DOCKER_CONFIG = configDir;
  });
  after(async () => {
    await server?.close();
    if (savedConfig === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = savedConfig;
    rmSync(configDir, { recursive: true, force: true });
  });

  test('the registry really demands a token', async () => {
    const response = await fetch(`http://${r.token}/v2/`);
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer realm="http:\/\/127\.0\.0\.1:\d+\/token",service="/);
  });

  test('credentials from the Docker config are exchanged for a pull token, fetched once and reused', async () => {
    writeFileSync(
      join(configDir, 'config.json'),
      JSON.stringify({ auths: { [r.token]: { auth: Buffer.from(`${r.user}:${r.password}`).toString('base64') } } }),
    );
    const before = server.requests.length;
    assert.ok((await readAllLayers(`${r.token}/${privateRepository}:v1`)) > 0);
    const requests = server.requests.slice(before);
    // manifest, config and two layer blobs, each read after the first: a single token request covered them all
    assert.deepEqual(requests, [
      { method: 'GET', service: r.tokenService, scopes: [`repository:${privateRepository}:pull`], who: `basic:${r.user}` },
    ]);
  });

  test('an identity token in the Docker config uses the OAuth2 refresh-token grant', async () => {
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ auths: { [r.token]: { identitytoken: REFRESH_TOKEN } } }));
    const before = server.requests.length;
    assert.ok((await readAllLayers(`${r.token}/${privateRepository}:v1`)) > 0);
    assert.deepEqual(
      server.requests.slice(before).map((request) => [request.method, request.who]),
      [['POST', 'refresh']],
    );
  });

  test('anonymous pulls work where the token service allows them', async () => {
    writeFileSync(join(configDir, 'config.json'), '{}');
    assert.ok((await readAllLayers(`${r.token}/${publicRepository}:v1`)) > 0);
    assert.equal(server.requests.at(-1)?.who, 'anonymous');
  });

  test('anonymous access to a private repository is refused with a clear message', async () => {
    await assert.rejects(
      openRegistryImage(`${r.token}/${privateRepository}:v1`, { credentials: null }),
      (error: unknown) =>
        error instanceof InputError &&
        error.message.startsWith(`${r.token}/${privateRepository}: unauthorized to read manifest v1`),
    );
  });

  test('wrong credentials are refused by the token service', async () => {
    await assert.rejects(
      openRegistryImage(`${r.token}/${privateRepository}:v1`, { credentials: { username: r.user, password: 'wrong' } }),
      (error: unknown) =>
        error instanceof InputError &&
        /the token service http:\/\/[\d.:]+\/token refused the credentials .*\(401\)/.test(error.message),
    );
  });

  test('one client, two repositories: a token per scope, the challenge remembered', async () => {
    const client = new RegistryClient(r.token, { credentials: login });
    const before = server.requests.length;
    await client.manifest(privateRepository, 'v1');
    await client.manifest(publicRepository, 'v1');
    await client.manifest(privateRepository, 'v1');
    assert.deepEqual(
      server.requests.slice(before).map((request) => request.scopes),
      [[`repository:${privateRepository}:pull`], [`repository:${publicRepository}:pull`]],
    );
  });
});
