/** `layerwise image history IMAGE [--format tty|json] [--platform os/arch] [--no-trunc]`: docker history, without a daemon. */
import type { Command } from 'commander';
import { historyJson, historyTty } from '../report/image.js';
import { type ImageCliOptions, inspect, isQuiet } from './image-common.js';
import type { Io } from './io.js';

export async function run(
  io: Io,
  reference: string,
  options: ImageCliOptions & { trunc?: boolean },
  command?: Command,
): Promise<number> {
  const { info, rows } = await inspect(io, reference, options, isQuiet(command), {});
  io.stdout(options.format === 'json' ? historyJson(info, rows) : historyTty(rows, { noTrunc: options.trunc === false }));
  return 0;
}
