/**
 * Where a command's report goes: standard output, or the file named by `--output` (written whole through a temporary
 * file and a rename, so a reader never sees half a report and a failed run leaves no partial file behind).
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { Io } from './io.js';

export function emit(io: Io, text: string, output: string | undefined): void {
  if (output === undefined || output === '-') {
    io.stdout(text);
    return;
  }
  const target = resolve(io.cwd, output);
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, target);
  } catch (error) {
    // The temporary file may not exist, nor its folder, nor be reachable (ENOTDIR): nothing to clean up then.
    try {
      rmSync(temporary, { force: true });
    } catch {}
    throw new InputError(`cannot write the report (${(error as NodeJS.ErrnoException).code ?? String(error)})`, output);
  }
}
