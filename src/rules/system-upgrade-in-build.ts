/**
 * system-upgrade-in-build: a RUN upgrades every package of the base image (`apt-get upgrade`, `apk upgrade`,
 * `dnf upgrade`, `zypper dup`…), copying each upgraded package into a new layer while the old files stay below.
 */
import type { PackageManagerCall } from '../shell/package-managers/index.js';
import { defineRule } from './define.js';

/** The distribution managers: language managers upgrade what the Dockerfile installed, not the base image. */
const systemFamilies = new Set(['debian', 'alpine', 'rhel', 'suse']);

export default defineRule({
  id: 'system-upgrade-in-build',
  status: 'stable',
  since: '0.2.0',
  severity: 'info',
  tags: ['size', 'cache'],
  fix: 'never',
  hadolint: ['DL3005', 'DL3035'],
  messages: {
    upgrade:
      '`{{command}}` rewrites every outdated package of the base image into this layer, and stays CACHED while new fixes ship. Pull a newer base image instead (`docker build --pull`, or bump its tag or digest).',
  },
  docs: {
    description: 'A RUN upgrades all packages of the base image.',
    whatItDoes:
      'Reports a whole-system upgrade by a distribution package manager: `apt-get`/`apt`/`aptitude` `upgrade`, `dist-upgrade`, `full-upgrade`; `apk upgrade`; `dnf`/`yum`/`microdnf` `upgrade`, `update`, `distro-sync`; `zypper update`, `dist-upgrade`, `patch`. An upgrade that names its packages (`dnf upgrade -y openssl`) is not reported.',
    why: "A layer cannot change the layers below it: every upgraded package is written again in full in the new layer while the old copy stays in the base image's layers, so the image carries both (tens to hundreds of MB after a few months of updates). The step is also CACHED like any other: the upgrade happens once and then never again until something above it changes, so the security fixes it was meant to bring stop arriving. A newer base image (`docker build --pull`, a tag or digest that a bot bumps) brings the same fixes without the duplicate.",
    example: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*',
    useInstead:
      'FROM debian:bookworm-20250520-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
    fixSafety: 'No fix: dropping the upgrade changes which package versions the image has.',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3005',
      'https://github.com/hadolint/hadolint/wiki/DL3035',
      'https://docs.docker.com/build/building/best-practices/#rebuild-your-images-often',
    ],
  },
  defaultOptions: {},
  create(ctx) {
    return {
      RUN(instruction) {
        for (const { call, in: run } of ctx.runScript(instruction).calls) {
          if (call.operation !== 'upgrade' || !systemFamilies.has(call.family) || !call.subcommand) continue;
          if (namesPackages(call)) continue;
          const first = call.invokedAs[0];
          ctx.report({
            range: { start: run.base + first.start, end: run.base + call.subcommand.end },
            messageId: 'upgrade',
            data: { command: `${call.manager} ${call.subcommand.text}` },
          });
        }
      },
    };
  },
});

/** Words after the subcommand that are neither flags nor flag values: the packages an upgrade is limited to. */
function namesPackages(call: PackageManagerCall): boolean {
  const subcommandEnd = call.subcommand?.end ?? 0;
  const values = new Set(call.flags.flatMap((flag) => (flag.valueWord ? [flag.valueWord.start] : [])));
  return call.command.argv.some((word) => word.start >= subcommandEnd && !word.text.startsWith('-') && !values.has(word.start));
}
