/**
 * conda, mamba and micromamba: one CLI. Downloaded packages stay in the package cache (`<prefix>/pkgs`, or
 * $CONDA_PKGS_DIRS) until `conda clean --all` (or `-a`, `--tarballs`, `--packages`).
 */
import type { SimpleCommand } from '../commands.js';
import { cache, call, type Env, fillsCache, hasFlag, invokedAs, packagesOf, parseArgs, subcommandOf } from './args.js';
import type { CachePath, CommandNames, Operation, PackageManager } from './types.js';

const withValue = new Set([
  '-n',
  '--name',
  '-p',
  '--prefix',
  '-c',
  '--channel',
  '--file',
  '-f',
  '--override-channels',
  '-r',
  '--root-prefix',
]);

const operations: Record<string, Operation> = {
  install: 'install',
  create: 'install',
  remove: 'remove',
  uninstall: 'remove',
  update: 'upgrade',
  upgrade: 'upgrade',
  clean: 'clean',
};

function pkgsDir(env: Env, tool: string): CachePath {
  const configured = env.CONDA_PKGS_DIRS?.split(',')[0];
  if (configured) return cache(configured, 'conda package cache');
  const root = tool === 'micromamba' ? (env.MAMBA_ROOT_PREFIX ?? '/root/micromamba') : (env.CONDA_DIR ?? '/opt/conda');
  return cache(`${root}/pkgs`, 'conda package cache');
}

const commands: CommandNames = { exact: ['conda', 'mamba', 'micromamba'] };

export const condaManager: PackageManager = {
  id: 'conda',
  commands,
  family: 'conda',
  recognise(command: SimpleCommand, env: Env) {
    const found = invokedAs(command, commands);
    if (!found) return undefined;
    const tool = found.invoked[0].value?.split('/').pop() ?? 'conda';
    const parsed = parseArgs(found.rest, withValue);
    const { subcommand, name, operands } = subcommandOf(parsed);
    const operation = (name !== undefined && operations[name]) || 'other';
    const where = pkgsDir(env, tool);
    const prompts = operation === 'install' || operation === 'remove' || operation === 'upgrade' || operation === 'clean';
    const cleansAll = hasFlag(parsed.flags, '-a', '--all', '-t', '--tarballs', '-p', '--packages');
    return call('conda', 'conda', command, {
      invokedAs: found.invoked,
      operation,
      subcommand,
      packages: packagesOf(operation, operands, parseCondaPackage),
      flags: parsed.flags,
      assumeYes: !prompts || tool === 'micromamba' || hasFlag(parsed.flags, '-y', '--yes'),
      caches: fillsCache(operation) ? [where] : [],
      cleans: operation === 'clean' && cleansAll ? [where] : [],
    });
  },
};

/** `numpy=1.26.4` and `numpy==1.26.4` pin (also `numpy=1.26.4=py311h…`); `numpy>=1.26`, `numpy=1.26.*` do not. */
function parseCondaPackage(text: string): { name: string; version?: string; pinned: boolean } {
  const m = /^([^=<>!~ ]+)\s*(==|=|>=|<=|>|<|!=|~=)\s*(.+)$/.exec(text);
  if (!m) return { name: text, pinned: false };
  return { name: m[1], version: m[3], pinned: (m[2] === '=' || m[2] === '==') && !/[*|,]/.test(m[3]) };
}
