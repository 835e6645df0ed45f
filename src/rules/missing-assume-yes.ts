/**
 * missing-assume-yes: an install, upgrade or removal that would stop at a confirmation prompt. A build has no
 * terminal: the manager reads end of input, answers no, and the build fails.
 */
import type { Dockerfile, Instruction } from '../dockerfile/index.js';
import type { PackageManagerCall } from '../shell/package-managers/index.js';
import { defineRule } from './define.js';

/** The managers that prompt (hadolint DL3014 apt-get, DL3030 yum, DL3034 zypper, DL3038 dnf); microdnf never asks. */
const prompting = new Set(['apt-get', 'apt', 'aptitude', 'yum', 'dnf', 'zypper']);

/** Configuration written by an earlier RUN that answers yes for every later call. */
const configuredYes = [/APT::Get::Assume-Yes\s*=?\s*"?(true|yes|1)"?/i, /\bassumeyes\s*=\s*(1|true|yes|on)\b/i];

export default defineRule({
  id: 'missing-assume-yes',
  status: 'stable',
  since: '0.2.0',
  severity: 'warning',
  tags: ['correctness'],
  fix: 'sometimes',
  hadolint: ['DL3014', 'DL3030', 'DL3034', 'DL3038'],
  messages: {
    prompt: '`{{command}}` asks for confirmation, and a build cannot answer: it aborts the build. Add `{{flag}}`.',
  },
  docs: {
    description: 'A package-manager command would wait for a confirmation that never comes.',
    whatItDoes:
      'Reports `apt-get`/`apt`/`aptitude`, `yum`/`dnf` install, upgrade and remove without `-y`/`--yes`/`--assume-yes` (for apt also `-qq`, which implies it, or `-o APT::Get::Assume-Yes=true`; for yum/dnf also `--setopt=assumeyes=1`), and `zypper` install, update and remove without `-n`/`--non-interactive` or `-y`/`--no-confirm`. Not reported when an earlier RUN configured the answer (`APT::Get::Assume-Yes "true"` in apt.conf.d, `assumeyes=1` in yum.conf/dnf.conf). microdnf and apk never ask.',
    why: 'A RUN has no terminal. apt-get asks "Do you want to continue? [Y/n]" whenever an install pulls in a package that was not named, reads end of input, prints `Abort.` and exits 1; yum and dnf answer their `[y/N]` with no. The build fails after paying for every step above it, and it may only start failing when a new package version gains a dependency.',
    example:
      'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
    useInstead:
      'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
    fixSafety:
      'Safe: ` -y` is inserted after the subcommand (for zypper, ` -n` after `zypper`): it answers the one question the build cannot answer, and changes nothing else.',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3014',
      'https://github.com/hadolint/hadolint/wiki/DL3038',
      'https://manpages.debian.org/bookworm/apt/apt-get.8.en.html',
    ],
  },
  defaultOptions: {},
  create(ctx) {
    return {
      RUN(instruction) {
        for (const { call, in: run } of ctx.runScript(instruction).calls) {
          if (call.assumeYes || !prompting.has(call.manager) || !call.subcommand) continue;
          if (setoptYes(call) || configuredEarlier(ctx.ast, instruction)) continue;
          const zypper = call.manager === 'zypper';
          const at = run.base + (zypper ? call.invokedAs[call.invokedAs.length - 1].end : call.subcommand.end);
          const flag = zypper ? '-n' : '-y';
          ctx.report({
            range: { start: run.base + call.invokedAs[0].start, end: run.base + call.subcommand.end },
            messageId: 'prompt',
            data: { command: `${call.manager} ${call.subcommand.text}`, flag },
            fix: { safety: 'safe', edits: [{ start: at, end: at, text: ` ${flag}` }] },
          });
        }
      },
    };
  },
});

/** yum/dnf `--setopt=assumeyes=1`. */
function setoptYes(call: PackageManagerCall): boolean {
  return call.flags.some((flag) => flag.name === '--setopt' && configuredYes[1].test(flag.value ?? ''));
}

/** An earlier RUN of the file wrote a configuration that answers yes (any stage: a cheap over-approximation). */
function configuredEarlier(ast: Dockerfile, instruction: Instruction): boolean {
  for (const earlier of ast.instructions) {
    if (earlier === instruction) return false;
    if (earlier.name !== 'RUN') continue;
    const text = earlier.original + earlier.heredocs.map((heredoc) => heredoc.content).join('');
    if (configuredYes.some((pattern) => pattern.test(text))) return true;
  }
  return false;
}
