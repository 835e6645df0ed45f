/** `layerwise cache diff OLD [NEW]`: which steps of NEW BuildKit would report CACHED after building OLD, and why. */
import { loadSide } from '../cache/fs-inputs.js';
import type { ImageStore } from '../cache/keys.js';
import { predict } from '../cache/predict.js';
import { UsageError } from '../errors.js';
import { diffJson, diffTty } from '../report/cache.js';
import { renderCacheDiffHtml } from '../report/html/cache-diff.js';
import { detail, type Io } from './io.js';
import { emit } from './output.js';
import { paintFor } from './paint.js';

export interface CacheDiffOptions {
  file?: string;
  target?: string;
  buildArg?: string[];
  oldBuildArg?: string[];
  newBuildArg?: string[];
  builder?: 'buildkit' | 'classic';
  imageStore?: ImageStore;
  baseChanged?: string[];
  /** `--resolve-base [auto|registry|daemon]` (commander gives `true` for the bare flag). */
  resolveBase?: boolean | string;
  oldBase?: string[];
  insecure?: boolean;
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

export async function run(io: Io, oldSpec: string, newSpec: string | undefined, options: CacheDiffOptions): Promise<number> {
  const common = { file: options.file, gitDir: options.gitDir };
  const model = (extra?: string[]) => ({ buildArgs: parseBuildArgs(io, options.buildArg, extra), target: options.target });
  const old = await loadSide(io.cwd, oldSpec, { ...common, model: model(options.oldBuildArg) });
  const next = await loadSide(io.cwd, newSpec ?? '.', {
    ...common,
    model: model(options.newBuildArg),
    baseChanged: options.baseChanged,
  });
  const notes: string[] = [];
  if (options.resolveBase !== undefined && options.resolveBase !== false) {
    const source = options.resolveBase === true ? 'auto' : options.resolveBase;
    if (source !== 'auto' && source !== 'registry' && source !== 'daemon')
      throw new UsageError(`--resolve-base ${source}: expected auto, registry or daemon`);
    const how = { source, insecure: options.insecure, dockerHost: io.env.DOCKER_HOST } as const;
    // The registry and engine clients load only when asked for: a plain `cache diff` never needs them.
    const { parsePins, resolveSide } = await import('./resolve-base.js');
    const asked = new Map();
    const pins = parsePins(options.oldBase);
    const before = await resolveSide(old, how, pins, asked);
    const after = await resolveSide(next, how, new Map(), asked);
    for (const [ref, base] of Object.entries(after)) notes.push(`base image ${ref}: ${base.digest} (from the ${base.source})`);
    for (const ref of Object.keys(before))
      if (!pins.has(ref)) notes.push(`OLD's ${ref} resolved now, as NEW's (pin the digest OLD was built with: --old-base)`);
  } else if (options.oldBase?.length) throw new UsageError('--old-base needs --resolve-base');
  detail(io, `OLD: ${old.label}, NEW: ${next.label}`);
  const prediction = predict(old.input, next.input, { builder: options.builder, imageStore: options.imageStore });
  prediction.assumptions.push(...notes);
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
