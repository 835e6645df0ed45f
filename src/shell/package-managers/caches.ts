/**
 * For each cache a package-manager call leaves, whether the same RUN leaves it in the layer: avoided (a flag or
 * setting), kept out of the layer by a BuildKit cache mount whose target covers it, removed later in the script
 * (`rm -rf`, or the manager's own clean command), or left.
 */
import type { Range } from '../ast.js';
import type { Script, SimpleCommand } from '../commands.js';
import { lastIndexOfCode, SLASH } from '../parser/chars.js';
import { homeOf, normalise } from '../state.js';
import type { CachePath, PackageManagerCall } from './types.js';

export type CacheStatus = 'left' | 'avoided' | 'mounted' | 'cleaned';

export interface CacheUse {
  call: PackageManagerCall;
  cache: CachePath;
  status: CacheStatus;
  /** The flag/command that avoided or cleaned it (its range in the script), or the mount target. */
  by?: Range & { text: string };
  mount?: string;
}

/** True when `path` is `root` or inside it. */
export function covers(root: string, path: string): boolean {
  // `root` without its trailing slashes is a prefix of `path` ending at a `/` or at its end (asked per cache per later
  // command: no regex, no copies).
  let end = root.length;
  while (end > 0 && root.charCodeAt(end - 1) === 47) end--;
  if (end === 0) return true; // `/`
  if (path.length < end) return false;
  for (let i = 0; i < end; i++) if (path.charCodeAt(i) !== root.charCodeAt(i)) return false;
  return path.length === end || path.charCodeAt(end) === 47;
}

/**
 * Whether removing `removed` (a path from `removedPaths`) removes the cache at `cache`: a directory at or above it, or
 * files matched by a glob inside it (`rm /var/lib/apt/lists/*_*` empties the lists; `rm *.rpm` in / removes no cache).
 */
export function removes(removed: string, cache: string): boolean {
  const slash = lastIndexOfCode(removed, SLASH);
  if (!hasGlob(removed, slash + 1)) return covers(removed, cache);
  const folder = removed.slice(0, slash) || '/';
  return folder === cache || folder.startsWith(`${cache}/`);
}

/** What a command other than `rm` removes (one array for all: read, never changed). */
const nothingRemoved = Object.freeze([]) as readonly string[] as string[];

/** A `*`, `?` or `[` in `text` between `from` and `to`. */
function hasGlob(text: string, from: number, to = text.length): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2a || c === 0x3f || c === 0x5b) return true;
  }
  return false;
}

/**
 * What a command removes: `rm -r`/`rm -rf` operands, resolved against the command's cwd and $HOME, with a trailing
 * `/*` (or `/.*`, `/**`) meaning "the directory's contents" — which empties a cache as well as removing it — and a
 * glob in the last component kept as written.
 */
export function removedPaths(command: SimpleCommand): string[] {
  if (command.name !== 'rm' && command.name !== '/bin/rm') return nothingRemoved;
  const out: string[] = [];
  for (let w = 1; w < command.argv.length; w++) {
    const word = command.argv[w];
    const value = word.value;
    if (value === undefined || value.startsWith('-')) continue;
    let path = value;
    if (word.tilde) path = path.replace(/^~(?=\/|$)/, homeOf(command.state));
    if (!path.startsWith('/')) {
      if (command.state.cwd === undefined) continue;
      path = `${command.state.cwd.replace(/\/$/, '')}/${path}`;
    }
    // `./*` is the directory's contents and `../pip` a sibling: resolve the segments before the last one (kept as
    // written when it is a glob), and a trailing `.`.
    const slash = lastIndexOfCode(path, SLASH);
    if (hasGlob(path, slash + 1)) path = `${normalise(path.slice(0, slash)).replace(/\/$/, '')}/${path.slice(slash + 1)}`;
    else path = normalise(path);
    path = path.replace(/\/(\.?\*+|\*\*)?$/, '').replace(/\/\*$/, '') || '/';
    // A glob in the last component only (`lists/*_*`) is kept: it removes files of that directory (see `removes`).
    if (hasGlob(path, 0, lastIndexOfCode(path, SLASH))) continue; // a glob in the middle: cannot tell which directories it removes
    out.push(path);
  }
  return out;
}

/**
 * Classifies every cache the calls fill. `mountTargets` are the RUN's `--mount=type=cache` (or tmpfs) targets;
 * a mount on a directory keeps everything under it out of the layer.
 */
export function cacheUses(script: Script, calls: PackageManagerCall[], options: { mountTargets?: string[] } = {}): CacheUse[] {
  const uses: CacheUse[] = [];
  let removed: RemovedPaths | undefined;
  let cleaners: PackageManagerCall[] | undefined; // the calls that clean a cache: few, usually none
  for (const call of calls) {
    if (call.caches.length === 0) continue;
    removed ??= new RemovedPaths();
    cleaners ??= calls.filter((c) => c.cleans.length > 0);
    for (const cache of call.caches) uses.push(classify(script, cleaners, call, cache, options.mountTargets ?? [], removed));
  }
  return uses;
}

/** `removedPaths` of each command of one script, computed on first use (every cache asks about every later command). */
class RemovedPaths {
  private readonly byIndex: (string[] | undefined)[] = [];

  of(command: SimpleCommand): string[] {
    let paths = this.byIndex[command.index];
    if (paths === undefined) {
      paths = removedPaths(command);
      this.byIndex[command.index] = paths;
    }
    return paths;
  }
}

function classify(
  script: Script,
  cleaners: PackageManagerCall[],
  call: PackageManagerCall,
  cache: CachePath,
  mounts: string[],
  removed: RemovedPaths,
): CacheUse {
  if (call.noCache) {
    const flag = call.flags.find((f) => /^--no-cache(-dir)?$|^-n$/.test(f.name));
    return { call, cache, status: 'avoided', by: span(script, flag ?? call.command) };
  }
  for (const mount of mounts) {
    if (!covers(mount, cache.path)) continue;
    if (mount !== '') return { call, cache, status: 'mounted', mount };
    break; // an empty target (never from a RUN: see cacheMountTargets) mounts nothing
  }
  // Every later command (this runs for every cache of every call: plain loops, no copies).
  for (let i = call.command.index + 1; i < script.commands.length; i++) {
    const command = script.commands[i];
    if (inFunction(command)) continue; // defined here, maybe never called
    if (removesCache(removed.of(command), cache.path) || cleanedBy(cleaners, command, cache.path))
      return { call, cache, status: 'cleaned', by: span(script, command) };
  }
  return { call, cache, status: 'left' };
}

function span(script: Script, r: Range): Range & { text: string } {
  return { start: r.start, end: r.end, text: script.source.slice(r.start, r.end) };
}

function inFunction(command: SimpleCommand): boolean {
  const context = command.context;
  for (let i = 0; i < context.length; i++) if (context[i].kind === 'function') return true;
  return false;
}

function removesCache(removed: string[], cache: string): boolean {
  for (const path of removed) if (removes(path, cache)) return true;
  return false;
}

/** A call made by `command` that cleans the cache at `cache` (`apt-get clean`, `npm cache clean`, …). */
function cleanedBy(cleaners: PackageManagerCall[], command: SimpleCommand, cache: string): boolean {
  for (const c of cleaners) {
    if (c.command !== command) continue;
    for (const cleaned of c.cleans) if (covers(cleaned.path, cache)) return true;
  }
  return false;
}
