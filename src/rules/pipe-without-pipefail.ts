/** pipe-without-pipefail: a RUN pipeline whose earlier commands can fail unnoticed (hadolint DL4006). */
import type { Instruction } from '../dockerfile/ast.js';
import type { Range } from '../shell/ast.js';
import { basename, type Context, type SimpleCommand } from '../shell/commands.js';
import { type OsFamily, osFamilyOfImage } from '../shell/package-managers/families.js';
import { type Analysis, defineRule } from './define.js';
import { inSource, type LocatedScript } from './knowledge/scripts.js';
import { baseImage } from './knowledge/stages.js';

/**
 * Producers whose failure pipefail would not catch: they cannot fail (`echo`, `printf`, `true`, `:`, `sleep`), or they
 * only "fail" by SIGPIPE when the reader stops (`yes`), which pipefail would turn into a broken build.
 */
const CANNOT_FAIL = new Set(['echo', 'printf', 'true', ':', 'sleep', 'yes']);
/** Shells that know `set -o pipefail` (busybox ash, bash, zsh, the Korn shells); dash does not. */
const PIPEFAIL_SHELLS = new Set(['bash', 'ash', 'busybox', 'zsh', 'ksh', 'mksh']);

const ADVICE = {
  prefix: 'Start the script with `set -o pipefail &&`.',
  shell:
    'Put `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before this RUN: `/bin/sh` is dash in this image, which has no `pipefail`.',
  either:
    'Start the script with `set -o pipefail &&` where `/bin/sh` knows it (busybox ash, bash; not dash), or put `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before this RUN.',
};

/** Frames after which a command's status no longer reaches the pipeline element it sits in. */
const DETACHED = new Set<Context['kind']>(['command-substitution', 'process-substitution', 'background', 'function']);

interface Pipeline {
  frame: Context;
  /** The first command run inside it: its state is the pipeline's (pipefail or not). */
  first: SimpleCommand;
  /** The commands of each element whose exit status is that element's (not inside `$(…)`), by element. */
  elements: SimpleCommand[][];
  /** The index of the last element (its status is the pipeline's). */
  last: number;
  /** The last command run in the first element, and the first command of the second: the first `|` is between. */
  endOfFirst: SimpleCommand;
  startOfSecond: SimpleCommand | undefined;
}

export default defineRule({
  id: 'pipe-without-pipefail',
  status: 'stable',
  since: '0.3.0',
  severity: 'warning',
  tags: ['correctness', 'cache'],
  fix: 'never',
  hadolint: ['DL4006'],
  messages: {
    pipe: "Without `pipefail` this pipeline succeeds even when `{{producer}}` fails (only the last command's exit status counts), and BuildKit caches the broken result as a success. {{advice}}",
  },
  docs: {
    description: 'A RUN pipes commands together without `set -o pipefail`: a failure before the last `|` goes unnoticed.',
    whatItDoes:
      'Reports, once per RUN, the first pipeline (`a | b`, `a |& b`) of its script — shell form or a heredoc script, with the SHELL or `#!` shell that runs it — that runs while the `pipefail` option is off and whose commands before the last `|` can fail. `pipefail` is on after `set -o pipefail` (also `set -euxo pipefail`, `set -eo pipefail`) earlier in the same script (a `$(…)` inherits it), and in every RUN after `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (any shell given `-o pipefail`) in the same stage. Not reported: pipelines whose earlier commands cannot fail (`echo`, `printf`, `true`, `:`, `sleep`, a loop condition) or only fail when the reader stops (`yes`), pipelines with a reader that may stop early (`head`, `grep -q`, `grep -m`: the writer then dies of SIGPIPE, which `pipefail` would turn into a failed step), `||` (not a pipe), `|` inside quotes, exec-form RUNs (no shell runs them), scripts of shells this linter does not read (PowerShell, cmd) and heredoc bodies run by other interpreters. A pipe inside `$(…)` is reported like any other: with `pipefail` a failing `V=$(curl … | jq …)` fails the step. Pipelines in stages a default build skips are reported too: `--target` builds them, and their broken result is cached the same way.',
    why: 'A pipeline\'s exit status is its last command\'s. `/bin/sh -c "wget -O- https://example.com/app.tgz | tar xz"` succeeds when the download fails (tar reads an empty or truncated stream; `curl … | sh` runs nothing and exits 0), so the step passes, BuildKit caches the layer as good, and every later build reuses the broken result until the RUN text or something before it changes. With `pipefail` the step fails where the problem is.',
    example: 'FROM alpine:3.20\nRUN wget -qO- https://example.com/app.tgz | tar -xz -C /opt\n',
    useInstead:
      'FROM alpine:3.20\nRUN set -o pipefail && wget -qO- https://example.com/app.tgz | tar -xz -C /opt\n\nFROM debian:bookworm-slim\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt\n',
    fixSafety:
      'No automatic fix. `set -o pipefail` is not in every /bin/sh: dash (Debian, Ubuntu) stops with `set: Illegal option -o pipefail`, so prefixing it breaks the RUN there; a `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` instead changes the shell of every later RUN of the stage (bash syntax, and every later cache key) and needs bash in the image. Either one can also fail a build that passes today on purpose: a reader that stops early (`… | head -1`, `grep -q`) kills the writer with SIGPIPE, which `pipefail` reports as a failure. Which of these holds is for the author to check.',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL4006',
      'https://docs.docker.com/build/building/best-practices/#using-pipes',
    ],
  },
  defaultOptions: {},
  create(ctx) {
    // The base image's family, for the advice: the last image's kept (a file's RUNs mostly share one base image).
    let lastImage: string | undefined;
    let lastFamily: OsFamily | undefined;
    const familyOf = (image: string): OsFamily | undefined => {
      if (image !== lastImage) {
        lastImage = image;
        lastFamily = osFamilyOfImage(image);
      }
      return lastFamily;
    };
    return {
      RUN(instruction) {
        for (const run of ctx.runScript(instruction).scripts) {
          const found = unguardedPipeline(run);
          if (!found) continue;
          const advice = adviceFor(ctx, instruction, run, familyOf);
          ctx.report({ range: inSource(run, found.at), messageId: 'pipe', data: { producer: found.producer, advice } });
          return;
        }
      },
    };
  },
});

/** How to turn pipefail on for this script: by the shell that runs it, or for `/bin/sh` by the base image's distribution. */
function adviceFor(
  analysis: Analysis,
  instruction: Instruction,
  run: LocatedScript,
  familyOf: (image: string) => OsFamily | undefined,
): string {
  const shell = basename(run.script.shell[0] ?? '');
  if (PIPEFAIL_SHELLS.has(shell)) return ADVICE.prefix;
  if (shell === 'dash') return ADVICE.shell;
  const stage = analysis.stages.owner.get(instruction);
  const family = stage && familyOf(baseImage(stage));
  if (family === 'debian') return ADVICE.shell;
  // Alpine's /bin/sh is busybox ash; the RHEL and SUSE families link it to bash.
  if (family !== undefined) return ADVICE.prefix;
  return ADVICE.either;
}

/** The first pipeline of a script that runs without pipefail and can hide a failure: where, and which command. */
function unguardedPipeline(run: LocatedScript): { at: Range; producer: string } | undefined {
  // A pipeline needs a `|` in the script's text that is not half of `||`: most scripts have none, and their commands
  // are not walked.
  if (run.kind === 'exec' || !mayPipe(run.script.source)) return undefined;
  for (const pipeline of pipelines(run.script.commands)) {
    if (pipeline.first.state.options.pipefail !== undefined) continue;
    // A reader that stops early kills the writer with SIGPIPE: pipefail would fail the step, so it is no remedy there.
    if (readerStopsEarly(pipeline)) continue;
    const producer = producerOf(pipeline);
    if (!producer) continue;
    return {
      at: firstPipe(run.script.source, pipeline),
      producer: run.script.source.slice(producer.argv[0].start, producer.argv[0].end),
    };
  }
  return undefined;
}

/** Whether a script's text has a `|` that is not part of `||` (a `|||` still counts: the shell reads `||` then `|`). */
function mayPipe(source: string): boolean {
  for (let at = source.indexOf('|'); at >= 0; at = source.indexOf('|', at + 1)) {
    if (source.charCodeAt(at + 1) !== 0x7c) return true;
    at++;
  }
  return false;
}

/** Whether an element after the first has a reader that may stop early. */
function readerStopsEarly(pipeline: Pipeline): boolean {
  const elements = pipeline.elements;
  for (let e = 1; e < elements.length; e++) if (elements[e]?.some(stopsEarly)) return true;
  return false;
}

/** The first command before the last element that can fail (elements in order, commands in order). */
function producerOf(pipeline: Pipeline): SimpleCommand | undefined {
  const elements = pipeline.elements;
  for (let e = 0; e < pipeline.last && e < elements.length; e++) {
    const element = elements[e];
    if (element === undefined) continue;
    for (const command of element) {
      if (command.argv.length > 0 && !CANNOT_FAIL.has(basename(command.name ?? ''))) return command;
    }
  }
  return undefined;
}

/** `head`, `grep -q`, `grep -m N`: readers that may close the pipe before the writer is done. */
function stopsEarly(command: SimpleCommand): boolean {
  const name = basename(command.name ?? '');
  if (name === 'head') return true;
  if (name !== 'grep' && name !== 'egrep' && name !== 'fgrep') return false;
  return command.argv
    .slice(1)
    .some((word) => /^-[A-Za-z]*[qm]/.test(word.value ?? '') || /^--(quiet|silent|max-count)\b/.test(word.value ?? ''));
}

/** Whether a frame inside `context[depth]` detaches a command's status from it (`$(…)`, `&`, a function, a condition). */
function detachedBelow(context: Context[], depth: number): boolean {
  for (let inner = depth + 1; inner < context.length; inner++) {
    if (DETACHED.has(context[inner].kind) || context[inner].role === 'condition') return true;
  }
  return false;
}

/** Every multi-command pipeline, in the order its first command runs. */
function pipelines(commands: SimpleCommand[]): Pipeline[] {
  const byFrame = new Map<string, Pipeline>();
  for (const command of commands) {
    const { context } = command;
    for (let depth = 0; depth < context.length; depth++) {
      const frame = context[depth];
      if (frame.kind !== 'pipeline' || frame.branch === undefined) continue;
      const key = `${frame.start}:${frame.end}`;
      let pipeline = byFrame.get(key);
      if (!pipeline) {
        pipeline = { frame, first: command, elements: [], last: 0, endOfFirst: command, startOfSecond: undefined };
        byFrame.set(key, pipeline);
      }
      pipeline.last = Math.max(pipeline.last, frame.branch);
      if (frame.branch === 0) pipeline.endOfFirst = command;
      if (frame.branch === 1) pipeline.startOfSecond ??= command;
      // A command inside `$(…)` or a background job of an element does not give the element its status, nor does a
      // condition (`while [ 1 ]`), whose status the construct consumes.
      if (detachedBelow(context, depth)) continue;
      (pipeline.elements[frame.branch] ??= []).push(command);
    }
  }
  return [...byFrame.values()];
}

/**
 * The first `|` (or `|&`) of a pipeline: the operator after its first element's last command, or, when that element is
 * a compound command (`{ …; } | x`, whose last command ends with its own `;`), the `|` between the elements.
 */
function firstPipe(source: string, pipeline: Pipeline): Range {
  const operator = pipeline.endOfFirst.operator;
  if (operator?.token === '|' || operator?.token === '|&') return operator;
  const from = pipeline.endOfFirst.end;
  const to = pipeline.startOfSecond?.start ?? pipeline.frame.end;
  const at = source.slice(from, to).indexOf('|');
  if (at < 0) return pipeline.frame;
  const start = from + at;
  return { start, end: source[start + 1] === '&' ? start + 2 : start + 1 };
}
