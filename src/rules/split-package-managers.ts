/**
 * split-package-managers: one RUN installs with two or more package managers (the article's "mono-layer"). A change to
 * any one package list re-runs every manager of the RUN. Build dependencies removed again in the same RUN do not count.
 */
import { defineRule } from './define.js';
import { type Family, type ManagerCommand, managerCommand } from './knowledge/managers.js';
import { runInfo } from './knowledge/run.js';

/**
 * The families whose installs stay in the layer. An install is temporary when a later command of the same RUN takes
 * it out again: `apk del` of its `--virtual` name or of all its packages, `apt-get purge/remove/autoremove` of all its
 * packages, or an `apt-mark auto` followed by an auto-removing purge (the docker-library build-deps pattern).
 */
/**
 * Managers of one language ecosystem count as one: `npm install -g yarn && yarn install` or `gem install bundler &&
 * bundle install` bootstrap the project's own tool, and its package list is one list.
 */
const ecosystem: Partial<Record<Family, Family>> = { yarn: 'npm', pnpm: 'npm', bundler: 'gem' };

export function persistentInstallFamilies(commands: readonly ManagerCommand[]): Map<Family, ManagerCommand[]> {
  const persistent = new Map<Family, ManagerCommand[]>();
  commands.forEach((install, index) => {
    if (install.operation !== 'install' && install.operation !== 'deps') return;
    // `… | xargs apk add`: a package list computed during the build (runtime deps of what it compiled), not one a user edits.
    if (install.command.wrappers.some((w) => w.value === 'xargs')) return;
    const later = commands.slice(index + 1);
    if (isUndone(install, later)) return;
    const family = ecosystem[install.family] ?? install.family;
    const list = persistent.get(family) ?? [];
    list.push(install);
    persistent.set(family, list);
  });
  return persistent;
}

function isUndone(install: ManagerCommand, later: readonly ManagerCommand[]): boolean {
  const removals = later.filter((c) => c.family === install.family && c.operation === 'remove');
  if (removals.length === 0) return false;
  const removed = new Set(removals.flatMap((c) => c.operands.map((w) => w.text)));
  const virtual = virtualName(install);
  if (virtual !== undefined && removed.has(virtual)) return true;
  const names = install.operands.map((w) => w.text);
  if (names.length > 0 && names.every((name) => removed.has(name))) return true;
  // docker-library: savedAptMark=…; apt-get install …; apt-mark auto '.*'; …; apt-get purge -y --auto-remove
  return install.family === 'apt' && autoMarkedThenPurged(install, later);
}

function virtualName(install: ManagerCommand): string | undefined {
  const at = install.flags.findIndex((flag) => flag.value === '--virtual' || flag.value === '-t');
  if (at >= 0) return install.flags[at + 1]?.text;
  return install.flags.find((flag) => flag.value?.startsWith('--virtual='))?.value?.slice('--virtual='.length);
}

function autoMarkedThenPurged(install: ManagerCommand, later: readonly ManagerCommand[]): boolean {
  return later.some(
    (c) =>
      c.family === 'apt' &&
      c.operation === 'remove' &&
      (c.operationWord.value === 'autoremove' || c.flagNames.has('--auto-remove') || c.flagNames.has('--autoremove')) &&
      c.command.start > install.command.start,
  );
}

export default defineRule({
  id: 'split-package-managers',
  status: 'stable',
  since: '0.1.0',
  severity: 'warning',
  tags: ['cache'],
  fix: 'never',
  messages: {
    managers:
      'This RUN installs with {{managers}}: a change to any one package list re-runs all of them. Give each package manager its own RUN.',
  },
  docs: {
    description: 'One RUN installs packages with two or more package managers.',
    whatItDoes:
      'Reports a RUN in which two or more package managers (for example `apt-get` and `pip`) install packages that stay in the image. Managers of one family count once (`apt-get`, `apt` and `dpkg`; `pip`, `pip3` and `python -m pip`), and so do the managers of one language (`npm`, `yarn` and `pnpm`; `gem` and `bundle`). Packages installed only for the build and removed again in the same RUN (`apk add --virtual .build-deps … apk del .build-deps`, `apt-mark auto … apt-get purge --auto-remove`) do not count, nor do package lists computed during the build (`… | xargs apk add`), nor an index refresh (`apt-get update`).',
    why: "BuildKit caches a RUN as one unit. When one manager's package list changes, every manager in that RUN runs again: adding one pip package re-downloads the apt index (about 20 MB) and every apt package, and the whole layer (often hundreds of MB) is rebuilt, pushed and pulled again. One RUN per manager keeps the others CACHED; the extra layer costs a few kilobytes. The reverse advice, merging RUNs to save layers, trades cache hits for nothing (hadolint #715).",
    example: `FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip \\
 && rm -rf /var/lib/apt/lists/* \\
 && pip3 install requests`,
    useInstead: `FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip \\
 && rm -rf /var/lib/apt/lists/*
RUN pip3 install requests`,
    fixSafety:
      'No automatic fix yet. Splitting is safe only when the shell state later commands rely on (`cd`, `export`, variables, `set -e`) is carried into each new RUN; `lint --fix` will do this in a later release and refuse when it cannot.',
    references: ['https://github.com/hadolint/hadolint/issues/715', 'https://docs.docker.com/build/cache/optimize/'],
  },
  defaultOptions: {},
  create(ctx) {
    return {
      RUN(instruction) {
        const commands = runInfo(instruction).commands.flatMap((c) => managerCommand(c) ?? []);
        const families = persistentInstallFamilies(commands);
        if (families.size < 2) return;
        const managers = [...families.values()].map((list) => `\`${list[0].manager}\``);
        const text = `${managers.slice(0, -1).join(', ')} and ${managers.at(-1)}`;
        ctx.report({ node: instruction, messageId: 'managers', data: { managers: text } });
      },
    };
  },
});
