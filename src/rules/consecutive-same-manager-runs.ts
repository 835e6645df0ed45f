/**
 * consecutive-same-manager-runs: back-to-back RUNs that install with the same package manager, or that only do
 * trivial file bookkeeping. Unlike hadolint's DL3059 it never asks to merge RUNs of different managers: one layer per
 * manager is what keeps the others CACHED (see split-package-managers).
 */
import type { Instruction } from '../dockerfile/index.js';
import { basename } from '../shell/commands.js';
import { defineRule } from './define.js';
import type { LocatedCall, LocatedScript } from './knowledge/scripts.js';

/** Commands that only touch metadata or a few small files: a RUN of nothing else is cheap to rebuild. */
const trivialCommands = new Set([
  'mkdir',
  'chmod',
  'chown',
  'chgrp',
  'ln',
  'touch',
  'echo',
  'printf',
  'true',
  'useradd',
  'groupadd',
  'adduser',
  'addgroup',
  'usermod',
]);

export default defineRule({
  id: 'consecutive-same-manager-runs',
  status: 'stable',
  since: '0.2.0',
  severity: 'info',
  tags: ['cache', 'size'],
  fix: 'never',
  hadolint: ['DL3059'],
  messages: {
    sameManager:
      'This RUN installs with `{{manager}}` right after a RUN that did too (line {{previous}}): two layers, each with its own copy of the package database and index, and two index downloads per rebuild. Install both lists in one RUN.',
    trivial:
      'This RUN and the one before it (line {{previous}}) only do file bookkeeping (`{{commands}}`): one RUN makes one layer instead of two.',
  },
  docs: {
    description: 'Consecutive RUNs install with the same package manager, or only do trivial bookkeeping.',
    whatItDoes:
      'Reports a RUN that directly follows another RUN (same `--mount`/`--network` flags) when both install packages with the same single package manager, or when both consist only of trivial commands (`mkdir`, `chmod`, `chown`, `ln`, `touch`, `echo`, `useradd`, …). RUNs of different managers are never reported: keeping each manager in its own RUN is what `split-package-managers` asks for.',
    why: "Each install RUN is a layer that carries its own copy of the manager's bookkeeping (apt rewrites /var/lib/dpkg/status and extended_states, apk its installed database, pip its RECORD files), and each rebuild of each RUN downloads the index again. Two apt RUNs in a row rebuild together anyway when the first changes, so the split buys no cache hit. Splitting one manager's packages on purpose (a big, stable toolchain first, a small, often-changing list second) is a valid choice; ignore the finding there.",
    example:
      'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*\nRUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*',
    useInstead:
      'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc make && rm -rf /var/lib/apt/lists/*',
    fixSafety: 'No fix: merging two RUNs changes failure handling and shell state between them (see `canSplitAt`).',
    references: ['https://github.com/hadolint/hadolint/wiki/DL3059', 'https://github.com/hadolint/hadolint/issues/715'],
  },
  defaultOptions: {},
  create(ctx) {
    let previous: Instruction | undefined;
    /** What the previous RUN was made of (each RUN is read once, when the next instruction is a RUN too). */
    let previousFacts: RunFacts | undefined;
    return {
      Instruction(instruction) {
        const before = previous;
        const beforeFacts = previousFacts;
        previous = instruction;
        previousFacts = undefined;
        if (instruction.name !== 'RUN' || before?.name !== 'RUN' || !sameFlags(before, instruction)) return;
        const facts = (previousFacts = factsOf(instruction));
        const earlier = beforeFacts ?? factsOf(before);
        const manager = earlier.installManager;
        if (manager !== undefined && manager === facts.installManager) {
          ctx.report({ node: instruction, messageId: 'sameManager', data: { manager, previous: before.range.start.line } });
          return;
        }
        if (earlier.trivialNames.length > 0 && facts.trivialNames.length > 0) {
          const unique = [...new Set([...earlier.trivialNames, ...facts.trivialNames])].join('`, `');
          ctx.report({ node: instruction, messageId: 'trivial', data: { commands: unique, previous: before.range.start.line } });
        }
      },
    };

    function factsOf(instruction: Instruction): RunFacts {
      const run = ctx.runScript(instruction);
      return { installManager: installManager(run.calls), trivialNames: trivialNames(run.scripts) };
    }
  },
});

interface RunFacts {
  /** The one manager the RUN installs with; undefined when none or several. */
  installManager: string | undefined;
  /** The command names of a RUN made only of trivial commands; empty otherwise. */
  trivialNames: string[];
}

function installManager(calls: readonly LocatedCall[]): string | undefined {
  let installs: string | undefined;
  for (const { call } of calls) {
    if (call.manager !== calls[0].call.manager) return undefined;
    if (installs === undefined && call.operation === 'install') installs = call.manager;
  }
  return installs;
}

function trivialNames(scripts: readonly LocatedScript[]): string[] {
  const names: string[] = [];
  for (const { script } of scripts) {
    for (const command of script.commands) {
      const name = command.name === undefined ? undefined : basename(command.name);
      if (name === undefined || !trivialCommands.has(name)) return [];
      names.push(name);
    }
  }
  return names;
}

/** Whether two RUNs carry the same flags, as written (most RUNs have none: nothing is joined for them). */
function sameFlags(a: Instruction, b: Instruction): boolean {
  if (a.flags.length === 0 && b.flags.length === 0) return true;
  return flagsOf(a) === flagsOf(b);
}

function flagsOf(instruction: Instruction): string {
  return instruction.flags.map((flag) => flag.text).join(' ');
}
