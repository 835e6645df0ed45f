/**
 * The one I/O edge of the fix stage: writing a fixed Dockerfile in place, atomically. The text goes to a temporary
 * file in the same directory (same file system, so the rename is atomic), is flushed to disk, gets the original's mode
 * (and owner, when we are root), and replaces the original by rename; the directory is flushed too. Whatever fails,
 * the original is untouched and the temporary file is removed; the error says why. A text that does not parse is
 * never written.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, chown, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ParseError, parseDockerfile } from '../dockerfile/index.js';
import { InputError } from '../errors.js';

/** Writes `text` over the Dockerfile at `path` (a symlink is followed: the file it points to is replaced). */
export async function writeDockerfileAtomic(path: string, text: string): Promise<void> {
  try {
    parseDockerfile(text, { file: path });
  } catch (error) {
    if (error instanceof ParseError) throw new InputError(`not written: the fixed text does not parse (${error.message})`, path);
    throw error;
  }
  let target: string;
  let original: Awaited<ReturnType<typeof stat>>;
  try {
    target = await realpath(path);
    original = await stat(target);
  } catch (error) {
    throw new InputError(`cannot write: ${reason(error)}`, path);
  }
  await assertReplaceable(target, original, path);
  const temporary = join(dirname(target), `.${basename(target)}.layerwise-${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    const handle = await open(temporary, 'wx', original.mode & 0o7777);
    created = true;
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temporary, original.mode & 0o7777); // open() applied the umask
    if (process.getuid?.() === 0) await chown(temporary, original.uid, original.gid);
    await rename(temporary, target);
    created = false;
    await syncDirectory(dirname(target));
  } catch (error) {
    if (created) await unlink(temporary).catch(() => undefined);
    throw new InputError(`cannot write: ${reason(error)}; the file is unchanged`, path);
  }
}

/**
 * The rename replaces the file whatever its own permissions: refuse what a plain write would not do — a file we may
 * not write (read-only) — and what only a rename would do — give another user's file to us (only root can chown).
 */
async function assertReplaceable(target: string, original: { uid: number }, path: string): Promise<void> {
  try {
    await access(target, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const readOnly = code === 'EACCES' || code === 'EPERM' ? ' (the file is read-only)' : '';
    throw new InputError(`cannot write: ${reason(error)}${readOnly}; the file is unchanged`, path);
  }
  const uid = process.getuid?.();
  if (uid !== undefined && uid !== 0 && original.uid !== uid) {
    throw new InputError(
      `cannot write: the file belongs to another user (uid ${original.uid}) and replacing it would make it ours; the file is unchanged`,
      path,
    );
  }
}

/** Flushes the directory entry of the rename (best effort: some file systems refuse fsync on a directory). */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const known: Record<string, string> = {
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOENT: 'no such file',
    EISDIR: 'is a directory',
  };
  return (code && known[code]) ?? (error instanceof Error ? error.message : String(error));
}
