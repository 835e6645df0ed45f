/**
 * package-cache-cleanup: an install leaves its package manager's cache or index in the layer, and the same RUN neither
 * removes it nor avoids writing it.
 */
import type { CacheUse } from '../shell/package-managers/caches.js';
import type { PackageManagerCall } from '../shell/package-managers/index.js';
import { defineRule, type Fix } from './define.js';
import { inSource, type LocatedScript, type RunScript } from './knowledge/scripts.js';
import { shipsToFinalImage } from './knowledge/stages.js';

/**
 * The caches this rule reports, by manager, with the manager's own way to avoid or clean them. apt's downloaded .deb
 * files are not among them: Docker's Debian and Ubuntu images delete them after each install (docker-clean).
 */
interface Remedy {
  /** The flag that keeps the install from writing the cache (inserted after the subcommand). */
  flag?: string;
  /** The command that removes it, appended to the RUN (`{{program}}` is the manager as invoked). */
  cleanup?: string;
}
const aptLists = '/var/lib/apt/lists';
/** apt's managers: only their package lists are reported (by path, so no key is built per cache). */
const aptRemedies: Record<string, Remedy> = {
  'apt-get': { cleanup: 'rm -rf /var/lib/apt/lists/*' },
  apt: { cleanup: 'rm -rf /var/lib/apt/lists/*' },
  aptitude: { cleanup: 'rm -rf /var/lib/apt/lists/*' },
};
const remedies: Record<string, Remedy> = {
  apk: { flag: '--no-cache' },
  dnf: { cleanup: '{{program}} clean all' },
  yum: { cleanup: '{{program}} clean all' },
  microdnf: { cleanup: '{{program}} clean all' },
  tdnf: { cleanup: '{{program}} clean all' },
  zypper: { cleanup: '{{program}} clean --all' },
  pip: { flag: '--no-cache-dir' },
  'uv pip': { flag: '--no-cache' },
  npm: { cleanup: '{{program}} cache clean --force' },
  yarn: { cleanup: '{{program}} cache clean' },
  conda: { cleanup: '{{program}} clean --all --yes' },
};

function remedyOf(use: CacheUse): Remedy | undefined {
  const call = use.call;
  if (call.family === 'debian')
    return use.cache.path === aptLists && Object.hasOwn(aptRemedies, call.manager) ? aptRemedies[call.manager] : undefined;
  if (call.manager === 'pip' && call.invokedAs.length === 2 && call.invokedAs[0].value === 'uv') return remedies['uv pip'];
  return remedies[call.manager];
}

/** Managers that share one cache (apt-get, apt and aptitude; dnf, yum and microdnf). */
const cacheGroup: Record<string, string> = { apt: 'apt-get', aptitude: 'apt-get', yum: 'dnf', microdnf: 'dnf', tdnf: 'dnf' };

/** apt's package lists and its archives are separate caches; every other manager's places are one cache. */
function groupsOf(uses: CacheUse[]): CacheUse[][] {
  if (uses[0]?.call.family !== 'debian') return [uses];
  return [...new Set(uses.map((use) => use.cache.path))].map((path) => uses.filter((use) => use.cache.path === path));
}

/** A cache under /dev/shm is on the tmpfs every RUN gets: it never reaches the layer. */
const inTmpfs = (path: string) => path === '/dev/shm' || path.startsWith('/dev/shm/');

export default defineRule({
  id: 'package-cache-cleanup',
  status: 'stable',
  since: '0.1.0',
  severity: 'warning',
  tags: ['size'],
  fix: 'sometimes',
  hadolint: ['DL3009', 'DL3019', 'DL3032', 'DL3036', 'DL3040', 'DL3042', 'DL3060'],
  messages: {
    cacheLeft: '`{{command}}` leaves the {{cache}} in this layer, and this RUN does not remove it: {{remedy}}.',
  },
  docs: {
    description: "An install leaves the package manager's cache in the layer.",
    whatItDoes:
      "Reports a package-manager command that writes its download cache or index into the layer when the same RUN neither removes it nor avoids it: apt lists (`apt-get update`), apk's index (`apk add` without `--no-cache`), dnf/yum/microdnf and zypper caches, pip's cache, npm and yarn caches, conda's package cache. Accepted: the manager's own cleanup (`apt-get dist-clean`, `dnf clean all`, `npm cache clean --force`, `yarn cache clean`, `conda clean -a`, `pip cache purge`), `rm` of the cache path, the avoiding flags (`--no-cache`, `--no-cache-dir`) or environment (`PIP_NO_CACHE_DIR`, on the command or set by ENV), and a `--mount=type=cache` or `type=tmpfs` on the path. Stages whose files never reach the final image (builders used only through `COPY --from`) are not reported: their bytes are thrown away.",
    why: "A file written in a layer stays in the image even when a later RUN deletes it. Debian's apt lists are about 20 MB, pip and npm caches often hundreds of MB: every pull, push and cold container start pays for bytes nobody uses.",
    example: `RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN pip install requests
RUN apk add curl`,
    useInstead: `RUN apt-get update && apt-get install -y --no-install-recommends curl \\
 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir requests
RUN apk add --no-cache curl`,
    fixSafety:
      "Safe. Per manager: `apk add` gets `--no-cache`, `pip install` `--no-cache-dir` and `uv pip install` `--no-cache` (the same packages are installed, only the cache is not written); for the others the manager's own cleanup is appended to the RUN with `&&` after its last command, so it runs once everything has run and only when the script succeeded: `rm -rf /var/lib/apt/lists/*` for apt, `dnf/yum/microdnf/tdnf clean all`, `zypper clean --all`, `npm cache clean --force`, `yarn cache clean`, `conda clean --all --yes`. No cleanup is appended to an exec-form RUN, a script that ends in the background or with `exit`/`exec`, a script with a syntax error or a heredoc redirect, or one whose state is opaque (`source`, `eval`).",
    references: [
      'https://docs.docker.com/build/building/best-practices/#apt-get',
      'https://github.com/hadolint/hadolint/wiki/DL3009',
      'https://github.com/hadolint/hadolint/wiki/DL3019',
      'https://github.com/hadolint/hadolint/wiki/DL3042',
    ],
  },
  defaultOptions: {},
  create(ctx) {
    return {
      RUN(instruction) {
        if (!shipsToFinalImage(ctx.stages, instruction)) return;
        const run = ctx.runScript(instruction);
        // Only a cache left in the layer, with a remedy and outside /dev/shm, can be reported: most RUNs have none.
        if (!run.caches.some(({ use }) => use.status === 'left' && remedyOf(use) !== undefined && !inTmpfs(use.cache.path))) {
          return;
        }
        // A manager may keep one cache in several candidate places (yum: /var/cache/yum and /var/cache/dnf; yarn: three):
        // a call leaves its cache when every place it may use is left (none avoided, mounted or cleaned).
        const byCall = new Map<PackageManagerCall, { uses: CacheUse[]; in: LocatedScript }>();
        for (const { use, in: located } of run.caches) {
          if (!remedyOf(use) || inTmpfs(use.cache.path)) continue;
          const entry = byCall.get(use.call) ?? { uses: [], in: located };
          entry.uses.push(use);
          byCall.set(use.call, entry);
        }
        // One finding per cache left (apt-get and apt share one); a flag fix covers every call that leaves it.
        const left = new Map<string, { call: PackageManagerCall; in: LocatedScript; use: CacheUse }[]>();
        for (const [call, { uses, in: located }] of byCall) {
          for (const group of groupsOf(uses)) {
            if (group.some((use) => use.status !== 'left')) continue;
            const key = `${cacheGroup[call.manager] ?? call.manager}:${group[0].cache.path}`;
            const calls = left.get(key);
            if (calls) calls.push({ call, in: located, use: group[0] });
            else left.set(key, [{ call, in: located, use: group[0] }]);
          }
        }
        for (const calls of left.values()) report(run, calls);
      },
    };

    function report(run: RunScript, calls: { call: PackageManagerCall; in: LocatedScript; use: CacheUse }[]): void {
      const { call, in: located, use } = calls[0];
      const remedy = remedyOf(use)!;
      const operation = call.subcommand ?? call.invokedAs.at(-1)!;
      const { start } = inSource(located, call.invokedAs[0]);
      const { end } = inSource(located, operation);
      const program = call.invokedAs.map((word) => word.text).join(' ');
      const cleanup = remedy.cleanup?.replace('{{program}}', program);
      const fix = remedy.flag
        ? flagFix(
            calls.filter((c) => remedyOf(c.use)?.flag === remedy.flag),
            remedy.flag,
          )
        : cleanup
          ? cleanupFix(run, located, cleanup)
          : undefined;
      const text = remedy.flag ? `add \`${remedy.flag}\`` : `append \`${cleanup}\` to this RUN`;
      ctx.report({
        range: { start, end },
        messageId: 'cacheLeft',
        data: {
          command: `${program} ${call.subcommand?.text ?? ''}`.trim(),
          cache: use.cache.what,
          remedy: `${text}, or use a cache mount`,
        },
        ...(fix && { fix }),
      });
    }
  },
});

/**
 * `--no-cache-dir` after each `pip install` of the RUN that leaves the cache (one fix, so that one pass fixes them
 * all): the same packages are installed, the cache is never written. None when the first call is not an install.
 */
function flagFix(calls: { call: PackageManagerCall; in: LocatedScript }[], flag: string): Fix | undefined {
  const first = calls[0]?.call;
  if (!first?.subcommand || first.operation !== 'install') return undefined;
  const edits = calls.flatMap(({ call, in: located }) => {
    if (!call.subcommand || call.operation !== 'install') return [];
    const { end } = inSource(located, call.subcommand);
    return [{ start: end, end, text: ` ${flag}` }];
  });
  return { safety: 'safe', edits };
}

/**
 * `&& <cleanup>` after the last command of the script, so it runs once everything that fills the cache has run and
 * only when the script succeeded. Refused where the end of the script is not a plain command list end: exec form,
 * a script that ends in the background or with `exit`/`exec` (the cleanup would not run), a syntax error, a script
 * whose last command carries a heredoc (its body follows on the next lines), or one whose state is opaque.
 */
function cleanupFix(run: RunScript, located: LocatedScript, cleanup: string): Fix | undefined {
  const script = located.script;
  if (run.json || !script.supported || script.hasErrors || located !== run.scripts.at(-1)) return undefined;
  const last = script.parts.at(-1);
  const command = script.commands.at(-1);
  if (!last || !command || last.background || last.operator?.token === '&') return undefined;
  if (command.name === 'exit' || command.name === 'exec' || script.finalState.opaque) return undefined;
  if (script.commands.some((c) => c.redirects.some((r) => r.heredoc))) return undefined;
  const at = located.base + last.end;
  return { safety: 'safe', edits: [{ start: at, end: at, text: ` && ${cleanup}` }] };
}
