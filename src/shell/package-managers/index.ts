/**
 * Every package manager module, and the two entry points: `recognise(command)` for one simple command and
 * `packageManagerCalls(script)` for a whole RUN. Adding a manager is one module plus one line here.
 */
import { basename, type Script, type SimpleCommand } from '../commands.js';
import type { ShellState } from '../state.js';
import { apkManager } from './apk.js';
import { aptManager } from './apt.js';
import { aptGetManager } from './apt-get.js';
import { aptitudeManager } from './aptitude.js';
import { commandEnv, exportedVariables, isWrapper, type Unwrapped, unwrap, withWrapperEnv } from './args.js';
import { bundleManager } from './bundle.js';
import { cargoManager } from './cargo.js';
import { composerManager } from './composer.js';
import { condaManager } from './conda.js';
import { dnfManager } from './dnf.js';
import { dpkgManager } from './dpkg.js';
import { gemManager } from './gem.js';
import { goManager } from './go.js';
import { microdnfManager } from './microdnf.js';
import { npmManager } from './npm.js';
import { pipManager } from './pip.js';
import { pnpmManager } from './pnpm.js';
import { tdnfManager } from './tdnf.js';
import type { PackageManager, PackageManagerCall } from './types.js';
import { yarnManager } from './yarn.js';
import { yumManager } from './yum.js';
import { zypperManager } from './zypper.js';

export type * from './types.js';

export const packageManagers: readonly PackageManager[] = [
  aptGetManager,
  aptManager,
  aptitudeManager,
  dpkgManager,
  apkManager,
  dnfManager,
  yumManager,
  microdnfManager,
  tdnfManager,
  zypperManager,
  pipManager,
  condaManager,
  npmManager,
  yarnManager,
  pnpmManager,
  gemManager,
  bundleManager,
  goManager,
  cargoManager,
  composerManager,
];

/** Each manager by the names it answers to: a command asks one manager, not twenty. */
const byExactName = new Map<string, PackageManager>();
const byVersionedName = new Map<string, PackageManager>();
for (const manager of packageManagers) {
  for (const name of manager.commands.exact) byExactName.set(name, manager);
  for (const name of manager.commands.versioned ?? []) byVersionedName.set(name, manager);
}

/** The manager a command named `base` may be a call of: its exact name, or a versioned one (`pip3.12` → pip). */
function managerNamed(base: string): PackageManager | undefined {
  const exact = byExactName.get(base);
  if (exact !== undefined || byVersionedName.size === 0) return exact;
  for (let i = 1; i < base.length; i++) {
    const code = base.charCodeAt(i);
    if (code >= 48 && code <= 57) return byVersionedName.get(base.slice(0, i));
  }
  return undefined;
}

/** The package-manager call `command` makes, if any (wrappers such as `sudo` and `env A=1` are looked through). */
export function recognise(command: SimpleCommand): PackageManagerCall | undefined {
  return recogniseIn(command, exportedVariables);
}

type Exported = (state: ShellState) => Readonly<Record<string, string | undefined>>;

/** `recognise`, with the exported variables of a state from `exportedOf` (a memo of the caller's). */
function recogniseIn(command: SimpleCommand, exportedOf: Exported): PackageManagerCall | undefined {
  const first = command.argv[0]?.value;
  if (first === undefined) return undefined;
  let base = basename(first);
  // Most commands are neither a wrapper nor a manager: one basename and one or two lookups decide.
  let wrapperEnv: Unwrapped['env'] | undefined;
  if (isWrapper(base)) {
    const unwrapped = unwrap(command);
    const name = unwrapped.words[0]?.value;
    if (name === undefined) return undefined;
    base = basename(name);
    wrapperEnv = unwrapped.env;
  }
  const manager = managerNamed(base);
  if (manager === undefined) return undefined;
  if (manager.ignoresEnv) return manager.recognise(command, noVariables);
  const env = commandEnv(command, exportedOf(command.state));
  return manager.recognise(command, wrapperEnv ? withWrapperEnv(env, wrapperEnv) : env);
}

const noVariables: Readonly<Record<string, string>> = Object.freeze(Object.create(null));

/** Every package-manager call of a script, in execution order. */
export function packageManagerCalls(script: Script): PackageManagerCall[] {
  const calls: PackageManagerCall[] = [];
  // Consecutive commands mostly share one state: its exported variables are worked out once (the last state's kept).
  let lastState: ShellState | undefined;
  let lastExported: Readonly<Record<string, string | undefined>> = noVariables;
  const exportedOf: Exported = (state) => {
    if (state !== lastState) {
      lastState = state;
      lastExported = exportedVariables(state);
    }
    return lastExported;
  };
  const commands = script.commands;
  for (let i = 0; i < commands.length; i++) {
    const call = recogniseIn(commands[i], exportedOf);
    if (call !== undefined) calls.push(call);
  }
  return calls;
}
