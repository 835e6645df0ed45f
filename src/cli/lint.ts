/**
 * `layerwise lint [FILE...]`: read each Dockerfile and its configuration, lint, print one report, and return
 * 0 (clean), 1 (findings at or above the failure threshold) or 2 (a file does not parse).
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { renderLintGithub } from '../report/github.js';
import { renderLintHtml } from '../report/html/lint.js';
import { renderLintJson } from '../report/json.js';
import { renderLintSarif } from '../report/sarif.js';
import { renderLintTty } from '../report/tty.js';
import type { LintConfig, Threshold } from '../rules/config.js';
import { loadConfig } from '../rules/config-file.js';
import { SEVERITIES } from '../rules/define.js';
import { type LintResult, lint } from '../rules/lint.js';
import { rules, rulesNamed } from '../rules/registry.js';
import { VERSION } from '../version.js';
import { detail, type Io, wantsColor } from './io.js';
import { contextView } from './lint-context.js';
import { type FixedFile, type FixRun, fixFile, printFixes, renderFixJson } from './lint-fix.js';
import { lintInWorkers, threadCount } from './lint-parallel.js';
import { emit } from './output.js';
import { displayName, readInput } from './read-input.js';

export interface LintCliOptions {
  format: 'tty' | 'json' | 'sarif' | 'github' | 'html';
  output?: string;
  config?: string;
  ignore?: string[];
  failureThreshold?: Threshold;
  buildArg?: string[];
  /** The build context directory (default: each Dockerfile's directory; none for standard input). */
  context?: string;
  /** Rewrite each file with the safe fixes (`--fix`), also the unsafe ones (`--fix-unsafe`), or print the diff. */
  fix?: boolean;
  fixUnsafe?: boolean;
  diff?: boolean;
  /** Worker threads for many files (`--jobs`); default: one per CPU but one, when there are enough files to pay for them. */
  jobs?: string;
}

export async function run(io: Io, files: string[], options: LintCliOptions): Promise<number> {
  const targets = files.length > 0 ? files : ['Dockerfile'];
  const ignored = (options.ignore ?? []).flatMap((name) => {
    const found = rulesNamed(name);
    if (found.length === 0) throw new UsageError(`--ignore ${name}: no such rule (see docs/rules/README.md)`);
    return found.map((rule) => rule.id);
  });
  const buildArgs = (options.buildArg ?? []).flatMap((entry) => buildArg(entry, io));
  const explicitConfig = options.config === undefined ? undefined : resolve(io.cwd, options.config);
  if (options.context !== undefined && !statSync(resolve(io.cwd, options.context), { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--context ${options.context}: not a directory`);

  if (options.diff && options.fix) throw new UsageError('--diff prints what --fix would change: give one of them');
  const fixRun: FixRun | undefined =
    options.fix || options.fixUnsafe || options.diff
      ? { mode: options.diff ? 'diff' : 'fix', unsafe: options.fixUnsafe === true, format: options.format }
      : undefined;
  const fixed: FixedFile[] = [];
  const results: LintResult[] = [];
  let failed = false;
  const settings: LintSettings = {
    ignored,
    buildArgs,
    explicitConfig,
    failureThreshold: options.failureThreshold,
    context: options.context,
  };
  const threads = fixRun || options.format === 'html' ? 1 : threadCount(options.jobs, targets);
  if (threads > 1) {
    for (const linted of await lintInWorkers(io, targets, settings, threads)) {
      results.push(linted.result);
      failed ||= linted.failed;
    }
  } else {
    const configs: ConfigCache = new Map();
    for (const file of targets) {
      const linted = await lintTarget(io, file, settings, fixRun, configs);
      if (linted.fixed) fixed.push(linted.fixed);
      // Only the HTML report draws the syntax tree; the others would keep every file's tree, build model and shell
      // analyses alive until the report is printed (twice the peak memory of a whole-corpus run).
      results.push(options.format === 'html' ? linted.result : withoutTree(linted.result));
      failed ||= linted.failed;
    }
  }

  if (fixRun) printFixes(io, fixed, fixRun);
  const report = fixRun && options.format === 'json' ? renderFixJson(fixed) : render(results, options.format, io);
  // With `--fix` on standard input, stdout carries the fixed text: the report goes to stderr.
  if (fixRun?.mode === 'fix' && targets.includes('-') && options.format !== 'json' && !options.output) io.stderr(report);
  else emit(io, report, options.output);
  const parseErrors = results.flatMap((result) => (result.parseError ? [result.parseError] : []));
  for (const error of parseErrors) io.stderr(`${error.message}\n`);
  if (parseErrors.length > 0) return 2;
  return failed ? 1 : 0;
}

/** What every file of one `lint` run shares (plain data: worker threads receive it as is). */
export interface LintSettings {
  ignored: string[];
  buildArgs: string[];
  explicitConfig: string | undefined;
  failureThreshold: Threshold | undefined;
  context: string | undefined;
}

export interface LintedFile {
  result: LintResult;
  /** A finding at or above the file's failure threshold. */
  failed: boolean;
  fixed?: FixedFile;
}

/**
 * Each folder's configuration, looked up once per run (per thread): a run over many files names few folders, and the
 * upward search costs two stats per level for every file otherwise.
 */
export type ConfigCache = Map<string, ReturnType<typeof loadConfig>>;

/** One named file: read it, find its configuration and context, lint (and fix) it. Also run by lint-parallel.ts. */
export async function lintTarget(
  io: Io,
  file: string,
  settings: LintSettings,
  fixRun?: FixRun,
  configs: ConfigCache = new Map(),
): Promise<LintedFile> {
  const text = await readInput(io, file);
  const folder = file === '-' ? io.cwd : dirname(resolve(io.cwd, file));
  const key = settings.explicitConfig === undefined ? folder : '';
  let lookup = configs.get(key);
  if (!lookup) configs.set(key, (lookup = loadConfig(folder, settings.explicitConfig)));
  const found = await lookup;
  const loaded = found.config;
  detail(io, `${displayName(file)}: ${text.length} characters, configuration ${found.path ?? 'defaults (no .layerwise.yaml)'}`);
  const config: LintConfig = {
    ...loaded,
    ignored: new Set([...loaded.ignored, ...settings.ignored]),
    failureThreshold: settings.failureThreshold ?? loaded.failureThreshold,
  };
  const dockerfile = file === '-' ? undefined : resolve(io.cwd, file);
  const contextDir = settings.context === undefined ? dockerfile && dirname(dockerfile) : resolve(io.cwd, settings.context);
  const context = contextDir === undefined ? undefined : contextView(contextDir, dockerfile);
  const lintOptions = { file: displayName(file), config, buildArgs: settings.buildArgs, ...(context && { context }) };
  const fixed = fixRun && (await fixFile(io, file, text, lintOptions, fixRun));
  const result = fixed ? fixed.result : lint(text, lintOptions);
  const failed = result.findings.some((finding) => atOrAbove(finding.severity, config.failureThreshold));
  return { result, failed, ...(fixed && { fixed }) };
}

/** The result without its syntax tree (see run()); worker threads send only this. */
export function withoutTree({ ast: _ast, ...result }: LintResult): LintResult {
  return result;
}

function render(results: LintResult[], format: LintCliOptions['format'], io: Io): string {
  switch (format) {
    case 'json':
      return renderLintJson(results);
    case 'sarif':
      return renderLintSarif(results, { rules, toolVersion: VERSION });
    case 'github':
      return renderLintGithub(results);
    case 'html':
      return renderLintHtml(results);
    default:
      return renderLintTty(
        results.filter((result) => !result.parseError),
        { color: wantsColor(io) },
      );
  }
}

function atOrAbove(severity: (typeof SEVERITIES)[number], threshold: Threshold): boolean {
  return threshold !== 'none' && SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

/** `K=V`, or a bare `K` taking its value from the environment as `docker build` does (skipped when unset). */
function buildArg(entry: string, io: Io): string[] {
  if (entry.startsWith('=')) throw new UsageError(`--build-arg ${entry}: the name is missing`);
  if (entry.includes('=')) return [entry];
  const value = io.env[entry];
  return value === undefined ? [] : [`${entry}=${value}`];
}
