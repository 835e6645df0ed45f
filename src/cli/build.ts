/**
 * `layerwise build [docker build options] CONTEXT [--record FILE] [--predict] [--strict] [--format tty|json]`:
 * a real BuildKit build (progress on stderr as usual), then one row per Dockerfile step — line, stage, cached or not,
 * time, layer size — on stdout. A failed build shows the builder's own message and exits 2.
 */
import { join, relative, resolve } from 'node:path';
import pc from 'picocolors';
import { engineImageStore } from '../build/buildkit.js';
import { cacheKeysAfter, defaultRecordPath, predictFromRecord, readRecord, writeRecord } from '../build/predict-record.js';
import { type BuildRecord, recordBuild } from '../build/record.js';
import { checkPredictions, type PredictionReport } from '../build/verify.js';
import { type LoadedSide, loadSide } from '../cache/fs-inputs.js';
import type { Prediction } from '../cache/predict.js';
import { FindingsError, UsageError } from '../errors.js';
import { type Io, note, wantsColor } from './io.js';

export interface BuildCliOptions {
  tag?: string[];
  file?: string;
  buildArg?: string[];
  target?: string;
  cache?: boolean; // commander's --no-cache
  platform?: string;
  record?: string;
  predict?: boolean;
  strict?: boolean;
  format?: 'tty' | 'json';
}

/** docker build options that take a value (so `--label k=v CONTEXT` is not read as two contexts). */
const valueOptions = new Set([
  '--add-host',
  '--allow',
  '--annotation',
  '--attest',
  '--build-context',
  '--builder',
  '--cache-from',
  '--cache-to',
  '--cgroup-parent',
  '--label',
  '--network',
  '-o',
  '--output',
  '--secret',
  '--shm-size',
  '--ssh',
  '--ulimit',
]);
/** Options layerwise sets itself to read the build. */
const reserved = ['--progress', '--metadata-file', '--iidfile', '--call', '--check', '--print'];

/** Splits commander's leftovers into the context and the docker options to pass through. */
export function splitPassThrough(args: string[]): { context: string; extraArgs: string[] } {
  const operands: string[] = [];
  const extraArgs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-') || arg === '-') {
      operands.push(arg);
      continue;
    }
    const name = arg.split('=', 1)[0];
    if (reserved.includes(name)) throw new UsageError(`layerwise build sets ${name} itself; leave it out`);
    extraArgs.push(arg);
    if (valueOptions.has(name) && !arg.includes('=')) {
      if (i + 1 >= args.length) throw new UsageError(`${name} needs a value`);
      extraArgs.push(args[++i]);
    }
  }
  if (operands.length !== 1) {
    throw new UsageError(
      operands.length === 0
        ? 'missing the build CONTEXT (a directory)'
        : `one build CONTEXT expected, got: ${operands.join(' ')}`,
    );
  }
  if (operands[0] === '-') throw new UsageError('a context from standard input is not supported; give a directory');
  return { context: operands[0], extraArgs };
}

function parseBuildArgs(pairs: string[] = []): Record<string, string> {
  const args: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--build-arg expects KEY=VALUE, got "${pair}"`);
    args[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return args;
}

export async function run(io: Io, args: string[], options: BuildCliOptions): Promise<number> {
  const { context, extraArgs } = splitPassThrough(args);
  if (options.strict && !options.predict) throw new UsageError('--strict goes with --predict');
  if (options.predict && options.cache === false) throw new UsageError('--predict with --no-cache: every step rebuilds');
  const buildArgs = parseBuildArgs(options.buildArg);
  const contextDir = resolve(io.cwd, context);
  const file = options.file ? resolve(io.cwd, options.file) : join(contextDir, 'Dockerfile');
  const recordPath = options.record
    ? resolve(io.cwd, options.record)
    : options.predict
      ? defaultRecordPath(io.env, file, options.target)
      : undefined;

  // --predict: the prediction is made before building, from the keys earlier builds of this Dockerfile left.
  let predict:
    | { next: LoadedSide; previous?: BuildRecord; prediction?: Prediction; imageStore: 'overlay2' | 'containerd' }
    | undefined;
  if (options.predict) {
    const imageStore = engineImageStore('docker', io.env);
    const previous = recordPath ? readRecord(recordPath) : undefined;
    const next = await loadSide(io.cwd, contextDir, {
      file: relative(contextDir, file),
      model: { buildArgs, ...(options.target ? { target: options.target } : {}) },
    });
    const prediction = predictFromRecord(previous, next, imageStore);
    if (!prediction) {
      note(
        io,
        `layerwise: no earlier record with cache keys at ${recordPath}: nothing to predict against yet; this build is recorded there\n`,
      );
    }
    predict = { next, imageStore, ...(previous ? { previous } : {}), ...(prediction ? { prediction } : {}) };
  }

  const record = await recordBuild({
    context,
    cwd: io.cwd,
    ...(options.file ? { file: options.file } : {}),
    tags: options.tag ?? [],
    buildArgs,
    ...(options.target ? { target: options.target } : {}),
    ...(options.cache === false ? { noCache: true } : {}),
    ...(options.platform ? { platform: options.platform } : {}),
    extraArgs,
    env: io.env,
    onProgress: (text) => note(io, text),
  });
  if (predict) record.cacheKeys = cacheKeysAfter(record, predict.next, predict.imageStore, predict.previous);
  if (recordPath) writeRecord(recordPath, record);

  const report = predict?.prediction && record.exitCode === 0 ? checkPredictions(predict.prediction.steps, record) : undefined;
  if (options.format === 'json') {
    const { cacheKeys: _keys, ...shown } = record;
    io.stdout(`${JSON.stringify(report ? { ...shown, prediction: report } : shown, null, 2)}\n`);
  } else {
    io.stdout(renderTable(record, wantsColor(io)));
    if (report) io.stdout(renderPredictionReport(report, wantsColor(io)));
  }
  if (record.exitCode !== 0) return 2;
  if (options.strict && report && report.mismatches.length > 0) throw new FindingsError('');
  return 0;
}

/** Every step where the prediction and BuildKit disagree, then the count of those that held. */
export function renderPredictionReport(report: PredictionReport, color: boolean): string {
  const paint = pc.createColors(color);
  const lines = report.mismatches.map(
    (check) =>
      paint.red(`line ${check.line}: predicted ${check.predicted}, BuildKit: ${check.actual}`) +
      `  ${check.instruction.replace(/\s+/g, ' ')}${check.reason ? `  (${check.reason})` : ''}`,
  );
  for (const check of report.unknown) {
    lines.push(
      paint.dim(`line ${check.line}: predicted unknown, BuildKit: ${check.actual}${check.reason ? `  (${check.reason})` : ''}`),
    );
  }
  lines.push(
    report.mismatches.length === 0
      ? paint.green(`prediction: all ${report.correct} definite predictions held`)
      : paint.red(`prediction: ${report.mismatches.length} wrong, ${report.correct} held`),
  );
  return `${lines.join('\n')}\n`;
}

const seconds = (ms?: number) => (ms === undefined ? '' : `${(ms / 1000).toFixed(1)}s`);

function bytes(size: number | null): string {
  if (size === null) return '';
  if (size < 1000) return `${size} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = size / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** The per-step table: every step BuildKit numbered, in Dockerfile order, then a one-line summary. */
export function renderTable(record: BuildRecord, color: boolean): string {
  const paint = pc.createColors(color);
  const rows = record.steps.map((step) => [
    String(step.line),
    step.stage,
    step.status,
    seconds(step.durationMs),
    bytes(step.size),
    step.instruction.replace(/\s+/g, ' '),
  ]);
  const header = ['LINE', 'STAGE', 'STATUS', 'TIME', 'SIZE', 'INSTRUCTION'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const format = (row: string[]) =>
    row
      .map((cell, column) =>
        column === 5 ? cell : column === 0 || column >= 3 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join('  ');
  const statusColor: Record<string, (text: string) => string> = {
    cached: paint.green,
    rebuilt: paint.yellow,
    failed: paint.red,
    'not-run': paint.dim,
    base: paint.dim,
  };
  const lines = [paint.bold(format(header))];
  for (const [i, row] of rows.entries()) {
    const line = format(row);
    lines.push((statusColor[record.steps[i].status] ?? ((text: string) => text))(line));
  }
  const { summary } = record;
  lines.push(
    `${summary.steps} steps: ${summary.cached} cached, ${summary.rebuilt} rebuilt${summary.failed ? `, ${summary.failed} failed` : ''} in ${seconds(summary.durationMs)}${record.imageId ? ` → ${record.imageId.slice(0, 19)}` : ''}`,
  );
  if (record.unmatched.length)
    lines.push(paint.yellow(`progress not matched to a Dockerfile step: ${record.unmatched.join('; ')}`));
  return `${lines.join('\n')}\n`;
}
