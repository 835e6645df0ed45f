/**
 * Against a real Docker engine: images built with BuildKit, exported with `docker save` and through the Engine API,
 * read by layerwise; history sizes must equal what `docker history` and `docker image inspect` report.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { diffImages } from '../../src/image/diff.js';
import type { Image } from '../../src/image/image.js';
import { inspectImage } from '../../src/image/inspect.js';
import { parseDockerReference } from '../../src/image/ref.js';
import { openDockerArchive } from '../../src/image/sources/archive.js';
import { openDaemonImage } from '../../src/image/sources/daemon.js';
import { openOciLayout } from '../../src/image/sources/oci-layout.js';
import { makeContext, needsEngine, removeImage, uniqueTag } from '../support/engine.js';
import { dockerHistory } from '../support/history-compare.js';
import { buildImage, writeDockerArchive } from '../support/random-image.js';
import { validateImage } from '../support/validate-image.js';

function docker(...args: string[]): string {
  const result = spawnSync('docker', args, {
    encoding: 'utf8',
    env: { ...process.env, DOCKER_BUILDKIT: '1' },
    maxBuffer: 1 << 26,
  });
  assert.equal(result.status, 0, `docker ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

const dockerfile = `FROM debian:bookworm
ENV A=1
RUN mkdir -p /data && head -c 100000 /dev/urandom > /data/blob && ln /data/blob /data/hard && ln -s /data/blob /data/sym && echo hi > /data/small && head -c 30000 /dev/urandom > /data/doomed && mkdir /data/dir && for i in $(seq 1 20); do echo $i > /data/dir/f$i; done
RUN rm /data/doomed && rm -rf /data/dir
COPY app.txt /app/
WORKDIR /app
`;

test('docker save archives and daemon exports: valid images, history sizes equal docker history', needsEngine(), async (t) => {
  const tag = uniqueTag('image-history');
  const context = makeContext(t, { Dockerfile: dockerfile, 'app.txt': 'hello from layerwise\n' });
  docker('build', '-q', '-t', tag, context);
  t.after(() => removeImage(tag));
  const engineRows = dockerHistory(tag);
  const inspectSize = Number(docker('image', 'inspect', '--format', '{{.Size}}', tag).trim());

  const dir = mkdtempSync(join(tmpdir(), 'layerwise-save-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const saved = join(dir, 'image.tar');
  docker('save', '-o', saved, tag);

  const check = async (image: Image) => {
    try {
      await validateImage(image);
      const { rows } = await inspectImage(image, { analyze: true });
      assert.equal(rows.length, engineRows.length);
      // The base layer entered the store by `docker import` (applied); the rest were built here by BuildKit.
      const ours = rows.map((row, i) => (i === 0 ? row.appliedSize : row.builtSize));
      assert.deepEqual(
        rows.map((row, i) => [row.createdBy, ours[i]]),
        engineRows.map((row) => [row.createdBy, row.size]),
      );
      assert.equal(
        ours.reduce((sum, size) => sum + size, 0),
        inspectSize,
        'docker image inspect .Size',
      );
      // The symlink is where the two figures differ: 10 bytes of "/data/blob".
      const run = rows.find((row) => row.createdBy.includes('head -c 100000'));
      assert.equal((run?.appliedSize ?? 0) - (run?.builtSize ?? 0), '/data/blob'.length);
    } finally {
      await image.close();
    }
  };
  await check(await openDockerArchive(saved));
  await check(await openDaemonImage(parseDockerReference(tag), { dockerHost: process.env.DOCKER_HOST }));
  // The same image rewritten by another real tool (skopeo 1.9's daemon client is too old for this engine, so from the
  // saved archive): an OCI layout with gzip layers, and a docker-archive in the legacy `docker save` layout
  // (manifest.json, config and layer tars; no index.json) that engines before 25 wrote.
  const layout = join(dir, 'oci');
  const legacy = join(dir, 'skopeo.tar');
  for (const destination of [`oci:${layout}:latest`, `docker-archive:${legacy}:${tag}`]) {
    const extra = destination.startsWith('oci:') ? ['--dest-compress', '--dest-compress-format', 'gzip'] : [];
    const copied = spawnSync('skopeo', ['copy', '-q', ...extra, `docker-archive:${saved}`, destination], {
      encoding: 'utf8',
    });
    assert.equal(copied.status, 0, `skopeo copy to ${destination}: ${copied.stderr}`);
  }
  const layoutImage = await openOciLayout(layout, { tag: 'latest' });
  assert.equal((await layoutImage.manifest()).layers[0].mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip');
  await check(layoutImage);
  assert.equal(spawnSync('tar', ['-tf', legacy, 'index.json'], { stdio: 'ignore' }).status === 0, false, 'legacy: no index.json');
  await check(await openDockerArchive(legacy));

  const analyzed = await openDockerArchive(saved);
  const { analysis } = await inspectImage(analyzed, { analyze: true });
  await analyzed.close();
  const doomed = analysis?.hidden.find((file) => file.path === 'data/doomed');
  assert.deepEqual(doomed && { bytes: doomed.bytes, how: doomed.how }, { bytes: 30000, how: 'deleted' });
  assert.equal(analysis?.hidden.filter((file) => file.path.startsWith('data/dir/f')).length, 20);
});

test('the daemon source names a missing image clearly', needsEngine(), async () => {
  await assert.rejects(
    openDaemonImage(parseDockerReference(uniqueTag('missing')), { dockerHost: process.env.DOCKER_HOST }),
    /docker-daemon:layerwise-test\/missing:[0-9a-f]+: the engine answered 404/,
  );
  await assert.rejects(
    openDaemonImage(parseDockerReference('x'), { dockerHost: 'unix:///nonexistent.sock' }),
    /cannot reach the Docker engine at \/nonexistent\.sock/,
  );
});

/** The paths of a tar stream (`docker export`), normalised as layer paths are (no `./`, no trailing `/`). */
function tarPaths(args: string[]): string[] {
  const result = spawnSync('sh', ['-c', 'docker "$@" | tar -t', 'sh', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout
    .split('\n')
    .map((line) => line.replace(/^\.\//, '').replace(/\/$/, ''))
    .filter((line) => line !== '' && line !== '.');
}

/**
 * What the engine shows for opaque markers (overlay2 turns `.wh..wh..opq` into the `trusted.overlay.opaque` xattr of
 * its directory, and overlayfs never treats a layer's root as opaque): a nested marker hides the lower contents of its
 * directory, a marker at the layer root hides nothing. The final filesystem and the hidden-bytes figure must match.
 */
test('opaque markers as the engine applies them: nested ones hide, a root-level one does not', needsEngine(), async (t) => {
  const tag = uniqueTag('opaque-markers');
  const image = await buildImage({
    layers: [
      [
        { path: 'gone/', type: 'directory' },
        { path: 'gone/inner', content: 300 },
        { path: 'gone-file', content: 70 },
        { path: 'sub/', type: 'directory' },
        { path: 'sub/x', content: 13 },
        { path: 'sub/deeper/', type: 'directory' },
        { path: 'sub/deeper/z', content: 17 },
      ],
      [
        { path: '.wh..wh..opq' },
        { path: 'sub/', type: 'directory' },
        { path: 'sub/.wh..wh..opq' },
        { path: 'sub/y', content: 5 },
        { path: 'fresh', content: 2 },
      ],
    ],
  });
  const dir = mkdtempSync(join(tmpdir(), 'layerwise-opaque-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const archive = join(dir, 'image.tar');
  await writeDockerArchive(archive, [{ image, repoTags: [tag] }], 'legacy');
  docker('load', '-q', '-i', archive);
  t.after(() => removeImage(tag));
  const container = docker('create', tag).trim();
  t.after(() => spawnSync('docker', ['rm', '-f', container], { stdio: 'ignore' }));
  // The container's own init entries (.dockerenv, dev, etc, proc, sys) are not the image's: keep the image's names.
  const ours = new Set(['gone', 'gone-file', 'sub', 'fresh']);
  const exported = tarPaths(['export', container])
    .filter((path) => ours.has(path.split('/')[0]))
    .sort();
  assert.deepEqual(exported, ['fresh', 'gone', 'gone-file', 'gone/inner', 'sub', 'sub/y']);

  const opened = await openDockerArchive(archive);
  const { analysis, files } = await inspectImage(opened, { analyze: true, files: true });
  await opened.close();
  assert.deepEqual([...(files?.keys() ?? [])].sort(), exported);
  assert.deepEqual(
    analysis?.hidden.map((file) => [file.path, file.bytes, file.writtenBy, file.hiddenBy, file.how]),
    [
      ['sub/deeper/z', 17, 0, 1, 'deleted'],
      ['sub/x', 13, 0, 1, 'deleted'],
    ],
  );
});

/** Paths the engine adds to every container (its init layer and mounts): not the image's, left out of comparisons. */
const containerOwn = /^(\.dockerenv|dev|proc|sys|etc\/(hostname|hosts|mtab|resolv\.conf))(\/|$)/;

function exportedPaths(tag: string, t: TestContext): string[] {
  const container = docker('create', tag).trim();
  t.after(() => spawnSync('docker', ['rm', '-f', container], { stdio: 'ignore' }));
  return tarPaths(['export', container])
    .filter((path) => !containerOwn.test(path))
    .sort();
}

test(
  'image diff of two engine builds: shared layers by digest, final filesystems equal to docker export',
  needsEngine(),
  async (t) => {
    const first = 'RUN mkdir /data && echo one > /data/same && echo old > /data/edit && echo bye > /data/gone';
    const context = makeContext(t, {
      'a.Dockerfile': `FROM debian:bookworm\n${first}\n`,
      'b.Dockerfile': `FROM debian:bookworm\n${first}\nRUN echo new > /data/edit && rm /data/gone && echo hi > /data/added && chmod 640 /data/same\n`,
    });
    const [a, b] = [uniqueTag('diff-a'), uniqueTag('diff-b')];
    for (const [tag, file] of [
      [a, 'a.Dockerfile'],
      [b, 'b.Dockerfile'],
    ]) {
      docker('build', '-q', '-t', tag, '-f', join(context, file), context);
      t.after(() => removeImage(tag));
    }
    const read = async (tag: string) => {
      const image = await openDaemonImage(parseDockerReference(tag), { dockerHost: process.env.DOCKER_HOST });
      try {
        return await inspectImage(image, { files: true });
      } finally {
        await image.close();
      }
    };
    const [left, right] = [await read(a), await read(b)];
    for (const [tag, side] of [
      [a, left],
      [b, right],
    ] as const)
      assert.deepEqual(
        [...(side.files?.keys() ?? [])].filter((path) => !containerOwn.test(path)).sort(),
        exportedPaths(tag, t),
        `final filesystem of ${tag}`,
      );
    const diff = diffImages(
      { layers: left.layers, files: left.files ?? new Map() },
      { layers: right.layers, files: right.files ?? new Map() },
    );
    const rootfs = (tag: string): string[] => JSON.parse(docker('image', 'inspect', '--format', '{{json .RootFS.Layers}}', tag));
    const engineShared = rootfs(b).filter((diffId) => rootfs(a).includes(diffId));
    assert.deepEqual(
      diff.layers.shared.map((layer) => layer.diffId),
      engineShared,
    );
    assert.equal(diff.layers.onlyInB.length, 1);
    assert.equal(diff.pullBytes, diff.layers.onlyInB[0].compressedSize);
    assert.deepEqual(
      {
        added: diff.files.added.map((file) => file.path),
        removed: diff.files.removed.map((file) => file.path),
        changed: diff.files.changed.map((file) => file.path),
      },
      { added: ['data/added'], removed: ['data/gone'], changed: ['data/edit', 'data/same'] },
    );
  },
);
