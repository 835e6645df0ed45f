/**
 * Where a command's report goes: standard output, or the file named by `--output` (written through a temporary file
 * and a rename, so a reader never sees half a report and a failed run leaves no partial file behind).
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { Io } from './io.js';

/** A report written piece by piece (lint writes each file's part as it goes); `close()` when done, `abort()` on failure. */
export interface ReportOutput {
  write(text: string): void;
  close(): void;
  abort(): void;
}

export function emit(io: Io, text: string, output: string | undefined): void {
  const out = openOutput(io, output);
  try {
    out.write(text);
    out.close();
  } catch (error) {
    out.abort();
    throw error;
  }
}

/** `--output` names standard output (absent or `-`). */
export function isStdout(output: string | undefined): output is undefined | '-' {
  return output === undefined || output === '-';
}

/**
 * Standard output takes each piece as it comes (process.stdout writes files and pipes synchronously on POSIX, so
 * nothing piles up in memory); a file gets its pieces through a temporary file renamed into place by `close()`.
 */
export function openOutput(io: Io, output: string | undefined): ReportOutput {
  if (isStdout(output)) return { write: io.stdout, close: () => {}, abort: () => {} };
  const target = resolve(io.cwd, output);
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  const failed = (error: unknown) =>
    new InputError(`cannot write the report (${(error as NodeJS.ErrnoException).code ?? String(error)})`, output);
  let fd: number | undefined;
  const abort = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    // The temporary file may not exist, nor its folder, nor be reachable (ENOTDIR): nothing to clean up then.
    try {
      rmSync(temporary, { force: true });
    } catch {}
  };
  const guarded = (step: () => void) => {
    try {
      step();
    } catch (error) {
      abort();
      throw failed(error);
    }
  };
  guarded(() => {
    fd = openSync(temporary, 'w');
  });
  return {
    write: (text) => guarded(() => writeAll(fd!, text)),
    close: () =>
      guarded(() => {
        closeSync(fd!);
        fd = undefined;
        renameSync(temporary, target);
      }),
    abort,
  };
}

/** writeSync may write less than it is given: go on until every byte is out. */
export function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
}
