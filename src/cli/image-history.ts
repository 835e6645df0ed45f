/**
 * `layerwise image history IMAGE [--format tty|json] [--platform os/arch] [--file Dockerfile] [--no-trunc]`:
 * docker history, without a daemon; with --file, each row names the Dockerfile line that produced it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseDockerfile } from '../dockerfile/parse.js';
import { InputError } from '../errors.js';
import { mapHistoryToDockerfile } from '../image/dockerfile-map.js';
import type { HistoryRow } from '../image/history.js';
import { historyJson, historyTty } from '../report/image.js';
import { type ImageCliOptions, inspect, isQuiet } from './image-common.js';
import type { Io } from './io.js';
import { emit } from './output.js';

/** The text of `--file`. */
export function readDockerfileText(io: Io, file: string): string {
  try {
    return readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    throw new InputError(`cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, file);
  }
}

/** Reads and parses `--file`, then maps rows to its lines (undefined without --file). */
export function dockerfileLines(io: Io, file: string | undefined, rows: HistoryRow[]): (number | undefined)[] | undefined {
  if (!file) return undefined;
  return mapHistoryToDockerfile(rows, parseDockerfile(readDockerfileText(io, file), { file }));
}

export async function run(
  io: Io,
  reference: string,
  options: ImageCliOptions & { trunc?: boolean; file?: string },
  command?: Command,
): Promise<number> {
  const { info, rows } = await inspect(io, reference, options, isQuiet(command), {});
  const lines = dockerfileLines(io, options.file, rows);
  emit(
    io,
    options.format === 'json' ? historyJson(info, rows, lines) : historyTty(rows, { noTrunc: options.trunc === false, lines }),
    options.output,
  );
  return 0;
}
