/**
 * package-cache-cleanup: an install leaves its package manager's cache or index in the layer, and the same RUN neither
 * removes it nor avoids writing it.
 */
import type { Instruction } from '../dockerfile/index.js';
import { defineRule } from './define.js';
import { type CacheSpec, cachesLeft } from './knowledge/caches.js';
import type { ManagerCommand } from './knowledge/managers.js';
import { runInfo } from './knowledge/run.js';
import { shipsToFinalImage, stageOf, stagesOf } from './knowledge/stages.js';

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
      'Safe for `apk add` (adds `--no-cache`) and `pip install` (adds `--no-cache-dir`): the same packages are installed, only the cache is not written. Appending a cleanup command is left to `lint --fix` in a later release, because it must respect how the script chains its commands.',
    references: [
      'https://docs.docker.com/build/building/best-practices/#apt-get',
      'https://github.com/hadolint/hadolint/wiki/DL3009',
      'https://github.com/hadolint/hadolint/wiki/DL3019',
      'https://github.com/hadolint/hadolint/wiki/DL3042',
    ],
  },
  defaultOptions: {},
  create(ctx) {
    /** ENV values set in the instruction's stage (and the stages it is built on) before it. */
    const envBefore = (instruction: Instruction): Set<string> => {
      const names = new Set<string>();
      for (let stage = stageOf(stagesOf(ctx.ast), instruction); stage; stage = stage.parent) {
        for (const earlier of stage.instructions) {
          if (earlier === instruction) break;
          if (earlier.name === 'ENV')
            for (const pair of earlier.pairs ?? []) if (pair.value.value !== '') names.add(pair.key.value);
        }
      }
      return names;
    };
    return {
      RUN(instruction) {
        if (!shipsToFinalImage(ctx.ast, instruction)) return;
        let env: Set<string> | undefined;
        for (const { spec, writer } of cachesLeft(runInfo(instruction))) {
          env ??= envBefore(instruction);
          if (spec.avoidEnv.some((name) => env!.has(name))) continue;
          report(writer, spec);
        }
      },
    };

    function report(writer: ManagerCommand, spec: CacheSpec): void {
      const fixable = spec.fixFlag?.managers.includes(writer.manager) && writer.operation === 'install';
      const at = writer.operationWord.end;
      const remedy = spec.fixFlag
        ? `add \`${spec.fixFlag.flag}\``
        : `remove ${spec.paths[0]} in the same RUN${spec.name.startsWith('apt') ? '' : " (or run the manager's clean command)"}`;
      ctx.report({
        range: { start: writer.command.words[0].start, end: writer.operationWord.end },
        messageId: 'cacheLeft',
        data: {
          command: `${writer.manager} ${writer.operationWord.text}`,
          cache: spec.name,
          remedy: `${remedy}, or use a cache mount`,
        },
        ...(fixable && { fix: { safety: 'safe' as const, edits: [{ start: at, end: at, text: ` ${spec.fixFlag!.flag}` }] } }),
      });
    }
  },
});
