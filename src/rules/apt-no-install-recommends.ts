/** apt-no-install-recommends: `apt-get install` without `--no-install-recommends` pulls in optional packages. */
import type { Instruction } from '../dockerfile/index.js';
import { hasFlag } from '../shell/package-managers/args.js';
import { defineRule } from './define.js';
import { inSource } from './knowledge/scripts.js';
import { type Stage, shipsToFinalImage, stageOf } from './knowledge/stages.js';

const aptTools = new Set(['apt-get', 'apt', 'aptitude']);
/** A download-only run installs nothing (a simulation is not an install in src/shell either). */
const installsNothing = ['-d', '--download-only'];

const recommendsOff = /APT::Install-Recommends\s*(=|\s)\s*"?(0|false|no)"?/i;

export default defineRule({
  id: 'apt-no-install-recommends',
  status: 'stable',
  since: '0.1.0',
  severity: 'info',
  tags: ['size'],
  fix: 'sometimes',
  hadolint: ['DL3015'],
  messages: {
    recommends: '`{{command}}` also installs every recommended package. Add `--no-install-recommends`.',
  },
  docs: {
    description: 'An apt install runs without `--no-install-recommends`.',
    whatItDoes:
      'Reports `apt-get install` and `apt install` without `--no-install-recommends` (or `-o APT::Install-Recommends=false`), unless an earlier RUN of the stage (or of a stage it is built on) configures `APT::Install-Recommends "0"` in `/etc/apt/apt.conf.d`. Stages whose files never reach the final image are not reported.',
    why: 'Recommended packages are optional, yet apt installs them by default: `curl` brings about 10 MB of extras, `python3-pip` a whole compiler toolchain (over 200 MB). Every byte is stored, pushed, pulled and scanned on every deploy.',
    example: 'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
    useInstead: 'RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
    fixSafety:
      'Safe: `--no-install-recommends` is inserted after `install`. When the software needs a package that was only recommended, name that package in the install.',
    references: ['https://github.com/hadolint/hadolint/wiki/DL3015', 'https://wiki.debian.org/ReduceDebian'],
  },
  defaultOptions: {},
  create(ctx) {
    const configuring = new Map<Stage, number>();
    return {
      RUN(instruction) {
        let ships: boolean | undefined;
        for (const { call, in: located } of ctx.runScript(instruction).calls) {
          const subcommand = call.subcommand;
          if (!aptTools.has(call.manager) || call.operation !== 'install' || !subcommand) continue;
          ships ??= shipsToFinalImage(ctx.stages, instruction);
          if (!ships) return;
          if (!/^(re)?install$/.test(subcommand.value ?? '')) continue; // build-dep installs what the source package needs
          if (call.noInstallRecommends || hasFlag(call.flags, ...installsNothing)) continue;
          if (configuredEarlier(instruction)) continue;
          const { start } = inSource(located, call.invokedAs[0]);
          const { end } = inSource(located, subcommand);
          ctx.report({
            range: { start, end },
            messageId: 'recommends',
            data: { command: `${call.manager} ${subcommand.text}` },
            fix: { safety: 'safe', edits: [{ start: end, end, text: ' --no-install-recommends' }] },
          });
        }
      },
    };

    /** An earlier RUN in this stage's FROM chain wrote `APT::Install-Recommends "0"` into apt's configuration. */
    function configuredEarlier(instruction: Instruction): boolean {
      const own = stageOf(ctx.stages, instruction);
      for (let stage = own; stage; stage = stage.parent) {
        const first = firstConfiguring(stage);
        if (first >= 0 && (stage !== own || first < stage.instructions.indexOf(instruction))) return true;
      }
      return false;
    }

    /** The index of a stage's first RUN that turns recommends off, or -1 (each stage read once per lint run). */
    function firstConfiguring(stage: Stage): number {
      let first = configuring.get(stage);
      if (first === undefined) {
        first = stage.instructions.findIndex(
          (earlier) =>
            earlier.name === 'RUN' &&
            recommendsOff.test(
              earlier.heredocs.length === 0
                ? earlier.original
                : earlier.original + earlier.heredocs.map((h) => h.content).join(''),
            ),
        );
        configuring.set(stage, first);
      }
      return first;
    }
  },
});
