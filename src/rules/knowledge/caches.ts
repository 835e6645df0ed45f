/**
 * The download caches and indexes package managers leave in a layer, and what removes or avoids them: the knowledge
 * behind package-cache-cleanup, cleanup-in-separate-layer and prefer-cache-mount.
 */
import type { Family, ManagerCommand } from './managers.js';
import type { Command, Mount } from './run.js';
import { mountCovers } from './run.js';

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

const op = (...operations: string[]) => (c: ManagerCommand) => operations.includes(c.operation);

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
    const path = normalisePath(word.text).replace(/\/\*$/, '').replace(/\/\.?\*$/, '');
    return paths.some((cache) => path === cache || path.startsWith(`${cache}/`) || (cache.startsWith(`${path}/`) && path.split('/').length > 2));
  });
}

export function cacheMounted(mounts: readonly Mount[], spec: CacheSpec): boolean {
  return spec.paths.some((path) => mountCovers(mounts, path));
}
