/**
 * `pnpm`. Packages go to the content-addressed store ($PNPM_HOME/store, default ~/.local/share/pnpm/store) and
 * metadata to ~/.cache/pnpm; `pnpm store prune` removes unreferenced packages.
 */
import type { SimpleCommand } from '../commands.js';
import { cache, call, type Env, fillsCache, flagValues, home, invokedAs, packagesOf, parseArgs, subcommandOf } from './args.js';
import { parseNodePackage } from './node.js';
import type { CommandNames, Operation, PackageManager } from './types.js';

const withValue = new Set(['--store-dir', '--dir', '-C', '--filter', '-F', '--registry', '--reporter']);

const operations: Record<string, Operation> = {
  install: 'install',
  i: 'install',
  add: 'install',
  fetch: 'install',
  remove: 'remove',
  rm: 'remove',
  uninstall: 'remove',
  un: 'remove',
  update: 'upgrade',
  up: 'upgrade',
  upgrade: 'upgrade',
};

const commands: CommandNames = { exact: ['pnpm'] };

export const pnpmManager: PackageManager = {
  id: 'pnpm',
  commands,
  family: 'node',
  recognise(command: SimpleCommand, env: Env) {
    const found = invokedAs(command, commands);
    if (!found) return undefined;
    const parsed = parseArgs(found.rest, withValue);
    const { subcommand, name, operands } = subcommandOf(parsed);
    let operation: Operation = (name !== undefined && operations[name]) || 'other';
    if (name === 'store' && operands[0]?.value === 'prune') operation = 'clean';
    const store =
      flagValues(parsed.flags, '--store-dir')[0] ??
      (env.PNPM_HOME ? `${env.PNPM_HOME}/store` : `${home(env)}/.local/share/pnpm/store`);
    const where = [cache(store, 'pnpm store'), cache(`${home(env)}/.cache/pnpm`, 'pnpm metadata cache')];
    return call('pnpm', 'node', command, {
      invokedAs: found.invoked,
      operation,
      subcommand,
      packages: packagesOf(operation, operands, parseNodePackage),
      flags: parsed.flags,
      caches: fillsCache(operation) ? where : [],
      cleans: operation === 'clean' ? where.slice(0, 1) : [],
    });
  },
};
