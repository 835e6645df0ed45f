/** `bundle` / `bundler` (Ruby): installs the Gemfile's gems (pinned by Gemfile.lock); the .gem files stay cached. */
import type { SimpleCommand } from '../commands.js';
import { call, type Env, fillsCache, invokedAs, onlyAsks, parseArgs, subcommandOf } from './args.js';
import { gemCaches } from './gem.js';
import type { CommandNames, Operation, PackageManager } from './types.js';

const withValue = new Set(['--path', '--gemfile', '--jobs', '-j', '--retry', '--without', '--with', '--deployment-path']);

const operations: Record<string, Operation> = {
  install: 'install',
  update: 'upgrade',
  clean: 'clean',
};

const commands: CommandNames = { exact: ['bundle', 'bundler'] };

export const bundleManager: PackageManager = {
  id: 'bundle',
  commands,
  family: 'ruby',
  recognise(command: SimpleCommand, env: Env) {
    const found = invokedAs(command, commands);
    if (!found) return undefined;
    const parsed = parseArgs(found.rest, withValue);
    const { subcommand, name } = subcommandOf(parsed);
    const operation: Operation =
      name === undefined ? (onlyAsks(parsed.flags) ? 'other' : 'install') : operations[name] || 'other';
    return call('bundle', 'ruby', command, {
      invokedAs: found.invoked,
      operation,
      subcommand,
      flags: parsed.flags,
      caches: fillsCache(operation) ? gemCaches(env) : [],
    });
  },
};
