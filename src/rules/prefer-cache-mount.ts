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

/** The mount targets that hold a cache of a call of the manager group (apt's lists or its archives, …). */
function mountsOf(run: RunScript, group: string, mounted: string[]): string[] {
  return mounted.filter((target) =>
    run.calls.some(({ call }) => groupOf(call) === group && call.caches.some((cache) => covers(target, cache.path))),
  );
}

/** pip's flags that keep it from reading or writing its cache (pip takes any unambiguous prefix of `--no-cache-dir`). */
const noCacheFlag = /^--no-cache(-d(i(r)?)?)?$/;

/**
 * What in a RUN whose manager cache is mounted throws the mount's use away: a top-level part that only cleans under
 * the mounts (`npm cache clean --force`, `rm -rf /var/lib/apt/lists/*` — often appended by package-cache-cleanup in
 * the very pass that added the mount), or a flag telling the call not to use its cache. Each is reported with the
 * edit that takes it out; the layer stays as it was, since what it removed or avoided now lives in the mount.
 */
function defeats(located: LocatedScript, group: string, targets: string[]): Defeat[] {
  const found: Defeat[] = [];
  for (const call of located.calls) {
    if (!call.noCache || groupOf(call) !== group) continue;
    const flags = call.flags.filter((flag) => noCacheFlag.test(flag.name));
    const text = located.script.source;
    const edits = flags.map((flag): TextEdit => {
      // The flag with the blanks before it: the words around it stay as they were.
      let start = flag.word.start;
      while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
      return { start: located.base + start, end: located.base + flag.word.end, text: '' };
    });
    // Set by the environment (PIP_NO_CACHE_DIR): the command is reported, nothing on it to take out.
    const range = flags[0] ? inSource(located, flags[0].word) : commandRange(located, call);
    found.push({ range, messageId: 'disabled', edits });
  }
  const parts = located.script.parts;
  for (let index = 0; index < parts.length; index++) {
    if (!onlyCleans(located, index, group, targets)) continue;
    const removal = removePartEdit(located, index);
    const range = { start: located.base + parts[index].start, end: located.base + parts[index].end };
    found.push({ range, messageId: 'emptied', edits: removal ? [removal] : [] });
  }
  return found;
}

interface Defeat {
  range: { start: number; end: number };
  messageId: 'emptied' | 'disabled';
  /** Empty when it cannot be taken out (a cleanup joined by `||`, a variable set by ENV). */
  edits: TextEdit[];
}

/** The manager's words and its subcommand (`pip install`, `apt-get install`), as offsets into the Dockerfile. */
function commandRange(located: LocatedScript, call: PackageManagerCall): { start: number; end: number } {
  return {
    start: inSource(located, call.invokedAs[0]).start,
    end: inSource(located, call.subcommand ?? call.invokedAs.at(-1)!).end,
  };
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
    emptied:
      '`{{what}}` empties the cache mount on `{{target}}` at every build, so the next build downloads everything again. The mount already keeps the cache out of the layer: leave the cleanup out.',
    disabled:
      '`{{what}}` keeps the manager off its cache, so the cache mount on `{{target}}` stays empty and every build downloads everything again.',
    mount:
      '`{{command}}` downloads every package again whenever this RUN rebuilds. A cache mount keeps the downloads between builds: `RUN --mount=type=cache,target={{target}} …`.',
  },
  docs: {
    description: 'A package-manager install would rebuild faster with a BuildKit cache mount.',
    whatItDoes:
      "Reports, once per RUN and manager, a command that downloads packages (apt, apk, dnf/yum, zypper, pip, uv, npm, yarn, pnpm, gem, bundler, composer, go, cargo, conda) in a RUN without a `--mount=type=cache` (or `tmpfs`) on that manager's download directory. An index refresh alone (`apt-get update`) is not reported. In a RUN that has the mount, reports what throws it away: a `&&`/`;`-joined part that only cleans under the mount (`npm cache clean --force`, `yarn cache clean`, `apt-get clean`, `rm -rf /var/lib/apt/lists/*`), which empties it at every build, and pip's `--no-cache-dir` (or `PIP_NO_CACHE_DIR`), which keeps pip off it.",
    why: 'When the RUN misses the cache (its package list changed, or any step above it changed), every package is downloaded again: hundreds of MB and minutes per rebuild for a typical `npm ci` or `pip install -r`. A cache mount keeps the downloads between builds outside the image, so a rebuild fetches only what changed, and no cache byte lands in the layer.',
    example: 'RUN pip install -r requirements.txt',
    useInstead: 'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt',
    fixSafety:
      "Unsafe: applied only with `--fix-unsafe` or `fix-unsafe: [prefer-cache-mount]` in `.layerwise.yaml`, since the manager's files then live in the builder's cache between builds instead of the layer. The fix puts `--mount=type=cache,target=<the manager's cache directory>` before the script (apt-get/apt, pip, npm, yarn, pnpm, go, cargo). For apt it follows Docker's documented setup: `/var/cache/apt` and `/var/lib/apt`, each with `sharing=locked`, and `/etc/apt/apt.conf.d/docker-clean` replaced by a `keep-cache` setting so the downloads stay. A cleanup the mount makes pointless (`rm -rf /var/lib/apt/lists/*`, `apt-get clean`, `npm cache clean --force` — a top-level part that only cleans under the mount) is removed where the `&&`/`;` chain stays as it was, else kept. In a RUN that has the mount, the cleanup part or the `--no-cache-dir` flag that throws it away is taken out: package-cache-cleanup's fix, which saw the RUN without its mount, adds them in the same pass as this fix adds the mount, and on the real engine `yarn cache clean` then fails the build (EBUSY: it cannot remove the mount point) while `npm cache clean --force` makes every build download everything again. No fix for a heredoc or exec-form RUN, a RUN under a non-root USER (the mount would need its uid and cache directory), a cache directory that is not a plain absolute path, or a manager whose cache needs more than a mount (apk, dnf, …).",
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
          mounted ??= cacheMountTargets(run);
          // Any cache of the manager under a mount (apt's lists or its archives) shows the RUN already uses one.
          const holding = mounted.length > 0 ? mountsOf(run, group, mounted) : [];
          if (holding.length > 0) {
            for (const defeat of defeats(located, group, holding)) {
              ctx.report({
                range: defeat.range,
                messageId: defeat.messageId,
                data: { what: ctx.source.slice(defeat.range.start, defeat.range.end), target: holding.join('`, `') },
                ...(defeat.edits.length > 0
                  ? { fix: { safety: 'unsafe', edits: defeat.edits } }
                  : { unfixable: 'it is not a flag or a `&&`/`;`-joined part that can be taken out alone' }),
              });
            }
            continue;
          }
          const { start, end } = commandRange(located, call);
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
