/**
 * What a RUN executes, as rules need it: the shell scripts it runs (the command line, or the heredoc bodies BuildKit
 * runs as scripts, or the exec-form argv) analysed by src/shell in the state the model gives the step (SHELL, WORKDIR,
 * ENV and ARGs), their package-manager calls, and the step's mounts. Word offsets of a script are offsets into its
 * text; `base` turns them into offsets into the Dockerfile. Computed once per instruction and shared by every rule.
 */
import type { Dockerfile, Instruction } from '../../dockerfile/ast.js';
import { envMap, type Mount, parseMount } from '../../model/index.js';
import type { Range } from '../../shell/ast.js';
import { analyzeArgv, analyzeScript, defaultShell, type Script } from '../../shell/commands.js';
import { heredocRole } from '../../shell/heredoc.js';
import { type CacheUse, cacheUses } from '../../shell/package-managers/caches.js';
import { type PackageManagerCall, packageManagerCalls } from '../../shell/package-managers/index.js';
import { analysed } from './stages.js';

export interface LocatedScript {
  script: Script;
  /** The Dockerfile offset of the script's first character: `base + word.start` is the word in the source. */
  base: number;
  calls: PackageManagerCall[];
}

export interface LocatedCall {
  call: PackageManagerCall;
  in: LocatedScript;
}

export interface RunScript {
  instruction: Instruction;
  /** Shell form: the command line, or each heredoc body BuildKit runs as a script; exec form: the argv. */
  scripts: LocatedScript[];
  /** Every package-manager call of every script, in execution order. */
  calls: LocatedCall[];
  /** The RUN's `--mount` flags as the model reads them (expanded; malformed ones left out). */
  mounts: Mount[];
  json: boolean;
  /** The scripts came from heredoc bodies. */
  heredoc: boolean;
}

const memo = new WeakMap<Instruction, RunScript>();

/** The scripts of a RUN (memoised per instruction). */
export function runScript(dockerfile: Dockerfile, instruction: Instruction): RunScript {
  let found = memo.get(instruction);
  if (!found) {
    found = analyse(dockerfile, instruction);
    memo.set(instruction, found);
  }
  return found;
}

/** A range of a script as offsets into the Dockerfile source. */
export function inSource(located: LocatedScript, range: Range): { start: number; end: number } {
  return { start: located.base + range.start, end: located.base + range.end };
}

/** The mount targets that keep files out of the layer: cache and tmpfs mounts. */
export function cacheMountTargets(run: RunScript): string[] {
  return run.mounts.filter((m) => (m.type === 'cache' || m.type === 'tmpfs') && m.target !== '').map((m) => m.target);
}

/** Every cache the RUN's package-manager calls fill, and whether the RUN leaves it in the layer (see shell/caches). */
export function cacheUsesOf(run: RunScript): { use: CacheUse; in: LocatedScript }[] {
  const mountTargets = cacheMountTargets(run);
  return run.scripts.flatMap((located) =>
    cacheUses(located.script, located.calls, { mountTargets }).map((use) => ({ use, in: located })),
  );
}

function analyse(dockerfile: Dockerfile, instruction: Instruction): RunScript {
  const step = analysed(dockerfile).steps.get(instruction);
  const mounts = step?.run?.mounts ?? unexpandedMounts(instruction);
  const state = step?.state;
  const options = {
    shell: state?.shell ?? defaultShell,
    cwd: state?.workdir,
    env: state ? Object.fromEntries(envMap(state.env)) : undefined,
  };
  const located = (script: Script, base: number): LocatedScript => ({ script, base, calls: packageManagerCalls(script) });
  const result = (scripts: LocatedScript[], json: boolean, heredoc: boolean): RunScript => ({
    instruction,
    scripts,
    calls: scripts.flatMap((s) => s.calls.map((call) => ({ call, in: s }))),
    mounts,
    json,
    heredoc,
  });

  if (instruction.json) {
    const argv = instruction.args.map((arg) => arg.value);
    if (argv.length === 0) return result([], true, false);
    const ranges = instruction.args.map((arg) => ({ start: arg.range.start.offset + 1, end: arg.range.end.offset - 1 }));
    const command = analyzeArgv(argv, { cwd: options.cwd, env: options.env, ranges });
    return result([located(execScript(dockerfile.source, command), 0)], true, false);
  }
  const command = instruction.command;
  if (!command) return result([], false, false);
  const heredocScripts = instruction.heredocs.flatMap((heredoc) => {
    const role = heredocRole(command.text, { name: heredoc.name, body: heredoc.content, shell: options.shell });
    if (role.kind !== 'script') return [];
    const shell = role.shell === 'default' ? options.shell : [role.shell, '-c'];
    return [located(analyzeScript(heredoc.content, { ...options, shell }), heredoc.bodyRange.start.offset)];
  });
  // `RUN <<EOF` (markers only) has no command of its own: the heredoc is the script.
  const onlyMarkers = instruction.heredocs.length > 0 && /^\s*(?:[0-9]*<<-?\s*\S+\s*)+$/.test(command.script);
  const main = onlyMarkers ? [] : [located(analyzeScript(command.script, options), command.range.start.offset)];
  if (heredocScripts.length > 0) return result([...main, ...heredocScripts], false, true);
  return result(main, false, false);
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
