/**
 * What a RUN executes, read by src/shell: the scripts BuildKit hands to the shell (the shell-form command, the
 * heredoc bodies that are shell scripts, or the exec-form argv), each analysed once per instruction and shared by
 * every rule. Offsets in a script plus its `base` are offsets into the Dockerfile source.
 */
import type { Dockerfile, Instruction } from '../dockerfile/index.js';
import { analyzeArgv, analyzeScript, defaultShell, type Script } from '../shell/commands.js';
import { heredocRole } from '../shell/heredoc.js';
import { type CacheUse, cacheUses } from '../shell/package-managers/caches.js';
import { type PackageManagerCall, packageManagerCalls } from '../shell/package-managers/index.js';

export interface RunScript {
  script: Script;
  /** Add to the script's offsets to get Dockerfile source offsets. */
  base: number;
  calls: PackageManagerCall[];
  /** Every cache the calls fill, with the verdict left / avoided / mounted / cleaned (the RUN's mounts counted). */
  caches: CacheUse[];
  /** Where the script comes from. */
  kind: 'shell' | 'heredoc' | 'exec';
}

export interface RunAnalysis {
  scripts: RunScript[];
  /** Targets of the RUN's `--mount=type=cache` and `type=tmpfs` flags. */
  mountTargets: string[];
}

const memo = new WeakMap<Instruction, RunAnalysis>();

/** The analysed scripts of a RUN (memoised per instruction); `ast` gives the SHELL in force. */
export function analyzeRun(instruction: Instruction, ast: Dockerfile): RunAnalysis {
  let analysis = memo.get(instruction);
  if (!analysis) {
    analysis = analyze(instruction, shellOf(ast, instruction));
    memo.set(instruction, analysis);
  }
  return analysis;
}

/** Every package-manager call of a RUN, with the script it is in. */
export function runCalls(instruction: Instruction, ast: Dockerfile): { call: PackageManagerCall; run: RunScript }[] {
  return analyzeRun(instruction, ast).scripts.flatMap((run) => run.calls.map((call) => ({ call, run })));
}

function analyze(instruction: Instruction, shell: string[]): RunAnalysis {
  const mountTargets = instruction.flags
    .filter((flag) => flag.name === 'mount')
    .flatMap((flag) => {
      const fields = new Map((flag.value ?? '').split(',').map((field) => splitField(field)));
      const type = fields.get('type') ?? 'bind';
      const target = fields.get('target') ?? fields.get('dst') ?? fields.get('destination');
      return (type === 'cache' || type === 'tmpfs') && target ? [target] : [];
    });
  const scripts: RunScript[] = [];
  const make = (script: Script, base: number, kind: RunScript['kind']): RunScript => {
    const calls = packageManagerCalls(script);
    return { script, base, calls, caches: cacheUses(script, calls, { mountTargets }), kind };
  };
  if (instruction.json) {
    const argv = instruction.args.map((arg) => arg.value);
    // JSON string ranges include the quotes; word offsets point inside them.
    const ranges = instruction.args.map((arg) => ({ start: arg.range.start.offset + 1, end: arg.range.end.offset - 1 }));
    if (argv.length > 0) scripts.push(make(execScript(analyzeArgv(argv, { ranges })), 0, 'exec'));
    return { scripts, mountTargets };
  }
  const command = instruction.command;
  if (!command) return { scripts, mountTargets };
  const line = command.script.split('\n', 1)[0];
  let mainIsScript = true;
  for (const heredoc of instruction.heredocs) {
    const role = heredocRole(line, { name: heredoc.name, body: heredoc.content, shell });
    if (role.kind !== 'script') continue;
    if (/^\s*\d*<<-?\s*\S+\s*$/.test(line)) mainIsScript = false;
    const heredocShell = role.shell === 'default' ? shell : [role.shell, '-c'];
    scripts.push(make(analyzeScript(heredoc.content, { shell: heredocShell }), heredoc.bodyRange.start.offset, 'heredoc'));
  }
  if (mainIsScript) scripts.unshift(make(analyzeScript(command.script, { shell }), command.range.start.offset, 'shell'));
  return { scripts, mountTargets };
}

function splitField(field: string): [string, string] {
  const eq = field.indexOf('=');
  return eq < 0 ? [field.trim().toLowerCase(), ''] : [field.slice(0, eq).trim().toLowerCase(), field.slice(eq + 1).trim()];
}

/** An exec-form command as a one-command script (no shell: no state, no operators). */
function execScript(command: ReturnType<typeof analyzeArgv>): Script {
  const empty = analyzeScript('');
  return { ...empty, source: '', shell: [], commands: [command] };
}

const shells = new WeakMap<Dockerfile, Map<Instruction, string[]>>();

/** The SHELL in force at `instruction`: set by SHELL, reset by FROM, inherited by `FROM <earlier stage>`. */
export function shellOf(ast: Dockerfile, instruction: Instruction): string[] {
  let byInstruction = shells.get(ast);
  if (!byInstruction) {
    byInstruction = new Map();
    const finalShellOfStage = new Map<string, string[]>();
    let shell = defaultShell;
    let stageName: string | undefined;
    for (const each of ast.instructions) {
      if (each.name === 'FROM') {
        if (stageName) finalShellOfStage.set(stageName, shell);
        const base = each.args[0]?.value.toLowerCase() ?? '';
        shell = finalShellOfStage.get(base) ?? defaultShell;
        const as = each.args.findIndex((arg) => arg.value.toLowerCase() === 'as');
        stageName = as > 0 ? each.args[as + 1]?.value.toLowerCase() : undefined;
      } else if (each.name === 'SHELL' && each.json && each.args.length > 0) {
        shell = each.args.map((arg) => arg.value);
      }
      byInstruction.set(each, shell);
    }
    shells.set(ast, byInstruction);
  }
  return byInstruction.get(instruction) ?? defaultShell;
}
