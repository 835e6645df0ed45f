/**
 * `apk` (Alpine). `apk add` and `apk update` write the repository indexes to /var/cache/apk unless `--no-cache`;
 * `--virtual NAME` names a group to delete later and is not a package.
 */
import type { SimpleCommand } from '../commands.js';
import { cache, call, hasFlag, invokedAs, packagesOf, parseArgs, subcommandOf } from './args.js';
import type { CommandNames, Operation, PackageManager } from './types.js';

export const apkCache = cache('/var/cache/apk', 'apk package indexes');

const withValue = new Set([
  '-X',
  '--repository',
  '-p',
  '--root',
  '-t',
  '--virtual',
  '--arch',
  '--keys-dir',
  '--repositories-file',
  '--cache-dir',
  '--cache-max-age',
]);

const operations: Record<string, Operation> = {
  add: 'install',
  del: 'remove',
  update: 'update',
  upgrade: 'upgrade',
  fix: 'upgrade',
  cache: 'other',
};

const commands: CommandNames = { exact: ['apk'] };

export const apkManager: PackageManager = {
  id: 'apk',
  commands,
  family: 'alpine',
  ignoresEnv: true,
  recognise(command: SimpleCommand) {
    const found = invokedAs(command, commands);
    if (!found) return undefined;
    const parsed = parseArgs(found.rest, withValue);
    const { subcommand, name, operands } = subcommandOf(parsed);
    let operation: Operation = (name !== undefined && operations[name]) || 'other';
    const cacheAction = name === 'cache' ? operands[0]?.value : undefined;
    if (cacheAction === 'clean' || cacheAction === 'purge') operation = 'clean';
    // `--no-network` fetches nothing, so it writes no index either.
    const noCache = hasFlag(parsed.flags, '--no-cache', '--no-network');
    const fetches = operation === 'update' || operation === 'upgrade' || operation === 'install';
    return call('apk', 'alpine', command, {
      invokedAs: found.invoked,
      operation,
      subcommand,
      packages: packagesOf(operation, operands, parseApkPackage),
      flags: parsed.flags,
      noCache,
      caches: fetches ? [apkCache] : [],
      cleans: operation === 'clean' ? [apkCache] : [],
    });
  },
};

/** `curl=8.5.0-r0` pins; `curl~8.5`, `curl>8` are constraints, not pins. */
function parseApkPackage(text: string): { name: string; version?: string; pinned: boolean } {
  const m = /^([^=~<>]+)(=|~|>=|<=|>|<)(.+)$/.exec(text);
  if (!m) return { name: text, pinned: false };
  return { name: m[1], version: m[3], pinned: m[2] === '=' };
}
