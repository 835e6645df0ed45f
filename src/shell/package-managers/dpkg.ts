/** `dpkg` (Debian, Ubuntu): installs local .deb files; it downloads nothing, so it leaves no cache. */
import type { SimpleCommand } from '../commands.js';
import { call, invokedAs, packageSpec, parseArgs } from './args.js';
import { parseDebianPackage } from './debian.js';
import type { CommandNames, Operation, PackageManager } from './types.js';

const actions: Record<string, Operation> = {
  '-i': 'install',
  '--install': 'install',
  '--unpack': 'install',
  '-r': 'remove',
  '--remove': 'remove',
  '-P': 'remove',
  '--purge': 'remove',
  '--configure': 'other',
};

const commands: CommandNames = { exact: ['dpkg'] };

export const dpkgManager: PackageManager = {
  id: 'dpkg',
  commands,
  family: 'debian',
  ignoresEnv: true,
  recognise(command: SimpleCommand) {
    const found = invokedAs(command, commands);
    if (!found) return undefined;
    const parsed = parseArgs(found.rest, new Set(['--root', '--admindir', '--instdir', '-D', '--debug']));
    const action = parsed.flags.find((f) => f.name in actions);
    const operation = action ? actions[action.name] : 'other';
    return call('dpkg', 'debian', command, {
      invokedAs: found.invoked,
      operation,
      subcommand: action?.word,
      packages: operation === 'other' ? [] : parsed.operands.map((w) => packageSpec(w, parseDebianPackage)),
      flags: parsed.flags,
    });
  },
};
