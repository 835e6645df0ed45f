/**
 * The atomic writer against real failures: a read-only file system and a full one are real tmpfs mounts (root can
 * mount here; chmod would not stop root). The original must stay byte for byte and the error must say why.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { writeDockerfileAtomic } from '../../src/fix/write.js';
import { testOutput } from '../support/paths.js';

const root = join(testOutput, 'fix-write');
for (const leftover of ['read-only', 'full']) spawnSync('umount', [join(root, leftover)], { stdio: 'ignore' }); // a crashed run
rmSync(root, { recursive: true, force: true });
mkdirSync(root, { recursive: true });

const mounts: string[] = [];
/** A small tmpfs at `dir`, or a skip reason (never skipped in CI: the writer's failure handling must be tested). */
function tmpfs(name: string, size: string): string | { skip: string } {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    if (process.env.CI) throw new Error(`cannot mount a tmpfs for the write-failure tests: ${mounted.stderr}`);
    return { skip: `SKIPPED: cannot mount a tmpfs (${mounted.stderr.trim()})` };
  }
  mounts.push(dir);
  return dir;
}
after(() => {
  for (const dir of mounts.reverse()) spawnSync('umount', [dir]);
});

const original = 'FROM debian\nRUN apt-get update\n';
const fixed = 'FROM debian:bookworm\nRUN apt-get update\n';

describe('writeDockerfileAtomic', () => {
  test('replaces the file, keeps its mode and owner, leaves no temporary file; follows a symlink', async () => {
    const dir = join(root, 'plain');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'Dockerfile');
    writeFileSync(path, original);
    chmodSync(path, 0o640);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chownSync(path, 1234, 5678);
    await writeDockerfileAtomic(path, fixed);
    assert.equal(readFileSync(path, 'utf8'), fixed);
    const after = statSync(path);
    assert.equal(after.mode & 0o7777, 0o640);
    if (asRoot) assert.deepEqual([after.uid, after.gid], [1234, 5678]);
    assert.deepEqual(readdirSync(dir), ['Dockerfile']);
    symlinkSync('Dockerfile', join(dir, 'link'));
    await writeDockerfileAtomic(join(dir, 'link'), original);
    assert.equal(readFileSync(path, 'utf8'), original);
    assert.ok(statSync(join(dir, 'link'), { throwIfNoEntry: true }) && readdirSync(dir).sort().join() === 'Dockerfile,link');
  });

  test('never writes a text that does not parse', async () => {
    const dir = join(root, 'unparsable');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'Dockerfile');
    writeFileSync(path, original);
    await assert.rejects(
      writeDockerfileAtomic(path, 'FROM a\nRUN <<EOF\n'),
      (e: unknown) => e instanceof InputError && /does not parse/.test(e.message),
    );
    assert.equal(readFileSync(path, 'utf8'), original);
  });

  const readOnly = tmpfs('read-only', '64k');
  test(
    'a read-only file system: the original stays, the error says why',
    typeof readOnly === 'string' ? {} : readOnly,
    async () => {
      const dir = readOnly as string;
      writeFileSync(join(dir, 'Dockerfile'), original);
      assert.equal(spawnSync('mount', ['-o', 'remount,ro', dir]).status, 0);
      await assert.rejects(
        writeDockerfileAtomic(join(dir, 'Dockerfile'), fixed),
        (e: unknown) => e instanceof InputError && /cannot write: read-only file system; the file is unchanged/.test(e.message),
      );
      assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), original);
    },
  );

  const full = tmpfs('full', '64k');
  test('a full file system: the original stays, the temporary file is gone', typeof full === 'string' ? {} : full, async () => {
    const dir = full as string;
    writeFileSync(join(dir, 'Dockerfile'), original);
    // Fill what is left (tmpfs counts whole pages): write until the kernel says ENOSPC.
    const filler = Buffer.alloc(4096, 120);
    let i = 0;
    try {
      for (;;) writeFileSync(join(dir, `filler-${i++}`), filler);
    } catch (error) {
      assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
    }
    rmSync(join(dir, `filler-${i - 1}`), { force: true }); // the failed one may exist, empty
    const big = `${fixed}# ${'x'.repeat(8000)}\n`;
    await assert.rejects(
      writeDockerfileAtomic(join(dir, 'Dockerfile'), big),
      (e: unknown) => e instanceof InputError && /no space left on device; the file is unchanged/.test(e.message),
    );
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), original);
    assert.ok(!readdirSync(dir).some((name) => name.endsWith('.tmp')));
  });
});
