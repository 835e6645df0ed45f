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
import { envMap, type Mount, parseMount } from '../../model/index.js';
import type { Range } from '../../shell/ast.js';
import { analyzeArgv, analyzeScript, defaultShell, type Script } from '../../shell/commands.js';
import { heredocRole } from '../../shell/heredoc.js';
import { scopedValue } from '../../shell/memo.js';
import { type CacheUse, cacheUses } from '../../shell/package-managers/caches.js';
import { type PackageManagerCall, packageManagerCalls } from '../../shell/package-managers/index.js';
import { analysed, type Stages } from './stages.js';

export interface LocatedScript {
  script: Script;
  /** The Dockerfile offset of the script's first character: `base + word.start` is the word in the source. */
  base: number;
  calls: PackageManagerCall[];
  /** Where the script comes from: the shell-form command line, a heredoc body, or the exec-form argv. */
  kind: 'shell' | 'heredoc' | 'exec';
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
  /** The RUN's `--mount` flags as the model reads them (expanded; malformed ones left out). */
  mounts: Mount[];
  json: boolean;
  /** The scripts came from heredoc bodies. */
  heredoc: boolean;
}

/** The analysis of a RUN, memoised: one per lint run, shared by every rule. */
export type RunScripts = (instruction: Instruction) => RunScript;

/** A memo of RUN analyses for one tree; `stages` is the model of the lint run (its build args applied). */
export function runScripts(dockerfile: Dockerfile, stages: Stages = analysed(dockerfile)): RunScripts {
  const memo = new Map<Instruction, RunScript>();
  return (instruction) => {
    let found = memo.get(instruction);
    if (!found) {
      found = analyse(dockerfile, stages, instruction);
      memo.set(instruction, found);
    }
    return found;
  };
}

/** A range of a script as offsets into the Dockerfile source. */
export function inSource(located: LocatedScript, range: Range): { start: number; end: number } {
  return { start: located.base + range.start, end: located.base + range.end };
}

/** The mount targets that keep files out of the layer: cache and tmpfs mounts. */
export function cacheMountTargets(run: Pick<RunScript, 'mounts'>): string[] {
  return run.mounts.filter((m) => (m.type === 'cache' || m.type === 'tmpfs') && m.target !== '').map((m) => m.target);
}

function analyse(dockerfile: Dockerfile, stages: Stages, instruction: Instruction): RunScript {
  const step = stages.steps.get(instruction);
  const mounts = step?.run?.mounts ?? unexpandedMounts(instruction);
  const state = step?.state;
  const options = {
    shell: state?.shell ?? defaultShell,
    cwd: state?.workdir,
    env: state ? Object.fromEntries(envMap(state.env)) : undefined,
  };
  const located = (script: Script, base: number, kind: LocatedScript['kind']): LocatedScript => ({
    script,
    base,
    calls: packageManagerCalls(script),
    kind,
  });
  // A script and its calls depend on its text and the options only: `lint --fix` lints every pass's text, whose RUNs
  // are mostly the pass before's, so inside its shell memo scope each (text, options) is analysed once.
  const script = (text: string, base: number, kind: 'shell' | 'heredoc', shell: string[]): LocatedScript => {
    const found = scopedValue(
      () => `script ${optionsKey(shell, options.cwd, options.env)} ${text}`,
      () => {
        const analysed = analyzeScript(text, { ...options, shell });
        return { script: analysed, calls: packageManagerCalls(analysed) };
      },
    );
    return { script: found.script, base, calls: found.calls, kind };
  };
  const result = (scripts: LocatedScript[], json: boolean, heredoc: boolean): RunScript => {
    let caches: LocatedCacheUse[] | undefined;
    return {
      instruction,
      scripts,
      calls: scripts.flatMap((s) => s.calls.map((call) => ({ call, in: s }))),
      // Computed on first read: only the size rules need it.
      get caches() {
        caches ??= cacheUsesIn(scripts, cacheMountTargets({ mounts }));
        return caches;
      },
      mounts,
      json,
      heredoc,
    };
  };

  if (instruction.json) {
    const argv = instruction.args.map((arg) => arg.value);
    if (argv.length === 0) return result([], true, false);
    // JSON string ranges include the quotes; word offsets point inside them.
    const ranges = instruction.args.map((arg) => ({ start: arg.range.start.offset + 1, end: arg.range.end.offset - 1 }));
    const command = analyzeArgv(argv, { cwd: options.cwd, env: options.env, ranges });
    return result([located(execScript(dockerfile.source, command), 0, 'exec')], true, false);
  }
  const command = instruction.command;
  if (!command) return result([], false, false);
  const heredocScripts = instruction.heredocs.flatMap((heredoc) => {
    const role = heredocRole(command.text, { name: heredoc.name, body: heredoc.content, shell: options.shell });
    if (role.kind !== 'script') return [];
    const shell = role.shell === 'default' ? options.shell : [role.shell, '-c'];
    return [script(heredoc.content, heredoc.bodyRange.start.offset, 'heredoc', shell)];
  });
  // `RUN <<EOF` (markers only) has no command of its own: the heredoc is the script.
  const onlyMarkers = instruction.heredocs.length > 0 && /^\s*(?:[0-9]*<<-?\s*\S+\s*)+$/.test(command.script);
  const main = onlyMarkers ? [] : [script(command.script, command.range.start.offset, 'shell', options.shell)];
  if (heredocScripts.length > 0) return result([...main, ...heredocScripts], false, true);
  return result(main, false, false);
}

/** The analysis options as a memo key: SHELL argv, WORKDIR and every variable, each length-prefixed (no two alike). */
function optionsKey(shell: string[], cwd: string | undefined, env: Record<string, string> | undefined): string {
  let key = `${shell.length}`;
  for (const word of shell) key += `:${word.length}:${word}`;
  key += cwd === undefined ? ';-' : `;${cwd.length}:${cwd}`;
  if (env === undefined) return `${key};-`;
  for (const name in env) key += `;${name.length}:${name}${env[name].length}:${env[name]}`;
  return key;
}

function cacheUsesIn(scripts: LocatedScript[], mountTargets: string[]): LocatedCacheUse[] {
  return scripts.flatMap((located) =>
    cacheUses(located.script, located.calls, { mountTargets }).map((use) => ({ use, in: located })),
  );
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
