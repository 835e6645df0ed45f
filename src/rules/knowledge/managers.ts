/**
 * Package-manager commands as the rules see them: which manager (and family), which operation, which packages and
 * flags, located in the Dockerfile. One table row per manager; a command no row recognises is not a manager command.
 */
import type { Command, SourceWord } from './run.js';

export type Family =
  | 'apt'
  | 'apk'
  | 'dnf'
  | 'zypper'
  | 'pip'
  | 'npm'
  | 'yarn'
  | 'pnpm'
  | 'gem'
  | 'bundler'
  | 'composer'
  | 'conda'
  | 'go'
  | 'cargo';

/**
 * `install`: adds packages; `update`: refreshes the index; `upgrade`: upgrades installed packages; `remove`;
 * `clean`: removes the manager's cache; `deps`: installs what a manifest lists (`npm ci`, `bundle install`);
 * `other`: anything else (`apt-get source`, `pip download`, `--version`).
 */
export type Operation = 'install' | 'update' | 'upgrade' | 'remove' | 'clean' | 'deps' | 'other';

export interface ManagerCommand {
  command: Command;
  /** The program as written (`apt-get`, `pip3`, `python3 -m pip` → `pip`). */
  manager: string;
  family: Family;
  operation: Operation;
  /** The word naming the operation (`install`), or the program word when there is none (`yarn`). */
  operationWord: SourceWord;
  /** Words starting with `-` (with their values for options that take one, which are not packages). */
  flags: SourceWord[];
  /** The operands after the operation: packages, files, requirement specs. */
  operands: SourceWord[];
  /** Static flag names, for lookups: `--no-cache`, `-y`, and each letter of `-yq` as `-y`, `-q`. */
  flagNames: Set<string>;
}

interface Spec {
  family: Family;
  /** Operation names (first operand) → operation. */
  operations: Record<string, Operation>;
  /** Options that take the next word as their value. */
  valued: string[];
  /** Operation when no operation word is given (`yarn`, `bundle`). */
  bare?: Operation;
  /** Global option words that may come before the operation and take a value. */
  globalValued?: string[];
}

const apt: Spec = {
  family: 'apt',
  operations: {
    update: 'update',
    install: 'install',
    reinstall: 'install',
    'build-dep': 'deps',
    upgrade: 'upgrade',
    'dist-upgrade': 'upgrade',
    'full-upgrade': 'upgrade',
    remove: 'remove',
    purge: 'remove',
    autoremove: 'remove',
    clean: 'clean',
    autoclean: 'clean',
    'dist-clean': 'clean',
    distclean: 'clean',
  },
  valued: ['-o', '-c', '-t', '--option', '--config-file', '--target-release', '--default-release'],
};
const dnf: Spec = {
  family: 'dnf',
  operations: {
    install: 'install',
    reinstall: 'install',
    groupinstall: 'install',
    localinstall: 'install',
    builddep: 'deps',
    'build-dep': 'deps',
    update: 'upgrade',
    upgrade: 'upgrade',
    'distro-sync': 'upgrade',
    'dist-upgrade': 'upgrade',
    remove: 'remove',
    erase: 'remove',
    autoremove: 'remove',
    clean: 'clean',
    makecache: 'update',
  },
  valued: [
    '-c',
    '-d',
    '-e',
    '-x',
    '--exclude',
    '--config',
    '--installroot',
    '--releasever',
    '--enablerepo',
    '--disablerepo',
    '--repo',
    '--setopt',
    '--nodocs-',
  ],
};
const specs: Record<string, Spec> = {
  'apt-get': apt,
  apt,
  aptitude: apt,
  apk: {
    family: 'apk',
    operations: { add: 'install', del: 'remove', update: 'update', upgrade: 'upgrade', fix: 'install', cache: 'clean' },
    valued: [
      '-t',
      '--virtual',
      '-X',
      '--repository',
      '-p',
      '--root',
      '--arch',
      '--cache-dir',
      '--keys-dir',
      '--repositories-file',
    ],
  },
  dnf,
  yum: dnf,
  microdnf: dnf,
  tdnf: dnf,
  zypper: {
    family: 'zypper',
    operations: {
      in: 'install',
      install: 'install',
      ref: 'update',
      refresh: 'update',
      up: 'upgrade',
      update: 'upgrade',
      dup: 'upgrade',
      'dist-upgrade': 'upgrade',
      patch: 'upgrade',
      rm: 'remove',
      remove: 'remove',
      clean: 'clean',
      cc: 'clean',
      'source-install': 'deps',
      si: 'deps',
    },
    valued: ['-R', '--root', '-r', '--repo', '--from', '-t', '--type'],
  },
  pip: {
    family: 'pip',
    operations: { install: 'install', uninstall: 'remove', download: 'other', wheel: 'other', cache: 'clean' },
    valued: [
      '-r',
      '-c',
      '-e',
      '-i',
      '-f',
      '-t',
      '--requirement',
      '--constraint',
      '--editable',
      '--index-url',
      '--extra-index-url',
      '--find-links',
      '--target',
      '--prefix',
      '--root',
      '--trusted-host',
      '--platform',
      '--python-version',
      '--implementation',
      '--abi',
      '--src',
      '--cache-dir',
      '--progress-bar',
      '--log',
      '--upgrade-strategy',
      '--python',
      '--proxy',
      '--timeout',
      '--retries',
      '--global-option',
      '--config-settings',
      '-C',
    ],
  },
  npm: {
    family: 'npm',
    operations: {
      install: 'install',
      i: 'install',
      add: 'install',
      ci: 'deps',
      'clean-install': 'deps',
      uninstall: 'remove',
      rm: 'remove',
      un: 'remove',
      cache: 'clean',
      update: 'upgrade',
      up: 'upgrade',
    },
    valued: ['--prefix', '--registry', '--cache', '-w', '--workspace', '--omit', '--include'],
  },
  yarn: {
    family: 'yarn',
    operations: { add: 'install', install: 'deps', remove: 'remove', cache: 'clean', upgrade: 'upgrade', global: 'install' },
    valued: ['--cwd', '--cache-folder', '--modules-folder', '--registry', '--network-timeout', '--mutex'],
    bare: 'deps',
  },
  pnpm: {
    family: 'pnpm',
    operations: {
      add: 'install',
      install: 'deps',
      i: 'deps',
      remove: 'remove',
      store: 'clean',
      update: 'upgrade',
      fetch: 'deps',
    },
    valued: ['--dir', '-C', '--filter', '--store-dir', '--registry'],
  },
  gem: {
    family: 'gem',
    operations: { install: 'install', uninstall: 'remove', update: 'upgrade', cleanup: 'other' },
    valued: ['-v', '--version', '-i', '--install-dir', '-n', '--bindir', '--source', '-s', '--platform'],
  },
  bundle: {
    family: 'bundler',
    operations: { install: 'deps', update: 'upgrade', clean: 'clean' },
    valued: ['--path', '--gemfile', '--jobs', '-j', '--retry', '--without', '--with', '--deployment'],
    bare: 'deps',
  },
  composer: {
    family: 'composer',
    operations: {
      install: 'deps',
      require: 'install',
      update: 'upgrade',
      remove: 'remove',
      'clear-cache': 'clean',
      clearcache: 'clean',
    },
    valued: ['-d', '--working-dir'],
  },
  conda: {
    family: 'conda',
    operations: { install: 'install', create: 'install', update: 'upgrade', remove: 'remove', clean: 'clean' },
    valued: ['-n', '--name', '-p', '--prefix', '-c', '--channel', '--file'],
  },
  go: {
    family: 'go',
    operations: { install: 'install', get: 'install', mod: 'other' },
    valued: ['-o', '-C', '-tags', '-ldflags', '-gcflags', '-mod', '-p'],
  },
  cargo: {
    family: 'cargo',
    operations: { install: 'install', fetch: 'deps', uninstall: 'remove' },
    valued: [
      '--version',
      '--vers',
      '--git',
      '--branch',
      '--tag',
      '--rev',
      '--path',
      '--root',
      '--target',
      '--features',
      '-F',
      '-j',
      '--jobs',
      '--profile',
      '--bin',
      '--manifest-path',
    ],
  },
};
specs.dpkg = { family: 'apt', operations: {}, valued: ['--root', '--admindir', '--instdir'], bare: 'other' };
specs.mamba = specs.conda;
specs.micromamba = specs.conda;

/** `pip3`, `pip3.12`, `pip-3` → `pip`. */
function programOf(name: string): string {
  if (/^pip[0-9.-]*$/.test(name)) return 'pip';
  return name;
}

/** `python3 -m pip …`, `uv pip …` → the words from `pip` on. */
function unwrapPip(words: SourceWord[]): SourceWord[] | undefined {
  const name = words[0]?.value?.slice(words[0].value.lastIndexOf('/') + 1) ?? '';
  if (/^python[0-9.]*$/.test(name)) {
    let i = 1;
    while (i < words.length && words[i].value?.startsWith('-') && words[i].value !== '-m') i++;
    if (words[i]?.value === '-m' && words[i + 1]?.value === 'pip') return words.slice(i + 1);
    return undefined;
  }
  if (name === 'uv' && words[1]?.value === 'pip') return words.slice(1);
  return undefined;
}

function namesOf(flag: string): string[] {
  if (flag.startsWith('--')) return [flag.split('=')[0]];
  if (flag.length > 2 && /^-[A-Za-z]+$/.test(flag)) return [...flag.slice(1)].map((c) => `-${c}`);
  return [flag];
}

/** The manager command `command` runs, if any. */
export function managerCommand(command: Command): ManagerCommand | undefined {
  const words = unwrapPip(command.words) ?? command.words;
  const program = words[0]?.value;
  if (!program) return undefined;
  const manager = programOf(program.slice(program.lastIndexOf('/') + 1));
  const spec = specs[manager];
  if (!spec) return undefined;
  const flags: SourceWord[] = [];
  const operands: SourceWord[] = [];
  let operationWord: SourceWord | undefined;
  let operation: Operation | undefined;
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    const value = word.value ?? '';
    if (value.startsWith('-') && value.length > 1) {
      flags.push(word);
      if (spec.valued.includes(value) && i + 1 < words.length) flags.push(words[++i]);
      continue;
    }
    if (operationWord === undefined) {
      operationWord = word;
      operation = spec.operations[value] ?? 'other';
      continue;
    }
    operands.push(word);
  }
  if (manager === 'dpkg') {
    // dpkg has no operation word: its action is a flag, and what follows are .deb files or package names.
    const action = flags.map((flag) => flag.value).find((v) => v && /^(-[a-zA-Z]|--[a-z-]+)$/.test(v));
    operation =
      action === '-i' || action === '--install'
        ? 'install'
        : action === '-r' || action === '-P' || action === '--remove' || action === '--purge'
          ? 'remove'
          : 'other';
    if (operationWord) operands.unshift(operationWord);
    operationWord = words[0];
  } else if (!operationWord) {
    if (!spec.bare) return undefined;
    const query = flags.some((flag) => /^(-v|-V|--version|-h|--help)$/.test(flag.value ?? ''));
    operation = query ? 'other' : spec.bare;
  }
  // `yarn global add x`, `npm cache clean`, `apk cache clean`, `pip cache purge`: the second word decides.
  if (operation === 'clean' && ['npm', 'yarn', 'pip', 'apk', 'pnpm'].includes(spec.family)) {
    const sub = operands[0]?.value;
    if (!(sub === 'clean' || sub === 'purge' || sub === 'prune' || sub === 'remove' || sub === 'rm')) operation = 'other';
  }
  if (spec.family === 'go' && operationWord?.value === 'mod') operation = operands[0]?.value === 'download' ? 'deps' : 'other';
  if (spec.family === 'yarn' && operationWord?.value === 'global') operation = operands[0]?.value === 'add' ? 'install' : 'other';
  if (spec.family === 'gem' && operationWord?.value === 'update' && operands.length > 0) operation = 'install';
  if (spec.family === 'npm' && operation === 'install' && operands.length === 0) operation = 'deps';
  if (spec.family === 'dnf' && operation === 'upgrade' && operands.length > 0) operation = 'install';
  const flagNames = new Set(flags.flatMap((flag) => (flag.value ? namesOf(flag.value) : [])));
  // A simulation or a download-only run installs nothing.
  if (
    spec.family === 'apt' &&
    ['-s', '--simulate', '--dry-run', '--just-print', '--no-act', '--recon', '-d', '--download-only'].some((f) =>
      flagNames.has(f),
    )
  )
    operation = 'other';
  return {
    command,
    manager: manager === 'pip' ? program.slice(program.lastIndexOf('/') + 1) : manager,
    family: spec.family,
    operation: operation ?? 'other',
    operationWord: operationWord ?? words[0],
    flags,
    operands,
    flagNames,
  };
}

/** Families whose installs put files into the system (as opposed to a language's package directory). */
export const SYSTEM_FAMILIES: ReadonlySet<Family> = new Set(['apt', 'apk', 'dnf', 'zypper']);
