/**
 * apt-update-alone: a RUN refreshes a package index (`apt-get update`, `apk update`, `dnf makecache`, `zypper refresh`)
 * without installing anything with it. The refresh is cached on its own and goes stale.
 */
import { defineRule } from './define.js';
import { managerCommand } from './knowledge/managers.js';
import { type Command, runInfo } from './knowledge/run.js';

const shells = /^(sh|bash|ash|dash|zsh)$/;

/** A command that runs a script we cannot see into (`./install.sh`, `bash setup.sh`, `curl … | sh`), which may install. */
function runsOpaqueScript(command: Command): boolean {
  const name = command.words[0]?.value ?? '';
  if (/\.sh$/.test(name) || name.startsWith('./')) return true;
  return command.name !== undefined && shells.test(command.name);
}

export default defineRule({
  id: 'apt-update-alone',
  status: 'stable',
  since: '0.1.0',
  severity: 'warning',
  tags: ['cache', 'correctness'],
  fix: 'never',
  messages: {
    alone:
      '`{{command}}` refreshes the package index in a RUN that installs nothing with it: BuildKit caches this RUN on its own, so later installs use an index that gets older with every build. Refresh and install in the same RUN.',
  },
  docs: {
    description: 'A RUN refreshes the package index without installing anything.',
    whatItDoes:
      'Reports `apt-get update` / `apt update`, `apk update`, `dnf`/`yum makecache` and `zypper refresh` in a RUN in which the same manager installs or upgrades nothing. A RUN that also runs a script the linter cannot see into (`./install.sh`, `bash setup.sh`) is not reported.',
    why: "BuildKit caches the refresh as its own step. When a later RUN's package list changes, that RUN runs again but the refresh stays CACHED: the install uses an index that can be months old and fails with 404s once the mirror drops old versions, or installs outdated packages. When the lists are removed in between, the install finds no index at all. The index also costs about 20 MB in its layer.",
    example: `RUN apt-get update
RUN apt-get install -y --no-install-recommends curl`,
    useInstead: `RUN apt-get update \\
 && apt-get install -y --no-install-recommends curl \\
 && rm -rf /var/lib/apt/lists/*`,
    fixSafety: 'No automatic fix yet: merging the refresh into the next install is planned for `lint --fix`.',
    references: [
      'https://docs.docker.com/build/building/best-practices/#apt-get',
      'https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0007',
    ],
  },
  defaultOptions: {},
  create(ctx) {
    return {
      RUN(instruction) {
        const commands = runInfo(instruction).commands;
        if (commands.some(runsOpaqueScript)) return;
        const managed = commands.flatMap((c) => managerCommand(c) ?? []);
        for (const update of managed.filter((c) => c.operation === 'update')) {
          const usesIndex = managed.some(
            (c) => c.family === update.family && !['update', 'clean', 'remove'].includes(c.operation),
          );
          if (usesIndex) continue;
          ctx.report({
            range: { start: update.command.words[0].start, end: update.operationWord.end },
            messageId: 'alone',
            data: { command: `${update.manager} ${update.operationWord.text}` },
          });
        }
      },
    };
  },
});
