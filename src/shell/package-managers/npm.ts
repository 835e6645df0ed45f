/**
 * `npm` (Node.js). Every download goes through the cache in ~/.npm (`npm_config_cache` or `--cache` move it);
 * `npm cache clean --force` empties it. `npm ci` installs exactly the lockfile.
 */
import type { SimpleCommand } from '../commands.js';
import { cache, call, type Env, fillsCache, flagValues, home, invokedAs, packagesOf, parseArgs, subcommandOf } from './args.js';
import { parseNodePackage } from './node.js';
import type { CommandNames, Operation, PackageManager } from './types.js';

const withValue = new Set([
  '--cache',
  '--prefix',
  '--registry',
  '-w',
  '--workspace',
  '--omit',
  '--include',
  '--loglevel',
  '--userconfig',
]);

const operations: Record<string, Operation> = {
  install: 'install',
  i: 'install',
  in: 'install',
  ins: 'install',
  inst: 'install',
  insta: 'install',
  instal: 'install',
  isnt: 'install',
  isnta: 'install',
  isntal: 'install',
  isntall: 'install',
  add: 'install',
  ci: 'install',
  'clean-install': 'install',
  'install-clean': 'install',
  uninstall: 'remove',
  remove: 'remove',
  rm: 'remove',
  r: 'remove',
  un: 'remove',
  unlink: 'remove',
  update: 'upgrade',
  up: 'upgrade',
  upgrade: 'upgrade',
  udpate: 'upgrade',
};

const commands: CommandNames = { exact: ['npm'] };

export const npmManager: PackageManager = {
  id: 'npm',
  commands,
  family: 'node',
  recognise(command: SimpleCommand, env: Env) {
    const found = invokedAs(command, commands);
    if (!found) return undefined;
    const parsed = parseArgs(found.rest, withValue);
    const { subcommand, name, operands } = subcommandOf(parsed);
    let operation: Operation = (name !== undefined && operations[name]) || 'other';
    if (name === 'cache' && ['clean', 'clear', 'rm'].includes(operands[0]?.value ?? '')) operation = 'clean';
    const where = cache(
      flagValues(parsed.flags, '--cache')[0] ?? env.npm_config_cache ?? env.NPM_CONFIG_CACHE ?? `${home(env)}/.npm`,
      'npm cache',
    );
    return call('npm', 'node', command, {
      invokedAs: found.invoked,
      operation,
      subcommand,
      packages: packagesOf(operation, operands, parseNodePackage),
      flags: parsed.flags,
      caches: fillsCache(operation) ? [where] : [],
      cleans: operation === 'clean' ? [where] : [],
    });
  },
};
