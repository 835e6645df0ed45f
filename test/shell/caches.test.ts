import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeScript } from '../../src/shell/commands.js';
import { cacheUses } from '../../src/shell/package-managers/caches.js';
import { packageManagerCalls } from '../../src/shell/package-managers/index.js';

function statuses(source: string, mountTargets?: string[]): string[] {
  const script = analyzeScript(source, { cwd: '/' });
  return cacheUses(script, packageManagerCalls(script), { mountTargets }).map(
    (u) => `${u.call.manager}:${u.cache.path}:${u.status}`,
  );
}

test('apt lists left, cleaned by rm -rf lists/*, archives cleaned by apt-get clean', () => {
  assert.deepEqual(statuses('apt-get update && apt-get install -y curl'), [
    'apt-get:/var/lib/apt/lists:left',
    'apt-get:/var/cache/apt:left',
  ]);
  assert.deepEqual(statuses('apt-get update && apt-get install -y curl && apt-get clean && rm -rf /var/lib/apt/lists/*'), [
    'apt-get:/var/lib/apt/lists:cleaned',
    'apt-get:/var/cache/apt:cleaned',
  ]);
  assert.deepEqual(statuses('apt-get update && apt-get install -y curl && apt-get dist-clean'), [
    'apt-get:/var/lib/apt/lists:cleaned',
    'apt-get:/var/cache/apt:cleaned',
  ]);
  assert.deepEqual(
    statuses('rm -rf /var/lib/apt/lists/* && apt-get update'),
    ['apt-get:/var/lib/apt/lists:left'],
    'removing before does not count',
  );
});

test('cache mounts cover the paths under their target', () => {
  assert.deepEqual(statuses('apt-get update && apt-get install -y curl', ['/var/cache/apt', '/var/lib/apt']), [
    'apt-get:/var/lib/apt/lists:mounted',
    'apt-get:/var/cache/apt:mounted',
  ]);
  assert.deepEqual(statuses('pip install x', ['/root/.cache']), ['pip:/root/.cache/pip:mounted']);
  assert.deepEqual(
    statuses('pip install x', ['/root/.cache/pip/wheels']),
    ['pip:/root/.cache/pip:left'],
    'a narrower mount does not cover',
  );
});

test('flags and environment that avoid a cache; rm with ~, $HOME-relative and cwd-relative paths', () => {
  assert.deepEqual(statuses('apk add --no-cache curl'), ['apk:/var/cache/apk:avoided']);
  assert.deepEqual(statuses('pip install --no-cache-dir x && PIP_NO_CACHE_DIR=1 pip install y'), [
    'pip:/root/.cache/pip:avoided',
    'pip:/root/.cache/pip:avoided',
  ]);
  assert.deepEqual(statuses('pip install x && rm -rf ~/.cache/pip'), ['pip:/root/.cache/pip:cleaned']);
  assert.deepEqual(statuses('npm ci && cd /root && rm -rf .npm'), ['npm:/root/.npm:cleaned']);
  assert.deepEqual(statuses('npm ci && npm cache clean --force'), ['npm:/root/.npm:cleaned']);
  assert.deepEqual(statuses('dnf install -y x && dnf clean all'), ['dnf:/var/cache/dnf:cleaned']);
  assert.deepEqual(statuses('apk add curl && rm -rf /var/cache/apk/*'), ['apk:/var/cache/apk:cleaned']);
});

test('what the corpus showed: apk --no-network, pip --no-cache (an optparse prefix), a glob in the last component', () => {
  assert.deepEqual(statuses('apk add --no-network --virtual .rundeps $deps'), ['apk:/var/cache/apk:avoided']);
  assert.deepEqual(statuses('pip3 install --upgrade --no-cache jupyter'), ['pip:/root/.cache/pip:avoided']);
  assert.deepEqual(statuses('apt-get update && rm /var/lib/apt/lists/*_*'), ['apt-get:/var/lib/apt/lists:cleaned']);
  assert.deepEqual(statuses('apt-get update && rm -rf /var/lib/*/lists'), ['apt-get:/var/lib/apt/lists:left']);
  assert.deepEqual(statuses('yum install -y ./x.rpm && rm *.rpm'), ['yum:/var/cache/yum:left', 'yum:/var/cache/dnf:left']);
});

test('rm of relative paths with . and .. segments resolves them (`./*` is the directory contents, not `DIR/.`)', () => {
  assert.deepEqual(statuses('apk add curl && cd /var/cache/apk && rm -rf ./*'), ['apk:/var/cache/apk:cleaned']);
  assert.deepEqual(statuses('pip install x && cd /root/.cache/tmp && rm -rf ../pip'), ['pip:/root/.cache/pip:cleaned']);
});

test('`yarn --version` and `bundle -v` only ask: no install, no cache', () => {
  assert.deepEqual(statuses('yarn --version && bundle -v'), []);
  assert.deepEqual(statuses('yarn --frozen-lockfile'), [
    'yarn:/usr/local/share/.cache/yarn:left',
    'yarn:/root/.cache/yarn:left',
    'yarn:/root/.yarn/berry/cache:left',
  ]);
});

test('tdnf, go modules under /go when GOPATH is unknown, and apt simulations', () => {
  assert.deepEqual(statuses('tdnf install -y curl && tdnf clean all'), ['tdnf:/var/cache/tdnf:cleaned']);
  assert.deepEqual(statuses('go mod download', ['/go/pkg/mod']), ['go:/root/go/pkg/mod:left', 'go:/go/pkg/mod:mounted']);
  assert.deepEqual(statuses('apt-get install -s curl'), []);
});
