/**
 * `gem` (Ruby). Each installed gem's .gem file stays in `$GEM_HOME/cache` (official ruby images: GEM_HOME=
 * /usr/local/bundle); `gem install -v 1.2 x` or `x:1.2` pins.
 */
import type { SimpleCommand } from '../commands.js';
import { cache, call, type Env, fillsCache, flagValues, invokedAs, packageSpec, parseArgs, subcommandOf } from './args.js';
import type { CachePath, CommandNames, Operation, PackageManager } from './types.js';

const withValue = new Set([
  '-v',
  '--version',
  '-i',
  '--install-dir',
  '-n',
  '--bindir',
  '-s',
  '--source',
  '--platform',
  '-P',
  '--trust-policy',
]);

const operations: Record<string, Operation> = {
  install: 'install',
  i: 'install',
  uninstall: 'remove',
  update: 'upgrade',
  cleanup: 'clean',
};

/** Where .gem files are kept. */
export function gemCaches(env: Env): CachePath[] {
  const gemHome = env.GEM_HOME ?? env.BUNDLE_PATH;
  if (gemHome) return [cache(`${gemHome}/cache`, 'gem cache')];
  return [cache('/usr/local/bundle/cache', 'gem cache'), cache('/var/lib/gems', 'gem cache (distribution Ruby)')];
}

const commands: CommandNames = { exact: ['gem'], versioned: ['gem'] };

export const gemManager: PackageManager = {
  id: 'gem',
  commands,
  family: 'ruby',
  recognise(command: SimpleCommand, env: Env) {
    const found = invokedAs(command, commands);
    if (!found) return undefined;
    const parsed = parseArgs(found.rest, withValue);
    const { subcommand, name, operands } = subcommandOf(parsed);
    const operation = (name !== undefined && operations[name]) || 'other';
    const version = flagValues(parsed.flags, '-v', '--version')[0];
    const packages =
      operation === 'install' || operation === 'remove'
        ? operands.map((w) =>
            packageSpec(w, (text) => {
              const [gem, pinned] = text.split(':');
              const v = pinned ?? version;
              return { name: gem, version: v, pinned: v !== undefined && /^\d[\w.]*$/.test(v) };
            }),
          )
        : [];
    return call('gem', 'ruby', command, {
      invokedAs: found.invoked,
      operation,
      subcommand,
      packages,
      flags: parsed.flags,
      caches: fillsCache(operation) ? gemCaches(env) : [],
      // `gem cleanup` removes old versions, not the .gem files of the current ones.
      cleans: [],
    });
  },
};
