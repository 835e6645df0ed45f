import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { InputError } from '../../../src/errors.js';
import { bufferAccess, indexTar } from '../../../src/image/tar/index.js';
import { readTar } from '../../../src/image/tar/reader.js';
import { chunked, collect } from '../../support/compress.js';
import { oracleEntries, pack } from '../../support/tar-oracle.js';

const scratch = mkdtempSync(join(tmpdir(), 'layerwise-tar-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

async function ours(archive: Uint8Array, chunkSize: number) {
  const entries = [];
  for await (const entry of readTar(chunked(archive, chunkSize), 'test.tar')) {
    // Read every other body; the reader must skip the rest by itself.
    const body = entry.name.length % 2 === 0 || entry.size < 10 ? (await collect(entry.body())).toString('base64') : undefined;
    entries.push({ entry, body });
  }
  return entries;
}

async function assertSameAsOracle(archive: Buffer) {
  const expected = await oracleEntries(archive);
  for (const chunkSize of [512, 7919, 1 << 20]) {
    const actual = await ours(archive, chunkSize);
    assert.equal(actual.length, expected.length);
    for (const [i, { entry, body }] of actual.entries()) {
      const want = expected[i];
      assert.deepEqual(
        {
          name: entry.name,
          type: entry.type,
          size: entry.size,
          linkname: entry.linkname,
          mode: entry.mode,
          uid: entry.uid,
          gid: entry.gid,
          mtime: Math.floor(entry.mtime),
        },
        {
          name: want.name,
          type: want.type,
          size: want.size,
          linkname: want.linkname,
          mode: want.mode,
          uid: want.uid,
          gid: want.gid,
          mtime: want.mtime,
        },
      );
      if (body !== undefined) assert.equal(body, want.body, entry.name);
    }
  }
  const indexed = await indexTar(bufferAccess(archive), 'test.tar');
  assert.deepEqual(
    indexed.map((h) => [h.name, h.type, h.size]),
    expected.map((e) => [e.name, e.type, e.size]),
  );
  for (const [i, header] of indexed.entries())
    assert.equal(
      Buffer.from(archive.subarray(header.dataOffset, header.dataOffset + header.size)).toString('base64'),
      expected[i].body,
    );
}

function systemTree(): string {
  const root = join(scratch, 'tree');
  const deep = join(root, 'a'.repeat(60), 'b'.repeat(60), 'c'.repeat(60));
  mkdirSync(deep, { recursive: true });
  mkdirSync(join(root, 'empty'));
  writeFileSync(join(deep, `${'d'.repeat(90)}.txt`), 'deep file');
  writeFileSync(join(root, 'big.bin'), randomBytes(300_000));
  writeFileSync(join(root, 'zero'), '');
  writeFileSync(join(root, 'héllo wörld ✓'), 'unicode');
  linkSync(join(root, 'big.bin'), join(root, 'hard'));
  symlinkSync(`../${'x'.repeat(150)}/target`, join(root, 'longlink'));
  symlinkSync('big.bin', join(root, 'short'));
  spawnSync('mkfifo', [join(root, 'pipe')]);
  return root;
}

test('matches tar-stream on archives written by GNU tar in gnu, pax, ustar-with-long-names formats', async () => {
  const root = systemTree();
  for (const format of ['gnu', 'pax', 'oldgnu']) {
    const result = spawnSync('tar', [`--format=${format}`, '-C', root, '-cf', '-', '.'], { maxBuffer: 1 << 26 });
    assert.equal(result.status, 0, String(result.stderr));
    await assertSameAsOracle(result.stdout);
  }
});

test('matches tar-stream on archives tar-stream writes (ustar prefix, PAX records, devices)', async () => {
  const archive = await pack([
    { name: 'dir/', type: 'directory' },
    { name: `${'p'.repeat(120)}/${'n'.repeat(90)}`, body: Buffer.from('prefix split') },
    { name: `${'q'.repeat(300)}`, body: Buffer.from('pax path') },
    { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3 },
    { name: 'link', type: 'symlink', linkname: 'l'.repeat(200) },
    { name: 'hard', type: 'link', linkname: 'dir/' },
    { name: 'owned', body: Buffer.from('x'), uid: 123456789, gid: 42 },
  ]);
  await assertSameAsOracle(archive);
});

test('random archives: same entries as tar-stream', async () => {
  const entry = fc.record({
    name: fc.stringMatching(/^[a-z0-9._-]{1,40}(\/[a-z0-9._-]{1,80}){0,3}$/),
    size: fc.integer({ min: 0, max: 3000 }),
    kind: fc.constantFrom('file', 'directory', 'symlink'),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(entry, { maxLength: 12 }), async (entries) => {
      const archive = await pack(
        entries.map(({ name, size, kind }) =>
          kind === 'file'
            ? { name, body: randomBytes(size) }
            : kind === 'symlink'
              ? { name, type: 'symlink', linkname: 't'.repeat(size % 250) }
              : { name, type: 'directory' },
        ),
      );
      await assertSameAsOracle(archive);
    }),
    { numRuns: 40 },
  );
});

test('base-256 sizes and ids are decoded', async () => {
  const archive = await pack([{ name: 'f', body: Buffer.from('hello') }]);
  const header = archive.subarray(0, 512);
  header.fill(0, 124, 136);
  header[124] = 0x80; // base-256 marker
  header[135] = 5; // size 5
  header.fill(0, 108, 116);
  header[108] = 0x80;
  header[113] = 0x01; // uid 2^16
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  const [entry] = await ours(archive, 512);
  assert.equal(entry.entry.size, 5);
  assert.equal(entry.entry.uid, 65536);
  assert.equal(Buffer.from(entry.body ?? '', 'base64').toString(), 'hello');
});

test('truncated archives and corrupt headers are InputErrors naming the archive', async () => {
  const archive = await pack([
    { name: 'a', body: randomBytes(5000) },
    { name: 'b', body: randomBytes(10) },
  ]);
  for (const cut of [100, 700, 5000, 5632 + 200]) {
    await assert.rejects(
      async () => {
        for await (const entry of readTar(chunked(archive.subarray(0, cut), 1000), 'test.tar')) await collect(entry.body());
      },
      (error: Error) => error instanceof InputError && /^test\.tar: truncated tar archive/.test(error.message),
      `cut at ${cut}`,
    );
    await assert.rejects(indexTar(bufferAccess(archive.subarray(0, cut)), 'test.tar'), /truncated tar archive/);
  }
  const corrupt = Buffer.from(archive);
  corrupt[10] ^= 0xff;
  await assert.rejects(ours(corrupt, 512), /test\.tar: invalid tar header at offset 0: header checksum mismatch/);
});

test('GNU sparse members are refused by name', async () => {
  const root = join(scratch, 'sparse');
  mkdirSync(root);
  const result = spawnSync(
    'sh',
    ['-c', `truncate -s 10M ${root}/holes && printf x >> ${root}/holes && tar --sparse --format=gnu -C ${root} -cf - holes`],
    {
      maxBuffer: 1 << 26,
    },
  );
  assert.equal(result.status, 0, String(result.stderr));
  await assert.rejects(ours(result.stdout, 4096), /test\.tar: holes: GNU sparse files are not supported/);
});

test('a huge PAX header is refused instead of buffered', async () => {
  const archive = await pack([{ name: 'a', body: Buffer.from('x'), pax: { comment: 'c'.repeat(2_000_000) } }]);
  await assert.rejects(ours(archive, 65536), /extended header of \d+ bytes at offset 0 exceeds/);
});
