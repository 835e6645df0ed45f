/** Image references: skopeo transports and Docker's normalisation (distribution/reference's rules), as a table. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../src/errors.js';
import {
  familiarReference,
  formatImageRef,
  formatReference,
  isLoopbackDomain,
  manifestReference,
  parseDockerReference,
  parseImageRef,
  registryApiHost,
} from '../../src/image/ref.js';

const D = 'sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c';
const HEX = D.slice('sha256:'.length);

describe('Docker reference normalisation', () => {
  // input → fully qualified reference, familiar form
  const valid: [string, string, string][] = [
    ['ubuntu', 'docker.io/library/ubuntu:latest', 'ubuntu:latest'],
    ['ubuntu:22.04', 'docker.io/library/ubuntu:22.04', 'ubuntu:22.04'],
    ['library/ubuntu', 'docker.io/library/ubuntu:latest', 'ubuntu:latest'],
    ['docker.io/ubuntu', 'docker.io/library/ubuntu:latest', 'ubuntu:latest'],
    ['index.docker.io/ubuntu', 'docker.io/library/ubuntu:latest', 'ubuntu:latest'],
    ['index.docker.io/fooo/bar', 'docker.io/fooo/bar:latest', 'fooo/bar:latest'],
    ['docker.io/library/foo/bar', 'docker.io/library/foo/bar:latest', 'library/foo/bar:latest'],
    ['store/foo/bar', 'docker.io/store/foo/bar:latest', 'store/foo/bar:latest'],
    ['test_com/foo', 'docker.io/test_com/foo:latest', 'test_com/foo:latest'],
    ['test.com/foo', 'test.com/foo:latest', 'test.com/foo:latest'],
    ['test-com:8080/foo', 'test-com:8080/foo:latest', 'test-com:8080/foo:latest'],
    ['localhost/foo', 'localhost/foo:latest', 'localhost/foo:latest'],
    ['localhost:5000/a/b:v1', 'localhost:5000/a/b:v1', 'localhost:5000/a/b:v1'],
    ['Foo/bar', 'Foo/bar:latest', 'Foo/bar:latest'],
    ['127.0.0.1:5000/debian', '127.0.0.1:5000/debian:latest', '127.0.0.1:5000/debian:latest'],
    ['[fc00::1]:5000/docker/docker', '[fc00::1]:5000/docker/docker:latest', '[fc00::1]:5000/docker/docker:latest'],
    ['192.168.0.1', 'docker.io/library/192.168.0.1:latest', '192.168.0.1:latest'],
    ['192.168.0.1:80', 'docker.io/library/192.168.0.1:80', '192.168.0.1:80'],
    ['xn--n3h.com:18080/foo', 'xn--n3h.com:18080/foo:latest', 'xn--n3h.com:18080/foo:latest'],
    ['dock__er/docker---rules', 'docker.io/dock__er/docker---rules:latest', 'dock__er/docker---rules:latest'],
    [`redis@${D}`, `docker.io/library/redis@${D}`, `redis@${D}`],
    [`busybox:1.36@${D}`, `docker.io/library/busybox:1.36@${D}`, `busybox:1.36@${D}`],
    [`host:5000/a/b@${D}`, `host:5000/a/b@${D}`, `host:5000/a/b@${D}`],
    [`docker.io/${HEX}`, `docker.io/library/${HEX}:latest`, `${HEX}:latest`],
    [HEX.slice(0, 63), `docker.io/library/${HEX.slice(0, 63)}:latest`, `${HEX.slice(0, 63)}:latest`],
    ['a:Tag_1.x-Y', 'docker.io/library/a:Tag_1.x-Y', 'a:Tag_1.x-Y'],
  ];
  for (const [input, full, familiar] of valid)
    test(input, () => {
      const reference = parseDockerReference(input);
      assert.equal(formatReference(reference), full);
      assert.equal(familiarReference(reference), familiar);
    });

  const invalid: [string, RegExp][] = [
    ['', /at least one component/],
    [HEX, /64-byte hexadecimal/],
    ['docker/Docker', /must be lowercase/],
    ['docker.io/docker/Docker', /must be lowercase/],
    ['-docker', /invalid reference format/],
    ['docker-/docker', /invalid reference format/],
    ['docker///docker', /invalid reference format/],
    ['dock..er/docker', /invalid reference format/],
    ['____/____', /invalid reference format/],
    ['docker/', /invalid reference format/],
    ['https://github.com/docker/docker', /invalid reference format/],
    ['[fc00::1]:5000', /invalid reference format/],
    ['fc00::1:5000/debian', /invalid reference format/],
    ['[fe80::1%eth0]:5000/debian', /invalid reference format/],
    ['a:-tag', /invalid reference format/],
    [`a:${'t'.repeat(129)}`, /invalid reference format/],
    ['a@sha256:abc', /invalid reference format/],
    [`a@md5:${'a'.repeat(32)}`, /unsupported digest algorithm md5/],
    [`a@sha256:${HEX}00`, /digest length/],
    [`a@sha256:${HEX.toUpperCase()}`, /lower-case hex/],
    [`${'a'.repeat(200)}/${'b'.repeat(60)}`, /not be more than 255/],
  ];
  for (const [input, message] of invalid)
    test(`refuses ${JSON.stringify(input.length > 60 ? `${input.slice(0, 60)}…` : input)}`, () => {
      assert.throws(
        () => parseDockerReference(input),
        (error: unknown) =>
          error instanceof InputError && message.test(error.message) && error.message.includes('invalid image reference'),
      );
    });

  test('a digest wins over a tag when asking the registry, as docker pull does', () => {
    assert.equal(manifestReference(parseDockerReference(`busybox:1.36@${D}`)), D);
    assert.equal(manifestReference(parseDockerReference('busybox')), 'latest');
  });
});

describe('registry hosts', () => {
  test('Docker Hub is served by registry-1.docker.io; other domains by themselves', () => {
    assert.equal(registryApiHost('docker.io'), 'registry-1.docker.io');
    assert.equal(registryApiHost('127.0.0.1:5000'), '127.0.0.1:5000');
    assert.equal(registryApiHost('ghcr.io'), 'ghcr.io');
  });
  const loopback: [string, boolean][] = [
    ['localhost', true],
    ['localhost:5000', true],
    ['registry.localhost:5000', true],
    ['127.0.0.1:5000', true],
    ['127.1.2.3', true],
    ['[::1]:5000', true],
    ['128.0.0.1:5000', false],
    ['127.0.0.256', false],
    ['docker.io', false],
    ['mylocalhost:5000', false],
    ['[fc00::1]:5000', false],
  ];
  for (const [domain, expected] of loopback)
    test(`${domain} is ${expected ? '' : 'not '}loopback`, () => assert.equal(isLoopbackDomain(domain), expected));
});

describe('transports', () => {
  const cases: [string, unknown][] = [
    ['ubuntu', { transport: 'docker', reference: { domain: 'docker.io', path: 'library/ubuntu', tag: 'latest' } }],
    ['docker://ubuntu:22.04', { transport: 'docker', reference: { domain: 'docker.io', path: 'library/ubuntu', tag: '22.04' } }],
    ['docker://127.0.0.1:5000/a/b', { transport: 'docker', reference: { domain: '127.0.0.1:5000', path: 'a/b', tag: 'latest' } }],
    ['docker:24-dind', { transport: 'docker', reference: { domain: 'docker.io', path: 'library/docker', tag: '24-dind' } }],
    ['docker-archive:/tmp/a.tar', { transport: 'docker-archive', path: '/tmp/a.tar' }],
    [
      'docker-archive:a.tar:app:1',
      { transport: 'docker-archive', path: 'a.tar', reference: { domain: 'docker.io', path: 'library/app', tag: '1' } },
    ],
    ['docker-archive:a.tar:@2', { transport: 'docker-archive', path: 'a.tar', sourceIndex: 2 }],
    ['oci:./layout', { transport: 'oci', path: './layout' }],
    ['oci:./layout:', { transport: 'oci', path: './layout' }],
    ['oci:/x/layout:v1.2', { transport: 'oci', path: '/x/layout', tag: 'v1.2' }],
    ['oci:/x/layout:ghcr.io/a/b:1', { transport: 'oci', path: '/x/layout', tag: 'ghcr.io/a/b:1' }],
    ['oci:/x/layout:@0', { transport: 'oci', path: '/x/layout', sourceIndex: 0 }],
    ['docker-daemon:app', { transport: 'docker-daemon', reference: { domain: 'docker.io', path: 'library/app', tag: 'latest' } }],
    [
      'docker-daemon:localhost:5000/app:2',
      { transport: 'docker-daemon', reference: { domain: 'localhost:5000', path: 'app', tag: '2' } },
    ],
    [`docker-daemon:${D}`, { transport: 'docker-daemon', id: D }],
  ];
  for (const [input, expected] of cases)
    test(input, () => {
      const ref = parseImageRef(input);
      assert.deepEqual(ref, expected);
      assert.deepEqual(parseImageRef(formatImageRef(ref)), ref, 'formatImageRef round-trips');
    });

  const invalid: [string, RegExp][] = [
    ['docker-archive:', /needs a path/],
    ['docker-archive::app', /needs a path/],
    [`docker-archive:a.tar:app@${D}`, /does not support digest/],
    ['docker-archive:a.tar:@x', /invalid source index/],
    ['oci:', /needs a directory/],
    ['oci:dir:-bad', /invalid OCI layout tag/],
    ['docker-daemon:sha256:abc', /digest length/],
    [`docker-daemon:sha512:${'a'.repeat(128)}`, /must be sha256/],
    ['docker-daemon:sha256', /reserved for image IDs/],
    ['docker://', /at least one component/],
    ['docker://UPPER', /must be lowercase/],
  ];
  for (const [input, message] of invalid)
    test(`refuses ${input.length > 60 ? `${input.slice(0, 60)}…` : input}`, () => {
      assert.throws(
        () => parseImageRef(input),
        (error: unknown) => error instanceof InputError && message.test(error.message),
      );
    });
});
