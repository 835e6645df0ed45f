/** `layerwise image diff IMAGE_A IMAGE_B [--format tty|json]`: shared layers, bytes to pull, files added/removed/changed. */
import type { Command } from 'commander';
import { diffImages } from '../image/diff.js';
import { renderImageDiffHtml } from '../report/html/image-diff.js';
import { diffJson, diffTty } from '../report/image.js';
import { type ImageCliOptions, inspect, isQuiet } from './image-common.js';
import type { Io } from './io.js';
import { emit } from './output.js';

export async function run(io: Io, a: string, b: string, options: ImageCliOptions, command?: Command): Promise<number> {
  const quiet = isQuiet(command);
  const left = await inspect(io, a, options, quiet, { files: true });
  const right = await inspect(io, b, options, quiet, { files: true });
  const diff = diffImages(
    { layers: left.layers, files: left.files ?? new Map() },
    { layers: right.layers, files: right.files ?? new Map() },
  );
  const report =
    options.format === 'json'
      ? diffJson(left.info, right.info, diff)
      : options.format === 'html'
        ? renderImageDiffHtml({ a: { image: left.info, rows: left.rows }, b: { image: right.info, rows: right.rows }, diff })
        : diffTty(diff);
  emit(io, report, options.output);
  return 0;
}
