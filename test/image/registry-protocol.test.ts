/** The pure parts of the registry client: challenges, token requests, retry delays, Docker credentials, platforms. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { parseTokenResponse, repositoryScope, tokenRequest } from '../../src/image/sources/registry/auth.js';
import { parseChallenges, pickChallenge } from '../../src/image/sources/registry/challenge.js';
import { manifestMediaType, registryErrorDetail } from '../../src/image/sources/registry/client.js';
import {
  authKeyFor,
  credentialSourceFor,
  isHelperNotFound,
  parseHelperOutput,
} from '../../src/image/sources/registry/credentials.js';
import { goPlatform } from '../../src/image/sources/registry/platform.js';
import {
  defaultRetryPolicy,
  isRetryableNetworkError,
  isRetryableStatus,
  retryDelay,
} from '../../src/image/sources/registry/retry.js';

describe('WWW-Authenticate challenges', () => {
  const cases: [string, ReturnType<typeof parseChallenges>][] = [
    ['Basic realm="Registry Realm"', [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]],
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:library/ubuntu:pull',
          },
        },
      ],
    ],
    [
      'Bearer realm="https://r/token",service="r",scope="repository:a:pull",error="insufficient_scope"',
      [
        {
          scheme: 'bearer',
          params: { realm: 'https://r/token', service: 'r', scope: 'repository:a:pull', error: 'insufficient_scope' },
        },
      ],
    ],
    [
      'Basic realm="a", Bearer realm="https://b/t"',
      [
        { scheme: 'basic', params: { realm: 'a' } },
        { scheme: 'bearer', params: { realm: 'https://b/t' } },
      ],
    ],
    ['bearer  Realm = "x\\"y" , service=plain', [{ scheme: 'bearer', params: { realm: 'x"y', service: 'plain' } }]],
    ['Negotiate', [{ scheme: 'negotiate', params: {} }]],
    ['', []],
  ];
  for (const [header, expected] of cases) test(header || '(empty)', () => assert.deepEqual(parseChallenges(header), expected));

  test('Bearer is preferred over Basic; unknown schemes are not answered', () => {
    assert.equal(pickChallenge(parseChallenges('Basic realm="a", Bearer realm="b"'))?.scheme, 'bearer');
    assert.equal(pickChallenge(parseChallenges('Basic realm="a"'))?.scheme, 'basic');
    assert.equal(pickChallenge(parseChallenges('Negotiate')), undefined);
  });
});

describe('token requests', () => {
  const challenge = { scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'reg' } };
  test('anonymous: GET with service and every scope', () => {
    const request = tokenRequest(challenge, [repositoryScope('a/b'), 'repository:c:pull'], undefined, 'reg');
    assert.equal(request.method, 'GET');
    assert.equal(
      request.url.href,
      'https://auth.example/token?service=reg&scope=repository%3Aa%2Fb%3Apull&scope=repository%3Ac%3Apull',
    );
    assert.deepEqual(request.headers, {});
  });
  test('with a password: GET with basic credentials', () => {
    const request = tokenRequest(challenge, [repositoryScope('a', ['pull', 'push'])], { username: 'u', password: 'p:w' }, 'reg');
    assert.equal(request.headers.authorization, `Basic ${Buffer.from('u:p:w').toString('base64')}`);
    assert.equal(request.url.searchParams.get('scope'), 'repository:a:pull,push');
  });
  test('with an identity token: the OAuth2 refresh-token POST', () => {
    const request = tokenRequest(challenge, ['repository:a:pull'], { identityToken: 'refresh' }, 'reg');
    assert.equal(request.method, 'POST');
    assert.equal(request.url.href, 'https://auth.example/token');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(request.body)), {
      grant_type: 'refresh_token',
      refresh_token: 'refresh',
      client_id: 'layerwise',
      service: 'reg',
      scope: 'repository:a:pull',
    });
  });
  test('a challenge without a usable realm is an input error', () => {
    assert.throws(() => tokenRequest({ scheme: 'bearer', params: {} }, [], undefined, 'reg'), /names no realm/);
    assert.throws(
      () => tokenRequest({ scheme: 'bearer', params: { realm: 'file:///etc/passwd' } }, [], undefined, 'reg'),
      /unsupported token realm/,
    );
  });
  test('token answers: token or access_token, expires_in defaulting to 60 s', () => {
    assert.deepEqual(parseTokenResponse('{"token":"t","expires_in":300}', 'r'), { token: 't', expiresIn: 300 });
    assert.deepEqual(parseTokenResponse('{"access_token":"a"}', 'r'), { token: 'a', expiresIn: 60 });
    assert.throws(() => parseTokenResponse('{}', 'r'), /returned no token/);
    assert.throws(() => parseTokenResponse('<html>', 'r'), /not JSON/);
  });
});

describe('retries', () => {
  test('429, 408 and 5xx are retried; 501, 505 and 4xx are not', () => {
    for (const status of [429, 408, 500, 502, 503, 504]) assert.equal(isRetryableStatus(status), true, String(status));
    for (const status of [200, 400, 401, 403, 404, 501, 505]) assert.equal(isRetryableStatus(status), false, String(status));
  });
  test('resets and timeouts are retried, refused connections and DNS failures are not', () => {
    const wrapped = (code: string) =>
      Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
    assert.equal(isRetryableNetworkError(wrapped('ECONNRESET')), true);
    assert.equal(isRetryableNetworkError(wrapped('UND_ERR_SOCKET')), true);
    assert.equal(isRetryableNetworkError(wrapped('ECONNREFUSED')), false);
    assert.equal(isRetryableNetworkError(wrapped('ENOTFOUND')), false);
  });
  test('exponential backoff with jitter, Retry-After honoured, everything capped', () => {
    const policy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(
      retryDelay(1, policy, null, 0, () => 0.5),
      100,
    );
    assert.equal(
      retryDelay(3, policy, null, 0, () => 0.5),
      400,
    );
    assert.equal(
      retryDelay(3, policy, null, 0, () => 0),
      320,
    );
    assert.equal(
      retryDelay(9, policy, null, 0, () => 1),
      1000,
    );
    assert.equal(retryDelay(1, policy, '0', 0), 0);
    assert.equal(retryDelay(1, policy, '2', 0), 1000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(retryDelay(1, policy, 'Thu, 01 Jan 2026 00:00:00 GMT', now), 0);
    assert.equal(retryDelay(1, { ...policy, maxDelayMs: 60_000 }, 'Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
    assert.equal(
      retryDelay(1, policy, 'garbage', 0, () => 0.5),
      100,
    );
  });
});

describe('Docker credentials', () => {
  const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');
  test('Docker Hub is filed under https://index.docker.io/v1/, other registries under host[:port]', () => {
    assert.equal(authKeyFor('docker.io'), 'https://index.docker.io/v1/');
    assert.equal(authKeyFor('127.0.0.1:5000'), '127.0.0.1:5000');
  });
  test('inline auths: base64 user:password (split at the first colon), identity tokens', () => {
    const config = {
      auths: {
        'https://index.docker.io/v1/': { auth: basic('hub', 'pw:with:colons') },
        'https://reg.example:5000/v2/': { auth: basic('u', 'p') },
        'tok.example': { identitytoken: 'refresh' },
      },
    };
    assert.deepEqual(credentialSourceFor(config, 'docker.io'), {
      kind: 'inline',
      credentials: { username: 'hub', password: 'pw:with:colons' },
    });
    assert.deepEqual(credentialSourceFor(config, 'reg.example:5000'), {
      kind: 'inline',
      credentials: { username: 'u', password: 'p' },
    });
    assert.deepEqual(credentialSourceFor(config, 'tok.example'), { kind: 'inline', credentials: { identityToken: 'refresh' } });
    assert.deepEqual(credentialSourceFor(config, 'reg.example'), { kind: 'none' });
    assert.deepEqual(credentialSourceFor({}, 'docker.io'), { kind: 'none' });
  });
  test('credHelpers win over credsStore, which wins over auths', () => {
    const config = {
      auths: { 'a.example': { auth: basic('u', 'p') } },
      credsStore: 'desktop',
      credHelpers: { 'gcr.io': 'gcloud', 'https://index.docker.io/v1/': 'hub' },
    };
    assert.deepEqual(credentialSourceFor(config, 'gcr.io'), { kind: 'helper', helper: 'gcloud', serverAddress: 'gcr.io' });
    assert.deepEqual(credentialSourceFor(config, 'docker.io'), {
      kind: 'helper',
      helper: 'hub',
      serverAddress: 'https://index.docker.io/v1/',
    });
    assert.deepEqual(credentialSourceFor(config, 'a.example'), { kind: 'helper', helper: 'desktop', serverAddress: 'a.example' });
  });
  test('a broken auth entry is an input error', () => {
    assert.throws(() => credentialSourceFor({ auths: { x: { auth: 'bm9jb2xvbg==' } } }, 'x'), InputError);
  });
  test('helper answers: user <token> means an identity token; not-found is recognised', () => {
    assert.deepEqual(parseHelperOutput('{"ServerURL":"x","Username":"u","Secret":"s"}', 'h'), { username: 'u', password: 's' });
    assert.deepEqual(parseHelperOutput('{"Username":"<token>","Secret":"r"}', 'h'), { identityToken: 'r' });
    assert.throws(() => parseHelperOutput('oops', 'h'), /not JSON/);
    assert.equal(isHelperNotFound('credentials not found in native keychain'), true);
  });
});

describe('manifest media types and registry errors', () => {
  test('Content-Type first; a generic one falls back to the mediaType field, then to the shape', () => {
    const docker = Buffer.from('{"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}');
    assert.equal(
      manifestMediaType('application/vnd.oci.image.manifest.v1+json; charset=utf-8', docker),
      'application/vnd.oci.image.manifest.v1+json',
    );
    assert.equal(manifestMediaType('application/json', docker), 'application/vnd.docker.distribution.manifest.v2+json');
    assert.equal(manifestMediaType(null, Buffer.from('{"manifests":[]}')), 'application/vnd.oci.image.index.v1+json');
    assert.equal(manifestMediaType(null, Buffer.from('{"layers":[]}')), 'application/vnd.oci.image.manifest.v1+json');
  });
  test('error bodies become short messages', () => {
    assert.equal(
      registryErrorDetail('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{}}]}'),
      'MANIFEST_UNKNOWN manifest unknown',
    );
    assert.equal(registryErrorDetail('<html>'), '');
  });
});

describe('host platform', () => {
  test('Node names become Go names; ARM gets its variant; non-Windows hosts pull Linux images', () => {
    assert.deepEqual(goPlatform('linux', 'x64'), { os: 'linux', architecture: 'amd64' });
    assert.deepEqual(goPlatform('darwin', 'arm64'), { os: 'linux', architecture: 'arm64' });
    assert.deepEqual(goPlatform('linux', 'arm', '6'), { os: 'linux', architecture: 'arm', variant: 'v6' });
    assert.deepEqual(goPlatform('win32', 'ia32'), { os: 'windows', architecture: '386' });
  });
});
