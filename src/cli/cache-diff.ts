/** `layerwise cache diff OLD [NEW]`: which steps of NEW BuildKit would report CACHED after building OLD, and why. */
import pc from 'picocolors';
import { loadSide } from '../cache/fs-inputs.js';
import type { ImageStore } from '../cache/keys.js';
import { predict } from '../cache/predict.js';
import { UsageError } from '../errors.js';
import { diffJson, diffTty, noPaint, type Paint } from '../report/cache.js';
import { renderCacheDiffHtml } from '../report/html/cache-diff.js';
import { detail, type Io, wantsColor } from './io.js';
import { emit } from './output.js';

export interface CacheDiffOptions {
  file?: string;
  target?: string;
  buildArg?: string[];
  oldBuildArg?: string[];
  newBuildArg?: string[];
  builder?: 'buildkit' | 'classic';
  imageStore?: ImageStore;
  baseChanged?: string[];
  gitDir?: boolean;
  format?: 'tty' | 'json' | 'html';
  output?: string;
}

/** `K=V` pairs; a bare `K` takes the value from the environment (as docker build does) or is dropped. */
export function parseBuildArgs(io: Io, ...lists: (string[] | undefined)[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const list of lists) {
    for (const item of list ?? []) {
      const eq = item.indexOf('=');
      if (eq === 0) throw new UsageError(`invalid --build-arg ${JSON.stringify(item)}: the name is empty`);
      if (eq > 0) args[item.slice(0, eq)] = item.slice(eq + 1);
      else if (io.env[item] !== undefined) args[item] = io.env[item] as string;
    }
  }
  return args;
}

export function paintFor(io: Io): Paint {
  // createColors(true), not pc.green: picocolors' own detection reads process.stdout and process.env, not `io`.
  if (!wantsColor(io)) return noPaint;
  const { green, red, yellow, dim, bold } = pc.createColors(true);
  return { green, red, yellow, dim, bold };
}

export async function run(io: Io, oldSpec: string, newSpec: string | undefined, options: CacheDiffOptions): Promise<number> {
  const common = { file: options.file, gitDir: options.gitDir };
  const model = (extra?: string[]) => ({ buildArgs: parseBuildArgs(io, options.buildArg, extra), target: options.target });
  const old = await loadSide(io.cwd, oldSpec, { ...common, model: model(options.oldBuildArg) });
  const next = await loadSide(io.cwd, newSpec ?? '.', {
    ...common,
    model: model(options.newBuildArg),
    baseChanged: options.baseChanged,
  });
  detail(io, `OLD: ${old.label}, NEW: ${next.label}`);
  const prediction = predict(old.input, next.input, { builder: options.builder, imageStore: options.imageStore });
  detail(io, `assuming ${prediction.assumptions.join(', ')}`);
  const sides = { old: old.label, new: newSpec === undefined ? `${next.label} (working tree)` : next.label };
  const report =
    options.format === 'json'
      ? diffJson(prediction, sides)
      : options.format === 'html'
        ? renderCacheDiffHtml(prediction, next.text, sides)
        : diffTty(prediction, next.text, sides, paintFor(io));
  emit(io, report, options.output);
  return 0;
}
