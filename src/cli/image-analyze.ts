/**
 * `layerwise image analyze IMAGE [--ci] [--lowest-efficiency X] [--highest-wasted-bytes N]
 * [--highest-user-wasted-percent X] [--config FILE]`: sizes, dive's efficiency and wasted bytes, layerwise's hidden
 * bytes; exit 1 when a CI gate fails, one line per failed gate. Which gates apply: src/image/gates.ts.
 */
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { FindingsError, UsageError } from '../errors.js';
import { checkGateSetting, GATE_NAMES, type GateName, type GateSetting } from '../gate-settings.js';
import { evaluateGates, resolveGates } from '../image/gates.js';
import { renderAnalyzeHtml } from '../report/html/image-analyze.js';
import { analyzeJson, analyzeTty } from '../report/image.js';
import { loadConfig } from '../rules/config-file.js';
import { type ImageCliOptions, inspect, isQuiet } from './image-common.js';
import { dockerfileLines, readDockerfileText } from './image-history.js';
import type { Io } from './io.js';
import { emit } from './output.js';

export interface AnalyzeCliOptions extends ImageCliOptions {
  ci?: boolean;
  lowestEfficiency?: string;
  highestWastedBytes?: string;
  highestUserWastedPercent?: string;
  top?: string;
  file?: string;
  /** `.layerwise.yaml` to read the `image:` gates from (default: found upward from the Dockerfile's or current folder). */
  config?: string;
}

const FLAGS: Record<GateName, string> = {
  lowestEfficiency: '--lowest-efficiency',
  highestWastedBytes: '--highest-wasted-bytes',
  highestUserWastedPercent: '--highest-user-wasted-percent',
};

/** The thresholds given on the command line (each turns its gate on; `disabled` turns it off). */
export function gateFlags(options: AnalyzeCliOptions): Partial<Record<GateName, GateSetting>> {
  const flags: Partial<Record<GateName, GateSetting>> = {};
  for (const rule of GATE_NAMES) {
    const value = options[rule];
    if (value === undefined) continue;
    const checked = checkGateSetting(rule, value);
    if ('problem' in checked) throw new UsageError(`${FLAGS[rule]} ${value}: ${checked.problem}`);
    flags[rule] = checked.setting;
  }
  return flags;
}

export async function run(io: Io, reference: string, options: AnalyzeCliOptions, command?: Command): Promise<number> {
  const flags = gateFlags(options);
  const top = options.top === undefined ? 10 : Number(options.top);
  if (!Number.isSafeInteger(top) || top < 0) throw new UsageError(`--top ${options.top}: expected a whole number`);
  const folder = options.file ? dirname(resolve(io.cwd, options.file)) : io.cwd;
  const explicit = options.config === undefined ? undefined : resolve(io.cwd, options.config);
  const { config } = await loadConfig(folder, explicit);
  const resolved = resolveGates({ ci: options.ci, config: config.image, flags });
  const { info, rows, analysis } = await inspect(io, reference, options, isQuiet(command), { analyze: true });
  if (!analysis) throw new Error('analysis missing (bug)');
  const gates = evaluateGates(analysis.dive, resolved);
  const lines = dockerfileLines(io, options.file, rows);
  const dockerfile =
    options.file && options.format === 'html' ? { path: options.file, text: readDockerfileText(io, options.file) } : undefined;
  const report =
    options.format === 'json'
      ? analyzeJson(info, rows, analysis, gates, lines)
      : options.format === 'html'
        ? renderAnalyzeHtml({ image: info, rows, analysis, gates, lines, dockerfile })
        : analyzeTty(rows, analysis, gates, top);
  emit(io, report, options.output);
  const failed = gates.filter((gate) => !gate.passed);
  if (failed.length > 0)
    throw new FindingsError(
      failed.map((gate) => `layerwise: CI gate failed: ${gate.rule}: ${gate.message} [${gate.source}]`).join('\n'),
    );
  return 0;
}
