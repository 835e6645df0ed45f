/**
 * prefer-cache-mount: a package download that a BuildKit cache mount would keep between builds, so that a rebuild of
 * the RUN fetches only what changed.
 */
import type { Instruction } from '../dockerfile/index.js';
import { analyzeScript, type SimpleCommand } from '../shell/commands.js';
import { covers, removedPaths } from '../shell/package-managers/caches.js';
import { type PackageManagerCall, packageManagerCalls } from '../shell/package-managers/index.js';
import { defineRule, type Fix, type TextEdit } from './define.js';
import { stepUser } from './knowledge/accounts.js';
import { removePartEdit } from './knowledge/run-layout.js';
import { cacheMountTargets, inSource, type LocatedScript, type RunScript, type RunScripts } from './knowledge/scripts.js';
import type { Stages } from './knowledge/stages.js';

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
function mountFix(stages: Stages, runScript: RunScripts, run: RunScript, call: PackageManagerCall): Fix | string {
  const group = groupOf(call);
  if (!mountable.has(group)) return `no cache-mount fix for \`${call.manager}\`: its cache needs more than a mount`;
  if (run.json || run.heredoc || run.scripts.length !== 1) return 'only a shell-form RUN without heredocs gets a cache mount';
  const located = run.scripts[0];
  const owner = runsAs(stages, runScript, run.instruction);
  if (typeof owner === 'string') return owner;
  let target = call.caches[0]?.path ?? '';
  let owned = '';
  if (owner) {
    if (group === 'apt-get') return `the RUN runs as USER ${owner.user}: apt needs root (sudo), and its mounts would be root's`;
    const path = cacheAs(located, call);
    if (path === undefined) {
      return `the RUN runs as USER ${owner.user}, whose home directory (where \`${call.manager}\` keeps its cache) is only in the base image's /etc/passwd`;
    }
    target = path;
    // BuildKit creates the mount's directory owned by uid:gid (default 0:0, mode 0755): the user's to write.
    owned = `,uid=${owner.uid}${owner.gid === undefined ? '' : `,gid=${owner.gid}`}`;
  }
  if (!target.startsWith('/') || target.includes('$')) return `the cache directory \`${target}\` is not a plain absolute path`;
  const targets = group === 'apt-get' ? aptTargets : [target];
  const prefix = group === 'apt-get' ? aptPrefix : `--mount=type=cache,target=${target}${owned} `;
  const edits: TextEdit[] = [{ start: located.base, end: located.base, text: prefix }];
  for (let index = 1; index < located.script.parts.length; index++) {
    if (!onlyCleans(located, index, group, targets)) continue;
    const removal = removePartEdit(located, index);
    if (removal && !edits.some((e) => e.start < removal.end && removal.start < e.end)) edits.push(removal);
  }
  return { safety: 'unsafe', edits };
}

/** A non-root user a RUN runs as, with what the Dockerfile tells of it. */
interface RunUser {
  /** The USER value (ARGs expanded). */
  user: string;
  uid: number;
  gid: number | undefined;
}

/**
 * The user a RUN runs as (the model's USER, inherited through the stages it builds on): undefined for root, the reason
 * when its uid cannot be known without the image — a name the Dockerfile does not create with a numeric uid.
 */
function runsAs(stages: Stages, runScript: RunScripts, instruction: Instruction): RunUser | string | undefined {
  const who = stepUser(stages, instruction, runScript);
  if (who === 'unknown') return 'the RUN runs as a USER named by a variable only the base image sets';
  if (who === undefined) return undefined;
  const { user, name, group, account } = who;
  const uid = /^\d+$/.test(name) ? Number(name) : account?.uid;
  if (uid === undefined) {
    return account
      ? `the RUN runs as USER ${user}, created without a numeric uid (the next free one, which depends on the base image): a cache mount it can write needs \`uid=\``
      : `the RUN runs as USER ${user}, whose uid is only in the base image's /etc/passwd: a cache mount it can write needs \`uid=\``;
  }
  const gid = group === undefined ? account?.gid : /^\d+$/.test(group) ? Number(group) : undefined;
  return { user, uid, gid };
}

/** Stands for a home directory nobody knows without the image: a cache path containing it is not static. */
const UNKNOWN_HOME = '\u0000home';

/**
 * Where `call` keeps its cache under a non-root user, or undefined when that depends on a home directory only the
 * image's /etc/passwd tells: the analysis has $HOME when ENV sets it or the Dockerfile creates the account (BuildKit
 * takes it from /etc/passwd), else the call is analysed again with a home nobody knows. Of the places a manager may
 * use, the one in the home directory: yarn classic keeps root's in /usr/local/share/.cache/yarn, any other user's in
 * ~/.cache/yarn.
 */
function cacheAs(located: LocatedScript, call: PackageManagerCall): string | undefined {
  const { env } = located.options;
  const home = env?.HOME ?? UNKNOWN_HOME;
  let caches = call.caches;
  if (env?.HOME === undefined) {
    const script = analyzeScript(located.script.source, { ...located.options, env: { ...env, HOME: home } });
    const again = packageManagerCalls(script).find((c) => c.command.index === call.command.index && c.manager === call.manager);
    caches = again?.caches ?? [];
  }
  const path = (caches.find((cache) => covers(home, cache.path)) ?? caches[0])?.path;
  return path === undefined || path.includes(UNKNOWN_HOME) ? undefined : path;
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

/**
 * The mount targets that hold a cache of a call of the manager group (apt's lists or its archives, …). Under a
 * non-root USER whose account the Dockerfile creates, the analysis already has that user's $HOME.
 */
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

/**
 * The cache mounts among `holding` that BuildKit creates as root's (no `uid=` or `mode=`: 0:0, 0755) in a RUN whose
 * USER is a known non-root uid, which cannot write them (on the engine, npm fails with EACCES). Each with its flag
 * as written and the options that make it the user's.
 */
function rootOwned(stages: Stages, runScript: RunScripts, run: RunScript, holding: string[]) {
  const found: { range: { start: number; end: number }; target: string; user: RunUser; options: string }[] = [];
  const mounts = run.mounts.filter((m) => m.type === 'cache' && holding.includes(m.target));
  if (!mounts.some((m) => m.options.uid === undefined && m.options.mode === undefined)) return found;
  const user = runsAs(stages, runScript, run.instruction);
  if (user === undefined || typeof user === 'string') return found;
  for (const mount of mounts) {
    if (mount.options.uid !== undefined || mount.options.mode !== undefined) continue;
    const flag = run.instruction.flags.find((f) => f.name === 'mount' && mountTarget(f.value ?? '') === mount.target);
    if (!flag) continue;
    const options = `,uid=${user.uid}${user.gid === undefined || mount.options.gid !== undefined ? '' : `,gid=${user.gid}`}`;
    found.push({ range: { start: flag.range.start.offset, end: flag.range.end.offset }, target: mount.target, user, options });
  }
  return found;
}

/** The target a `--mount` value names as written (`target=`, `dst=` or `destination=`). */
function mountTarget(value: string): string | undefined {
  for (const field of value.split(',')) {
    const eq = field.indexOf('=');
    const key = field.slice(0, eq).toLowerCase();
    if (key === 'target' || key === 'dst' || key === 'destination') return field.slice(eq + 1);
  }
  return undefined;
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
    rootOwned:
      "BuildKit creates the cache mount on `{{target}}` as root's (uid 0, mode 0755), and this RUN runs as USER {{user}} (uid {{uid}}), which cannot write it: the build fails or the manager skips its cache. Give the mount `uid={{uid}}`.",
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
      "Reports, once per RUN and manager, a command that downloads packages (apt, apk, dnf/yum, zypper, pip, uv, npm, yarn, pnpm, gem, bundler, composer, go, cargo, conda) in a RUN without a `--mount=type=cache` (or `tmpfs`) on that manager's download directory. An index refresh alone (`apt-get update`) is not reported. In a RUN that has the mount, reports what throws it away: a `&&`/`;`-joined part that only cleans under the mount (`npm cache clean --force`, `yarn cache clean`, `apt-get clean`, `rm -rf /var/lib/apt/lists/*`), which empties it at every build, and pip's `--no-cache-dir` (or `PIP_NO_CACHE_DIR`), which keeps pip off it; and, under a non-root USER whose uid the Dockerfile tells, a cache mount without `uid=` or `mode=`, which BuildKit creates as root's and that user cannot write.",
    why: 'When the RUN misses the cache (its package list changed, or any step above it changed), every package is downloaded again: hundreds of MB and minutes per rebuild for a typical `npm ci` or `pip install -r`. A cache mount keeps the downloads between builds outside the image, so a rebuild fetches only what changed, and no cache byte lands in the layer.',
    example: 'RUN pip install -r requirements.txt',
    useInstead: 'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt',
    fixSafety:
      "Unsafe: applied only with `--fix-unsafe` or `fix-unsafe: [prefer-cache-mount]` in `.layerwise.yaml`, since the manager's files then live in the builder's cache between builds instead of the layer. The fix puts `--mount=type=cache,target=<the manager's cache directory>` before the script (apt-get/apt, pip, npm, yarn, pnpm, go, cargo). For apt it follows Docker's documented setup: `/var/cache/apt` and `/var/lib/apt`, each with `sharing=locked`, and `/etc/apt/apt.conf.d/docker-clean` replaced by a `keep-cache` setting so the downloads stay. A cleanup the mount makes pointless (`rm -rf /var/lib/apt/lists/*`, `apt-get clean`, `npm cache clean --force` — a top-level part that only cleans under the mount) is removed where the `&&`/`;` chain stays as it was, else kept. In a RUN that has the mount, the cleanup part or the `--no-cache-dir` flag that throws it away is taken out: package-cache-cleanup's fix, which saw the RUN without its mount, adds them in the same pass as this fix adds the mount, and on the real engine `yarn cache clean` then fails the build (EBUSY: it cannot remove the mount point) while `npm cache clean --force` makes every build download everything again. Under a non-root USER the mount gets `uid=` (and `gid=` when the USER or the account gives a number): BuildKit creates a new cache directory as 0:0, mode 0755, which that user could not write (on the engine, npm then fails with EACCES). The uid comes from a numeric USER, or from the `useradd -u`/`adduser --uid`/busybox `adduser -u` that created the named account in an earlier RUN; the target is the manager's cache in that user's home — BuildKit sets $HOME from the account's /etc/passwd entry (the account's `-d`/`--home`, else /home/NAME; Debian's `adduser --system`: /nonexistent), unless ENV sets HOME — or a cache directory ENV names (PIP_CACHE_DIR, …). A mount without `uid=` under such a USER gets `,uid=N` appended. Refused, saying why, when that is not known without the image: a name the base image brings (`USER node`), an account created without a numeric uid (the next free one depends on the base image's /etc/passwd), a numeric uid whose home directory the cache depends on, a USER named by a variable the Dockerfile does not set, or apt (it needs root). No fix for a heredoc or exec-form RUN, a cache directory that is not a plain absolute path, or a manager whose cache needs more than a mount (apk, dnf, …). Built on the real engine (Docker 28.5, BuildKit 0.25) by test/rules/prefer-cache-mount-engine.test.ts: apt, npm, yarn and pnpm as root, npm and yarn as a non-root user.",
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
            for (const owned of rootOwned(ctx.stages, ctx.runScript, run, holding)) {
              ctx.report({
                range: owned.range,
                messageId: 'rootOwned',
                data: { target: owned.target, user: owned.user.user, uid: owned.user.uid },
                fix: { safety: 'unsafe', edits: [{ start: owned.range.end, end: owned.range.end, text: owned.options }] },
              });
            }
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
          const fix = mountFix(ctx.stages, ctx.runScript, run, call);
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
