/**
 * One interface for every package manager (style.md §1: one interface, one file per manager). A manager module
 * recognises its own invocations among a script's simple commands and describes each as a `PackageManagerCall`.
 */
import type { Range, Word } from '../ast.js';
import type { SimpleCommand } from '../commands.js';

export type Operation = 'update' | 'install' | 'remove' | 'upgrade' | 'clean' | 'other';

/** The distribution family (for OS managers) or language ecosystem a manager belongs to. */
export type Family = 'debian' | 'alpine' | 'rhel' | 'suse' | 'python' | 'conda' | 'node' | 'ruby' | 'go' | 'rust' | 'php';

/** A dash typed as a look-alike character (en dash, em dash, minus sign, …): the command will not see a flag. */
export interface Lookalike {
  /** The look-alike characters in the flag's leading dashes, with their offsets in the script. */
  characters: { char: string; name: string; codePoint: string; offset: number }[];
  /** The flag the author meant, with plain hyphen-minus (`–no-cache` → `--no-cache`). */
  meant: string;
  /**
   * Whether `meant` is certainly what was meant: two dash characters, or one before a single letter. One en or em
   * dash before a longer name is probably a typeset `--`, but could be a mistyped `-rf`.
   */
  certain: boolean;
}

export interface Flag extends Range {
  /** The option name as the manager reads it, dashes normalised (`--no-install-recommends`, `-y`). */
  name: string;
  /** The value given with `=` or as the next word. */
  value: string | undefined;
  /** The word(s) as written. */
  word: Word;
  valueWord?: Word;
  /** Set when the dashes were look-alike characters. */
  lookalike?: Lookalike;
}

export interface PackageSpec extends Range {
  /** As written (static value). */
  text: string;
  name: string;
  version: string | undefined;
  /** Pinned to one exact version (`a=1.2`, `a==1.2`, `a@1.2.3`); ranges and tags are not pins. */
  pinned: boolean;
  /** A registry package name, or a local file / URL / directory / requirements file given instead. */
  kind: 'name' | 'file' | 'url' | 'path' | 'requirements';
}

export interface CachePath {
  /** Absolute path (home directories resolved with $HOME, default /root). */
  path: string;
  /** What lives there, for messages (`apt package lists`). */
  what: string;
}

export interface PackageManagerCall {
  manager: string;
  family: Family;
  command: SimpleCommand;
  /** The words that name the manager (`python3 -m pip`, `uv pip`, `apt-get`). */
  invokedAs: Word[];
  operation: Operation;
  /** The word naming the operation (`install`, `add`, `-i` for dpkg); undefined when implicit (`yarn`). */
  subcommand: Word | undefined;
  packages: PackageSpec[];
  flags: Flag[];
  /** Will not stop for a confirmation prompt (`-y`, `--non-interactive`, or a manager that never asks). */
  assumeYes: boolean;
  /** Recommended/weak dependencies are not installed (`--no-install-recommends`, `install_weak_deps=False`). */
  noInstallRecommends: boolean;
  /** The call itself avoids writing its cache (`--no-cache`, `--no-cache-dir`, `PIP_NO_CACHE_DIR`, …). */
  noCache: boolean;
  /**
   * The caches this call fills (when `noCache` is false): what would stay in the layer unless cleaned or mounted.
   * See caches.ts `cacheUses` for the verdict per RUN.
   */
  caches: CachePath[];
  /** Caches this call removes (`apt-get clean`, `dnf clean all`, `npm cache clean --force`, …). */
  cleans: CachePath[];
}

/** The command names (basenames) a manager answers to: index.ts dispatches a command to one manager by them. */
export interface CommandNames {
  /** Exact basenames (`apt-get`, `composer.phar`). */
  exact: readonly string[];
  /** Names that may carry a version right after them: the name followed by a digit (`gem2.7`, `pip3.12`, `python3`). */
  versioned?: readonly string[];
}

export interface PackageManager {
  id: string;
  family: Family;
  /** The names it is invoked by; `recognise` may still refuse a command so named (`pip3.12.1`, `python3 x.py`). */
  commands: CommandNames;
  /** `recognise` reads no variable (the OS managers): it is given an empty env instead of the command's. */
  ignoresEnv?: boolean;
  /**
   * Recognises `command` as an invocation of this manager. `env` holds the variables the command sees (exported
   * state plus its prefix assignments), to resolve cache locations and no-cache settings.
   */
  recognise(command: SimpleCommand, env: Readonly<Record<string, string | undefined>>): PackageManagerCall | undefined;
}
