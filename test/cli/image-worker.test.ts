import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { inspectInWorker } from '../../src/cli/image-worker.js';
import { InputError } from '../../src/errors.js';
import { inspectImage } from '../../src/image/inspect.js';
import { openImage } from '../../src/image/open.js';
import { buildImage, randomLayers, writeOciLayout } from '../support/random-image.js';

const scratch = mkdtempSync(join(tmpdir(), 'layerwise-image-worker-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('the worker answers exactly what an in-process read answers (analysis, history, final filesystem)', async () => {
  const dir = join(scratch, 'layout');
  await writeOciLayout(dir, [{ image: await buildImage({ layers: randomLayers(4), compression: 'zstd' }) }]);
  const what = { analyze: true, files: true };
  const image = await openImage(`oci:${dir}`);
  const local = await inspectImage(image, what);
  await image.close();
  const events: string[] = [];
  const remote = await inspectInWorker(
    { reference: `oci:${dir}`, open: {}, inspect: what, progress: true },
    { onOpened: (source) => events.push(`opened ${source}`), onProgress: (done, total) => events.push(`${done}/${total}`) },
  );
  assert.deepEqual(remote, local);
  assert.equal(events[0], `opened ${local.info.source}`);
  assert.match(events[events.length - 1], /^(\d+)\/\1$/, 'the last progress event is the whole image');
});

test('errors cross the thread as the same typed errors (exit codes and messages unchanged)', async () => {
  const junk = join(scratch, 'junk.tar');
  writeFileSync(junk, 'not a tar at all'.repeat(100));
  await assert.rejects(
    inspectInWorker({ reference: `docker-archive:${junk}`, open: {}, inspect: {}, progress: false }),
    (error: Error) => error instanceof InputError && /junk\.tar: invalid tar header at offset 0/.test(error.message),
  );
});
