/**
 * `yarn` (classic 1.x and berry). Bare `yarn` installs. Classic caches in $YARN_CACHE_FOLDER, else
 * /usr/local/share/.cache/yarn for root (the official node images) or ~/.cache/yarn; berry in ~/.yarn/berry/cache.
 * `yarn cache clean` empties it.
 */
import type { SimpleCommand } from '../commands.js';
import {
  cache,
  call,
  type Env,
  fillsCache,
  flagValues,
  home,
  invokedAs,
  onlyAsks,
  packagesOf,
  parseArgs,
  subcommandOf,
} from './args.js';
import { parseNodePackage } from './node.js';
import type { CachePath, CommandNames, Operation, PackageManager } from './types.js';

const withValue = new Set(['--cache-folder', '--modules-folder', '--registry', '--network-timeout', '--cwd', '--mutex']);

const operations: Record<string, Operation> = {
  install: 'install',
  add: 'install',
  remove: 'remove',
  upgrade: 'upgrade',
  up: 'upgrade',
  'upgrade-interactive': 'upgrade',
};

function caches(env: Env, folder: string | undefined): CachePath[] {
  const configured = folder ?? env.YARN_CACHE_FOLDER;
  if (configured) return [cache(configured, 'yarn cache')];
  return [
    cache('/usr/local/share/.cache/yarn', 'yarn cache'),
    cache(`${home(env)}/.cache/yarn`, 'yarn cache'),
    cache(`${home(env)}/.yarn/berry/cache`, 'yarn berry cache'),
  ];
}

const commands: CommandNames = { exact: ['yarn', 'yarnpkg'] };

export const yarnManager: PackageManager = {
  id: 'yarn',
  commands,
  family: 'node',
  recognise(command: SimpleCommand, env: Env) {
    const found = invokedAs(command, commands);
    if (!found) return undefined;
    const parsed = parseArgs(found.rest, withValue);
    let { subcommand, name, operands } = subcommandOf(parsed);
    if (name === 'global') {
      subcommand = operands[0];
      name = subcommand?.value;
      operands = operands.slice(1);
    }
    let operation: Operation = name === undefined ? (onlyAsks(parsed.flags) ? 'other' : 'install') : operations[name] || 'other';
    if (name === 'cache' && operands[0]?.value === 'clean') operation = 'clean';
    const where = caches(env, flagValues(parsed.flags, '--cache-folder')[0]);
    return call('yarn', 'node', command, {
      invokedAs: found.invoked,
      operation,
      subcommand,
      packages: packagesOf(operation, operands, parseNodePackage),
      flags: parsed.flags,
      caches: fillsCache(operation) ? where : [],
      cleans: operation === 'clean' ? where : [],
    });
  },
};
