/**
 * early-volatile-arg: an ARG whose value changes on every build, declared above RUN steps that do not use it.
 * BuildKit puts every ARG in scope into the environment of each later RUN, so those RUNs miss the cache each time.
 */
import type { Instruction } from '../dockerfile/index.js';
import { type Analysis, defineRule, type Fix } from './define.js';
import { moveBefore } from './knowledge/edits.js';
import { isVolatileArg } from './knowledge/volatile-args.js';

/** All the text of an instruction a variable reference could hide in: its logical line and heredoc bodies. */
function instructionText(instruction: Instruction): string {
  return instruction.original + instruction.heredocs.map((h) => h.content).join('');
}

/** A test for `$name` or `${name…` in an instruction's text (made once per ARG name, not per instruction read). */
function referenceTo(name: string): (instruction: Instruction) => boolean {
  const pattern = new RegExp(`\\$(?:${name}(?![A-Za-z0-9_])|\\{${name}(?![A-Za-z0-9_]))`);
  return (instruction) => pattern.test(instruction.heredocs.length === 0 ? instruction.original : instructionText(instruction));
}

/**
 * Commands that read no variable of the build from their environment (beyond locale, proxy and PATH-like ones, which
 * a volatile ARG is not): moving a volatile ARG from above a RUN of only these cannot change what the RUN does. OS
 * package managers are among them; language package managers, build tools and scripts are not (setup.py, npm
 * scripts, make and a shell script may read any variable).
 */
const envBlind = new Set(
  (
    'apt-get apt aptitude dpkg apk dnf yum microdnf tdnf zypper rpm rm mkdir rmdir cp mv ln chmod chown chgrp touch ' +
    'echo printf true false test [ cd set cat tee head tail sort uniq cut tr sed grep wc ls find xargs tar gzip gunzip ' +
    'unzip zip curl wget useradd groupadd usermod adduser addgroup locale-gen update-ca-certificates ldconfig sleep'
  ).split(' '),
);

/**
 * The fix: the ARG's lines, byte for byte, moved to just before its first use. Safe when every RUN it leaves behind
 * runs only `envBlind` commands; otherwise unsafe, since such a RUN could read the variable from its environment.
 */
function moveFix(analysis: Analysis, arg: Instruction, between: Instruction[], use: Instruction): Fix {
  const reader = between.filter((i) => i.name === 'RUN').find((run) => mayRead(analysis, run));
  return { safety: reader ? 'unsafe' : 'safe', structure: 'move', edits: moveBefore(analysis.ast.source, arg, use) };
}

/** Whether a RUN runs anything that might read a build variable from its environment. */
function mayRead({ runScript }: Analysis, run: Instruction): boolean {
  const { scripts } = runScript(run);
  return scripts.some(
    ({ script }) =>
      !script.supported ||
      script.hasErrors ||
      script.commands.some((c) => c.name !== undefined && !envBlind.has(c.name.slice(c.name.lastIndexOf('/') + 1))) ||
      script.commands.some((c) => c.name === undefined && c.argv.length > 0),
  );
}

export default defineRule({
  id: 'early-volatile-arg',
  status: 'stable',
  since: '0.1.0',
  severity: 'warning',
  tags: ['cache'],
  fix: 'sometimes',
  messages: {
    early:
      'ARG {{name}} changes on every build, and BuildKit adds it to the environment of every later RUN: {{count}} RUN step(s) before {{use}} miss the cache each time. Declare it {{where}}.',
  },
  docs: {
    description: 'An ARG whose value changes every build is declared before steps that do not use it.',
    whatItDoes:
      'Reports an ARG whose name says it changes on every build (commit, SHA, revision, ref, date, time, build number or id, pipeline or run id, cache bust; a version or tag without a default value) when one or more RUN steps between the ARG and its first use do not use it. A global ARG before the first FROM is reported where a stage declares it again, since only that brings it into the stage.',
    why: 'BuildKit adds every ARG in scope to the environment of each later RUN, and that environment is part of the cache key. A value that changes on every build (a commit SHA from CI) therefore rebuilds every RUN after the ARG, used or not: package installs and compiles above its real use miss the cache on every build, minutes each time.',
    example: `FROM debian:bookworm
ARG GIT_COMMIT
RUN apt-get update && apt-get install -y --no-install-recommends build-essential
RUN make
LABEL org.opencontainers.image.revision=$GIT_COMMIT`,
    useInstead: `FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends build-essential
RUN make
ARG GIT_COMMIT
LABEL org.opencontainers.image.revision=$GIT_COMMIT`,
    fixSafety:
      "The ARG's lines move, byte for byte, to just before the first instruction that uses it (a move: `lint --fix` checks that every command and instruction still runs, word for word, in the same stage). Safe when the RUN steps it leaves behind only run commands that read no build variable from their environment (OS package managers, file utilities such as `rm`, `mkdir`, `cp`, `chmod`, `echo`, `curl`, `tar`); unsafe (`--fix-unsafe`) when one of them runs something that might (`make`, `pip`, `npm`, a script): it would no longer see the variable. No fix for an ARG never used (delete it, or declare it where needed) or one that declares several names.",
    references: [
      'https://docs.docker.com/reference/dockerfile/#impact-on-build-caching',
      'https://docs.docker.com/build/cache/invalidation/',
    ],
  },
  defaultOptions: {},
  create(ctx) {
    return {
      Dockerfile(ast) {
        const globalDefaults = new Set<string>();
        const firstFrom = ast.instructions.findIndex((i) => i.name === 'FROM');
        for (const instruction of ast.instructions.slice(0, firstFrom < 0 ? 0 : firstFrom)) {
          if (instruction.name !== 'ARG') continue;
          for (const arg of instruction.args) if (arg.value.includes('=')) globalDefaults.add(arg.value.split('=')[0]);
        }
        for (const stage of ctx.stages.stages) {
          const body = stage.instructions;
          body.forEach((instruction, index) => {
            if (instruction.name !== 'ARG') return;
            for (const arg of instruction.args) {
              const [name] = arg.value.split('=');
              const hasDefault = arg.value.includes('=') || globalDefaults.has(name);
              if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || !isVolatileArg(name, hasDefault)) continue;
              const later = body.slice(index + 1);
              const useAt = later.findIndex(referenceTo(name));
              const before = useAt < 0 ? later : later.slice(0, useAt);
              const count = before.filter((i) => i.name === 'RUN').length;
              if (count === 0) continue;
              const use = useAt < 0 ? undefined : later[useAt];
              const start = arg.range.start.offset;
              const fix = !use
                ? 'it is never used: delete it, or declare it where it is needed'
                : instruction.args.length > 1
                  ? 'this ARG declares several names: give this one its own ARG'
                  : moveFix(ctx, instruction, before, use);
              ctx.report({
                range: { start, end: start + name.length },
                messageId: 'early',
                data: {
                  name,
                  count,
                  use: use ? `its first use on line ${use.range.start.line}` : 'the end of the stage (it is never used)',
                  where: use ? `just before line ${use.range.start.line}` : 'where it is needed, or remove it',
                },
                ...(typeof fix === 'string' ? { unfixable: fix } : { fix }),
              });
            }
          });
        }
      },
    };
  },
});
