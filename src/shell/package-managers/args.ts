/**
 * What every manager module shares: stripping wrappers (`sudo`, `env A=1`), splitting argv into flags and operands
 * (with look-alike dash detection), and resolving cache paths against the environment.
 */
import type { Word } from '../ast.js';
import { basename, type SimpleCommand } from '../commands.js';
import { DOT, isDigit, lastIndexOfCode } from '../parser/chars.js';
import { defaultHome } from '../state.js';
import type { CachePath, CommandNames, Family, Flag, Lookalike, Operation, PackageManagerCall, PackageSpec } from './types.js';

/**
 * Look-alikes of the ASCII hyphen-minus that word processors and web pages put into copied commands, by name:
 * U+2010–U+2015, the minus sign, the small and fullwidth hyphen-minus.
 */
export const LOOKALIKE_DASHES: ReadonlyMap<string, string> = new Map([
  ['\u2010', 'hyphen'],
  ['\u2011', 'non-breaking hyphen'],
  ['\u2012', 'figure dash'],
  ['\u2013', 'en dash'],
  ['\u2014', 'em dash'],
  ['\u2015', 'horizontal bar'],
  ['\u2212', 'minus sign'],
  ['\uFE58', 'small em dash'],
  ['\uFE63', 'small hyphen-minus'],
  ['\uFF0D', 'fullwidth hyphen-minus'],
]);
export const lookalikeDash = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/;

/** `lookalikeDash` for one UTF-16 code unit (NaN, past the end, is none). */
function isLookalikeDash(code: number): boolean {
  return (code >= 0x2010 && code <= 0x2015) || code === 0x2212 || code === 0xfe58 || code === 0xfe63 || code === 0xff0d;
}
/** Typesetting (smart quotes in blogs and word processors) turns `--` into one of these. */
const typesetDoubleDash = new Set(['\u2013', '\u2014']);

export type Env = Readonly<Record<string, string | undefined>>;

export interface Unwrapped {
  readonly words: Word[];
  readonly env: Readonly<Record<string, string>>;
}

/** Commands that run the command in their arguments (`unwrap` looks through them). */
const wrappers = new Set(['sudo', 'doas', 'env', 'command', 'exec', 'nohup', 'time', 'nice', 'eatmydata', 'xargs']);

/** Whether `command` starts with a wrapper such as `sudo`: most do not, and then `unwrap` is its own argv. */
export function isWrapped(command: SimpleCommand): boolean {
  const name = command.argv[0]?.value;
  return name !== undefined && isWrapper(basename(name));
}

/** Whether a command whose basename is `base` is a wrapper (`sudo`, `env`, `xargs`, …). */
export function isWrapper(base: string): boolean {
  return wrappers.has(base);
}

const noEnv: Readonly<Record<string, string>> = Object.freeze({});

/**
 * `sudo -E apt-get …`, `env DEBIAN_FRONTEND=x apt-get …`, `command pip …`: the words after the wrappers. Worked out
 * on each call, not memoised: few commands are wrapped, and a module-level table keyed by commands would keep every
 * analysed script alive across V8's young-generation collections.
 */
export function unwrap(command: SimpleCommand): Unwrapped {
  return isWrapped(command) ? unwrapWords(command) : { words: command.argv, env: noEnv };
}

function unwrapWords(command: SimpleCommand): Unwrapped {
  let words = command.argv;
  const env: Record<string, string> = {};
  for (;;) {
    const name = words[0]?.value;
    if (name === undefined) break;
    const base = basename(name);
    if (base === 'sudo' || base === 'doas') {
      let i = 1;
      while (i < words.length && words[i].value?.startsWith('-')) i += /^-[ugCDhprt]$/.test(words[i].value ?? '') ? 2 : 1;
      words = words.slice(i);
    } else if (base === 'env') {
      let i = 1;
      while (i < words.length && (words[i].value?.startsWith('-') || /^[A-Za-z_]\w*=/.test(words[i].value ?? ''))) {
        const v = words[i].value ?? '';
        if (!v.startsWith('-')) env[v.slice(0, v.indexOf('='))] = v.slice(v.indexOf('=') + 1);
        i++;
      }
      words = words.slice(i);
    } else if (base === 'command' && /^-[vV]$/.test(words[1]?.value ?? '')) {
      return { words: [], env }; // `command -v apk` only asks whether apk exists
    } else if (wrappers.has(base)) {
      let i = 1;
      while (i < words.length && words[i].value?.startsWith('-')) i++;
      words = words.slice(i);
    } else break;
  }
  return { words, env };
}

/** `env` with a wrapper's assignments (`env A=1 pip …`) over it; `env` itself when there are none (most commands). */
export function withWrapperEnv(env: Env, wrapperEnv: Readonly<Record<string, string>>): Env {
  for (const _ in wrapperEnv) return Object.assign(Object.create(null), env, wrapperEnv);
  return env;
}

type ShellState = SimpleCommand['state'];

/** The variables a shell state exports, as an env record. */
export function exportedVariables(state: ShellState): Readonly<Record<string, string | undefined>> {
  // Without a prototype, like the state's variables (no hidden class per sequence of names).
  const env: Record<string, string | undefined> = Object.create(null);
  const variables = state.variables;
  for (const name in variables) {
    const variable = variables[name];
    if (variable.exported) env[name] = variable.value;
  }
  return env;
}

/**
 * The environment `command` sees: exported state variables, then its own prefix assignments. `exported` is
 * `exportedVariables(command.state)` when the caller has it already (consecutive commands mostly share one state).
 */
export function commandEnv(
  command: SimpleCommand,
  exported: Readonly<Record<string, string | undefined>> = exportedVariables(command.state),
): Readonly<Record<string, string | undefined>> {
  if (command.assignments.length === 0) return exported;
  const env: Record<string, string | undefined> = Object.create(null);
  for (const name in exported) env[name] = exported[name];
  const assignments = command.assignments;
  for (let i = 0; i < assignments.length; i++) env[assignments[i].name] = assignments[i].value?.value;
  return env;
}

/**
 * Detects a flag typed with look-alike dashes: a word whose leading run of one or two dash characters holds a
 * look-alike, followed by a name starting with a letter or digit (so prose such as a lone `–` is not a flag). Two dash
 * characters mean `--`; a single en or em dash before a name of two or more characters is a typeset `--` (probable,
 * not certain: it could be a mistyped `-rf`); any other single look-alike means `-`.
 */
export function lookalikeOf(word: Word): Lookalike | undefined {
  const value = word.value;
  // Runs for every argument word: a look-alike must be one of the first two characters (at most two dashes).
  if (value === undefined || !(isLookalikeDash(value.charCodeAt(0)) || isLookalikeDash(value.charCodeAt(1)))) return undefined;
  let end = 0;
  while (end < value.length && (value[end] === '-' || LOOKALIKE_DASHES.has(value[end]))) end++;
  const dashes = value.slice(0, end);
  if (end > 2 || !lookalikeDash.test(dashes)) return undefined;
  const rest = value.slice(end);
  const name = /^[A-Za-z0-9][\w.-]*/.exec(rest)?.[0];
  if (name === undefined) return undefined;
  const characters: Lookalike['characters'] = [];
  let searchFrom = 0;
  for (const char of dashes) {
    const at = word.text.indexOf(char, searchFrom);
    searchFrom = at + 1;
    if (char !== '-')
      characters.push({
        char,
        name: LOOKALIKE_DASHES.get(char)!,
        codePoint: `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
        offset: word.start + at,
      });
  }
  const long = end === 2 || (name.length > 1 && typesetDoubleDash.has(dashes));
  return { characters, meant: (long ? '--' : '-') + rest, certain: end === 2 || name.length === 1 };
}

export interface Parsed {
  flags: Flag[];
  operands: Word[];
}

const noValues: ReadonlySet<string> = new Set();

/**
 * Splits words into flags and operands. `withValue` names the options that take the next word as their value
 * (`-o`, `--target`); `--name=value` is always split; after `--` everything is an operand.
 */
export function parseArgs(words: Word[], withValue: ReadonlySet<string> = noValues): Parsed {
  const flags: Flag[] = [];
  const operands: Word[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const lookalike = lookalikeOf(word);
    const text = lookalike ? lookalike.meant : word.value;
    if (text === undefined || text === '-' || !text.startsWith('-')) {
      operands.push(word);
      continue;
    }
    if (text === '--') {
      operands.push(...words.slice(i + 1));
      break;
    }
    const flag: Flag = { start: word.start, end: word.end, name: text, value: undefined, word };
    if (lookalike) flag.lookalike = lookalike;
    const eq = text.indexOf('=');
    if (text.startsWith('--') && eq > 0) {
      flag.name = text.slice(0, eq);
      flag.value = text.slice(eq + 1);
    } else if (!text.startsWith('--') && text.length > 2 && withValue.has(text.slice(0, 2))) {
      flag.name = text.slice(0, 2); // `-oDir::Cache=…`
      flag.value = text.slice(2);
    } else if (withValue.has(text) && i + 1 < words.length) {
      flag.valueWord = words[++i];
      flag.value = flag.valueWord.value;
      flag.end = flag.valueWord.end;
    }
    flags.push(flag);
  }
  return { flags, operands };
}

/** Any of the long or short names present (a short letter also counts inside a cluster such as `-qy`). */
export function hasFlag(flags: Flag[], ...names: string[]): boolean {
  for (const flag of flags) {
    const cluster = isCluster(flag.name);
    for (const name of names) {
      if (flag.name === name || (cluster && isShort(name) && flag.name.includes(name[1]))) return true;
    }
  }
  return false;
}

function isShort(name: string): boolean {
  return name.length === 2 && name.charCodeAt(0) === 45 && name.charCodeAt(1) !== 45;
}

/** `-qy`: a dash and two or more ASCII letters. */
function isCluster(flag: string): boolean {
  if (flag.length < 3 || flag.charCodeAt(0) !== 45) return false;
  for (let i = 1; i < flag.length; i++) {
    const c = flag.charCodeAt(i) | 0x20; // lower case
    if (c < 97 || c > 122) return false;
  }
  return true;
}

export function flagValues(flags: Flag[], ...names: string[]): string[] {
  const values: string[] = [];
  for (const f of flags) if (f.value !== undefined && names.includes(f.name)) values.push(f.value);
  return values;
}

/** Whether `base` is one of `names` (a versioned name followed by a digit counts: `gem2.7`). */
export function answersTo(names: CommandNames, base: string): boolean {
  if (names.exact.includes(base)) return true;
  for (const name of names.versioned ?? []) if (base.startsWith(name) && isDigit(base.charCodeAt(name.length))) return true;
  return false;
}

/** The name words and the rest when `command` (after wrappers) is `name …` for one of `names` (basename match). */
export function invokedAs(command: SimpleCommand, names: CommandNames): { invoked: Word[]; rest: Word[] } | undefined {
  const { words } = unwrap(command);
  const name = words[0]?.value;
  if (name === undefined || !answersTo(names, basename(name))) return undefined;
  return { invoked: words.slice(0, 1), rest: words.slice(1) };
}

export function home(env: Env): string {
  return env.HOME ?? defaultHome;
}

export function cache(path: string, what: string): CachePath {
  return { path, what };
}

/** A package operand: `parse` splits name and version; words that look like files, URLs or paths are kept as such. */
export function packageSpec(
  word: Word,
  parse: (text: string) => { name: string; version?: string; pinned: boolean },
): PackageSpec {
  const text = word.value ?? word.text;
  const { start, end } = word;
  if ((text.includes('://') && /^[a-z+]+:\/\//i.test(text)) || text.startsWith('git+'))
    return { start, end, text, name: text, version: undefined, pinned: false, kind: 'url' };
  if (isPackageFile(text)) return { start, end, text, name: text, version: undefined, pinned: true, kind: 'file' };
  if (text.startsWith('/') || text.startsWith('./') || text.startsWith('../') || text === '.')
    return { start, end, text, name: text, version: undefined, pinned: false, kind: 'path' };
  const { name, version, pinned } = parse(text);
  return { start, end, text, name, version, pinned, kind: 'name' };
}

/** The package operands of an install or a remove (other operations name no packages), parsed with `parse`. */
export function packagesOf(
  operation: Operation,
  operands: Word[],
  parse: (text: string) => { name: string; version?: string; pinned: boolean },
): PackageSpec[] {
  if (operation !== 'install' && operation !== 'remove') return [];
  const specs: PackageSpec[] = [];
  for (const word of operands) specs.push(packageSpec(word, parse));
  return specs;
}

/** Whether an operation fills a manager's download cache: an install or an upgrade. */
export function fillsCache(operation: Operation): boolean {
  return operation === 'install' || operation === 'upgrade';
}

const packageFileExtensions = new Set(['deb', 'rpm', 'apk', 'whl', 'tgz', 'zip', 'gem']);

/** `x.deb`, `x.whl`, `x.tar.gz`…: a package file rather than a name (runs for every package operand: no regex). */
function isPackageFile(text: string): boolean {
  const dot = lastIndexOfCode(text, DOT);
  return dot >= 0 && (packageFileExtensions.has(text.slice(dot + 1)) || text.endsWith('.tar.gz'));
}

/** The defaults of a call; each manager overrides what it knows. */
export function call(
  manager: string,
  family: Family,
  command: SimpleCommand,
  fields: Partial<Omit<PackageManagerCall, 'manager' | 'family' | 'command'>> & { invokedAs: Word[]; operation: Operation },
): PackageManagerCall {
  // Written out rather than spread over the defaults (one call per package-manager command); same key order.
  return {
    manager,
    family,
    command,
    subcommand: fields.subcommand,
    packages: fields.packages ?? [],
    flags: fields.flags ?? [],
    assumeYes: fields.assumeYes ?? true,
    noInstallRecommends: fields.noInstallRecommends ?? false,
    noCache: fields.noCache ?? false,
    caches: fields.caches ?? [],
    cleans: fields.cleans ?? [],
    invokedAs: fields.invokedAs,
    operation: fields.operation,
  };
}

/** `--version` or `--help` alone: a bare manager invocation (`yarn`, `bundle`) that only asks, and installs nothing. */
export function onlyAsks(flags: Flag[]): boolean {
  return hasFlag(flags, '-v', '-V', '--version', '-h', '--help');
}

/** The first operand is the subcommand; the rest are its operands. */
export function subcommandOf(parsed: Parsed): { subcommand: Word | undefined; name: string | undefined; operands: Word[] } {
  const subcommand = parsed.operands[0];
  return { subcommand, name: subcommand?.value, operands: parsed.operands.slice(1) };
}
