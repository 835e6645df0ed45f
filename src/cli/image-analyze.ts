/**
 * `layerwise image analyze IMAGE [--ci] [--lowest-efficiency X] [--highest-wasted-bytes N]
 * [--highest-user-wasted-percent X]`: sizes, dive's efficiency and wasted bytes, layerwise's hidden bytes; exit 1
 * when a CI gate fails. A threshold given explicitly turns its gate on; --ci turns on dive's defaults for the rest.
 */
import type { Command } from 'commander';
import { FindingsError, UsageError } from '../errors.js';
import { diveCiDefaults, evaluateGates, type GateRules, parseBytes } from '../image/analyze.js';
import { renderAnalyzeHtml } from '../report/html/image-analyze.js';
import { analyzeJson, analyzeTty } from '../report/image.js';
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
}

function fraction(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0)
    throw new UsageError(`${flag} ${value}: expected a number (a fraction such as 0.9)`);
  return number;
}

export function gateRules(options: AnalyzeCliOptions): GateRules {
  const rules: GateRules = options.ci ? { ...diveCiDefaults } : {};
  const efficiency = fraction(options.lowestEfficiency, '--lowest-efficiency');
  if (efficiency !== undefined) rules.lowestEfficiency = efficiency;
  const percent = fraction(options.highestUserWastedPercent, '--highest-user-wasted-percent');
  if (percent !== undefined) rules.highestUserWastedPercent = percent;
  if (options.highestWastedBytes !== undefined) {
    const bytes = parseBytes(options.highestWastedBytes);
    if (bytes === undefined)
      throw new UsageError(`--highest-wasted-bytes ${options.highestWastedBytes}: expected bytes such as 20MB or 1048576`);
    rules.highestWastedBytes = bytes;
  }
  return rules;
}

export async function run(io: Io, reference: string, options: AnalyzeCliOptions, command?: Command): Promise<number> {
  const rules = gateRules(options);
  const top = options.top === undefined ? 10 : Number(options.top);
  if (!Number.isSafeInteger(top) || top < 0) throw new UsageError(`--top ${options.top}: expected a whole number`);
  const { info, rows, analysis } = await inspect(io, reference, options, isQuiet(command), { analyze: true });
  if (!analysis) throw new Error('analysis missing (bug)');
  const gates = evaluateGates(analysis.dive, rules);
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
  if (failed.length > 0) throw new FindingsError(`layerwise: CI gate failed: ${failed.map((gate) => gate.rule).join(', ')}`);
  return 0;
}
