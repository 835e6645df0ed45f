/**
 * cleanup-in-separate-layer: a RUN removes what an earlier layer of the same image created (a package cache left by
 * an earlier install, a file an earlier COPY put there). Layers only add: the bytes stay, hidden by a whiteout. The fix
 * moves a cache cleanup into the RUN that left the cache, when that RUN is in the same stage.
 */
import type { Instruction } from '../dockerfile/ast.js';
import type { SimpleCommand } from '../shell/commands.js';
import { covers, removedPaths } from '../shell/package-managers/caches.js';
import type { CachePath, PackageManagerCall } from '../shell/package-managers/index.js';
import { type Analysis, defineRule, type Fix } from './define.js';
import { deleteInstructionEdit, flagSpans, joinText, joinTouching, removePartEdit, runStyle } from './knowledge/run-layout.js';
import type { LocatedScript, RunScript } from './knowledge/scripts.js';
import type { Stage } from './knowledge/stages.js';

/** A cache an earlier RUN left in its layer. */
interface LeftCache {
  cache: CachePath;
  call: PackageManagerCall;
  instruction: Instruction;
}

interface Earlier {
  caches: LeftCache[];
  /** Absolute paths written by earlier COPY/ADD, with their instruction. */
  copied: Map<string, Instruction>;
}

/**
 * What the layers above an instruction (in its stage and the stages it is built on) left behind; later ones win. One
 * lint run asks in instruction order, so each stage's account is carried forward and every earlier instruction is
 * read once, not once per RUN after it.
 */
function earlierLayers({ runScript }: Analysis): (stage: Stage, instruction: Instruction) => Earlier {
  /** Per stage: what its first `next` instructions (and its parents') left. */
  const progress = new Map<Stage, { earlier: Earlier; next: number }>();
  const add = (earlier: Earlier, previous: Instruction): void => {
    if (previous.name === 'RUN') {
      for (const { use } of runScript(previous).caches) {
        if (use.status !== 'left') continue;
        const index = earlier.caches.findIndex((c) => c.cache.path === use.cache.path);
        if (index >= 0) earlier.caches.splice(index, 1);
        earlier.caches.push({ cache: use.cache, call: use.call, instruction: previous });
      }
    }
    if ((previous.name === 'COPY' || previous.name === 'ADD') && previous.heredocs.length === 0) {
      for (const path of copiedPaths(previous)) earlier.copied.set(path, previous);
    }
  };
  const upTo = (stage: Stage, end: number): Earlier => {
    let account = progress.get(stage);
    if (!account || account.next > end) {
      const parent = stage.parent && upTo(stage.parent, stage.parent.instructions.length);
      const earlier = parent ? { caches: [...parent.caches], copied: new Map(parent.copied) } : { caches: [], copied: new Map() };
      account = { earlier, next: 0 };
      progress.set(stage, account);
    }
    for (; account.next < end; account.next++) add(account.earlier, stage.instructions[account.next]);
    return account.earlier;
  };
  return (stage, instruction) => upTo(stage, stage.instructions.indexOf(instruction));
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

/** A command as quoted in a message: its first line, marked when cut. */
function firstLine(text: string): string {
  const end = text.search(/\s*\\?\r?\n/);
  return end < 0 ? text : `${text.slice(0, end)} …`;
}

/** The fix moving the cleanup `command` (of `instruction`) to the end of the RUN that left the cache, or why not. */
function moveFix(
  { ast, stages: analysis, runScript }: Analysis,
  instruction: Instruction,
  located: LocatedScript,
  command: SimpleCommand,
  left: LeftCache,
): Fix | string {
  const stage = analysis.owner.get(instruction);
  const target = left.instruction;
  if (!stage || analysis.owner.get(target) !== stage) {
    return `the cache was left in another stage (line ${target.range.start.line}): clean it up there`;
  }
  const script = located.script;
  const part = script.parts[command.part];
  if (part.node.type !== 'simple' || part.firstCommand !== command.index || part.endCommand !== command.index + 1) {
    return 'the cleanup is part of a larger command: move it by hand';
  }
  const words = [...command.assignments.map((a) => a.value), ...command.argv];
  if (words.some((w) => w !== undefined && (w.value === undefined || w.substitutions.length > 0))) {
    return 'the cleanup uses variables: move it by hand';
  }
  if (
    removedPaths(command).length > 0 &&
    command.argv.slice(1).some((w) => !w.value!.startsWith('-') && !w.value!.startsWith('/'))
  ) {
    return 'the cleanup uses a relative path: move it by hand';
  }
  const into = runScript(target);
  const dest = into.scripts[0];
  if (into.json || into.heredoc || !dest || into.scripts.length !== 1 || dest.script.hasErrors || !dest.script.supported) {
    return `the RUN that left the cache (line ${target.range.start.line}) is not a plain shell script`;
  }
  const end = dest.script.parts.at(-1);
  if (!end || end.background) return `the RUN that left the cache (line ${target.range.start.line}) ends in the background`;
  if (dest.script.finalState.options.noglob)
    return `the RUN that left the cache (line ${target.range.start.line}) turns globbing off`;
  const between = stage.instructions.slice(stage.instructions.indexOf(target) + 1, stage.instructions.indexOf(instruction));
  const user = between.find(
    (other) =>
      other.name === 'RUN' &&
      runScript(other).calls.some(
        ({ call }) => call.family === left.call.family || call.caches.some((c) => covers(left.cache.path, c.path)),
      ),
  );
  if (user) return `line ${user.range.start.line} still uses the ${left.cache.what}: moving the cleanup above it would break it`;
  const targetFlags = new Set(flagSpans(ast, target).map((f) => f.text));
  const extra = flagSpans(ast, instruction).find((f) => !targetFlags.has(f.text));
  if (extra) return `the RUN that left the cache does not have this RUN's \`${extra.text}\``;

  const text = ast.source.slice(located.base + part.start, located.base + part.end);
  const at = dest.base + end.end;
  const insert = { start: at, end: at, text: joinText(runStyle(ast, target), '', text) };
  if (script.parts.length === 1)
    return {
      safety: 'safe',
      structure: 'move',
      edits: joinTouching(ast.source, [deleteInstructionEdit(ast, instruction), insert]),
    };
  const remove = removePartEdit(located, command.part);
  if (!remove) return 'the cleanup is joined to the rest of its RUN by `||`: move it by hand';
  return { safety: 'safe', structure: 'move', edits: joinTouching(ast.source, [remove, insert]) };
}

export default defineRule({
  id: 'cleanup-in-separate-layer',
  status: 'stable',
  since: '0.1.0',
  severity: 'warning',
  tags: ['size'],
  fix: 'sometimes',
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
    fixSafety:
      "Safe: a cache cleanup moves, word for word, to the end of the RUN that left the cache (`… && rm -rf /var/lib/apt/lists/*`, continued in that RUN's style); its own RUN goes when nothing else is left in it. Offered only when that RUN is in the same stage, no RUN in between uses the same manager or cache, the cleanup is a plain command with absolute paths and no variables, and the RUN it moves to has every flag of its own RUN. A file an earlier COPY or ADD created has no fix: no RUN created it (delete it in the build context, or use a multi-stage build).",
    references: [
      'https://docs.docker.com/build/building/best-practices/#apt-get',
      'https://docs.docker.com/get-started/docker-concepts/building-images/understanding-image-layers/',
    ],
  },
  defaultOptions: {},
  create(ctx) {
    const layersAbove = earlierLayers(ctx);
    return {
      RUN(instruction) {
        const stage = ctx.stages.owner.get(instruction);
        if (!stage?.inFinalImage) return;
        const run = ctx.runScript(instruction);
        let earlier: Earlier | undefined;
        for (const located of run.scripts) {
          const calls = located.calls;
          let next = 0; // the script's calls are in command order: the next one not yet passed
          for (const command of located.script.commands) {
            while (next < calls.length && calls[next].command.index < command.index) next++;
            const call = next < calls.length && calls[next].command === command ? calls[next] : undefined;
            const removed = removedPaths(command);
            // Neither removes a path nor cleans a cache: nothing to compare with the earlier layers.
            if (removed.length === 0 && !call?.cleans.length) continue;
            // What the earlier layers left is worked out for the first RUN that removes or cleans anything.
            earlier ??= layersAbove(stage, instruction);
            if (earlier.caches.length === 0 && earlier.copied.size === 0) return;
            judge(instruction, run, located, command, earlier, removed, call);
          }
        }
      },
    };

    /** Reports a cleanup command when it removes what an earlier layer left (a cache first, else a copied file). */
    function judge(
      instruction: Instruction,
      run: RunScript,
      located: LocatedScript,
      command: SimpleCommand,
      earlier: Earlier,
      removed: string[],
      call: PackageManagerCall | undefined,
    ): void {
      const cleaned = earlier.caches.find((left) => cleans(removed, call, left.cache.path) && !writtenBy(run, left.cache.path));
      if (cleaned) {
        const fix = moveFix(ctx, instruction, located, command, cleaned);
        report(located, command, `the ${cleaned.cache.what}`, cleaned.instruction.range.start.line, fix);
        return;
      }
      const copied = removed.find((path) => earlier.copied.has(path));
      if (copied) {
        const from = earlier.copied.get(copied)!;
        report(
          located,
          command,
          copied,
          from.range.start.line,
          `${from.name} created it; only a multi-stage build or the build context can keep it out`,
        );
      }
    }

    function report(located: LocatedScript, command: SimpleCommand, what: string, line: number, fix: Fix | string): void {
      ctx.report({
        range: { start: located.base + command.start, end: located.base + command.end },
        messageId: 'separate',
        data: { command: firstLine(located.script.source.slice(command.start, command.end)), what, line },
        ...(typeof fix === 'string' ? { unfixable: fix } : { fix }),
      });
    }
  },
});

/** Whether a command that removes `removed` (and is `call`) cleans the cache at `path`. */
function cleans(removed: string[], call: PackageManagerCall | undefined, path: string): boolean {
  return removed.some((r) => covers(r, path)) || (call?.cleans.some((c) => covers(c.path, path)) ?? false);
}

/** Whether the RUN's own calls write the cache at `path` (then removing it here is the right place). */
function writtenBy(run: RunScript, path: string): boolean {
  return run.calls.some(({ call }) => call.caches.some((c) => covers(c.path, path) || covers(path, c.path)));
}
