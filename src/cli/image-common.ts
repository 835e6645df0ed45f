/** What the three image commands share: option parsing, opening with a progress bar, closing. */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { parsePlatform } from '../image/image.js';
import type { Inspection, InspectOptions } from '../image/inspect.js';
import { inspectInWorker } from './image-worker.js';
import { detail, type Io } from './io.js';
import { progressBar } from './progress.js';

export interface ImageCliOptions {
  format?: 'tty' | 'json' | 'html';
  output?: string;
  platform?: string;
  insecure?: boolean;
  maxLayerSize?: string;
  sizes?: 'applied' | 'built';
}

export function isQuiet(command: Command | undefined): boolean {
  return Boolean(command?.optsWithGlobals?.().quiet);
}

/**
 * Opens IMAGE, reads it once with a progress bar (on a terminal, without --quiet), and closes it — in a worker thread
 * with a small young generation, which bounds memory (see image-worker.ts).
 */
export async function inspect(
  io: Io,
  reference: string,
  options: ImageCliOptions,
  quiet: boolean,
  what: InspectOptions,
): Promise<Inspection> {
  const platform = options.platform ? parsePlatform(options.platform) : undefined;
  if (options.platform && !platform) throw new UsageError(`--platform ${options.platform}: expected os/arch[/variant]`);
  let maxLayerBytes: number | undefined;
  if (options.maxLayerSize !== undefined) {
    maxLayerBytes = Number(options.maxLayerSize);
    if (!Number.isSafeInteger(maxLayerBytes) || maxLayerBytes <= 0)
      throw new UsageError(`--max-layer-size ${options.maxLayerSize}: expected a number of bytes`);
  }
  const exporting = progressBar(io, `exporting ${reference}`, quiet);
  const reading = progressBar(io, `reading ${reference}`, quiet);
  try {
    return await inspectInWorker(
      {
        reference,
        open: {
          platform,
          insecure: options.insecure,
          dockerHost: io.env.DOCKER_HOST,
          limits: maxLayerBytes ? { maxLayerBytes } : undefined,
        },
        inspect: { ...what, sizes: options.sizes },
        progress: reading.enabled,
      },
      {
        onOpenProgress: (bytes) => exporting.update(bytes),
        onOpened: (source) => {
          exporting.done();
          detail(io, `opened ${reference}: ${source}`);
        },
        onProgress: (done, total) => reading.update(done, total),
      },
    );
  } finally {
    exporting.done();
    reading.done();
  }
}
