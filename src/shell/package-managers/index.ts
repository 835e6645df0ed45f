/**
 * Every package manager module, and the two entry points: `recognise(command)` for one simple command and
 * `packageManagerCalls(script)` for a whole RUN. Adding a manager is one module plus one line here.
 */
import type { Script, SimpleCommand } from '../commands.js';
import { apkManager } from './apk.js';
import { aptManager } from './apt.js';
import { aptGetManager } from './apt-get.js';
import { aptitudeManager } from './aptitude.js';
import { commandEnv, unwrap } from './args.js';
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

/** The package-manager call `command` makes, if any (wrappers such as `sudo` and `env A=1` are looked through). */
export function recognise(command: SimpleCommand): PackageManagerCall | undefined {
  if (command.argv.length === 0) return undefined;
  const wrapperEnv = unwrap(command).env;
  const env = hasKeys(wrapperEnv) ? { ...commandEnv(command), ...wrapperEnv } : commandEnv(command);
  for (const manager of packageManagers) {
    const found = manager.recognise(command, env);
    if (found) return found;
  }
  return undefined;
}

function hasKeys(object: object): boolean {
  for (const _ in object) return true;
  return false;
}

/** Every package-manager call of a script, in execution order. */
export function packageManagerCalls(script: Script): PackageManagerCall[] {
  return script.commands.flatMap((command) => recognise(command) ?? []);
}
