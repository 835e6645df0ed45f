/**
 * cleanup-in-separate-layer: a RUN removes what an earlier layer of the same image created (a package cache left by
 * an earlier install, a file an earlier COPY put there). Layers only add: the bytes stay, hidden by a whiteout.
 */
import type { Instruction } from '../dockerfile/index.js';
import { defineRule } from './define.js';
import { CACHES, type CacheSpec, cachesLeft, normalisePath, removesPath } from './knowledge/caches.js';
import { managerCommand } from './knowledge/managers.js';
import { type Command, runInfo } from './knowledge/run.js';
import { type Stage, shipsToFinalImage, stageOf, stagesOf } from './knowledge/stages.js';

interface Earlier {
  /** Caches left by earlier RUNs, with the line of the RUN that left each. */
  caches: Map<CacheSpec, number>;
  /** Absolute paths written by earlier COPY/ADD, with their line. */
  copied: Map<string, number>;
}

/** What the layers above `instruction` (in its stage and the stages it is built on) left behind. */
function earlierLayers(stage: Stage, instruction: Instruction): Earlier {
  const chain: Stage[] = [];
  for (let current: Stage | undefined = stage; current; current = current.parent) chain.unshift(current);
  const earlier: Earlier = { caches: new Map(), copied: new Map() };
  for (const current of chain) {
    for (const previous of current.instructions) {
      if (previous === instruction) return earlier;
      const line = previous.range.start.line;
      if (previous.name === 'RUN') for (const { spec } of cachesLeft(runInfo(previous))) earlier.caches.set(spec, line);
      if ((previous.name === 'COPY' || previous.name === 'ADD') && previous.heredocs.length === 0) {
        for (const path of copiedPaths(previous)) earlier.copied.set(path, line);
      }
    }
  }
  return earlier;
}

/** Absolute files a COPY/ADD creates, when its destination says so (`COPY a.tgz /tmp/` → /tmp/a.tgz). */
function copiedPaths(instruction: Instruction): string[] {
  const args = instruction.args.map((arg) => arg.value);
  const destination = args.at(-1);
  if (!destination?.startsWith('/') || destination.includes('$')) return [];
  const sources = args.slice(0, -1).filter((source) => !source.includes('$') && !/[*?[]/.test(source));
  if (destination.endsWith('/') || sources.length > 1) {
    return sources.map((source) => `${destination.replace(/\/+$/, '')}/${source.replace(/\/+$/, '').split('/').at(-1)}`);
  }
  return [destination.replace(/\/+$/, '')];
}

/** The paths an `rm` command removes (static operands only). */
function removedPaths(command: Command): string[] {
  if (command.name !== 'rm') return [];
  return command.words
    .slice(1)
    .filter((word) => word.value !== undefined && !word.value.startsWith('-'))
    .map((word) => normalisePath(word.text));
}

/** A command as quoted in a message: its first line, marked when cut. */
function firstLine(text: string): string {
  const end = text.search(/\s*\\?\r?\n/);
  return end < 0 ? text : `${text.slice(0, end)} …`;
}

export default defineRule({
  id: 'cleanup-in-separate-layer',
  status: 'stable',
  since: '0.1.0',
  severity: 'warning',
  tags: ['size'],
  fix: 'never',
  messages: {
    separate:
      '`{{command}}` removes {{what}} that line {{line}} put in an earlier layer: the bytes stay in that layer. Clean up in the RUN that created it.',
  },
  docs: {
    description: 'A RUN deletes files that an earlier layer created: no byte is saved.',
    whatItDoes:
      "Reports a cleanup in a RUN when what it removes was left by an earlier instruction of the same image and not by the RUN itself: a package manager's clean command (`apt-get clean`, `yum clean all`, `npm cache clean`…) or `rm` of a cache path after an earlier RUN left that cache, and `rm` of a file an earlier COPY or ADD created. Stages whose files never reach the final image are not reported.",
    why: 'Layers only add: a deletion in a later layer records a whiteout that hides the file, but its bytes stay in the earlier layer and are still stored, pushed and pulled. The cleanup saves nothing and adds a layer; an archive copied in and deleted after extraction costs its full size twice.',
    example: `FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN rm -rf /var/lib/apt/lists/*`,
    useInstead: `FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl \\
 && rm -rf /var/lib/apt/lists/*`,
    fixSafety: 'No automatic fix yet: moving the cleanup into the RUN that created the files is planned for `lint --fix`.',
    references: [
      'https://docs.docker.com/build/building/best-practices/#apt-get',
      'https://docs.docker.com/get-started/docker-concepts/building-images/understanding-image-layers/',
    ],
  },
  defaultOptions: {},
  create(ctx) {
    return {
      RUN(instruction) {
        if (!shipsToFinalImage(ctx.ast, instruction)) return;
        const stage = stageOf(stagesOf(ctx.ast), instruction);
        if (!stage) return;
        const run = runInfo(instruction);
        let earlier: Earlier | undefined;
        const writtenHere = (spec: CacheSpec) =>
          run.commands.some((c) => {
            const call = managerCommand(c);
            return call !== undefined && spec.families.includes(call.family) && spec.writtenBy(call);
          });
        const report = (command: Command, what: string, line: number) =>
          ctx.report({
            range: { start: command.start, end: command.end },
            messageId: 'separate',
            data: { command: firstLine(ctx.source.slice(command.start, command.end)), what, line },
          });
        for (const command of run.commands) {
          earlier ??= earlierLayers(stage, instruction);
          if (earlier.caches.size === 0 && earlier.copied.size === 0) return;
          const call = managerCommand(command);
          const cleaned = CACHES.find(
            (spec) =>
              earlier!.caches.has(spec) &&
              !writtenHere(spec) &&
              ((call !== undefined && spec.families.includes(call.family) && spec.cleans(call)) ||
                removesPath(command, spec.paths)),
          );
          if (cleaned) {
            report(command, `the ${cleaned.name}`, earlier.caches.get(cleaned)!);
            continue;
          }
          const copied = removedPaths(command).find((path) => earlier!.copied.has(path));
          if (copied) report(command, copied, earlier.copied.get(copied)!);
        }
      },
    };
  },
});
