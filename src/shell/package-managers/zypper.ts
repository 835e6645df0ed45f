/**
 * `zypper` (openSUSE, SLES). Global options come before the command (`zypper --non-interactive install …`);
 * repository metadata and downloaded packages live in /var/cache/zypp.
 */
import type { SimpleCommand } from '../commands.js';
import { cache, call, hasFlag, invokedAs, packagesOf, parseArgs, subcommandOf } from './args.js';
import type { CommandNames, Operation, PackageManager } from './types.js';

export const zypperCache = cache('/var/cache/zypp', 'zypper metadata and package cache');

const withValue = new Set([
  '-R',
  '--root',
  '-c',
  '--config',
  '-D',
  '--reposd-dir',
  '-C',
  '--cache-dir',
  '-r',
  '--repo',
  '-t',
  '--type',
  '--from',
]);

const operations: Record<string, Operation> = {
  install: 'install',
  in: 'install',
  'source-install': 'install',
  si: 'install',
  remove: 'remove',
  rm: 'remove',
  refresh: 'update',
  ref: 'update',
  update: 'upgrade',
  up: 'upgrade',
  'dist-upgrade': 'upgrade',
  dup: 'upgrade',
  patch: 'upgrade',
  clean: 'clean',
  cc: 'clean',
};

const commands: CommandNames = { exact: ['zypper'] };

export const zypperManager: PackageManager = {
  id: 'zypper',
  commands,
  family: 'suse',
  ignoresEnv: true,
  recognise(command: SimpleCommand) {
    const found = invokedAs(command, commands);
    if (!found) return undefined;
    const parsed = parseArgs(found.rest, withValue);
    const { subcommand, name, operands } = subcommandOf(parsed);
    const operation = (name !== undefined && operations[name]) || 'other';
    const prompts = operation === 'install' || operation === 'remove' || operation === 'upgrade';
    return call('zypper', 'suse', command, {
      invokedAs: found.invoked,
      operation,
      subcommand,
      packages: packagesOf(operation, operands, parseZypperPackage),
      flags: parsed.flags,
      assumeYes: !prompts || hasFlag(parsed.flags, '-n', '--non-interactive', '-y', '--no-confirm'),
      noInstallRecommends: hasFlag(parsed.flags, '--no-recommends'),
      caches: operation === 'install' || operation === 'upgrade' || operation === 'update' ? [zypperCache] : [],
      cleans: operation === 'clean' ? [zypperCache] : [],
    });
  },
};

/** `nginx=1.24`, `nginx>=1.2`, `nginx-1.24.0`: only `=` (or an exact name-version) pins. */
function parseZypperPackage(text: string): { name: string; version?: string; pinned: boolean } {
  const m = /^([^=<>]+?)(=|>=|<=|>|<)(.+)$/.exec(text);
  if (m) return { name: m[1], version: m[3], pinned: m[2] === '=' };
  const dashed = /^(.+?)-(\d[^/]*)$/.exec(text);
  return dashed ? { name: dashed[1], version: dashed[2], pinned: true } : { name: text, pinned: false };
}
