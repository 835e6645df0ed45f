/**
 * prefer-cache-mount: a package download that a BuildKit cache mount would keep between builds, so that a rebuild of
 * the RUN fetches only what changed.
 */
import { defineRule } from './define.js';
import { type Family, managerCommand } from './knowledge/managers.js';
import { runInfo } from './knowledge/run.js';

/** Where each manager keeps downloads (as root), and the mount to suggest. */
const downloadCaches: Partial<Record<Family, string[]>> = {
  apt: ['/var/cache/apt', '/var/lib/apt'],
  apk: ['/var/cache/apk', '/etc/apk/cache'],
  dnf: ['/var/cache/dnf', '/var/cache/yum', '/var/cache/libdnf5'],
  zypper: ['/var/cache/zypp'],
  pip: ['/root/.cache/pip', '/root/.cache/uv', '/root/.cache'],
  npm: ['/root/.npm'],
  yarn: ['/usr/local/share/.cache/yarn', '/root/.cache/yarn', '/root/.yarn/berry/cache'],
  pnpm: ['/root/.local/share/pnpm/store', '/root/.cache/pnpm', '/pnpm/store'],
  gem: ['/usr/local/bundle/cache', '/root/.gem'],
  bundler: ['/usr/local/bundle/cache', '/root/.bundle/cache'],
  composer: ['/root/.composer/cache', '/root/.cache/composer', '/tmp/cache'],
  go: ['/root/go/pkg/mod', '/go/pkg/mod', '/root/.cache/go-build'],
  cargo: ['/usr/local/cargo/registry', '/root/.cargo/registry'],
  conda: ['/opt/conda/pkgs'],
};

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
        const run = runInfo(instruction);
        const mounted = run.mounts
          .filter((m) => m.type === 'cache' || m.type === 'tmpfs')
          .map((m) => (m.target ?? '').replace(/\/+$/, ''));
        const seen = new Set<Family>();
        for (const command of run.commands) {
          const call = managerCommand(command);
          if (!call || !['install', 'deps', 'upgrade'].includes(call.operation) || seen.has(call.family)) continue;
          const paths = downloadCaches[call.family];
          if (!paths) continue;
          seen.add(call.family);
          if (paths.some((path) => mounted.some((target) => target !== '' && (path === target || path.startsWith(`${target}/`)))))
            continue;
          ctx.report({
            range: { start: command.words[0].start, end: call.operationWord.end },
            messageId: 'mount',
            data: { command: ctx.source.slice(command.words[0].start, call.operationWord.end), target: paths[0] },
          });
        }
      },
    };
  },
});
