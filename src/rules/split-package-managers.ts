/**
 * split-package-managers: one RUN installs with two or more package managers (the article's "mono-layer"). A change to
 * any one package list re-runs every manager of the RUN. Build dependencies removed again in the same RUN do not count.
 * The fix cuts the RUN into one RUN per manager, in the original order, each manager keeping its own update and
 * cleanup; it is offered only where src/shell/split.ts says the cut keeps what runs.
 */
import type { Dockerfile, Instruction } from '../dockerfile/ast.js';
import { covers } from '../shell/package-managers/caches.js';
import type { Family, PackageManagerCall } from '../shell/package-managers/index.js';
import { canSplitAt, type SplitVerdict } from '../shell/split.js';
import { defineRule, type Fix } from './define.js';
import { cutEdit, flagSpans } from './knowledge/run-layout.js';
import type { LocatedScript, RunScript } from './knowledge/scripts.js';

/**
 * The families whose installs stay in the layer. An install is temporary when a later command of the same RUN takes
 * it out again: `apk del` of its `--virtual` name or of all its packages, `apt-get purge/remove/autoremove` of all its
 * packages, or an `apt-mark auto` followed by an auto-removing purge (the docker-library build-deps pattern). Managers
 * of one language count as one family (`npm install -g yarn && yarn install` bootstraps the project's own tool).
 */
export function persistentInstallFamilies(calls: readonly PackageManagerCall[]): Map<Family, PackageManagerCall[]> {
  const persistent = new Map<Family, PackageManagerCall[]>();
  calls.forEach((install, index) => {
    if (install.operation !== 'install') return;
    // `… | xargs apk add`: a package list computed during the build (runtime deps of what it compiled), not one a user edits.
    if (computedList(install)) return;
    if (isUndone(install, calls.slice(index + 1))) return;
    persistent.set(install.family, [...(persistent.get(install.family) ?? []), install]);
  });
  return persistent;
}

function installsWithTwoFamilies(run: RunScript): boolean {
  let first: Family | undefined;
  for (const { call } of run.calls) {
    if (call.operation !== 'install') continue;
    if (first === undefined) first = call.family;
    else if (call.family !== first) return true;
  }
  return false;
}

function computedList(call: PackageManagerCall): boolean {
  const first = call.invokedAs[0]?.start ?? call.command.start;
  return call.command.argv.some((w) => w.start < first && w.value !== undefined && /(^|\/)xargs$/.test(w.value));
}

function isUndone(install: PackageManagerCall, later: readonly PackageManagerCall[]): boolean {
  const removals = later.filter((c) => c.family === install.family && c.operation === 'remove');
  if (removals.length === 0) return false;
  const removed = new Set(removals.flatMap((c) => c.packages.map((p) => p.text)));
  const virtual = install.flags.find((f) => f.name === '--virtual' || f.name === '-t')?.value;
  if (virtual !== undefined && removed.has(virtual)) return true;
  const names = install.packages.map((p) => p.text);
  if (names.length > 0 && names.every((name) => removed.has(name))) return true;
  // docker-library: savedAptMark=…; apt-get install …; apt-mark auto '.*'; …; apt-get purge -y --auto-remove
  return install.family === 'debian' && removals.some(autoRemoves);
}

function autoRemoves(call: PackageManagerCall): boolean {
  return (
    call.subcommand?.value === 'autoremove' || call.flags.some((f) => f.name === '--auto-remove' || f.name === '--autoremove')
  );
}

/** Why a split cannot be offered, or the fix. */
function splitFix(
  ast: Dockerfile,
  instruction: Instruction,
  run: RunScript,
  families: Map<Family, PackageManagerCall[]>,
): Fix | string {
  if (run.heredoc) return 'the script is a heredoc: split it by hand into one heredoc per package manager';
  const located = run.scripts[0];
  if (!located || run.scripts.length !== 1) return 'the RUN has no single shell script to split';
  const script = located.script;
  if (!script.supported) return `the shell ${script.shell[0]} is not a POSIX shell`;
  if (script.hasErrors) return 'the shell script has a syntax error';
  const owners = partFamilies(run, located, new Set(families.keys()));
  const mixed = owners.findIndex((set) => set.size > 1);
  if (mixed >= 0) {
    return `${[...owners[mixed]].map((f) => families.get(f)![0].manager).join(' and ')} run in one compound command that cannot be cut`;
  }
  // Each manager's commands must be one run of parts, in order, for a cut that keeps the order.
  const blocks: { family: Family; first: number; last: number }[] = [];
  owners.forEach((set, index) => {
    const family = [...set][0];
    if (family === undefined) return;
    const open = blocks.at(-1);
    if (open?.family === family) open.last = index;
    else blocks.push({ family, first: index, last: index });
  });
  const again = blocks.find((block, b) => blocks.slice(0, b).some((earlier) => earlier.family === block.family));
  if (again) {
    const manager = families.get(again.family)![0].manager;
    return `\`${manager}\` runs again after another manager: one RUN per manager would reorder the commands`;
  }
  // Cut between blocks: right after a manager's last command (what comes between usually prepares the next one), or
  // later when that cut is not safe.
  const cuts: number[] = [];
  const carries: string[][] = [];
  for (let b = 1; b < blocks.length; b++) {
    let first: SplitVerdict | undefined;
    let chosen: number | undefined;
    for (let after = blocks[b - 1].last; after < blocks[b].first; after++) {
      const verdict = canSplitAt(script, after);
      first ??= verdict;
      if (verdict.safe) {
        chosen = after;
        carries.push(verdict.carry);
        break;
      }
    }
    if (chosen === undefined) {
      const reason = first && !first.safe ? first.reason : 'no place to cut';
      const line = first && !first.safe && first.at ? ` (line ${lineOf(ast, located.base + first.at.start)})` : '';
      return `cannot split between \`${families.get(blocks[b - 1].family)![0].manager}\` and \`${families.get(blocks[b].family)![0].manager}\`: ${reason}${line}`;
    }
    cuts.push(chosen);
  }
  // Flags: a cache mount goes with the managers whose caches it holds; every other flag (or a cache mount of no
  // manager here) is copied to each RUN, as the user wrote it.
  const flags = flagSpans(ast, instruction);
  const groupOf = (part: number) => cuts.filter((cut) => part > cut).length;
  const cacheFamilies = run.calls.map(({ call }) => ({ family: call.family, paths: call.caches.map((c) => c.path) }));
  const flagGroups = flags.map((flag) => {
    const target = flag.name === 'mount' ? cacheMountTarget(flag.value ?? '') : undefined;
    if (target === undefined) return undefined;
    const owned = new Set(
      blocks.flatMap((block, b) =>
        cacheFamilies.some((c) => c.family === block.family && c.paths.some((path) => covers(target, path)))
          ? [groupOfBlock(b)]
          : [],
      ),
    );
    return owned.size > 0 ? owned : undefined;
  });
  function groupOfBlock(b: number): number {
    return groupOf(blocks[b].first);
  }
  const flagsFor = (group: number) => flags.filter((_, i) => flagGroups[i] === undefined || flagGroups[i]!.has(group));
  // Each new RUN starts with the shell state its commands relied on (`set -o errexit && cd /app && …`).
  const edits = cuts.map((cut, i) => {
    const edit = cutEdit(
      ast,
      instruction,
      located,
      script.parts[cut],
      script.parts[cut + 1],
      flagsFor(i + 1).map((f) => f.text),
    );
    return carries[i].length > 0 ? { ...edit, text: `${edit.text}${carries[i].join(' && ')} && ` } : edit;
  });
  flags.forEach((flag, i) => {
    if (flagGroups[i] !== undefined && !flagGroups[i]!.has(0)) edits.push(flag.cut);
  });
  return { safety: 'safe', structure: 'split', edits };
}

/** For each top-level part of the script, the persistent-install families whose commands (or cleanup) it holds. */
function partFamilies(run: RunScript, located: LocatedScript, families: Set<Family>): Set<Family>[] {
  const owners = located.script.parts.map(() => new Set<Family>());
  for (const { call } of run.calls) {
    if (families.has(call.family)) owners[call.command.part].add(call.family);
  }
  // `rm -rf /var/lib/apt/lists/*` belongs with apt: the cleanup of a cache one of the managers filled.
  for (const { use } of run.caches) {
    if (use.status !== 'cleaned' || !use.by || !families.has(use.call.family)) continue;
    const part = located.script.commands.find((c) => c.start <= use.by!.start && use.by!.start < c.end)?.part;
    if (part !== undefined) owners[part].add(use.call.family);
  }
  return owners;
}

/** The target of `type=cache,target=…` (BuildKit's CSV; `dst`/`destination` are aliases), else undefined. */
function cacheMountTarget(value: string): string | undefined {
  const fields = new Map(
    value.split(',').map((field) => {
      const eq = field.indexOf('=');
      return [(eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase(), eq < 0 ? '' : field.slice(eq + 1).trim()] as const;
    }),
  );
  if (fields.get('type') !== 'cache') return undefined;
  return fields.get('target') ?? fields.get('dst') ?? fields.get('destination');
}

function lineOf(ast: Dockerfile, offset: number): number {
  return ast.source.slice(0, offset).split('\n').length;
}

export default defineRule({
  id: 'split-package-managers',
  status: 'stable',
  since: '0.1.0',
  severity: 'warning',
  tags: ['cache'],
  fix: 'sometimes',
  messages: {
    managers:
      'This RUN installs with {{managers}}: a change to any one package list re-runs all of them. Give each package manager its own RUN.',
  },
  docs: {
    description: 'One RUN installs packages with two or more package managers.',
    whatItDoes:
      'Reports a RUN in which two or more package managers (for example `apt-get` and `pip`) install packages that stay in the image. Managers of one family count once (`apt-get`, `apt` and `dpkg`; `pip`, `pip3` and `python -m pip`), and so do the managers of one language (`npm`, `yarn` and `pnpm`; `gem` and `bundle`). Packages installed only for the build and removed again in the same RUN (`apk add --virtual .build-deps … apk del .build-deps`, `apt-mark auto … apt-get purge --auto-remove`) do not count, nor do package lists computed during the build (`… | xargs apk add`), nor an index refresh (`apt-get update`).',
    why: "BuildKit caches a RUN as one unit. When one manager's package list changes, every manager in that RUN runs again: adding one pip package re-downloads the apt index (about 20 MB) and every apt package, and the whole layer (often hundreds of MB) is rebuilt, pushed and pulled again. One RUN per manager keeps the others CACHED; the extra layer costs a few kilobytes. The reverse advice, merging RUNs to save layers, trades cache hits for nothing (hadolint #715).",
    example: `FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip \\
 && rm -rf /var/lib/apt/lists/* \\
 && pip3 install requests`,
    useInstead: `FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip \\
 && rm -rf /var/lib/apt/lists/*
RUN pip3 install requests`,
    fixSafety:
      "Safe, and offered only when nothing changes but the layers: the RUN is cut at top-level `&&` (or `;` under `set -e`) between one manager's commands and the next's, each manager keeping its own update and cleanup (`rm -rf /var/lib/apt/lists/*` stays with apt), in the original order. Commands between two managers go with the next one; the cut moves later when it must. Shell state the second RUN relies on is carried into it, joined by `&&` before its commands: `set -o errexit`/`pipefail`/`nounset`/`noglob`, `umask`, `cd <absolute dir>` (resolved against WORKDIR), `export A=<value>` and variables used after the cut. No fix (with the reason) when that state is known only when the script runs (`cd $(mktemp -d)`, `A=$(…)`, `source`), for functions and other options, or when a cut would change what a failure does (`||`, `;` without `set -e`), when the managers' commands interleave, share one compound command, or run from a heredoc. A `--mount=type=cache` goes to the RUN of the manager whose cache it holds; every other flag (`--mount` of other kinds, `--network`, `--security`) is copied to each new RUN, as the user wrote it.",
    references: ['https://github.com/hadolint/hadolint/issues/715', 'https://docs.docker.com/build/cache/optimize/'],
  },
  defaultOptions: {},
  create(ctx) {
    return {
      RUN(instruction) {
        const run = ctx.runScript(instruction);
        // Fewer than two families install at all (most RUNs): none can be persistent twice.
        if (!installsWithTwoFamilies(run)) return;
        const families = persistentInstallFamilies(run.calls.map((c) => c.call));
        if (families.size < 2) return;
        const managers = [...families.values()].map((list) => `\`${list[0].manager}\``);
        const text = `${managers.slice(0, -1).join(', ')} and ${managers.at(-1)}`;
        const fix = splitFix(ctx.ast, instruction, run, families);
        ctx.report({
          node: instruction,
          messageId: 'managers',
          data: { managers: text },
          ...(typeof fix === 'string' ? { unfixable: fix } : { fix }),
        });
      },
    };
  },
});
