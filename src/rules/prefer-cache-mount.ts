/**
 * prefer-cache-mount: a package download that a BuildKit cache mount would keep between builds, so that a rebuild of
 * the RUN fetches only what changed.
 */
import type { Instruction } from '../dockerfile/index.js';
import type { SimpleCommand } from '../shell/commands.js';
import { covers, removedPaths } from '../shell/package-managers/caches.js';
import type { PackageManagerCall } from '../shell/package-managers/index.js';
import { defineRule, type Fix, type TextEdit } from './define.js';
import { removePartEdit } from './knowledge/run-layout.js';
import { cacheMountTargets, inSource, type LocatedScript, type RunScript } from './knowledge/scripts.js';
import type { Stage, Stages } from './knowledge/stages.js';

/** Managers that share one download cache (apt-get and apt; dnf, yum and microdnf). */
const cacheGroup: Record<string, string> = { apt: 'apt-get', aptitude: 'apt-get', yum: 'dnf', microdnf: 'dnf' };
const groupOf = (call: PackageManagerCall) => cacheGroup[call.manager] ?? call.manager;
/** Operations that download packages. */
const downloads = (call: PackageManagerCall) =>
  (call.operation === 'install' || call.operation === 'upgrade') && call.caches.length > 0;

/** Managers whose downloads a plain cache mount on their cache directory keeps (apk needs /etc/apk/cache, etc.). */
const mountable = new Set(['apt-get', 'pip', 'npm', 'yarn', 'pnpm', 'go', 'cargo']);

/**
 * apt, as Docker documents it: both of apt's places under a locked mount (apt takes a lock: two builds must not share
 * one at once), and docker-clean — which deletes each download right after the install — replaced by keep-cache.
 */
const aptMounts = [
  '--mount=type=cache,target=/var/cache/apt,sharing=locked',
  '--mount=type=cache,target=/var/lib/apt,sharing=locked',
];
const aptKeepCache =
  'rm -f /etc/apt/apt.conf.d/docker-clean && echo \'Binary::apt::APT::Keep-Downloaded-Packages "true";\' > /etc/apt/apt.conf.d/keep-cache && ';
/** What the apt fix puts before the script (the same for every RUN), and the places its mounts cover. */
const aptPrefix = `${aptMounts.join(' ')} ${aptKeepCache}`;
const aptTargets = ['/var/cache/apt', '/var/lib/apt'];

/**
 * The unsafe fix: the cache mount(s) inserted before the script, and the cleanups the mount makes pointless removed
 * (top-level parts that only delete files under the mount or run the manager's own clean) where taking them out
 * keeps the rest of the chain as it was. The reason there is none otherwise.
 */
function mountFix(stages: Stages, run: RunScript, call: PackageManagerCall): Fix | string {
  const group = groupOf(call);
  if (!mountable.has(group)) return `no cache-mount fix for \`${call.manager}\`: its cache needs more than a mount`;
  if (run.json || run.heredoc || run.scripts.length !== 1) return 'only a shell-form RUN without heredocs gets a cache mount';
  const user = userOf(stages, run.instruction);
  if (user !== undefined) return `the RUN runs as USER ${user}: a cache mount would need its uid and that user's cache directory`;
  const target = call.caches[0]?.path ?? '';
  if (!target.startsWith('/') || target.includes('$')) return `the cache directory \`${target}\` is not a plain absolute path`;
  const located = run.scripts[0];
  const targets = group === 'apt-get' ? aptTargets : [target];
  const prefix = group === 'apt-get' ? aptPrefix : `--mount=type=cache,target=${target} `;
  const edits: TextEdit[] = [{ start: located.base, end: located.base, text: prefix }];
  for (let index = 1; index < located.script.parts.length; index++) {
    if (!onlyCleans(located, index, group, targets)) continue;
    const removal = removePartEdit(located, index);
    if (removal && !edits.some((e) => e.start < removal.end && removal.start < e.end)) edits.push(removal);
  }
  return { safety: 'unsafe', edits };
}

/** Whether top-level part `index` only cleans what the mounts now hold: `rm` under them, or the manager's clean. */
function onlyCleans(located: LocatedScript, index: number, group: string, targets: string[]): boolean {
  let any = false;
  for (const command of located.script.commands) {
    if (command.part !== index) continue;
    any = true;
    if (!cleansUnder(located, command, group, targets)) return false;
  }
  return any;
}

/** Whether a command only cleans under the mount targets: the manager's clean, or `rm` of paths below a target. */
function cleansUnder(located: LocatedScript, command: SimpleCommand, group: string, targets: string[]): boolean {
  const call = located.calls.find((c) => c.command === command);
  if (call) return groupOf(call) === group && call.operation === 'clean';
  const removed = removedPaths(command);
  return removed.length > 0 && removed.every((path) => targets.some((t) => covers(t, path) && path !== t));
}

/** The USER a RUN runs as when it is not root (followed through the stages it builds on); undefined for root. */
function userOf(stages: Stages, instruction: Instruction): string | undefined {
  let stage: Stage | undefined = stages.owner.get(instruction);
  let end = stage ? stage.instructions.indexOf(instruction) : 0;
  while (stage) {
    let user: string | undefined;
    for (let i = end - 1; i >= 0 && user === undefined; i--) {
      const earlier = stage.instructions[i];
      if (earlier.name === 'USER') user = earlier.args[0]?.value;
    }
    if (user !== undefined) return /^(root|0)(:.*)?$/.test(user) ? undefined : user;
    stage = stage.parent;
    end = stage?.instructions.length ?? 0;
  }
  return undefined;
}

/** Whether a cache of any call of the manager group is under one of the mount targets. */
function underMount(run: RunScript, group: string, mounted: string[]): boolean {
  return run.calls.some(
    ({ call }) => groupOf(call) === group && call.caches.some((cache) => mounted.some((target) => covers(target, cache.path))),
  );
}

export default defineRule({
  id: 'prefer-cache-mount',
  status: 'stable',
  since: '0.1.0',
  severity: 'info',
  tags: ['cache'],
  fix: 'sometimes',
  fixesUnsafe: true,
  messages: {
    mount:
      '`{{command}}` downloads every package again whenever this RUN rebuilds. A cache mount keeps the downloads between builds: `RUN --mount=type=cache,target={{target}} …`.',
  },
  docs: {
    description: 'A package-manager install would rebuild faster with a BuildKit cache mount.',
    whatItDoes:
      "Reports, once per RUN and manager, a command that downloads packages (apt, apk, dnf/yum, zypper, pip, uv, npm, yarn, pnpm, gem, bundler, composer, go, cargo, conda) in a RUN without a `--mount=type=cache` (or `tmpfs`) on that manager's download directory. An index refresh alone (`apt-get update`) is not reported.",
    why: 'When the RUN misses the cache (its package list changed, or any step above it changed), every package is downloaded again: hundreds of MB and minutes per rebuild for a typical `npm ci` or `pip install -r`. A cache mount keeps the downloads between builds outside the image, so a rebuild fetches only what changed, and no cache byte lands in the layer.',
    example: 'RUN pip install -r requirements.txt',
    useInstead: 'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt',
    fixSafety:
      "Unsafe: applied only with `--fix-unsafe` or `fix-unsafe: [prefer-cache-mount]` in `.layerwise.yaml`, since the manager's files then live in the builder's cache between builds instead of the layer. The fix puts `--mount=type=cache,target=<the manager's cache directory>` before the script (apt-get/apt, pip, npm, yarn, pnpm, go, cargo). For apt it follows Docker's documented setup: `/var/cache/apt` and `/var/lib/apt`, each with `sharing=locked`, and `/etc/apt/apt.conf.d/docker-clean` replaced by a `keep-cache` setting so the downloads stay. A cleanup the mount makes pointless (`rm -rf /var/lib/apt/lists/*`, `apt-get clean`, `npm cache clean --force` — a top-level part that only cleans under the mount) is removed where the `&&`/`;` chain stays as it was, else kept. No fix for a heredoc or exec-form RUN, a RUN under a non-root USER (the mount would need its uid and cache directory), a cache directory that is not a plain absolute path, or a manager whose cache needs more than a mount (apk, dnf, …).",
    references: [
      'https://docs.docker.com/build/cache/optimize/#use-cache-mounts',
      'https://github.com/hadolint/hadolint/issues/1139',
    ],
  },
  defaultOptions: {},
  create(ctx) {
    return {
      RUN(instruction) {
        const run = ctx.runScript(instruction);
        let mounted: string[] | undefined;
        let seen: Set<string> | undefined;
        for (const { call, in: located } of run.calls) {
          if (!downloads(call)) continue;
          const group = groupOf(call);
          seen ??= new Set();
          if (seen.has(group)) continue;
          seen.add(group);
          // Any cache of the manager under a mount (apt's lists or its archives) shows the RUN already uses one.
          mounted ??= cacheMountTargets(run);
          if (mounted.length > 0 && underMount(run, group, mounted)) continue;
          const { start } = inSource(located, call.invokedAs[0]);
          const { end } = inSource(located, call.subcommand ?? call.invokedAs.at(-1)!);
          const fix = mountFix(ctx.stages, run, call);
          ctx.report({
            range: { start, end },
            messageId: 'mount',
            data: { command: ctx.source.slice(start, end), target: call.caches[0].path },
            ...(typeof fix === 'string' ? { unfixable: fix } : { fix }),
          });
        }
      },
    };
  },
});
