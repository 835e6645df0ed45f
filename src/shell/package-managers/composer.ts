/**
 * `composer` (PHP). Downloads are cached in $COMPOSER_CACHE_DIR, else $COMPOSER_HOME/cache, else ~/.cache/composer
 * (older: ~/.composer/cache); `--no-cache` avoids it, `composer clear-cache` empties it.
 */
import type { SimpleCommand } from '../commands.js';
import { cache, call, type Env, fillsCache, hasFlag, home, invokedAs, packageSpec, parseArgs, subcommandOf } from './args.js';
import type { CachePath, CommandNames, Operation, PackageManager } from './types.js';

const withValue = new Set(['-d', '--working-dir', '--prefer-install']);

const operations: Record<string, Operation> = {
  install: 'install',
  i: 'install',
  require: 'install',
  r: 'install',
  remove: 'remove',
  rm: 'remove',
  update: 'upgrade',
  u: 'upgrade',
  upgrade: 'upgrade',
  'clear-cache': 'clean',
  clearcache: 'clean',
  cc: 'clean',
};

function caches(env: Env): CachePath[] {
  if (env.COMPOSER_CACHE_DIR) return [cache(env.COMPOSER_CACHE_DIR, 'composer cache')];
  if (env.COMPOSER_HOME) return [cache(`${env.COMPOSER_HOME}/cache`, 'composer cache')];
  return [cache(`${home(env)}/.cache/composer`, 'composer cache'), cache(`${home(env)}/.composer/cache`, 'composer cache')];
}

const commands: CommandNames = { exact: ['composer', 'composer.phar'] };

export const composerManager: PackageManager = {
  id: 'composer',
  commands,
  family: 'php',
  recognise(command: SimpleCommand, env: Env) {
    const found = invokedAs(command, commands);
    if (!found) return undefined;
    const parsed = parseArgs(found.rest, withValue);
    const { subcommand, name, operands } = subcommandOf(parsed);
    const operation = (name !== undefined && operations[name]) || 'other';
    const noCache = hasFlag(parsed.flags, '--no-cache');
    const packages =
      name === 'require' || name === 'r' || operation === 'remove'
        ? operands.map((w) =>
            packageSpec(w, (text) => {
              const m = /^([^:=\s]+)[:=](.+)$/.exec(text);
              return m ? { name: m[1], version: m[2], pinned: /^v?\d+\.\d+\.\d+$/.test(m[2]) } : { name: text, pinned: false };
            }),
          )
        : [];
    return call('composer', 'php', command, {
      invokedAs: found.invoked,
      operation,
      subcommand,
      packages,
      flags: parsed.flags,
      noCache,
      caches: fillsCache(operation) ? caches(env) : [],
      cleans: operation === 'clean' ? caches(env) : [],
    });
  },
};
