/**
 * `cargo install` (Rust). Downloads land in $CARGO_HOME/registry and $CARGO_HOME/git (official rust images:
 * CARGO_HOME=/usr/local/cargo; otherwise ~/.cargo). `--version 1.2.3` or `name@1.2.3` pins.
 */
import type { SimpleCommand } from '../commands.js';
import { cache, call, type Env, flagValues, home, invokedAs, packageSpec, parseArgs, subcommandOf } from './args.js';
import type { CachePath, CommandNames, Operation, PackageManager } from './types.js';

const withValue = new Set([
  '--version',
  '--vers',
  '--git',
  '--branch',
  '--tag',
  '--rev',
  '--path',
  '--root',
  '--index',
  '--registry',
  '-j',
  '--jobs',
  '--target',
  '--target-dir',
  '--features',
  '-F',
  '--profile',
  '--bin',
  '--example',
]);

function caches(env: Env): CachePath[] {
  const cargoHome = env.CARGO_HOME ?? `${home(env)}/.cargo`;
  return [cache(`${cargoHome}/registry`, 'cargo registry cache'), cache(`${cargoHome}/git`, 'cargo git cache')];
}

const operations: Record<string, Operation> = { install: 'install', uninstall: 'remove', fetch: 'install' };

const commands: CommandNames = { exact: ['cargo'] };

export const cargoManager: PackageManager = {
  id: 'cargo',
  commands,
  family: 'rust',
  recognise(command: SimpleCommand, env: Env) {
    const found = invokedAs(command, commands);
    if (!found) return undefined;
    const parsed = parseArgs(
      found.rest.filter((w) => !w.value?.startsWith('+')),
      withValue,
    ); // `cargo +nightly install`
    const { subcommand, name, operands } = subcommandOf(parsed);
    const operation = (name !== undefined && operations[name]) || 'other';
    const version = flagValues(parsed.flags, '--version', '--vers')[0];
    const builds = name === 'build' || name === 'test' || name === 'run';
    const packages =
      name === 'install' || name === 'uninstall'
        ? operands.map((w) =>
            packageSpec(w, (text) => {
              const [crate, pinned] = text.split('@');
              const v = pinned ?? version;
              return { name: crate, version: v, pinned: v !== undefined && /^=?\d+\.\d+\.\d+/.test(v) };
            }),
          )
        : [];
    return call('cargo', 'rust', command, {
      invokedAs: found.invoked,
      operation,
      subcommand,
      packages,
      flags: parsed.flags,
      caches: operation === 'install' || builds ? caches(env) : [],
    });
  },
};
