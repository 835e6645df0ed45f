/**
 * apt-update-alone: a RUN refreshes a package index (`apt-get update`, `apk update`, `dnf makecache`, `zypper refresh`)
 * without installing anything with it. The refresh is cached on its own and goes stale. The fix moves the refresh into
 * the next RUN of the stage, which installs with the same manager.
 */
import type { Instruction } from '../dockerfile/ast.js';
import type { SimpleCommand } from '../shell/commands.js';
import type { PackageManagerCall } from '../shell/package-managers/index.js';
import { type Analysis, defineRule, type Fix } from './define.js';
import { deleteInstructionEdit, flagSpans, joinText, joinTouching, runStyle } from './knowledge/run-layout.js';
import type { RunScript } from './knowledge/scripts.js';

const shells = /^(sh|bash|ash|dash|zsh)$/;

/** A command that runs a script we cannot see into (`./install.sh`, `bash setup.sh`, `curl … | sh`), which may install. */
function runsOpaqueScript(command: SimpleCommand): boolean {
  const name = command.name ?? '';
  if (/\.sh$/.test(name) || name.startsWith('./')) return true;
  return shells.test(name.slice(name.lastIndexOf('/') + 1));
}

/** Instructions that may stand between the refresh and the install: they change nothing a RUN runs with. */
const inert = new Set(['LABEL', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'STOPSIGNAL', 'MAINTAINER', 'ONBUILD']);

/** Uses the index: anything but refreshing, cleaning or removing. */
const usesIndex = (call: PackageManagerCall) => !['update', 'clean', 'remove'].includes(call.operation);

/** The fix moving the RUN's refresh in front of the next install of the same manager, or why there is none. */
function mergeFix(
  { ast, stages, runScript }: Analysis,
  instruction: Instruction,
  run: RunScript,
  update: PackageManagerCall,
): Fix | string {
  const located = run.scripts[0];
  if (run.json || run.heredoc || !located || run.scripts.length !== 1) return 'only a plain shell-form RUN can be merged';
  const script = located.script;
  const onlyRefreshes =
    script.commands.length === run.calls.length &&
    run.calls.every(({ call }) => call.family === update.family && call.operation === 'update') &&
    script.parts.every((part, i) => i === script.parts.length - 1 || part.operator?.token === '&&') &&
    script.parts.every((part) => part.node.type === 'simple');
  if (!onlyRefreshes) return 'the RUN does more than refresh the index: move the refresh by hand';
  const stage = stages.owner.get(instruction);
  if (!stage) return 'the RUN is outside any stage';
  const later = stage.instructions.slice(stage.instructions.indexOf(instruction) + 1);
  const target = later.find((next) => !inert.has(next.name));
  if (target?.name !== 'RUN') {
    return target
      ? `the next instruction (${target.name}, line ${target.range.start.line}) runs before any install: merging would move the refresh past it`
      : 'no later RUN of the stage installs with it';
  }
  const next = runScript(target);
  const installs = next.calls.some(({ call }) => call.family === update.family && usesIndex(call));
  if (!installs) return `the next RUN (line ${target.range.start.line}) does not install with \`${update.manager}\``;
  if (next.calls.some(({ call }) => call.family === update.family && call.operation === 'update')) {
    return `the next RUN (line ${target.range.start.line}) refreshes the index itself: this RUN can simply go`;
  }
  const into = next.scripts[0];
  if (next.json || next.heredoc || !into || next.scripts.length !== 1 || into.script.hasErrors || !into.script.supported) {
    return `the next RUN (line ${target.range.start.line}) is not a plain shell script`;
  }
  if (!into.script.parts.every((part, i) => i === into.script.parts.length - 1 || part.operator?.token === '&&')) {
    return `the next RUN (line ${target.range.start.line}) is not one \`&&\` chain: a failed refresh would not stop it`;
  }
  const targetFlags = new Set(flagSpans(ast, target).map((f) => f.text));
  const extra = flagSpans(ast, instruction).find((f) => !targetFlags.has(f.text));
  if (extra) return `the next RUN does not have this RUN's \`${extra.text}\``;
  const refresh = ast.source.slice(located.base + script.parts[0].start, located.base + script.parts.at(-1)!.end);
  const at = into.base + into.script.parts[0].start;
  const joined = joinText(runStyle(ast, target), refresh, '');
  return {
    safety: 'safe',
    structure: 'merge',
    edits: joinTouching(ast.source, [deleteInstructionEdit(ast, instruction), { start: at, end: at, text: joined }]),
  };
}

export default defineRule({
  id: 'apt-update-alone',
  status: 'stable',
  since: '0.1.0',
  severity: 'warning',
  tags: ['cache', 'correctness'],
  fix: 'sometimes',
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
    fixSafety:
      "Safe: the refresh moves, word for word, to the front of the next RUN of the stage (`apt-get update && …`, continued in that RUN's own style) and its own RUN goes. Offered only when that RUN is the next instruction that runs anything (LABEL, EXPOSE, CMD and the like may stand between), installs with the same manager, does not refresh by itself, is one `&&` chain (so a failed refresh still stops the build), and has every flag of the refresh's RUN; and when the refresh's RUN does nothing else.",
    references: [
      'https://docs.docker.com/build/building/best-practices/#apt-get',
      'https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0007',
    ],
  },
  defaultOptions: {},
  create(ctx) {
    return {
      RUN(instruction) {
        const run = ctx.runScript(instruction);
        // Most RUNs refresh no index: the rest of the check is for those that do.
        if (!run.calls.some(({ call }) => call.operation === 'update')) return;
        if (run.scripts.some((s) => s.script.commands.some(runsOpaqueScript))) return;
        const calls = run.calls.map((c) => c.call);
        for (const update of calls.filter((c) => c.operation === 'update')) {
          if (calls.some((c) => c.family === update.family && usesIndex(c))) continue;
          const located = run.calls.find((c) => c.call === update)!.in;
          const first = update.invokedAs[0] ?? update.command.argv[0];
          const fix = mergeFix(ctx, instruction, run, update);
          ctx.report({
            range: { start: located.base + first.start, end: located.base + (update.subcommand ?? first).end },
            messageId: 'alone',
            data: { command: `${update.manager} ${update.subcommand?.text ?? ''}`.trim() },
            ...(typeof fix === 'string' ? { unfixable: fix } : { fix }),
          });
        }
      },
    };
  },
});
