/**
 * What a RUN executes, as rules need it: the shell scripts it runs (the command line, or the heredoc bodies BuildKit
 * runs as scripts, or the exec-form argv) analysed by src/shell in the state the model gives the step (SHELL, WORKDIR,
 * ENV and ARGs), their package-manager calls, the caches those calls fill, and the step's mounts. Word offsets of a
 * script are offsets into its text; `base` turns them into offsets into the Dockerfile.
 *
 * The lint engine makes one `RunScripts` per lint run (`ctx.runScript`): each RUN is analysed once, on first request,
 * and every rule reads the same result.
 */
import type { Dockerfile, Instruction } from '../../dockerfile/ast.js';
import { type EnvEntry, type Mount, parseMount, type StepState } from '../../model/index.js';
import type { Range } from '../../shell/ast.js';
import { analyzeArgv, analyzeScript, defaultShell, type Script } from '../../shell/commands.js';
import { heredocRole } from '../../shell/heredoc.js';
import { inShellMemo, scopedValue } from '../../shell/memo.js';
import { type CacheUse, cacheUses } from '../../shell/package-managers/caches.js';
import { type PackageManagerCall, packageManagerCalls } from '../../shell/package-managers/index.js';
import { isRoot, splitUser, stepUser } from './accounts.js';
import { namesOfCommands } from './command-names.js';
import type { Stages } from './stages.js';

export interface LocatedScript {
  script: Script;
  /** The Dockerfile offset of the script's first character: `base + word.start` is the word in the source. */
  base: number;
  calls: PackageManagerCall[];
  /** Where the script comes from: the shell-form command line, a heredoc body, or the exec-form argv. */
  kind: 'shell' | 'heredoc' | 'exec';
  /** The SHELL, WORKDIR and environment it was analysed in (to analyse it again with one variable changed). */
  options: ScriptOptions;
}

export interface LocatedCall {
  call: PackageManagerCall;
  in: LocatedScript;
}

export interface LocatedCacheUse {
  use: CacheUse;
  in: LocatedScript;
}

export interface RunScript {
  instruction: Instruction;
  /** Shell form: the command line, or each heredoc body BuildKit runs as a script; exec form: the argv. */
  scripts: LocatedScript[];
  /** Every package-manager call of every script, in execution order. */
  calls: LocatedCall[];
  /** Every cache the calls fill and whether the RUN leaves it in the layer (see shell/caches; mounts counted). */
  readonly caches: LocatedCacheUse[];
  /** The base names of the scripts' static command names (`/usr/bin/sudo` is `sudo`; see command-names.ts). */
  readonly commandNames: ReadonlySet<string>;
  /** The RUN's `--mount` flags as the model reads them (expanded; malformed ones left out). */
  mounts: Mount[];
  json: boolean;
  /** The scripts came from heredoc bodies. */
  heredoc: boolean;
}

/** The analysis of a RUN, memoised: one per lint run, shared by every rule. */
export type RunScripts = (instruction: Instruction) => RunScript;

/** A memo of RUN analyses for one tree; `stages` is the model of the lint run (its build args applied). */
export function runScripts(dockerfile: Dockerfile, stages: Stages): RunScripts {
  const memo = new Map<Instruction, RunScript>();
  // Steps share the model's env list until an ENV or ARG changes it: RUNs with one list share one (frozen) record,
  // and src/shell shares one initial shell state per frozen record.
  const records = new Map<readonly EnvEntry[], Readonly<Record<string, string>>>();
  const envOf = (env: readonly EnvEntry[]) => {
    let record = records.get(env);
    if (record === undefined) {
      record = envRecord(env);
      records.set(env, record);
    }
    return record;
  };
  // The same under a non-root USER whose home the Dockerfile tells (see homeFor), one record per list and home.
  const withHomes = new Map<readonly EnvEntry[], Map<string, Readonly<Record<string, string>>>>();
  const stepEnv = (instruction: Instruction, state: StepState) => {
    const record = envOf(state.env);
    // Most steps run as root: only a USER naming someone else costs a look at the accounts.
    const home = 'HOME' in record || isRoot(splitUser(state.user).name) ? undefined : homeFor(stages, instruction, run);
    if (home === undefined) return record;
    let byHome = withHomes.get(state.env);
    if (byHome === undefined) {
      byHome = new Map();
      withHomes.set(state.env, byHome);
    }
    let withHome = byHome.get(home);
    if (withHome === undefined) {
      withHome = Object.freeze(Object.assign(Object.create(null), record, { HOME: home })) as Record<string, string>;
      byHome.set(home, withHome);
    }
    return withHome;
  };
  // Rules ask in turn about the instruction being visited: the last answer first.
  let lastInstruction: Instruction | undefined;
  let lastRun: RunScript | undefined;
  const run: RunScripts = (instruction) => {
    if (instruction === lastInstruction) return lastRun!;
    let found = memo.get(instruction);
    if (!found) {
      found = analyse(dockerfile, stages, instruction, stepEnv);
      memo.set(instruction, found);
    }
    lastInstruction = instruction;
    lastRun = found;
    return found;
  };
  return run;
}

/**
 * $HOME for a step run as a non-root USER (when ENV does not set HOME): BuildKit takes it from the user's
 * /etc/passwd entry, which only an account the Dockerfile itself creates tells; undefined otherwise (then the
 * analysis keeps its default, root's /root).
 */
function homeFor(stages: Stages, instruction: Instruction, run: RunScripts): string | undefined {
  const who = stepUser(stages, instruction, run);
  return typeof who === 'object' ? who.account?.home : undefined;
}

/** A range of a script as offsets into the Dockerfile source. */
export function inSource(located: LocatedScript, range: Range): { start: number; end: number } {
  return { start: located.base + range.start, end: located.base + range.end };
}

/** The mount targets that keep files out of the layer: cache and tmpfs mounts. */
export function cacheMountTargets(run: Pick<RunScript, 'mounts'>): string[] {
  const targets: string[] = [];
  for (const m of run.mounts) if ((m.type === 'cache' || m.type === 'tmpfs') && m.target !== '') targets.push(m.target);
  return targets;
}

/** The analysis of one RUN; `caches` and `commandNames` are worked out on first read (only some rules need them). */
class AnalysedRun implements RunScript {
  readonly calls: LocatedCall[] = [];
  #caches: LocatedCacheUse[] | undefined;
  #commandNames: ReadonlySet<string> | undefined;

  constructor(
    readonly instruction: Instruction,
    readonly scripts: LocatedScript[],
    readonly mounts: Mount[],
    readonly json: boolean,
    readonly heredoc: boolean,
  ) {
    for (const located of scripts) for (const call of located.calls) this.calls.push({ call, in: located });
  }

  get caches(): LocatedCacheUse[] {
    this.#caches ??= cacheUsesIn(this.scripts, cacheMountTargets(this));
    return this.#caches;
  }

  get commandNames(): ReadonlySet<string> {
    this.#commandNames ??= namesOfCommands(this.scripts);
    return this.#commandNames;
  }
}

/** The record of an empty env list: shared by every lint run (so are the shell states made from it). */
const emptyEnv: Readonly<Record<string, string>> = Object.freeze(Object.create(null));

/**
 * The environment a step's scripts start with, as src/shell takes it: frozen, so src/shell may share what it derives
 * from it. A record without a prototype: keys are stored as they come (no hidden-class transition per variable name),
 * `__proto__` included.
 */
function envRecord(env: readonly EnvEntry[]): Readonly<Record<string, string>> {
  let record: Record<string, string> | undefined;
  for (const entry of env) {
    if (!('key' in entry)) continue;
    record ??= Object.create(null) as Record<string, string>;
    record[entry.key] = entry.value;
  }
  return record === undefined ? emptyEnv : Object.freeze(record);
}

function locate(script: Script, base: number, kind: LocatedScript['kind'], options: ScriptOptions): LocatedScript {
  return { script, base, calls: packageManagerCalls(script), kind, options };
}

export type ScriptOptions = {
  shell: string[];
  cwd: string | undefined;
  env: Readonly<Record<string, string>> | undefined;
};

/**
 * A script analysed and located. The analysis and its calls depend on the text and the options only: `lint --fix`
 * lints every pass's text, whose RUNs are mostly the pass before's, so inside its shell memo scope each (text,
 * options) is analysed once.
 */
function script(text: string, base: number, kind: 'shell' | 'heredoc', options: ScriptOptions): LocatedScript {
  const found = inShellMemo()
    ? scopedValue(
        () => `script ${optionsKey(options)} ${text}`,
        () => analysedText(text, options),
      )
    : analysedText(text, options);
  return { script: found.script, base, calls: found.calls, kind, options };
}

function analysedText(text: string, options: ScriptOptions): { script: Script; calls: PackageManagerCall[] } {
  const analysed = analyzeScript(text, options);
  return { script: analysed, calls: packageManagerCalls(analysed) };
}

/** The analysis options as a memo key: SHELL argv, WORKDIR and every variable, each length-prefixed (no two alike). */
function optionsKey({ shell, cwd, env }: ScriptOptions): string {
  let key = `${shell.length}`;
  for (const word of shell) key += `:${word.length}:${word}`;
  key += cwd === undefined ? ';-' : `;${cwd.length}:${cwd}`;
  if (env === undefined) return `${key};-`;
  for (const name in env) key += `;${name.length}:${name}${env[name].length}:${env[name]}`;
  return key;
}

/** A RUN whose command is only heredoc markers (`RUN <<EOF`, `RUN 3<<-A <<B`): the heredocs are the script. */
const ONLY_MARKERS = /^\s*(?:[0-9]*<<-?\s*\S+\s*)+$/;

function analyse(
  dockerfile: Dockerfile,
  stages: Stages,
  instruction: Instruction,
  stepEnv: (instruction: Instruction, state: StepState) => Readonly<Record<string, string>>,
): RunScript {
  const step = stages.steps.get(instruction);
  const mounts = step?.run?.mounts ?? unexpandedMounts(instruction);
  const state = step?.state;
  const options = {
    shell: state?.shell ?? defaultShell,
    cwd: state?.workdir,
    env: state ? stepEnv(instruction, state) : undefined,
  };

  if (instruction.json) {
    if (instruction.args.length === 0) return new AnalysedRun(instruction, [], mounts, true, false);
    const argv = instruction.args.map((arg) => arg.value);
    // JSON string ranges include the quotes; word offsets point inside them.
    const ranges = instruction.args.map((arg) => ({ start: arg.range.start.offset + 1, end: arg.range.end.offset - 1 }));
    const command = analyzeArgv(argv, { cwd: options.cwd, env: options.env, ranges });
    return new AnalysedRun(
      instruction,
      [locate(execScript(dockerfile.source, command), 0, 'exec', options)],
      mounts,
      true,
      false,
    );
  }
  const command = instruction.command;
  if (!command) return new AnalysedRun(instruction, [], mounts, false, false);
  if (instruction.heredocs.length === 0) {
    const main = script(command.script, command.range.start.offset, 'shell', options);
    return new AnalysedRun(instruction, [main], mounts, false, false);
  }
  const scripts: LocatedScript[] = [];
  // `RUN <<EOF` (markers only) has no command of its own: the heredoc is the script.
  if (!ONLY_MARKERS.test(command.script)) {
    scripts.push(script(command.script, command.range.start.offset, 'shell', options));
  }
  let heredoc = false;
  for (const body of instruction.heredocs) {
    const role = heredocRole(command.text, { name: body.name, body: body.content, shell: options.shell });
    if (role.kind !== 'script') continue;
    const shell = role.shell === 'default' ? options.shell : [role.shell, '-c'];
    scripts.push(script(body.content, body.bodyRange.start.offset, 'heredoc', { ...options, shell }));
    heredoc = true;
  }
  return new AnalysedRun(instruction, scripts, mounts, false, heredoc);
}

function cacheUsesIn(scripts: LocatedScript[], mountTargets: string[]): LocatedCacheUse[] {
  const uses: LocatedCacheUse[] = [];
  for (const located of scripts) {
    for (const use of cacheUses(located.script, located.calls, { mountTargets })) uses.push({ use, in: located });
  }
  return uses;
}

/** An exec-form argv as a one-command script (no shell: no expansion, no state change); offsets are source offsets. */
function execScript(source: string, command: ReturnType<typeof analyzeArgv>): Script {
  const root = { type: 'list' as const, start: 0, end: source.length, redirects: [], items: [] };
  return {
    source,
    shell: [],
    supported: true,
    commands: [command],
    parts: [],
    hasErrors: false,
    problems: [],
    initialState: command.state,
    finalState: command.state,
    syntax: { source, root, problems: [] },
  };
}

/** A RUN outside any stage (before the first FROM) has no model step: its mounts as written, malformed ones left out. */
function unexpandedMounts(instruction: Instruction): Mount[] {
  return instruction.flags.flatMap((flag) => {
    if (flag.name !== 'mount') return [];
    try {
      return [parseMount(flag.value ?? '', (word) => word)];
    } catch {
      return [];
    }
  });
}
