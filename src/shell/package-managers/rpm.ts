/**
 * What dnf, yum, microdnf and tdnf share (RHEL, Fedora, CentOS, Rocky, Alma, Amazon Linux; tdnf: Photon OS): subcommands, `-y`, `--setopt`,
 * package syntax (`name-1.2.3`, `name-1.2.3-1.el9`) and the metadata/package cache under /var/cache/{dnf,yum}.
 * `yum update` upgrades packages (it is not apt's index update); `makecache` is the index refresh.
 */
import type { SimpleCommand } from '../commands.js';
import { cache, call, flagValues, hasFlag, invokedAs, packagesOf, parseArgs, subcommandOf } from './args.js';
import type { CachePath, CommandNames, Operation, PackageManager } from './types.js';

const withValue = new Set([
  '-c',
  '--config',
  '--installroot',
  '--releasever',
  '--enablerepo',
  '--disablerepo',
  '--repo',
  '--repoid',
  '-x',
  '--exclude',
  '--setopt',
  '-d',
  '--debuglevel',
  '-e',
  '--errorlevel',
  '--forcearch',
]);

const operations: Record<string, Operation> = {
  install: 'install',
  reinstall: 'install',
  localinstall: 'install',
  groupinstall: 'install',
  builddep: 'install',
  builddeps: 'install',
  'build-dep': 'install',
  remove: 'remove',
  erase: 'remove',
  autoremove: 'remove',
  groupremove: 'remove',
  update: 'upgrade',
  upgrade: 'upgrade',
  'upgrade-minimal': 'upgrade',
  'distro-sync': 'upgrade',
  makecache: 'update',
  'check-update': 'update',
  clean: 'clean',
};

export const dnfCaches: Record<'dnf' | 'yum' | 'microdnf' | 'tdnf', CachePath[]> = {
  dnf: [cache('/var/cache/dnf', 'dnf metadata and package cache')],
  yum: [cache('/var/cache/yum', 'yum metadata and package cache'), cache('/var/cache/dnf', 'dnf metadata and package cache')],
  microdnf: [cache('/var/cache/yum', 'microdnf metadata cache'), cache('/var/cache/dnf', 'microdnf metadata cache')],
  tdnf: [cache('/var/cache/tdnf', 'tdnf metadata and package cache')],
};

const falsy = /^(false|0|no|off)$/i;

/** `dnf clean all` (and the narrower `packages`, `metadata`, …) empty the cache directory's contents. */
const cleanTargets = new Set(['all', 'packages', 'metadata', 'dbcache', 'expire-cache']);

export function rpmLike(id: 'dnf' | 'yum' | 'microdnf' | 'tdnf'): PackageManager {
  const commands: CommandNames = { exact: id === 'dnf' ? ['dnf', 'dnf5', 'dnf-3'] : [id] };
  return {
    id,
    family: 'rhel',
    ignoresEnv: true,
    commands,
    recognise(command: SimpleCommand) {
      const found = invokedAs(command, commands);
      if (!found) return undefined;
      const parsed = parseArgs(found.rest, withValue);
      let { subcommand, name, operands } = subcommandOf(parsed);
      let operation: Operation = (name !== undefined && operations[name]) || 'other';
      // `dnf group install X`, `dnf module install X`: the second word is the operation.
      if ((name === 'group' || name === 'groups' || name === 'module') && operands[0]?.value) {
        operation = operations[operands[0].value] ?? 'other';
        subcommand = operands[0];
        operands = operands.slice(1);
      }
      const setopt = flagValues(parsed.flags, '--setopt');
      const weakDeps = setopt.find((s) => s.startsWith('install_weak_deps='))?.split('=')[1];
      const prompts = operation === 'install' || operation === 'remove' || operation === 'upgrade';
      const leaves = operation === 'install' || operation === 'upgrade' || operation === 'update';
      return call(id, 'rhel', command, {
        invokedAs: found.invoked,
        operation,
        subcommand,
        packages: packagesOf(operation, operands, parseRpmPackage),
        flags: parsed.flags,
        assumeYes: !prompts || id === 'microdnf' || hasFlag(parsed.flags, '-y', '--assumeyes'),
        noInstallRecommends: falsy.test(weakDeps ?? '') || hasFlag(parsed.flags, '--no-install-recommends'),
        caches: leaves ? dnfCaches[id] : [],
        cleans: operation === 'clean' && operands.some((o) => cleanTargets.has(o.value ?? '')) ? dnfCaches[id] : [],
      });
    },
  };
}

/** `nginx-1.24.0`, `nginx-1.24.0-1.el9`, `nginx-0:1.24.0-1.el9.x86_64`: a `-` followed by a digit starts the version. */
function parseRpmPackage(text: string): { name: string; version?: string; pinned: boolean } {
  const m = /^(.+?)-(\d[^/]*)$/.exec(text);
  if (!m || /[*?]/.test(text)) return { name: text, pinned: false };
  return { name: m[1], version: m[2], pinned: true };
}
