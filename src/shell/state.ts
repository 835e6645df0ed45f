/**
 * The shell state a command runs in, and how builtins change it: working directory (`cd`), variables (`export`,
 * assignments, `read`, `unset`), options (`set -e`, `set -o pipefail`, …), `umask`, defined functions. States are
 * immutable snapshots shared between commands until something changes them, so every command can carry its own.
 */
import type { Range, SimpleNode } from './ast.js';

export interface Variable {
  /** The static value, when known (`A=1`, `export A="x y"`); undefined after `A=$(…)`, `read A`, `for A in …`. */
  value: string | undefined;
  exported: boolean;
  /** Where the script set it; undefined for variables given by the caller (Dockerfile ENV/ARG). */
  setAt: Range | undefined;
}

/** Long names of the `set` options we track (`set -e` = errexit, `set -o pipefail`, …). */
export type ShellOption =
  | 'errexit'
  | 'pipefail'
  | 'xtrace'
  | 'nounset'
  | 'noglob'
  | 'allexport'
  | 'verbose'
  | 'noclobber'
  | 'noexec';

export interface ShellState {
  /** The working directory when known (the caller's WORKDIR, then each `cd`); undefined when it cannot be known. */
  cwd: string | undefined;
  /** The last `cd`/`pushd`/`popd` in this script that changed the directory (undefined if none did). */
  cwdChangedAt: Range | undefined;
  variables: Readonly<Record<string, Variable>>;
  options: Readonly<Partial<Record<ShellOption, Range | 'shell'>>>;
  /** The mask set by `umask` in this script, as written. */
  umask: { value: string; at: Range } | undefined;
  /** Functions defined so far, with where. */
  functions: Readonly<Record<string, Range>>;
  /** Something ran whose effect on the state is unknowable here (`source`, `.`, `eval`): treat the rest as opaque. */
  opaque: Range | undefined;
}

const shortOptions: Record<string, ShellOption> = {
  e: 'errexit',
  x: 'xtrace',
  u: 'nounset',
  f: 'noglob',
  a: 'allexport',
  v: 'verbose',
  C: 'noclobber',
  n: 'noexec',
};
const longOptions = new Set<string>([
  'errexit',
  'pipefail',
  'xtrace',
  'nounset',
  'noglob',
  'allexport',
  'verbose',
  'noclobber',
  'noexec',
]);

export interface InitialStateOptions {
  cwd?: string;
  /** The variables the caller exports; a frozen record is taken as immutable, and its states are shared (see below). */
  env?: Readonly<Record<string, string>>;
  shellFlags?: readonly string[];
}

/**
 * The last initial state made from a frozen env record. A Dockerfile's RUNs mostly start from the state of the RUN
 * before (the same env, WORKDIR and SHELL), and a state is an immutable snapshot: consecutive RUNs given the same
 * frozen env record share one state (and what is derived from it, e.g. the package managers' `commandEnv`) instead of
 * rebuilding the env as variables each time. Only frozen records count (a caller's plain object could change after
 * the call). One entry, not a table: a table keyed by env record costs more than the few variables it saves.
 */
let last: { env: object; cwd: string; flags: string; state: ShellState } | undefined;
const withoutEnv = Object.freeze({});

export function initialState(options: InitialStateOptions = {}): ShellState {
  const env = options.env ?? withoutEnv;
  if (!Object.isFrozen(env)) return buildInitialState(options);
  const cwd = options.cwd ?? '/';
  const given = options.shellFlags;
  const flags = given === undefined || given.length === 0 ? '' : given.join('\0');
  if (last !== undefined && last.env === env && last.cwd === cwd && last.flags === flags) return last.state;
  const state = buildInitialState(options);
  last = { env, cwd, flags, state };
  return state;
}

function buildInitialState(options: InitialStateOptions): ShellState {
  const variables = newVariables();
  const env = options.env;
  for (const name in env) variables[name] = { value: env[name], exported: true, setAt: undefined };
  let state: ShellState = {
    cwd: options.cwd ?? '/',
    cwdChangedAt: undefined,
    variables,
    options: {},
    umask: undefined,
    functions: {},
    opaque: undefined,
  };
  const flags = options.shellFlags ?? [];
  if (flags.length) state = applySet(state, flags, 'shell');
  return state;
}

/**
 * A variable table without a prototype. Variable names vary from file to file: stored into `{}`, each new sequence of
 * names makes V8 build new hidden classes (measured: several times the cost of a dictionary-mode object, which this
 * is from the start); and no name (`constructor`, `__proto__`) can reach Object.prototype.
 */
function newVariables(): Record<string, Variable> {
  return Object.create(null) as Record<string, Variable>;
}

function copyVariables(variables: Readonly<Record<string, Variable>>): Record<string, Variable> {
  const copy = newVariables();
  for (const name in variables) copy[name] = variables[name];
  return copy;
}

/** `set -eux`, `set -o pipefail`, `set +e`, `set -euo pipefail` (also the flags of SHELL, with `at` = 'shell'). */
export function applySet(state: ShellState, args: readonly string[], at: Range | 'shell'): ShellState {
  const options = { ...state.options };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--' || arg === '-') break;
    if (!/^[-+]/.test(arg)) break;
    const on = arg[0] === '-';
    for (const letter of arg.slice(1)) {
      let name: ShellOption | undefined = shortOptions[letter];
      if (letter === 'o') {
        const next = args[i + 1];
        if (next !== undefined && longOptions.has(next)) name = next as ShellOption;
        i += next !== undefined ? 1 : 0;
      }
      if (!name) continue;
      if (on) options[name] = at;
      else delete options[name];
    }
  }
  return { ...state, options };
}

/** How each builtin that changes the state does it; any other command leaves the state as it was. */
type Builtin = (state: ShellState, args: (string | undefined)[], node: SimpleNode, at: Range) => ShellState;

/** `cd -L`, `cd -P`, `cd -e`, `cd -@`: options, not the directory. */
const cdOption = /^-[LPe@]+$/;

const changeDir: Builtin = (state, args, _node, at) => {
  // The directory is the first word that is not an option (none: $HOME).
  let i = 0;
  while (i < args.length && args[i] !== undefined && cdOption.test(args[i]!)) i++;
  return { ...state, cwd: changeDirectory(state, i === args.length, args[i]), cwdChangedAt: at };
};
const declaration =
  (name: string): Builtin =>
  (state, args, node, at) =>
    declare(
      state,
      name,
      args,
      node.words.slice(1).map((w) => w.text),
      at,
    );
const opaque: Builtin = (state, _args, _node, at) => ({ ...state, opaque: at });

const builtins: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['cd', changeDir],
  ['pushd', changeDir],
  ['popd', (state, _args, _node, at) => ({ ...state, cwd: undefined, cwdChangedAt: at })],
  [
    'set',
    (state, args, _node, at) =>
      applySet(
        state,
        args.filter((a): a is string => a !== undefined),
        at,
      ),
  ],
  [
    'umask',
    (state, args, _node, at) =>
      args[0] !== undefined && !args[0].startsWith('-') ? { ...state, umask: { value: args[0], at } } : state,
  ],
  ...['export', 'readonly', 'declare', 'typeset', 'local'].map((name): [string, Builtin] => [name, declaration(name)]),
  ['unset', (state, args) => unset(state, args)],
  [
    'read',
    (state, args, _node, at) =>
      setUnknown(
        state,
        args.filter((a): a is string => a !== undefined && !a.startsWith('-')),
        at,
      ),
  ],
  ['source', opaque],
  ['.', opaque],
  ['eval', opaque],
]);

/** Whether a command named `name` (argv[0]'s static value) can change the state: callers may skip the others. */
export function changesState(name: string | undefined): boolean {
  return name !== undefined && builtins.has(name);
}

/** The state after `node` ran, given the static argv values (`undefined` for a dynamic word). */
export function applyCommand(state: ShellState, node: SimpleNode, argv: (string | undefined)[]): ShellState {
  const at = { start: node.start, end: node.end };
  if (argv.length === 0) {
    if (node.assignments.length === 0) return state;
    const variables = copyVariables(state.variables);
    for (let i = 0; i < node.assignments.length; i++) {
      const a = node.assignments[i];
      const exported = variables[a.name]?.exported === true || state.options.allexport !== undefined;
      variables[a.name] = { value: a.append ? undefined : (a.value?.value ?? (a.value ? undefined : '')), exported, setAt: at };
    }
    return { ...state, variables };
  }
  const builtin = argv[0] === undefined ? undefined : builtins.get(argv[0]);
  return builtin ? builtin(state, argv.slice(1), node, at) : state;
}

/** $HOME when the Dockerfile does not set it: root's. */
export const defaultHome = '/root';

/** $HOME in a state: root's when the Dockerfile does not set it, or sets it to what only the running shell knows. */
export function homeOf(state: ShellState): string {
  return state.variables.HOME?.value ?? defaultHome;
}

function changeDirectory(state: ShellState, toHome: boolean, operand: string | undefined): string | undefined {
  const target = toHome ? homeOf(state) : operand;
  if (target === undefined || target === '-' || target.startsWith('~')) return undefined;
  if (target.startsWith('/')) return normalise(target);
  return state.cwd === undefined ? undefined : normalise(`${state.cwd}/${target}`);
}

/** An absolute path with `.` and `..` segments and repeated slashes resolved (what `cd` and `rm` operands mean). */
export function normalise(path: string): string {
  return isNormal(path) ? path : resolveSegments(path);
}

/** The segment walk behind `normalise`: drop empty and `.` segments, `..` removes the one before (never above `/`). */
export function resolveSegments(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/** `/a/b`: absolute, and no empty, `.` or `..` segment (no trailing slash but for `/` itself). */
function isNormal(path: string): boolean {
  if (path.charCodeAt(0) !== 47) return false;
  if (path.length === 1) return true;
  let segment = 0; // where the current segment starts
  for (let i = 1; i <= path.length; i++) {
    if (i < path.length && path.charCodeAt(i) !== 47) continue;
    const length = i - segment - 1;
    if (length === 0) return false;
    if (path.charCodeAt(segment + 1) === 46 && (length === 1 || (length === 2 && path.charCodeAt(segment + 2) === 46)))
      return false;
    segment = i;
  }
  return true;
}

function declare(state: ShellState, name: string, args: (string | undefined)[], texts: string[], at: Range): ShellState {
  const variables = copyVariables(state.variables);
  let exported = name === 'export' || state.options.allexport !== undefined;
  let unexport = false;
  for (const [i, arg] of args.entries()) {
    if (arg === undefined) {
      // `export A=$(…)`: A is set, to a value only the running shell knows; `export $NAME`: which variable is unknown.
      const assigned = /^([A-Za-z_][A-Za-z0-9_]*)\+?=/.exec(texts[i] ?? '')?.[1];
      if (assigned === undefined) return { ...state, variables, opaque: at };
      variables[assigned] = {
        value: undefined,
        exported: unexport ? false : exported || variables[assigned]?.exported === true,
        setAt: at,
      };
      continue;
    }
    if (/^[-+][a-zA-Z]+$/.test(arg)) {
      if (arg.includes('x')) exported = arg.startsWith('-');
      if (arg === '-n' && name === 'export') unexport = true;
      if (arg.includes('f')) return state; // `declare -f`, `export -f`: functions, not variables
      continue;
    }
    const eq = arg.indexOf('=');
    const key = eq < 0 ? arg : arg.slice(0, eq).replace(/\+$/, '');
    const previous = variables[key];
    variables[key] = {
      value: eq < 0 ? previous?.value : arg.slice(eq + 1),
      exported: unexport ? false : exported || previous?.exported === true,
      setAt: at,
    };
  }
  return { ...state, variables };
}

function unset(state: ShellState, args: (string | undefined)[]): ShellState {
  const functionsOnly = args.includes('-f');
  const names = args.filter((a): a is string => a !== undefined && !a.startsWith('-'));
  if (functionsOnly) {
    const functions = { ...state.functions };
    for (const n of names) delete functions[n];
    return { ...state, functions };
  }
  const variables = copyVariables(state.variables);
  for (const n of names) delete variables[n];
  return { ...state, variables };
}

/** Variables set to a value only the running shell knows (`read x`, `for x in …`, `x=$(…)`). */
export function setUnknown(state: ShellState, names: string[], at: Range): ShellState {
  if (names.length === 0) return state;
  const variables = copyVariables(state.variables);
  for (const n of names) variables[n] = { value: undefined, exported: variables[n]?.exported ?? false, setAt: at };
  return { ...state, variables };
}

export function defineFunction(state: ShellState, name: string, at: Range): ShellState {
  return { ...state, functions: { ...state.functions, [name]: at } };
}
