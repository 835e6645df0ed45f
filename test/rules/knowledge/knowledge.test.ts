import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBroadSource, sourceCovers } from '../../../src/rules/knowledge/manifests.js';
import { externallyManagedPython, imageName } from '../../../src/rules/knowledge/pep668.js';
import { isVolatileArg } from '../../../src/rules/knowledge/volatile-args.js';

test('imageName drops registry, library/ and digest', () => {
  assert.deepEqual(imageName('docker.io/library/debian:12-slim@sha256:abc'), { repository: 'debian', tag: '12-slim' });
  assert.deepEqual(imageName('localhost:5000/ubuntu'), { repository: 'ubuntu', tag: 'latest' });
  assert.deepEqual(imageName('ghcr.io/org/Tool:V1'), { repository: 'org/tool', tag: 'v1' });
});

test('externallyManagedPython knows Debian, Ubuntu, Alpine and the python images', () => {
  const cases: [string, boolean | undefined][] = [
    ['debian:bookworm', true],
    ['debian:12-slim', true],
    ['debian:trixie-20250101', true],
    ['debian', true],
    ['debian:bullseye', false],
    ['debian:11', false],
    ['buildpack-deps:bookworm-curl', true],
    ['ubuntu:24.04', true],
    ['ubuntu:noble', true],
    ['ubuntu:22.04', false],
    ['ubuntu:jammy', false],
    ['ubuntu:23.04', true],
    ['ubuntu:22.10', false],
    ['alpine:3.19', true],
    ['alpine:3.18.4', false],
    ['alpine:3.20', true],
    ['alpine', true],
    ['python:3.12-bookworm', false],
    ['python:3.12-alpine', false],
    ['myorg/builder:bookworm', undefined],
    ['debian:$TAG', undefined],
  ];
  for (const [ref, expected] of cases) assert.equal(externallyManagedPython(ref), expected, ref);
});

test('isVolatileArg matches CI values and leaves stable names alone', () => {
  for (const name of [
    'GIT_COMMIT',
    'COMMIT_SHA',
    'BUILD_DATE',
    'buildDate',
    'VCS_REF',
    'BUILD_NUMBER',
    'CI_PIPELINE_ID',
    'CACHEBUST',
    'SOURCE_DATE_EPOCH',
    'GITHUB_SHA',
  ])
    assert.ok(isVolatileArg(name, false), name);
  for (const name of ['COMMITTER', 'NODE_ENV', 'TARGETPLATFORM', 'USERNAME', 'BUILDKIT_INLINE_CACHE', 'DEBIAN_FRONTEND'])
    assert.ok(!isVolatileArg(name, false), name);
  assert.ok(isVolatileArg('APP_VERSION', false));
  assert.ok(!isVolatileArg('APP_VERSION', true), 'a version with a default changes only on releases');
  assert.ok(isVolatileArg('VERSION', false));
  assert.ok(!isVolatileArg('PHP_VERSION', false), "a dependency's version is not the build's");
});

test('isBroadSource and sourceCovers tell trees from manifests', () => {
  for (const s of ['.', './', '*', 'src', 'app/', './src']) assert.ok(isBroadSource(s), s);
  for (const s of ['package.json', './requirements.txt', 'package*.json', 'Gemfile', 'Gemfile.lock', 'go.*'])
    assert.ok(!isBroadSource(s), s);
  assert.ok(sourceCovers('package*.json', 'package-lock.json'));
  assert.ok(sourceCovers('./package.json', 'package.json'));
  assert.ok(!sourceCovers('package.json', 'yarn.lock'));
  assert.ok(sourceCovers('requirements*.txt', 'requirements.txt'));
});
