/** `layerwise parse FILE [--format json|buildkit]`: parse exactly as BuildKit does and print the tree. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { dumpDockerfile, parseDockerfile, toJson } from '../dockerfile/index.js';
import { InputError } from '../errors.js';
import type { Io } from './io.js';

export async function run(io: Io, file: string, options: { format: string }): Promise<number> {
  const text = await readInput(io, file);
  const ast = parseDockerfile(text, { file: file === '-' ? '<stdin>' : file });
  io.stdout(options.format === 'buildkit' ? dumpDockerfile(ast) : `${JSON.stringify(toJson(ast), null, 2)}\n`);
  return 0;
}

async function readInput(io: Io, file: string): Promise<string> {
  try {
    if (file === '-') return await readStdin();
    return await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new InputError(`cannot read: ${reason}`, file);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
