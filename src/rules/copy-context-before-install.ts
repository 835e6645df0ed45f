/**
 * copy-context-before-install: a broad COPY/ADD of the build context (`.`, a source directory) comes before a
 * dependency install that needs only the manifests, so every source edit re-runs the install.
 */
import type { Instruction } from '../dockerfile/index.js';
import { basename, type SimpleCommand } from '../shell/commands.js';
import type { PackageManagerCall } from '../shell/package-managers/index.js';
import { type Analysis, type BuildContextView, defineRule, type Fix } from './define.js';
import { runsAny } from './knowledge/command-names.js';
import { eolOf, lineSpan, moveAfter } from './knowledge/edits.js';
import { ECOSYSTEMS, type EcosystemName, isBroadSource } from './knowledge/manifests.js';
import type { LocatedScript, RunScript } from './knowledge/scripts.js';
import { sourceArgs } from './knowledge/source-args.js';
import { type Stage, type Stages, stageOf, stepOf } from './knowledge/stages.js';

interface ManifestInstall {
  command: SimpleCommand;
  ecosystem: EcosystemName;
  /** The manifests the install reads, as it names them (relative to its working directory, or absolute). */
  reads: string[];
  /** The files worth copying first when they exist (lockfiles, registry settings), relative like `reads`. */
  optional: string[];
}

const npmRcs = ['.npmrc'];

function manifestsOf(
  command: SimpleCommand,
  ecosystem: EcosystemName,
  reads: string[],
  optional: string[] = [],
): ManifestInstall {
  return { command, ecosystem, reads, optional };
}

/** Tools that install from manifests without being package managers src/shell knows. */
const manifestTools = new Set(['poetry', 'uv', 'pipenv', 'mvn', 'mvnw']);

/** The install reads only manifests: `npm ci`, `pip install -r requirements.txt`, `bundle install`, `go mod download`… */
function manifestInstall(command: SimpleCommand, call: PackageManagerCall | undefined): ManifestInstall | undefined {
  if (call === undefined) return toolInstall(command);
  const sub = call.subcommand?.value;
  const noPackages = call.packages.length === 0;
  switch (call.manager) {
    case 'pip': {
      if (sub !== 'install') return undefined;
      const files = call.packages.filter((p) => p.kind === 'requirements').map((p) => p.text);
      return files.length === 0 || files.some((f) => f.includes('$')) ? undefined : manifestsOf(command, 'pip', files);
    }
    case 'npm':
      return call.operation === 'install' && noPackages
        ? manifestsOf(command, 'npm', ['package.json'], ['package-lock.json', 'npm-shrinkwrap.json', ...npmRcs])
        : undefined;
    case 'yarn':
      return sub === undefined || sub === 'install'
        ? manifestsOf(command, 'yarn', ['package.json'], ['yarn.lock', ...npmRcs, '.yarnrc'])
        : undefined;
    case 'pnpm':
      return (sub === 'install' || sub === 'i' || sub === 'fetch') && noPackages
        ? manifestsOf(command, 'pnpm', ['package.json'], ['pnpm-lock.yaml', ...npmRcs])
        : undefined;
    case 'go':
      return sub === 'mod' && call.operation === 'install' ? manifestsOf(command, 'go', ['go.mod'], ['go.sum']) : undefined;
    case 'cargo':
      return sub === 'fetch' ? manifestsOf(command, 'cargo', ['Cargo.toml'], ['Cargo.lock']) : undefined;
    case 'composer':
      return sub === 'install' ? manifestsOf(command, 'composer', ['composer.json'], ['composer.lock']) : undefined;
    case 'bundle':
      return call.operation === 'install' ? manifestsOf(command, 'bundler', ['Gemfile'], ['Gemfile.lock']) : undefined;
  }
  return toolInstall(command);
}

/** poetry, uv, pipenv and maven installs (most commands are none of them: their name is checked first). */
function toolInstall(command: SimpleCommand): ManifestInstall | undefined {
  const name = command.name === undefined ? undefined : basename(command.name);
  if (name === undefined || !manifestTools.has(name)) return undefined;
  const first = command.argv[1]?.value;
  if (name === 'poetry' && first === 'install') return manifestsOf(command, 'poetry', ['pyproject.toml'], ['poetry.lock']);
  if (name === 'uv' && first === 'sync') return manifestsOf(command, 'uv', ['pyproject.toml'], ['uv.lock']);
  if (name === 'pipenv' && first === 'install' && command.argv.length === 2)
    return manifestsOf(command, 'pipenv', ['Pipfile'], ['Pipfile.lock']);
  if ((name === 'mvn' || name === 'mvnw') && command.argv.some((w) => /^dependency:(go-offline|resolve)$/.test(w.value ?? '')))
    return manifestsOf(command, 'maven', ['pom.xml']);
  return undefined;
}

type Installs = { install: ManifestInstall; in: LocatedScript }[];
const noInstalls: Installs = [];

function installsOf(run: RunScript): Installs {
  // Without a manifest tool among the commands, only package-manager calls can install: most RUNs make few calls and
  // run many other commands, which are then not looked at.
  const tools = runsAny(run, manifestTools);
  if (run.calls.length === 0 && !tools) return noInstalls;
  let installs: Installs | undefined;
  for (const located of run.scripts) {
    if (tools) {
      for (const command of located.script.commands) {
        const install = manifestInstall(command, callOf(located, command));
        if (install) (installs ??= []).push({ install, in: located });
      }
      continue;
    }
    for (const call of located.calls) {
      const install = manifestInstall(call.command, call);
      if (install) (installs ??= []).push({ install, in: located });
    }
  }
  return installs ?? noInstalls;
}

/** The package-manager call a command makes, if any. */
function callOf(located: LocatedScript, command: SimpleCommand): PackageManagerCall | undefined {
  for (const call of located.calls) if (call.command === command) return call;
  return undefined;
}

/** Whether a stage has a broad COPY/ADD of the context before `before` (anywhere when undefined). */
function hasContextCopyBefore(stage: Stage, before: Instruction | undefined): boolean {
  for (const instruction of stage.instructions) {
    if (instruction === before) return false;
    if ((instruction.name === 'COPY' || instruction.name === 'ADD') && broadContextCopy(instruction) !== undefined) return true;
  }
  return false;
}

/** A COPY/ADD from the build context whose sources include a whole tree. */
function broadContextCopy(instruction: Instruction): string | undefined {
  if (instruction.name !== 'COPY' && instruction.name !== 'ADD') return undefined;
  if (instruction.flags.some((flag) => flag.name === 'from') || instruction.heredocs.length > 0) return undefined;
  const sources = sourceArgs(instruction).map((arg) => arg.value);
  return sources.find((source) => !/^[a-z]+:\/\//i.test(source) && !source.startsWith('git@') && isBroadSource(source));
}

export default defineRule({
  id: 'copy-context-before-install',
  status: 'stable',
  since: '0.1.0',
  severity: 'warning',
  tags: ['cache'],
  fix: 'sometimes',
  messages: {
    beforeInstall:
      '{{instruction}} {{source}} copies the whole source tree before `{{install}}` (line {{line}}): every source edit re-runs the install. COPY {{manifests}} first, install, then copy the rest.',
  },
  docs: {
    description: 'A broad COPY of the build context comes before a dependency install that needs only the manifests.',
    whatItDoes:
      "Reports a COPY or ADD from the build context of `.`, a directory or a wildcard over a tree (not named files) when a later RUN of the same stage (or of a stage built on it) installs dependencies from manifests only, and no such install ran above the COPY (a second install after it only adds the project itself): `npm ci` / `npm install` without package names, `yarn install`, `pnpm install`, `pip install -r requirements.txt`, `poetry install`, `uv sync`, `pipenv install`, `bundle install`, `composer install`, `go mod download`, `cargo fetch`, `mvn dependency:go-offline`. With a build context (the Dockerfile's directory, or `lint --context DIR`), the manifests named are those that exist in it after .dockerignore, and an install whose manifest is not in the copied tree is not reported (the build gets it elsewhere).",
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
      "Safe, and offered only when the build context is known and the install's inputs are exactly known: the fix puts a COPY of the manifests that exist in the context (package.json with its lockfile and .npmrc, the requirements files, go.mod and go.sum, Gemfile and Gemfile.lock, pnpm's lockfile) where the broad COPY was, and moves the broad COPY to just after the install. The final image has the same files. Refused when the install could read more than its manifests (npm/pnpm lifecycle scripts or workspaces, a requirements file that includes others or installs a local path, a go.mod `replace` with a local path, a Gemfile with `gemspec` or `path:`, yarn, cargo, composer, poetry, uv, pipenv and maven), when the RUN does more than install, when other instructions stand between the COPY and the install, or when the manifests would not land where the install reads them.",
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
        const run = ctx.runScript(instruction);
        const installs = installsOf(run);
        if (installs.length === 0) return;
        const copy = earlierBroadCopy(stageOf(ctx.stages, instruction), instruction, ctx.runScript);
        if (!copy || reported.has(copy.instruction)) return;
        const { install, in: located } = installs[0];
        const plan = ctx.context ? planFix(ctx.ast.source, copy, run, install, ctx.context, ctx.stages) : undefined;
        // With a context, an install whose manifest is not in the copied tree reads it from elsewhere.
        if (plan?.kind === 'not-from-copy') return;
        reported.add(copy.instruction);
        const start = located.base + install.command.start;
        const end = located.base + install.command.end;
        ctx.report({
          node: copy.instruction,
          messageId: 'beforeInstall',
          data: {
            instruction: copy.instruction.name,
            source: copy.source,
            install: ctx.source.slice(start, end),
            line: instruction.range.start.line,
            manifests: plan?.kind === 'fix' || plan?.kind === 'refused' ? plan.manifests.join(' ') : suggested(install),
          },
          ...(plan?.kind === 'fix' && { fix: plan.fix }),
        });
      },
    };
  },
});

/** Without a context: the ecosystem's usual manifests (the -r files for pip). */
function suggested(install: ManifestInstall): string {
  if (install.ecosystem === 'pip') return install.reads.map((file) => file.slice(file.lastIndexOf('/') + 1)).join(' ');
  return ECOSYSTEMS[install.ecosystem].manifests.slice(0, 2).join(' ');
}

type Plan =
  | { kind: 'fix'; fix: Fix; manifests: string[] }
  | { kind: 'refused'; reason: string; manifests: string[] }
  | { kind: 'not-from-copy' };

/** Ecosystems whose install's inputs can be known exactly from its manifests; `check` refuses by returning a reason. */
const exactInputs: Partial<Record<EcosystemName, (read: (name: string) => string | undefined) => string | undefined>> = {
  npm: (read) => packageJsonProblem(read('package.json')),
  pnpm: (read) => (read('pnpm-workspace.yaml') !== undefined ? 'a pnpm workspace' : packageJsonProblem(read('package.json'))),
  go: (read) => {
    const mod = read('go.mod');
    if (mod === undefined) return 'go.mod could not be read';
    return /^\s*replace\b[^\n]*=>\s*\.{0,2}\//m.test(mod) || /^\s*replace\s*\([^)]*=>\s*\.{0,2}\//m.test(mod)
      ? 'go.mod replaces a module with a local directory'
      : undefined;
  },
  bundler: (read) => {
    const gemfile = read('Gemfile');
    if (gemfile === undefined) return 'the Gemfile could not be read';
    return /^\s*gemspec\b|\bpath:|:path\s*=>/m.test(gemfile) ? 'the Gemfile reads a gemspec or a local path' : undefined;
  },
};

function packageJsonProblem(text: string | undefined): string | undefined {
  if (text === undefined) return 'package.json could not be read';
  let json: { scripts?: Record<string, unknown>; workspaces?: unknown };
  try {
    json = JSON.parse(text);
  } catch {
    return 'package.json is not valid JSON';
  }
  if (json.workspaces !== undefined) return 'package.json declares workspaces';
  const hooks = ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish', 'preprepare', 'postprepare'];
  const hook = hooks.find((name) => json.scripts?.[name] !== undefined);
  return hook ? `package.json runs a \`${hook}\` script, which may need the sources` : undefined;
}

/** A requirements file that pulls in other files or local paths cannot be installed from itself alone. */
function requirementsProblem(text: string | undefined): string | undefined {
  if (text === undefined) return 'the requirements file could not be read';
  const local = text
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .find((line) => /^(-r|-c|-e|--requirement|--constraint|--editable)\b|^\.{0,2}\/|^\.$|^file:/.test(line));
  return local ? `the requirements file needs more than itself (\`${local}\`)` : undefined;
}

/** Commands a dependency-install RUN may also hold: they read nothing from the sources. */
const harmless = new Set(['cd', 'set', 'export', 'true', ':', 'umask', 'rm', 'mkdir', 'echo']);

/**
 * How to fix: copy the manifests first (where the broad COPY was), run the install, then the broad COPY. Only when
 * the install RUN follows the COPY directly (comments and blank lines aside), does nothing but install, reads inputs
 * that are exactly known, and would find the manifests where the broad COPY puts them.
 */
function planFix(
  source: string,
  copy: { instruction: Instruction; source: string },
  run: RunScript,
  install: ManifestInstall,
  context: BuildContextView,
  stages: Stages,
): Plan {
  const step = stepOf(stages, copy.instruction);
  const dest = step?.copy?.dest;
  const cwd = install.command.state.cwd;
  const copySource = copy.source.replace(/^\.\/?/, '').replace(/\/+$/, '');
  // Where the broad COPY puts the install's files, and so where each one is in the context.
  const contextPath = (name: string): string | undefined => {
    if (dest === undefined || cwd === undefined) return undefined;
    const absolute = name.startsWith('/') ? name : `${cwd.replace(/\/+$/, '')}/${name}`;
    const root = dest.replace(/\/+$/, '');
    if (!absolute.startsWith(`${root}/`)) return undefined;
    const relative = absolute.slice(root.length + 1);
    return copySource === '' ? relative : `${copySource}/${relative}`;
  };
  const required = install.reads.map(contextPath);
  if (required.some((path) => path === undefined) || /[*?[]/.test(copySource)) {
    return { kind: 'refused', reason: 'the manifests would not land where the install reads them', manifests: install.reads };
  }
  if (!required.every((path) => context.exists(path!))) return { kind: 'not-from-copy' };
  const optional = install.optional.flatMap((name) => {
    const path = contextPath(name);
    return path !== undefined && context.exists(path) ? [path] : [];
  });
  const manifests = [...(required as string[]), ...optional];
  const refuse = (reason: string): Plan => ({ kind: 'refused', reason, manifests });
  const read = (name: string) => context.read?.(contextPath(name) ?? '');
  const check = exactInputs[install.ecosystem];
  if (install.ecosystem === 'pip') {
    const problem = required.map((path) => requirementsProblem(context.read?.(path!))).find(Boolean);
    if (problem) return refuse(problem);
  } else if (!check) return refuse(`the inputs of ${install.ecosystem}'s install are not exactly its manifests`);
  else {
    const problem = check(read);
    if (problem) return refuse(problem);
  }
  const instruction = run.instruction;
  const stage = stageOf(stages, copy.instruction);
  const body = stage?.instructions ?? [];
  if (stageOf(stages, instruction) !== stage || body.indexOf(instruction) !== body.indexOf(copy.instruction) + 1)
    return refuse('other instructions stand between the COPY and the install');
  const extra = run.scripts
    .flatMap((s) => s.script.commands)
    .find((command) => {
      if (command === install.command || command.name === undefined) return false;
      if (harmless.has(basename(command.name))) return false;
      return !run.calls.some(
        (c) => c.call.command === command && c.call.operation !== 'other' && c.call.packages.every((p) => p.kind !== 'path'),
      );
    });
  if (extra) return refuse(`the RUN also runs \`${extra.name}\`, which may need the sources`);
  if (copy.instruction.json || copy.instruction.flags.some((f) => ['parents', 'exclude', 'link'].includes(f.name)))
    return refuse('the COPY uses a form or flags the fix does not rewrite');
  const destArg = copy.instruction.args.at(-1)!;
  const destText = source.slice(destArg.range.start.offset, destArg.range.end.offset);
  const folders = new Set(
    manifests.map((path) => path.slice(copySource === '' ? 0 : copySource.length + 1).replace(/[^/]*$/, '')),
  );
  if (folders.size !== 1 || /["'\s]/.test(destText) || manifests.some((path) => /[\s"'$*?[\\]/.test(path)))
    return refuse('the manifests are in several folders or have names the fix does not quote');
  const folder = [...folders][0];
  const target = `${destText.replace(/\/+$/, '')}${destText === '/' ? '' : '/'}${folder}`;
  const flags = copy.instruction.flags
    .filter((f) => f.name === 'chown' || f.name === 'chmod')
    .map((f) => `${source.slice(f.range.start.offset, f.range.end.offset)} `)
    .join('');
  const span = lineSpan(source, copy.instruction);
  const line = `${span.indent}${copy.instruction.keyword} ${flags}${manifests.join(' ')} ${target}${eolOf(copy.instruction)}`;
  // The broad COPY's lines become the manifest COPY; the broad COPY itself goes after the install.
  const [removed, inserted] = moveAfter(source, copy.instruction, instruction);
  return { kind: 'fix', manifests, fix: { safety: 'safe', edits: [{ ...removed, text: line }, inserted] } };
}

/**
 * The first broad COPY above `before` in its stage and the stages it is built on, unless the dependencies were already
 * installed from the manifests above that COPY: then the later install only adds the project itself (`uv sync` after
 * `uv sync --no-install-project`), which needs the source.
 */
function earlierBroadCopy(
  stage: Stage | undefined,
  before: Instruction,
  runScript: Analysis['runScript'],
): { instruction: Instruction; source: string } | undefined {
  const chain: Stage[] = [];
  for (let current = stage; current; current = current.parent) chain.unshift(current);
  // Most installs have no COPY or ADD of the context above them: then there is nothing to find (and no earlier RUN's
  // installs to work out).
  if (!chain.some((current) => hasContextCopyBefore(current, current === stage ? before : undefined))) return undefined;
  for (const current of chain) {
    const end = current === stage ? current.instructions.indexOf(before) : current.instructions.length;
    for (const instruction of current.instructions.slice(0, end)) {
      if (instruction.name === 'RUN' && installsOf(runScript(instruction)).length > 0) return undefined;
      const source = broadContextCopy(instruction);
      if (source !== undefined) return { instruction, source };
    }
  }
  return undefined;
}
