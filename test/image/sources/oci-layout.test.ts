import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { digestOf } from '../../../src/image/digest.js';
import { MediaTypes } from '../../../src/image/image.js';
import { openOciLayout } from '../../../src/image/sources/oci-layout.js';
import { hasZstdBinary } from '../../support/compress.js';
import { buildImage, randomLayers, writeOciLayout } from '../../support/random-image.js';
import { validateImage } from '../../support/validate-image.js';

const scratch = mkdtempSync(join(tmpdir(), 'layerwise-oci-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const fresh = () => join(scratch, `layout-${counter++}`);

for (const compression of hasZstdBinary() ? (['none', 'gzip', 'zstd'] as const) : (['none', 'gzip'] as const)) {
  test(`oci layout with ${compression} layers opens and validates`, async () => {
    const built = await buildImage({ layers: randomLayers(3), compression });
    const dir = fresh();
    await writeOciLayout(dir, [{ image: built }]);
    const image = await openOciLayout(dir);
    assert.equal(await image.digest(), built.manifestDigest);
    await validateImage(image);
  });
}

test('tags, indexes and platforms select the image', async () => {
  const a = await buildImage({ layers: randomLayers(1) });
  const b = await buildImage({ layers: randomLayers(2), architecture: 'arm64' });
  const dir = fresh();
  await writeOciLayout(dir, [
    { image: a, tag: 'one' },
    { image: b, tag: 'two' },
  ]);
  await assert.rejects(openOciLayout(dir), /holds 2 images \(one, two\); choose one with :TAG or :@INDEX/);
  assert.equal(await (await openOciLayout(dir, { tag: 'two' })).digest(), b.manifestDigest);
  assert.equal(await (await openOciLayout(dir, { sourceIndex: 0 })).digest(), a.manifestDigest);
  await assert.rejects(openOciLayout(dir, { tag: 'three' }), /no image tagged three \(found: one, two\)/);

  // An index blob inside the layout (multi-platform image): --platform picks, the host platform is the default.
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaTypes.ociIndex,
      manifests: [
        {
          mediaType: MediaTypes.ociManifest,
          digest: a.manifestDigest,
          size: a.rawManifest.length,
          platform: { os: 'linux', architecture: 'amd64' },
        },
        {
          mediaType: MediaTypes.ociManifest,
          digest: b.manifestDigest,
          size: b.rawManifest.length,
          platform: { os: 'linux', architecture: 'arm64' },
        },
      ],
    }),
  );
  writeFileSync(join(dir, 'blobs', 'sha256', digestOf(index).slice(7)), index);
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: MediaTypes.ociIndex, digest: digestOf(index), size: index.length }],
    }),
  );
  const arm = await openOciLayout(dir, { platform: { os: 'linux', architecture: 'arm64' } });
  assert.equal(await arm.digest(), b.manifestDigest);
  await validateImage(arm);
  await assert.rejects(
    openOciLayout(dir, { platform: { os: 'windows', architecture: 'amd64' } }),
    /no image for platform windows\/amd64/,
  );
});

test('hostile layouts: blobs symlinked outside, missing blobs, a manifest that lies about its digest', async () => {
  const built = await buildImage({ layers: randomLayers(1) });
  const dir = fresh();
  await writeOciLayout(dir, [{ image: built }]);
  const configPath = join(dir, 'blobs', 'sha256', built.configDigest.slice(7));
  unlinkSync(configPath);
  symlinkSync('/etc/passwd', configPath);
  await assert.rejects((await openOciLayout(dir)).configFile(), /resolves outside the layout/);
  unlinkSync(configPath);
  await assert.rejects((await openOciLayout(dir)).configFile(), /config sha256:[0-9a-f]+ is missing from the layout/);

  const liar = fresh();
  await writeOciLayout(liar, [{ image: built }]);
  writeFileSync(join(liar, 'blobs', 'sha256', built.manifestDigest.slice(7)), Buffer.from(`${built.rawManifest} `));
  await assert.rejects((await openOciLayout(liar)).manifest(), /manifest digest mismatch/);

  const notLayout = fresh();
  await writeOciLayout(notLayout, [{ image: built }]);
  unlinkSync(join(notLayout, 'oci-layout'));
  await assert.rejects(openOciLayout(notLayout), /not an OCI image layout/);
  await assert.rejects(openOciLayout(join(scratch, 'absent')), /absent: not a directory/);
});
