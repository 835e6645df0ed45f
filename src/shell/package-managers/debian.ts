/**
 * What apt-get, apt and aptitude share: the same subcommands, options, package syntax (`name=version`,
 * `name/release`, `name:arch`) and caches (package lists in /var/lib/apt/lists, downloaded .debs in /var/cache/apt).
 * Each of the three has its own module that instantiates this with its differences.
 */
import type { SimpleCommand } from '../commands.js';
import { cache, call, fillsCache, flagValues, hasFlag, invokedAs, packagesOf, parseArgs, subcommandOf } from './args.js';
import type { CommandNames, Flag, Operation, PackageManager } from './types.js';

export const aptLists = cache('/var/lib/apt/lists', 'apt package lists');
export const aptArchives = cache('/var/cache/apt', 'apt downloaded packages and package cache');

const withValue = new Set([
  '-o',
  '--option',
  '-t',
  '--target-release',
  '--default-release',
  '-c',
  '--config-file',
  '-a',
  '--host-architecture',
]);

const operations: Record<string, Operation> = {
  update: 'update',
  install: 'install',
  reinstall: 'install',
  'build-dep': 'install',
  remove: 'remove',
  purge: 'remove',
  autoremove: 'remove',
  autopurge: 'remove',
  upgrade: 'upgrade',
  'dist-upgrade': 'upgrade',
  'full-upgrade': 'upgrade',
  'safe-upgrade': 'upgrade',
  clean: 'clean',
  autoclean: 'clean',
  'dist-clean': 'clean',
};

const falsy = /^(false|0|no|off)$/i;
const truthy = /^(true|1|yes|on)$/i;

export function aptLike(id: 'apt-get' | 'apt' | 'aptitude'): PackageManager {
  const commands: CommandNames = { exact: [id] };
  return {
    id,
    family: 'debian',
    ignoresEnv: true,
    commands,
    recognise(command: SimpleCommand) {
      const found = invokedAs(command, commands);
      if (!found) return undefined;
      const parsed = parseArgs(found.rest, withValue);
      const { subcommand, name, operands } = subcommandOf(parsed);
      // A simulation installs, removes and downloads nothing, and so asks nothing.
      const simulated = hasFlag(parsed.flags, '-s', '--simulate', '--dry-run', '--just-print', '--no-act', '--recon');
      const operation = simulated ? 'other' : (name !== undefined && operations[name]) || 'other';
      const options = flagValues(parsed.flags, '-o', '--option');
      const prompts = operation === 'install' || operation === 'remove' || operation === 'upgrade';
      const assumeYes =
        !prompts ||
        hasFlag(parsed.flags, '-y', '--yes', '--assume-yes') ||
        truthy.test(option(options, 'apt::get::assume-yes') ?? '') ||
        quietLevel(parsed.flags, option(options, 'quiet')) >= 2;
      const noInstallRecommends =
        hasFlag(parsed.flags, '--no-install-recommends') ||
        (id === 'aptitude' && hasFlag(parsed.flags, '-R', '--without-recommends')) ||
        falsy.test(option(options, 'apt::install-recommends') ?? '');
      const leaves = operation === 'update' ? [aptLists] : fillsCache(operation) ? [aptArchives] : [];
      return call(id, 'debian', command, {
        invokedAs: found.invoked,
        operation,
        subcommand,
        packages: packagesOf(operation, operands, parseDebianPackage),
        flags: parsed.flags,
        assumeYes,
        noInstallRecommends,
        caches: leaves,
        // `apt-get dist-clean` (apt 2.7+) also removes the package lists.
        cleans: operation === 'clean' ? (name === 'dist-clean' ? [aptArchives, aptLists] : [aptArchives]) : [],
      });
    },
  };
}

/** The value of `-o key=value` for a lower-case `key` (apt's option names are case-insensitive). */
function option(options: string[], key: string): string | undefined {
  for (const o of options) if (o.toLowerCase().startsWith(`${key}=`)) return o.split('=')[1];
  return undefined;
}

/**
 * apt's quiet level: each `-q` (also inside a cluster such as `-qqy`) adds one; `-q=N`, `--quiet=N` and `-o quiet=N`
 * set it. apt-get never asks for confirmation at level 2 or more (apt-private/private-install.cc: `FindI("quiet") < 2`).
 */
function quietLevel(flags: Flag[], option: string | undefined): number {
  let level = option !== undefined && /^\d+$/.test(option) ? Number(option) : 0;
  for (const flag of flags) {
    const given = /^-q=(\d+)$/.exec(flag.name)?.[1] ?? (flag.name === '--quiet' ? flag.value : undefined);
    if (given !== undefined && /^\d+$/.test(given)) level = Number(given);
    else if (/^-[A-Za-z]+$/.test(flag.name)) level += flag.name.split('q').length - 1;
    else if (flag.name === '--quiet') level++;
  }
  return level;
}

/** `curl=7.88.1-10`, `curl/bookworm-backports`, `libc6:amd64=2.36-9`: only `=version` pins. */
export function parseDebianPackage(text: string): { name: string; version?: string; pinned: boolean } {
  const eq = text.indexOf('=');
  if (eq > 0) return { name: text.slice(0, eq), version: text.slice(eq + 1), pinned: !/[*?]/.test(text.slice(eq + 1)) };
  const slash = text.indexOf('/');
  if (slash > 0) return { name: text.slice(0, slash), version: undefined, pinned: false };
  return { name: text, pinned: false };
}
