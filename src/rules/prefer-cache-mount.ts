/**
 * prefer-cache-mount: a package download that a BuildKit cache mount would keep between builds, so that a rebuild of
 * the RUN fetches only what changed.
 */
import { covers } from '../shell/package-managers/caches.js';
import type { PackageManagerCall } from '../shell/package-managers/index.js';
import { defineRule } from './define.js';
import { cacheMountTargets, inSource } from './knowledge/scripts.js';

/** Managers that share one download cache (apt-get and apt; dnf, yum and microdnf). */
const cacheGroup: Record<string, string> = { apt: 'apt-get', aptitude: 'apt-get', yum: 'dnf', microdnf: 'dnf' };
const groupOf = (call: PackageManagerCall) => cacheGroup[call.manager] ?? call.manager;
/** Operations that download packages. */
const downloads = (call: PackageManagerCall) =>
  (call.operation === 'install' || call.operation === 'upgrade') && call.caches.length > 0;

export default defineRule({
  id: 'prefer-cache-mount',
  status: 'stable',
  since: '0.1.0',
  severity: 'info',
  tags: ['cache'],
  fix: 'never',
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
      "No automatic fix: a cache mount changes where the manager's files live between builds (apt needs `/etc/apt/apt.conf.d/docker-clean` removed; a non-root USER needs `uid=`; a shared CI builder needs `sharing=locked` for apt). `lint --fix` may offer it as an unsafe fix later.",
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
        const mounted = cacheMountTargets(run);
        const seen = new Set<string>();
        for (const { call, in: located } of run.calls) {
          const group = groupOf(call);
          if (!downloads(call) || seen.has(group)) continue;
          seen.add(group);
          // Any cache of the manager under a mount (apt's lists or its archives) shows the RUN already uses one.
          const caches = run.calls.filter((c) => groupOf(c.call) === group).flatMap((c) => c.call.caches);
          if (caches.some((cache) => mounted.some((target) => covers(target, cache.path)))) continue;
          const { start } = inSource(located, call.invokedAs[0]);
          const { end } = inSource(located, call.subcommand ?? call.invokedAs.at(-1)!);
          ctx.report({
            range: { start, end },
            messageId: 'mount',
            data: { command: ctx.source.slice(start, end), target: call.caches[0].path },
          });
        }
      },
    };
  },
});
