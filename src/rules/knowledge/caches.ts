/**
 * The download caches and indexes package managers leave in a layer, and what removes or avoids them: the knowledge
 * behind package-cache-cleanup, cleanup-in-separate-layer and prefer-cache-mount.
 */
import { type Family, type ManagerCommand, managerCommand } from './managers.js';
import { type Command, type Mount, mountCovers, type RunInfo } from './run.js';

export interface CacheSpec {
  /** What the cache is called in messages. */
  name: string;
  families: Family[];
  /** Whether this manager command writes the cache. */
  writtenBy(command: ManagerCommand): boolean;
  /** Where it lives (root's home; `~` is written as /root). */
  paths: string[];
  /** Flags of the writing command that avoid the cache. */
  avoidFlags: string[];
  /** Environment variables that avoid it (any non-empty value). */
  avoidEnv: string[];
  /** A manager command that removes it. */
  cleans(command: ManagerCommand): boolean;
  /** The flag `lint --fix` may add to the writing command, when that is all it takes. */
  fixFlag?: { flag: string; managers: string[] };
}

const op =
  (...operations: string[]) =>
  (c: ManagerCommand) =>
    operations.includes(c.operation);

export const CACHES: readonly CacheSpec[] = [
  {
    name: 'apt package lists',
    families: ['apt'],
    writtenBy: (c) => c.operation === 'update' && c.manager !== 'dpkg',
    paths: ['/var/lib/apt/lists'],
    avoidFlags: [],
    avoidEnv: [],
    cleans: (c) => c.operation === 'clean' && /^(dist-?clean)$/.test(c.operationWord.value ?? ''),
  },
  {
    name: 'apk index cache',
    families: ['apk'],
    writtenBy: op('install', 'update', 'upgrade'),
    paths: ['/var/cache/apk', '/etc/apk/cache'],
    avoidFlags: ['--no-cache', '--no-network'],
    avoidEnv: [],
    cleans: (c) => c.operation === 'clean',
    fixFlag: { flag: '--no-cache', managers: ['apk'] },
  },
  {
    name: 'dnf/yum cache',
    families: ['dnf'],
    writtenBy: op('install', 'update', 'upgrade', 'deps'),
    paths: ['/var/cache/dnf', '/var/cache/yum', '/var/cache/libdnf5', '/var/cache/tdnf'],
    avoidFlags: [],
    avoidEnv: [],
    cleans: (c) => c.operation === 'clean',
  },
  {
    name: 'zypper cache',
    families: ['zypper'],
    writtenBy: op('install', 'update', 'upgrade', 'deps'),
    paths: ['/var/cache/zypp'],
    avoidFlags: [],
    avoidEnv: [],
    cleans: (c) => c.operation === 'clean',
  },
  {
    name: 'pip cache',
    families: ['pip'],
    writtenBy: op('install', 'deps'),
    paths: ['/root/.cache/pip', '/root/.cache/uv', '/root/.cache'],
    avoidFlags: ['--no-cache-dir', '--no-cache'],
    avoidEnv: ['PIP_NO_CACHE_DIR', 'UV_NO_CACHE'],
    cleans: (c) => c.operation === 'clean',
    fixFlag: { flag: '--no-cache-dir', managers: ['pip', 'pip3'] },
  },
  {
    name: 'npm cache',
    families: ['npm'],
    writtenBy: op('install', 'deps'),
    paths: ['/root/.npm'],
    avoidFlags: [],
    avoidEnv: [],
    cleans: (c) => c.operation === 'clean',
  },
  {
    name: 'yarn cache',
    families: ['yarn'],
    writtenBy: op('install', 'deps'),
    paths: ['/usr/local/share/.cache/yarn', '/root/.cache/yarn', '/root/.yarn/berry/cache'],
    avoidFlags: [],
    avoidEnv: ['YARN_CACHE_FOLDER'],
    cleans: (c) => c.operation === 'clean',
  },
  {
    name: 'conda package cache',
    families: ['conda'],
    writtenBy: op('install'),
    paths: ['/opt/conda/pkgs'],
    avoidFlags: [],
    avoidEnv: [],
    cleans: (c) => c.operation === 'clean',
  },
];

/** `~/.cache/pip` and `$HOME/.npm` as the root paths they usually are; quotes removed. */
export function normalisePath(text: string): string {
  return text
    .replace(/["']/g, '')
    .replace(/^(~|\$HOME|\$\{HOME\})(?=\/|$)/, '/root')
    .replace(/\/+$/, '');
}

/** Whether `rm` (or `rm -rf`) in `command` removes the cache: an operand at or under one of its paths. */
export function removesPath(command: Command, paths: readonly string[]): boolean {
  if (command.name !== 'rm') return false;
  return command.words.slice(1).some((word) => {
    if (word.text.startsWith('-')) return false;
    const path = normalisePath(word.text)
      .replace(/\/\*$/, '')
      .replace(/\/\.?\*$/, '');
    return paths.some(
      (cache) => path === cache || path.startsWith(`${cache}/`) || (cache.startsWith(`${path}/`) && path.split('/').length > 2),
    );
  });
}

export function cacheMounted(mounts: readonly Mount[], spec: CacheSpec): boolean {
  return spec.paths.some((path) => mountCovers(mounts, path));
}

/**
 * The caches a RUN leaves in its layer, each with the command that wrote it: written, not avoided by a flag or the
 * command's environment, not under a cache/tmpfs mount, and neither cleaned by the manager nor removed with `rm` in
 * the same RUN. (ENV set by earlier instructions is the caller's to check.)
 */
export function cachesLeft(run: RunInfo): { spec: CacheSpec; writer: ManagerCommand }[] {
  const calls = run.commands.flatMap((command) => managerCommand(command) ?? []);
  const left: { spec: CacheSpec; writer: ManagerCommand }[] = [];
  for (const spec of CACHES) {
    const writer = calls.find((c) => spec.families.includes(c.family) && spec.writtenBy(c) && !avoidsCache(c, spec));
    if (!writer || cacheMounted(run.mounts, spec)) continue;
    if (calls.some((c) => spec.families.includes(c.family) && spec.cleans(c))) continue;
    if (run.commands.some((c) => removesPath(c, spec.paths))) continue;
    left.push({ spec, writer });
  }
  return left;
}

export function avoidsCache(command: ManagerCommand, spec: CacheSpec): boolean {
  if (spec.avoidFlags.some((flag) => command.flagNames.has(flag))) return true;
  return spec.avoidEnv.some((name) => {
    const value = command.command.env.get(name);
    return value === undefined ? command.command.env.has(name) : value !== '';
  });
}
