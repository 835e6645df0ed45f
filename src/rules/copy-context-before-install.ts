/**
 * copy-context-before-install: a broad COPY/ADD of the build context (`.`, a source directory) comes before a
 * dependency install that needs only the manifests, so every source edit re-runs the install.
 */
import type { Instruction } from '../dockerfile/index.js';
import { defineRule } from './define.js';
import { managerCommand } from './knowledge/managers.js';
import { ECOSYSTEMS, type EcosystemName, isBroadSource } from './knowledge/manifests.js';
import { type Command, runInfo } from './knowledge/run.js';
import { type Stage, stageOf, stagesOf } from './knowledge/stages.js';

interface ManifestInstall {
  command: Command;
  /** The files to copy first (`requirements.txt` as named by `-r`, else the ecosystem's manifests). */
  manifests: string[];
}

/** The install reads only manifests: `npm ci`, `pip install -r requirements.txt`, `bundle install`, `go mod download`… */
function manifestInstall(command: Command): ManifestInstall | undefined {
  const call = managerCommand(command);
  const manifests = (name: EcosystemName) => ({ command, manifests: ECOSYSTEMS[name].manifests.slice(0, 2) });
  if (call) {
    if (call.family === 'pip' && call.operation === 'install') {
      const at = call.flags.findIndex((flag) => flag.value === '-r' || flag.value === '--requirement');
      const file =
        at >= 0 ? call.flags[at + 1]?.value : call.flags.find((f) => f.value?.startsWith('--requirement='))?.value?.slice(14);
      if (!file || file.includes('$')) return undefined;
      return { command, manifests: [file.slice(file.lastIndexOf('/') + 1)] };
    }
    if (call.operation !== 'deps') return undefined;
    switch (call.family) {
      case 'npm':
      case 'yarn':
      case 'pnpm':
      case 'go':
      case 'cargo':
      case 'composer':
        return manifests(call.family);
      case 'bundler':
        return manifests('bundler');
      default:
        return undefined;
    }
  }
  const [first, second] = command.words.map((w) => w.value);
  if (command.name === 'poetry' && first && second === 'install') return manifests('poetry');
  if (command.name === 'uv' && second === 'sync') return manifests('uv');
  if (command.name === 'pipenv' && second === 'install' && command.words.length === 2) return manifests('pipenv');
  if (
    (command.name === 'mvn' || command.name === 'mvnw') &&
    command.words.some((w) => /^dependency:(go-offline|resolve)$/.test(w.value ?? ''))
  )
    return manifests('maven');
  return undefined;
}

/** A COPY/ADD from the build context whose sources include a whole tree. */
function broadContextCopy(instruction: Instruction): string | undefined {
  if (instruction.name !== 'COPY' && instruction.name !== 'ADD') return undefined;
  if (instruction.flags.some((flag) => flag.name === 'from') || instruction.heredocs.length > 0) return undefined;
  const sources = instruction.args.slice(0, -1).map((arg) => arg.value);
  return sources.find((source) => !/^[a-z]+:\/\//i.test(source) && !source.startsWith('git@') && isBroadSource(source));
}

export default defineRule({
  id: 'copy-context-before-install',
  status: 'stable',
  since: '0.1.0',
  severity: 'warning',
  tags: ['cache'],
  fix: 'never',
  messages: {
    beforeInstall:
      '{{instruction}} {{source}} copies the whole source tree before `{{install}}` (line {{line}}): every source edit re-runs the install. COPY {{manifests}} first, install, then copy the rest.',
  },
  docs: {
    description: 'A broad COPY of the build context comes before a dependency install that needs only the manifests.',
    whatItDoes:
      'Reports a COPY or ADD from the build context of `.`, a directory or a wildcard over a tree (not named files) when a later RUN of the same stage (or of a stage built on it) installs dependencies from manifests only, and no such install ran above the COPY (a second install after it only adds the project itself): `npm ci` / `npm install` without package names, `yarn install`, `pnpm install`, `pip install -r requirements.txt`, `poetry install`, `uv sync`, `pipenv install`, `bundle install`, `composer install`, `go mod download`, `cargo fetch`, `mvn dependency:go-offline`.',
    why: "A COPY's cache key is the checksum of everything it copies. Any edit of any source file invalidates the COPY and every step after it, so the install downloads and builds all dependencies again on every code change: minutes and hundreds of MB per build. Copying the manifests first keeps the install CACHED until a dependency changes.",
    example: `FROM node:22
WORKDIR /app
COPY . .
RUN npm ci`,
    useInstead: `FROM node:22
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .`,
    fixSafety:
      'No automatic fix yet: `lint --fix` will insert a COPY of the manifests that exist in the context before the install.',
    references: [
      'https://docs.docker.com/build/cache/optimize/#order-your-layers',
      'https://docs.docker.com/build/concepts/context/',
    ],
  },
  defaultOptions: {},
  create(ctx) {
    const reported = new Set<Instruction>();
    return {
      RUN(instruction) {
        const installs = runInfo(instruction).commands.flatMap((command) => manifestInstall(command) ?? []);
        if (installs.length === 0) return;
        const copy = earlierBroadCopy(stageOf(stagesOf(ctx.ast), instruction), instruction);
        if (!copy || reported.has(copy.instruction)) return;
        reported.add(copy.instruction);
        const install = installs[0];
        ctx.report({
          node: copy.instruction,
          messageId: 'beforeInstall',
          data: {
            instruction: copy.instruction.name,
            source: copy.source,
            install: ctx.source.slice(install.command.start, install.command.end),
            line: instruction.range.start.line,
            manifests: install.manifests.join(' '),
          },
        });
      },
    };
  },
});

/**
 * The first broad COPY above `before` in its stage and the stages it is built on, unless the dependencies were already
 * installed from the manifests above that COPY: then the later install only adds the project itself (`uv sync` after
 * `uv sync --no-install-project`), which needs the source.
 */
function earlierBroadCopy(
  stage: Stage | undefined,
  before: Instruction,
): { instruction: Instruction; source: string } | undefined {
  const chain: Stage[] = [];
  for (let current = stage; current; current = current.parent) chain.unshift(current);
  for (const current of chain) {
    const end = current === stage ? current.instructions.indexOf(before) : current.instructions.length;
    for (const instruction of current.instructions.slice(0, end)) {
      if (instruction.name === 'RUN' && runInfo(instruction).commands.some((command) => manifestInstall(command)))
        return undefined;
      const source = broadContextCopy(instruction);
      if (source !== undefined) return { instruction, source };
    }
  }
  return undefined;
}
