/** Reading a Dockerfile named on the command line (`-` = standard input), with input errors that name the file. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { Io } from './io.js';

/** The name to show for `file` in messages. */
export function displayName(file: string): string {
  return file === '-' ? '<stdin>' : file;
}

export async function readInput(io: Io, file: string): Promise<string> {
  try {
    if (file === '-') return await readStdin();
    return await readFile(resolve(io.cwd, file), 'utf8');
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
