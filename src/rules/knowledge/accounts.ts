/**
 * The user accounts a Dockerfile's own RUNs create — `useradd` (shadow), Debian's `adduser` and busybox's `adduser`
 * (Alpine) — with what the command line tells of them: the uid and gid when given as numbers, and the home directory
 * (given, or the tool's default). An account the base image brings is not here: its numbers are only in the image's
 * /etc/passwd. BuildKit runs a `USER name` step with that file's uid, gid and home ($HOME unless ENV sets it).
 */
import type { Instruction } from '../../dockerfile/ast.js';
import type { Word } from '../../shell/ast.js';
import { basename } from '../../shell/commands.js';
import type { RunScripts } from './scripts.js';
import type { Stage, Stages } from './stages.js';

export interface Account {
  name: string;
  /** Given as a number (`-u 1000`, `--uid 1000`); undefined when the tool picks the next free one. */
  uid: number | undefined;
  /** The primary group's number when given as one (`useradd -g 1000`, `adduser --gid 1000`). */
  gid: number | undefined;
  /** The home directory in /etc/passwd; undefined when it depends on the image's settings. */
  home: string | undefined;
}

/**
 * The USER a step runs as, ARGs and ENV expanded (the model's; inherited through the stages it builds on): '' for
 * none, undefined when it names a variable the Dockerfile does not set (`USER $NB_UID`: the base image's ENV tells,
 * and the model expands it to nothing).
 */
function userOf(stages: Stages, instruction: Instruction): string | undefined {
  const state = stages.steps.get(instruction)?.state;
  if (!state) return '';
  // A name that came out non-empty is the Dockerfile's own; only an empty one may be a variable expanded to nothing.
  if (splitUser(state.user).name !== '') return state.user;
  let written: string | undefined;
  for (let stage = stages.owner.get(instruction); stage && written === undefined; stage = stage.parent) {
    const at = stage.instructions.indexOf(instruction);
    for (let i = (at < 0 ? stage.instructions.length : at) - 1; i >= 0 && written === undefined; i--) {
      const earlier = stage.instructions[i];
      if (earlier.name === 'USER') written = earlier.args[0]?.value ?? '';
    }
  }
  if (written === undefined || !written.includes('$')) return state.user;
  for (const [, name] of written.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const known =
      state.env.some((entry) => 'key' in entry && entry.key === name) ||
      state.args.some((arg) => arg.name === name && arg.value !== undefined);
    if (!known) return undefined;
  }
  return state.user;
}

/** Who a non-root step runs as: its USER, split, and the account the Dockerfile created for that name or uid. */
export interface StepUser {
  user: string;
  name: string;
  group: string | undefined;
  account: Account | undefined;
}

/**
 * The user a step runs as (userOf) with the account the Dockerfile's earlier RUNs created for it: undefined for root,
 * 'unknown' when the USER names a variable only the base image sets.
 */
export function stepUser(stages: Stages, instruction: Instruction, runScript: RunScripts): StepUser | 'unknown' | undefined {
  const user = userOf(stages, instruction);
  if (user === undefined) return 'unknown';
  const { name, group } = splitUser(user);
  if (isRoot(name)) return undefined;
  const stage = stages.owner.get(instruction);
  return { user, name, group, account: stage ? accountOf(name, accountsBefore(stage, instruction, runScript)) : undefined };
}

/** A USER value (`name`, `uid`, `name:group`, `uid:gid`) split; `name` empty when no USER is in force. */
export function splitUser(user: string): { name: string; group: string | undefined } {
  const colon = user.indexOf(':');
  return colon < 0 ? { name: user, group: undefined } : { name: user.slice(0, colon), group: user.slice(colon + 1) };
}

/** Whether a USER name (the part before `:`) runs as root: none given, `root`, or uid 0. */
export function isRoot(name: string): boolean {
  return name === '' || name === 'root' || /^0+$/.test(name);
}

/** The account a USER name refers to: by name, or by a numeric uid an account was created with. */
function accountOf(name: string, accounts: Map<string, Account>): Account | undefined {
  if (!/^\d+$/.test(name)) return accounts.get(name);
  for (const account of accounts.values()) if (account.uid === Number(name)) return account;
  return undefined;
}

/**
 * The accounts created by the RUNs before `instruction` in its stage and the stages it is built on, by name (a later
 * creation of a name wins).
 */
function accountsBefore(stage: Stage, instruction: Instruction, runScript: RunScripts): Map<string, Account> {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = stage; s; s = s.parent) chain.unshift(s);
  const accounts = new Map<string, Account>();
  for (const s of chain) {
    for (const earlier of s.instructions) {
      if (earlier === instruction) break;
      if (earlier.name !== 'RUN') continue;
      for (const located of runScript(earlier).scripts) {
        for (const command of located.script.commands) {
          const account = command.name === undefined ? undefined : created(basename(command.name), command.argv.slice(1));
          if (account) accounts.set(account.name, account);
        }
      }
    }
  }
  return accounts;
}

/** useradd's options that take a value, short and long (shadow 4.13). */
const USERADD_SHORT = 'bcdefgGKkpsuRPZ';
const USERADD_LONG = new Set([
  'base-dir',
  'comment',
  'home-dir',
  'expiredate',
  'inactive',
  'gid',
  'groups',
  'key',
  'skel',
  'password',
  'shell',
  'uid',
  'root',
  'prefix',
  'selinux-user',
  'selinux-range',
]);
/** adduser's: Debian's long options, busybox's short ones (`-h DIR -g GECOS -s SHELL -G GROUP -u UID -k SKEL`). */
const ADDUSER_SHORT = 'hgsGuk';
const ADDUSER_LONG = new Set(['home', 'shell', 'uid', 'gid', 'ingroup', 'gecos', 'comment', 'firstuid', 'lastuid', 'conf']);

/** The account a `useradd`/`adduser` command creates; undefined for another command or an unreadable one. */
function created(command: string, args: Word[]): Account | undefined {
  if (command === 'useradd') {
    const { values, operands } = options(args, USERADD_SHORT, USERADD_LONG);
    const name = operands.length === 1 ? operands[0] : undefined;
    if (name === undefined) return undefined;
    // The home field is --home-dir, else the base directory (useradd's default HOME=/home) and the name.
    const base = values.get('b') ?? values.get('base-dir');
    const home = values.get('d') ?? values.get('home-dir') ?? (base === undefined ? `/home/${name}` : `${base}/${name}`);
    return {
      name,
      uid: numberOf(values.get('u') ?? values.get('uid')),
      gid: numberOf(values.get('g') ?? values.get('gid')),
      home,
    };
  }
  if (command === 'adduser') {
    const { values, flags, operands } = options(args, ADDUSER_SHORT, ADDUSER_LONG);
    // `adduser USER GROUP` (Debian) adds an existing user to a group.
    const name = operands.length === 1 ? operands[0] : undefined;
    if (name === undefined) return undefined;
    const given = values.get('home') ?? values.get('h');
    // Debian gives a --system user /nonexistent; busybox's -S default is not certain.
    const home = given ?? (flags.has('system') ? '/nonexistent' : flags.has('S') ? undefined : `/home/${name}`);
    return { name, uid: numberOf(values.get('uid') ?? values.get('u')), gid: numberOf(values.get('gid')), home };
  }
  return undefined;
}

function numberOf(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

/**
 * getopt-style reading: `-abc` clusters, a value in the rest of the cluster or the next word, `--name=value` or
 * `--name value`, `--` ending the options. A word with no static value makes the command unreadable (empty result).
 */
function options(
  args: Word[],
  shortWithValue: string,
  longWithValue: Set<string>,
): { values: Map<string, string>; flags: Set<string>; operands: string[] } {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const operands: string[] = [];
  const unreadable = { values: new Map<string, string>(), flags: new Set<string>(), operands: [] };
  for (let i = 0; i < args.length; i++) {
    const word = args[i].value;
    if (word === undefined) return unreadable;
    if (word === '--') {
      for (const rest of args.slice(i + 1)) {
        if (rest.value === undefined) return unreadable;
        operands.push(rest.value);
      }
      break;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
      if (eq >= 0) values.set(name, word.slice(eq + 1));
      else if (longWithValue.has(name)) {
        const value = args[++i]?.value;
        if (value === undefined) return unreadable;
        values.set(name, value);
      } else flags.add(name);
    } else if (word.startsWith('-') && word.length > 1) {
      for (let j = 1; j < word.length; j++) {
        const letter = word[j];
        if (!shortWithValue.includes(letter)) {
          flags.add(letter);
          continue;
        }
        const value = j + 1 < word.length ? word.slice(j + 1) : args[++i]?.value;
        if (value === undefined) return unreadable;
        values.set(letter, value);
        break;
      }
    } else operands.push(word);
  }
  return { values, flags, operands };
}
