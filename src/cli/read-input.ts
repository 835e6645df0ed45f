/** Reading a Dockerfile named on the command line (`-` = standard input), with input errors that name the file. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { Io } from './io.js';

/** The name to show for `file` in messages. */
export function displayName(file: string): string {
  return file === '-' ? '<stdin>' : file;
}

/**
 * A named file is read synchronously: a CLI reads its files one after another, and the promise API's open, stat,
 * read and close each wait for a thread-pool round trip (a third of `lint`'s wall time over many small files).
 */
export async function readInput(io: Io, file: string): Promise<string> {
  try {
    if (file === '-') return await readStdin();
    return readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new InputError(`cannot read: ${reason}`, file);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
