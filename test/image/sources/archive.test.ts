import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { InputError } from '../../../src/errors.js';
import { MediaTypes } from '../../../src/image/image.js';
import { parseDockerReference } from '../../../src/image/ref.js';
import { openDockerArchive } from '../../../src/image/sources/archive.js';
import { hasZstdBinary } from '../../support/compress.js';
import { buildImage, randomLayers, writeDockerArchive } from '../../support/random-image.js';
import { pack } from '../../support/tar-oracle.js';
import { validateImage } from '../../support/validate-image.js';

const scratch = mkdtempSync(join(tmpdir(), 'layerwise-archive-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const compressions = hasZstdBinary() ? (['none', 'gzip', 'zstd'] as const) : (['none', 'gzip'] as const);

for (const layout of ['legacy', 'oci'] as const) {
  for (const compression of compressions) {
    test(`docker-archive (${layout} layout, ${compression} layers) opens and validates`, async () => {
      const built = await buildImage({ layers: randomLayers(3), compression });
      const path = join(scratch, `${layout}-${compression}.tar`);
      await writeDockerArchive(path, [{ image: built, repoTags: ['app:1'] }], layout);
      const image = await openDockerArchive(path);
      try {
        assert.equal(await image.configName(), built.configDigest);
        if (layout === 'oci') assert.equal(await image.digest(), built.manifestDigest, 'the real OCI manifest is used');
        else assert.equal((await image.manifest()).mediaType, MediaTypes.dockerManifest);
        const layers = await image.layers();
        assert.equal(await layers[0].compression(), compression);
        await validateImage(image);
      } finally {
        await image.close();
      }
    });
  }

  test(`docker-archive (${layout}): several images, chosen by reference or index`, async () => {
    const a = await buildImage({ layers: randomLayers(1) });
    const b = await buildImage({ layers: randomLayers(2) });
    const path = join(scratch, `multi-${layout}.tar`);
    await writeDockerArchive(
      path,
      [
        { image: a, repoTags: ['a:1'] },
        { image: b, repoTags: ['registry.local:5000/team/b:2'] },
      ],
      layout,
    );
    await assert.rejects(
      openDockerArchive(path),
      /holds 2 images \(a:1, registry\.local:5000\/team\/b:2\); choose one with :REF or :@INDEX/,
    );
    const byRef = await openDockerArchive(path, { reference: parseDockerReference('registry.local:5000/team/b:2') });
    assert.equal((await byRef.layers()).length, 2);
    await validateImage(byRef);
    await byRef.close();
    const byIndex = await openDockerArchive(path, { sourceIndex: 0 });
    assert.equal(await byIndex.configName(), a.configDigest);
    await validateImage(byIndex);
    await byIndex.close();
    await assert.rejects(openDockerArchive(path, { reference: parseDockerReference('c') }), /no image tagged c:latest/);
  });
}

async function archiveWith(name: string, manifestJson: unknown, extra: { name: string; body: Buffer }[] = []): Promise<string> {
  const path = join(scratch, name);
  writeFileSync(path, await pack([{ name: 'manifest.json', body: Buffer.from(JSON.stringify(manifestJson)) }, ...extra]));
  return path;
}

test('hostile archives: manifest.json pointing outside, missing members, duplicates, bad JSON', async () => {
  const outside = await archiveWith('outside.tar', [{ Config: '../../etc/passwd', Layers: [] }]);
  await assert.rejects(
    openDockerArchive(outside),
    (e: Error) => e instanceof InputError && /\.\.\/\.\.\/etc\/passwd points outside the archive/.test(e.message),
  );
  const absolute = await archiveWith(
    'absolute.tar',
    [{ Config: 'c.json', Layers: ['/etc/shadow'] }],
    [{ name: 'c.json', body: Buffer.from('{"rootfs":{"diff_ids":[]}}') }],
  );
  await assert.rejects(openDockerArchive(absolute), /\/etc\/shadow points outside the archive/);
  const missing = await archiveWith(
    'missing.tar',
    [{ Config: 'c.json', Layers: ['l/layer.tar'] }],
    [{ name: 'c.json', body: Buffer.from('{}') }],
  );
  await assert.rejects(openDockerArchive(missing), /names layer l\/layer\.tar, which the archive lacks/);
  const duplicate = await archiveWith('dup.tar', [], [{ name: 'manifest.json', body: Buffer.from('[]') }]);
  await assert.rejects(openDockerArchive(duplicate), /duplicate member manifest\.json/);
  const notJson = join(scratch, 'bad.tar');
  writeFileSync(notJson, await pack([{ name: 'manifest.json', body: Buffer.from('[{') }]));
  await assert.rejects(openDockerArchive(notJson), /bad\.tar: manifest\.json: invalid JSON/);
  const huge = join(scratch, 'huge.tar');
  writeFileSync(huge, await pack([{ name: 'manifest.json', body: Buffer.alloc(2000, 0x20) }]));
  await assert.rejects(
    openDockerArchive(huge, { limits: { maxJsonBytes: 1000 } }),
    /manifest\.json is larger than the 1000-byte limit/,
  );
  const notTar = join(scratch, 'not.tar');
  writeFileSync(notTar, Buffer.alloc(1024, 0x41));
  await assert.rejects(openDockerArchive(notTar), /not\.tar: invalid tar header at offset 0/);
  await assert.rejects(openDockerArchive(join(scratch, 'nope.tar')), /nope\.tar: cannot open \(ENOENT\)/);
});

test('a tampered layer fails validation with a digest error naming the archive and layer', async () => {
  for (const layout of ['legacy', 'oci'] as const) {
    const built = await buildImage({ layers: randomLayers(2), compression: 'none' });
    const path = join(scratch, `tampered-${layout}.tar`);
    await writeDockerArchive(path, [{ image: built }], layout);
    const bytes = readFileSync(path);
    const at = bytes.indexOf(Buffer.from('usr/lib/l1-f0.bin'));
    bytes[at] = 'x'.charCodeAt(0); // same size, different content, inside layer 2's tar
    writeFileSync(path, bytes);
    const image = await openDockerArchive(path);
    await assert.rejects(validateImage(image), /tampered-(legacy|oci)\.tar: layer 2 \(sha256:[0-9a-f]{64}\).*digest mismatch/);
    await image.close();
  }
});

test('a truncated archive is refused with the archive name', async () => {
  const built = await buildImage({ layers: randomLayers(2) });
  const path = join(scratch, 'truncated.tar');
  await writeDockerArchive(path, [{ image: built }], 'legacy');
  const bytes = readFileSync(path);
  // Off the 512-byte grid: a cut exactly between two members reads as an archive without its end marker (which Go's
  // archive/tar accepts too), and the refusal is then about the members missing, not about truncation.
  writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2) + 100));
  await assert.rejects(openDockerArchive(path), /truncated\.tar: truncated tar archive/);
});
