/**
 * `layerwise lint [FILE...]`: read each Dockerfile and its configuration, lint, print one report, and return
 * 0 (clean), 1 (findings at or above the failure threshold) or 2 (a file does not parse).
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ParseError } from '../dockerfile/index.js';
import { UsageError } from '../errors.js';
import { lintGithubStream } from '../report/github.js';
import { lintHtmlStream } from '../report/html/lint.js';
import { lintJsonStream } from '../report/json.js';
import { lintSarifStream } from '../report/sarif.js';
import { type LintReportStream, memorySpool, type Sink, type Spool } from '../report/stream.js';
import { lintTtyStream } from '../report/tty.js';
import type { LintConfig, Threshold } from '../rules/config.js';
import { loadConfig } from '../rules/config-file.js';
import { SEVERITIES } from '../rules/define.js';
import { type LintResult, lint } from '../rules/lint.js';
import { rules, rulesNamed } from '../rules/registry.js';
import { VERSION } from '../version.js';
import { detail, type Io, wantsColor } from './io.js';
import { contextView } from './lint-context.js';
import { type FixedFile, type FixRun, fixFile, fixJsonStream, printFix } from './lint-fix.js';
import { lintInWorkers, threadCount } from './lint-parallel.js';
import { isStdout, openOutput, type ReportOutput } from './output.js';
import { displayName, readInput } from './read-input.js';
import { fileSpool } from './spool.js';

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
  const settings: LintSettings = {
    ignored,
    buildArgs,
    explicitConfig,
    failureThreshold: options.failureThreshold,
    context: options.context,
  };
  return fixRun ? lintAndFix(io, targets, settings, fixRun, options) : lintAndReport(io, targets, settings, options);
}

/**
 * Plain `lint`: each file's part of the report is written as soon as the file is linted (in the order named, whatever
 * thread linted it), and its result dropped: the run never holds every file's findings, source and tree, nor the whole
 * report (over the corpus that was ~100 MB of peak memory). A file that cannot be read stops the run there: the report
 * of the files before it is closed as a whole document on stdout (a `--output` file is not written at all), exit 2.
 */
async function lintAndReport(io: Io, targets: string[], settings: LintSettings, options: LintCliOptions): Promise<number> {
  const threads = options.format === 'html' ? 1 : threadCount(options.jobs, targets);
  const output = openOutput(io, options.output);
  const parseErrors: ParseError[] = [];
  let failed = false;
  await writeReport(output, options.format, io, undefined, async (report) => {
    const take = (linted: LintedFile) => {
      failed ||= linted.failed;
      if (linted.result.parseError) parseErrors.push(linted.result.parseError);
      report.file(linted.result);
    };
    if (threads > 1) await lintInWorkers(io, targets, settings, threads, take);
    else {
      const configs: ConfigCache = new Map();
      for (const file of targets) take(await lintTarget(io, file, settings, undefined, configs));
    }
  });
  return exitCode(io, parseErrors, failed);
}

/**
 * `--fix`/`--diff`: file by file, the file is fixed (and written), its diff and what was fixed are printed, then its
 * part of the report, and it is dropped. Where the report shares a stream with the diffs (stdout) or with what was
 * fixed (stderr, when stdout carries the fixed standard input), it is set aside until the last file, so it still
 * follows them (a temporary file, not memory). A file that cannot be read or written stops the run as plain lint's.
 */
async function lintAndFix(
  io: Io,
  targets: string[],
  settings: LintSettings,
  fixRun: FixRun,
  options: LintCliOptions,
): Promise<number> {
  const json = options.format === 'json';
  const fixesStdin = fixRun.mode === 'fix' && targets.includes('-');
  // With `--fix` on standard input, stdout carries the fixed text: the report goes to stderr.
  const toStderr = fixesStdin && !json && !options.output;
  const sharesStream = !json && (toStderr || ((fixRun.mode === 'diff' || fixesStdin) && isStdout(options.output)));
  const output: ReportOutput = toStderr ? { write: io.stderr, close: () => {}, abort: () => {} } : openOutput(io, options.output);
  const parseErrors: ParseError[] = [];
  let failed = false;
  const format = json ? 'fix-json' : options.format;
  const later = sharesStream ? fileSpool() : undefined;
  await writeReport(output, format, io, later, async (report) => {
    const configs: ConfigCache = new Map();
    for (const file of targets) {
      const linted = await lintTarget(io, file, settings, fixRun, configs);
      failed ||= linted.failed;
      const fixed = linted.fixed!;
      if (fixed.result.parseError) parseErrors.push(fixed.result.parseError);
      printFix(io, fixed, fixRun);
      report.file(fixed);
    }
  });
  return exitCode(io, parseErrors, failed);
}

/**
 * Runs `lint` (which hands each file to the report as it goes) and closes the report, also when `lint` throws: what
 * was written stays a whole document (a CI step parsing the JSON or SARIF must not get half an array), the report of
 * the files before the failure; a `--output` file is discarded anyway. With `later`, the report is set aside there
 * and written to `output` once closed.
 */
async function writeReport(
  output: ReportOutput,
  format: ReportFormat,
  io: Io,
  later: (Spool & { discard(): void }) | undefined,
  lint: (report: FileReport) => Promise<void>,
): Promise<void> {
  const rows = format === 'html' ? fileSpool() : undefined;
  const report = startReport(format, later ? later.write : output.write, io, rows);
  const close = () => {
    report.end();
    later?.drain(output.write);
  };
  try {
    await lint(report);
    close();
    output.close();
  } catch (error) {
    try {
      close();
    } catch {}
    output.abort();
    throw error;
  } finally {
    rows?.discard();
    later?.discard();
  }
}

function exitCode(io: Io, parseErrors: readonly ParseError[], failed: boolean): number {
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

type ReportFormat = LintCliOptions['format'] | 'fix-json';

/** A report that takes each file's result, or (`--fix`/`--diff`) each file's fix with its result. */
interface FileReport {
  file(linted: LintResult | FixedFile): void;
  end(): void;
}

function startReport(format: ReportFormat, sink: Sink, io: Io, spool: Spool | undefined): FileReport {
  if (format === 'fix-json') {
    const fixes = fixJsonStream(sink);
    return { file: (fixed) => fixes.file(fixed as FixedFile), end: fixes.end };
  }
  const stream = lintReport(format, sink, io, spool);
  return { file: (linted) => stream.file('outcome' in linted ? linted.result : linted), end: stream.end };
}

function lintReport(format: LintCliOptions['format'], sink: Sink, io: Io, spool: Spool | undefined): LintReportStream {
  switch (format) {
    case 'json':
      return lintJsonStream(sink);
    case 'sarif':
      return lintSarifStream(sink, { rules, toolVersion: VERSION });
    case 'github':
      return lintGithubStream(sink);
    case 'html':
      // The page's header counts over all files: each file's listing waits in the spool until the last file.
      return lintHtmlStream(sink, spool ?? memorySpool());
    default: {
      // Files that do not parse are reported on stderr only.
      const tty = lintTtyStream(sink, { color: wantsColor(io) });
      return {
        file: (result) => {
          if (!result.parseError) tty.file(result);
        },
        end: tty.end,
      };
    }
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
