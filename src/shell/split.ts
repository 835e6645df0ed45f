/**
 * Can a RUN be cut in two at a top-level operator without changing what runs? Each RUN starts a fresh shell in the
 * WORKDIR with only the Dockerfile's environment, so the second half loses everything the first half set up, and the
 * build now stops at the first half's failure even where the script would have carried on. The verdict names the
 * first reason it cannot, with where.
 */
import type { Range, ShellNode } from './ast.js';
import type { Script, SimpleCommand, TopLevelPart } from './commands.js';
import type { ShellOption, ShellState } from './state.js';

export type SplitVerdict =
  | {
      safe: true;
      /** The script text of the first RUN (up to the operator) and of the second (after it). */
      before: Range;
      after: Range;
      /**
       * Commands that give the second RUN the shell state the first half set up and the second half relies on
       * (`set -o errexit`, `cd /app`, `export A='1'`…), to run before it joined by `&&`; empty when none is needed.
       */
      carry: string[];
    }
  | { safe: false; reason: string; at: Range | undefined };

/** The boundaries between top-level parts: `after` is the index of the part before the operator. */
export function splitPoints(script: Script): { after: number; operator: NonNullable<TopLevelPart['operator']> }[] {
  return script.parts.flatMap((part, after) =>
    part.operator && after < script.parts.length - 1 ? [{ after, operator: part.operator }] : [],
  );
}

/** Builtins whose effect reaches past a split point in ways the state does not capture. */
const carryingBuiltins: Record<string, string> = {
  exit: 'ends the whole script; after a split the second RUN would still run',
  return: 'ends the whole script; after a split the second RUN would still run',
  exec: 'replaces the shell or its file descriptors for the rest of the script',
  trap: 'sets a trap that would fire at the end of the first RUN instead of the script',
  alias: 'defines an alias the second RUN would not have',
  ulimit: 'sets a resource limit the second RUN would not have',
  shopt: 'sets a shell option the second RUN would not have',
};

/** Options whose loss does not change what runs. */
const harmlessOptions = new Set<ShellOption>(['xtrace', 'verbose']);

/** Splits `script` between `parts[after]` and `parts[after + 1]`. */
export function canSplitAt(script: Script, after: number): SplitVerdict {
  const fail = (reason: string, at?: Range): SplitVerdict => ({ safe: false, reason, at });
  if (!script.supported) return fail(`the shell ${script.shell[0]} is not a POSIX shell`);
  if (script.hasErrors) return fail('the script has a syntax error', script.problems[0]);
  const left = script.parts[after];
  const right = script.parts[after + 1];
  if (!left?.operator || !right) return fail('there is no top-level operator there');
  const op = left.operator;
  if (op.token === '||') return fail('the command after `||` runs only when the one before it fails', op);
  if (op.token === '&') return fail('the command before `&` runs in the background', op);
  if (op.token !== '&&' && op.token !== ';' && op.token !== '\n') return fail(`cannot split at \`${op.token}\``, op);

  const failure = failurePropagation(script, after);
  if (failure) return failure;

  for (const part of script.parts.slice(0, after + 1)) {
    if (part.background) return fail('a background job started before the split would be cut off when the first RUN ends', part);
  }
  const commandsBefore = script.commands.slice(0, left.endCommand);
  const commandsAfter = script.commands.slice(right.firstCommand);
  for (const command of commandsBefore) {
    const reason = command.name !== undefined && carryingBuiltins[command.name];
    if (reason && runsInMainShell(command)) return fail(`\`${command.name}\` ${reason}`, command);
    for (const r of command.redirects) {
      if (r.heredoc && r.heredoc.body.start > op.start) return fail('a here-document body continues after the split point', r);
    }
  }
  const carried = carriedState(script, left.stateAfter, commandsAfter, { start: right.start, end: script.source.length });
  if (!Array.isArray(carried)) return carried;
  return {
    safe: true,
    before: { start: 0, end: left.end },
    after: { start: right.start, end: script.source.length },
    carry: carried,
  };
}

/** A failure before the split stops the build after splitting; it must stop the script (or be fatal) before, too. */
function failurePropagation(script: Script, after: number): SplitVerdict | undefined {
  const op = script.parts[after].operator!;
  if (op.token === '&&') {
    // The rest of this and-or list: a later `||` would catch the failure; a later `;` list would still run.
    for (let j = after + 1; j < script.parts.length; j++) {
      const next = script.parts[j].operator;
      if (next?.token === '||') return fail('a later `||` handles a failure of the commands before the split', next);
      if (next && next.token !== '&&' && j < script.parts.length - 1)
        return fail('after a failure before the split, the script would go on with the commands after this list', next);
    }
    return undefined;
  }
  // `;` or newline: the failure is ignored unless errexit is on (set by the SHELL flags, or an earlier `set -e`).
  if (!script.parts[after].stateAfter.options.errexit) {
    return fail('without `set -e` the script ignores a failure before the split; split, it would fail the build', op);
  }
  // Even with errexit, a failure of a command before `&&` (or of a `!` pipeline) is ignored and the script goes on.
  for (let k = after; k > 0 && ['&&', '||'].includes(script.parts[k - 1].operator?.token ?? ''); k--) {
    const joined = script.parts[k - 1].operator!;
    if (joined.token === '&&') return fail('`set -e` ignores a failure before `&&`, so the script would go on after it', joined);
  }
  const last = script.parts[after].node;
  if (last.type === 'pipeline' && last.negated) return fail('`set -e` ignores the status of a `!` pipeline', last);
  return undefined;

  function fail(reason: string, at: Range): SplitVerdict {
    return { safe: false, reason, at };
  }
}

/** Commands in the main shell (not in a subshell, a pipeline element, a substitution or a function body). */
function runsInMainShell(command: SimpleCommand): boolean {
  return command.context.every(
    (c) => !['subshell', 'pipeline', 'command-substitution', 'process-substitution', 'function', 'background'].includes(c.kind),
  );
}

/** Options the second RUN can be given again with `set`; the state walk knows their value exactly. */
const settable = new Set<ShellOption>(['errexit', 'pipefail', 'nounset', 'noglob']);

/**
 * The commands that re-create, at the start of the second RUN, the state the first half set up and the second half
 * relies on — or why that cannot be done: state the walk does not know exactly (`source`, a `cd` or a value computed
 * when the script runs, an unset, a function, an option `set` cannot restore).
 */
function carriedState(script: Script, state: ShellState, after: SimpleCommand[], afterRange: Range): SplitVerdict | string[] {
  const initial = script.initialState;
  const fail = (reason: string, at: Range | undefined): SplitVerdict => ({ safe: false, reason, at });
  if (state.opaque) return fail('`source`/`eval` before the split may set up state the second RUN would not have', state.opaque);
  const options: string[] = [];
  for (const option of changedOptions(initial, state)) {
    const now = state.options[option];
    if (harmlessOptions.has(option)) continue;
    if (!optionMatters(option, after, script.parts, afterRange)) continue;
    const at = now !== undefined && now !== 'shell' ? now : undefined;
    if (!settable.has(option))
      return fail(`\`set ${now !== undefined ? '-' : '+'}o ${option}\` before the split would not apply to the second RUN`, at);
    options.push(`set ${now !== undefined ? '-' : '+'}o ${option}`);
  }
  const carry = [...options];
  if (state.umask && state.umask !== initial.umask) carry.push(`umask ${state.umask.value}`);
  if (state.cwdChangedAt && state.cwd !== initial.cwd) {
    if (!isPlainPath(state.cwd))
      return fail('`cd` goes to a directory known only when the script runs (use WORKDIR)', state.cwdChangedAt);
    carry.push(`cd ${shellQuote(state.cwd)}`);
  }
  let referenced: Set<string> | undefined; // the variables the second half names, read when a script variable is set
  for (const name in state.variables) {
    const variable = state.variables[name];
    const before = initial.variables[name];
    if (!variable.setAt || (before && before.value === variable.value && before.exported === variable.exported)) continue;
    referenced ??= namedVariables(script.source.slice(afterRange.start, afterRange.end));
    if (!variable.exported && !referenced.has(name)) continue;
    if (variable.value === undefined)
      return fail(`\`${name}\` is set before the split to a value known only when the script runs`, variable.setAt);
    carry.push(`${variable.exported ? 'export ' : ''}${name}=${shellQuote(variable.value)}`);
  }
  for (const name of Object.keys(initial.variables)) {
    if (!(name in state.variables))
      return fail(`\`${name}\` is unset before the split; the second RUN would have it again`, undefined);
  }
  for (const command of after) {
    const defined = command.name !== undefined ? state.functions[command.name] : undefined;
    if (defined && !initial.functions[command.name!])
      return fail(`the function \`${command.name}\` is defined before the split`, defined);
  }
  return carry;
}

/** The options on in one state and off in the other, in the order of `state`'s then `initial`'s keys. */
function changedOptions(initial: ShellState, state: ShellState): ShellOption[] {
  const changed: ShellOption[] = [];
  for (const option in state.options)
    if (initial.options[option as ShellOption] === undefined) changed.push(option as ShellOption);
  for (const option in initial.options)
    if (state.options[option as ShellOption] === undefined) changed.push(option as ShellOption);
  return changed;
}

/** `$NAME` and `${NAME…}` references in a script text. */
function namedVariables(text: string): Set<string> {
  return new Set(Array.from(text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g), (m) => m[1]));
}

function isPlainPath(path: string | undefined): path is string {
  return path?.startsWith('/') === true && !/[$`\\]/.test(path);
}

/** A word the shell reads back as exactly `value`: bare when it has nothing special, else in single quotes. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_/.,:@%+=-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/** Whether losing `option` could change how the commands after the split run. */
function optionMatters(option: ShellOption, after: SimpleCommand[], parts: TopLevelPart[], range: Range): boolean {
  const nodes = parts.filter((p) => p.start >= range.start).map((p) => p.node);
  switch (option) {
    case 'errexit': // only a failure the script would otherwise ignore: anything but a plain `&&` chain of commands
      return after.length > 1 && !isAndChain(parts.filter((p) => p.start >= range.start));
    case 'pipefail':
      return nodes.some(hasPipeline);
    case 'nounset':
      return after.some(
        (c) => c.argv.some((w) => w.value === undefined) || c.assignments.some((a) => a.value?.value === undefined),
      );
    case 'noglob':
      return after.some((c) => c.argv.some((w) => w.glob));
    default:
      return true;
  }
}

function isAndChain(parts: TopLevelPart[]): boolean {
  return parts.every((p, i) => (i === parts.length - 1 || p.operator?.token === '&&') && p.node.type === 'simple');
}

function hasPipeline(node: ShellNode): boolean {
  switch (node.type) {
    case 'pipeline':
      return node.commands.length > 1 || node.commands.some(hasPipeline);
    case 'and-or':
      return node.items.some(hasPipeline);
    case 'list':
      return node.items.some((i) => hasPipeline(i.node));
    case 'subshell':
    case 'group':
      return hasPipeline(node.body);
    case 'if':
      return node.clauses.some((c) => (c.condition && hasPipeline(c.condition)) || hasPipeline(c.body));
    case 'for':
      return hasPipeline(node.body);
    case 'while':
    case 'until':
      return hasPipeline(node.condition) || hasPipeline(node.body);
    case 'case':
      return node.items.some((i) => hasPipeline(i.body));
    case 'function':
      return hasPipeline(node.body);
    case 'simple':
      return false;
  }
}
