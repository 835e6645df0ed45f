/**
 * The edge that reads a build context directory into a ContentTree, as BuildKit's client sends it: .dockerignore
 * (or `<Dockerfile>.dockerignore`) is applied while walking, before anything is read, with fsutil's rules (an
 * excluded directory is skipped unless an exception could re-include something inside it; a directory that is
 * excluded but holds a re-included file is sent too). Contents are streamed through one reused buffer, so memory
 * stays flat however large the files are; only one record per path is kept.
 *
 * Extended attributes count as BuildKit counts them (all but security.* — except security.capability — and system.*),
 * read through `getfattr` when it is installed (xattrs.ts); without it they are not read.
 */
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { InputError } from '../errors.js';
import { ContentTree, FileHasher, type FileHeader } from './contenthash.js';
import { ExcludeFilter, PatternMatcher, readIgnoreFile } from './dockerignore.js';
import { walkFiltered } from './filtered-walk.js';
import { readXattrs } from './xattrs.js';

export interface ContextOptions {
  /** The Dockerfile's path (absolute or relative to the context); picks `<Dockerfile>.dockerignore` first. */
  dockerfile?: string;
  /** Patterns to use instead of reading an ignore file. */
  ignorePatterns?: readonly string[];
  /**
   * The top-level `.git` directory: `real` hashes it as it is; `model` replaces it by what changes on every commit
   * (a `.git/HEAD` holding `gitHead`), so a working tree compares with a git revision read by git.ts; `none` leaves
   * it out (a context without `.git`). Default `real`.
   */
  git?: 'real' | 'model' | 'none';
  gitHead?: string;
  /** Read extended attributes (default true; needs `getfattr`). */
  xattrs?: boolean;
}

/**
 * The ignore file BuildKit uses: `<Dockerfile>.dockerignore` beside the Dockerfile, else `<context>/.dockerignore`.
 * The Dockerfile defaults to `Dockerfile`, so `Dockerfile.dockerignore` counts when none is named (as on the engine).
 */
export function findIgnoreFile(contextDir: string, dockerfile = 'Dockerfile'): string | undefined {
  const specific = `${join(contextDir, dockerfile)}.dockerignore`;
  if (existsSync(specific)) return specific;
  const plain = join(contextDir, '.dockerignore');
  return existsSync(plain) ? plain : undefined;
}

/** The patterns the context is filtered with (empty when there is no ignore file). */
export function readContextIgnore(contextDir: string, options: ContextOptions = {}): { patterns: string[]; source?: string } {
  if (options.ignorePatterns) return { patterns: [...options.ignorePatterns] };
  const file = findIgnoreFile(contextDir, options.dockerfile);
  if (!file) return { patterns: [] };
  return { patterns: readIgnoreFile(readFileSync(file, 'utf8')), source: file };
}

const CHUNK = 1 << 20;

/** Mode bits as the header sees them: permissions plus setuid/setgid/sticky. */
function headerFromStat(stat: ReturnType<typeof lstatSync>, linkname?: string): FileHeader | undefined {
  if (!stat) return undefined;
  const mode = Number(stat.mode) & 0o7777;
  if (stat.isFile()) return { kind: 'file', mode, size: Number(stat.size) };
  if (stat.isDirectory()) return { kind: 'dir', mode };
  if (stat.isSymbolicLink()) return { kind: 'symlink', mode: 0o777, linkname };
  if (stat.isFIFO()) return { kind: 'fifo', mode };
  const rdev = Number(stat.rdev);
  const dev = { devmajor: Math.floor(rdev / 256) & 0xfff, devminor: (rdev & 0xff) | ((rdev >> 12) & 0xfff00) };
  if (stat.isCharacterDevice()) return { kind: 'char', mode, ...dev };
  if (stat.isBlockDevice()) return { kind: 'block', mode, ...dev };
  return undefined; // sockets are not sent
}

/** Reads a context directory into BuildKit's content records. Throws InputError for bad ignore patterns. */
export function readContextDir(contextDir: string, options: ContextOptions = {}): ContentTree {
  const { patterns, source } = readContextIgnore(contextDir, options);
  const filter = patterns.length
    ? new ExcludeFilter(new PatternMatcher(patterns, source ? relative(contextDir, source) || basename(source) : '.dockerignore'))
    : undefined;
  if (!lstatSync(contextDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InputError('the build context is not a directory', contextDir);
  }
  const tree = new ContentTree();
  const buffer = Buffer.allocUnsafe(CHUNK);
  const emitted: { path: string; abs: string; header: FileHeader }[] = [];

  const hashFile = (path: string, header: FileHeader): string => {
    const hasher = new FileHasher(header);
    if ((header.size ?? 0) === 0) return hasher.digest();
    const fd = openSync(path, 'r');
    try {
      for (;;) {
        const n = readSync(fd, buffer, 0, CHUNK, null);
        if (n === 0) break;
        hasher.update(buffer.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
    return hasher.digest();
  };

  walkFiltered<string>(
    {
      list: (dir) =>
        readDirectory(dir ?? contextDir)
          .filter((name) => dir !== undefined || name !== '.git' || (options.git ?? 'real') === 'real')
          .map((name) => {
            const abs = join(dir ?? contextDir, name);
            return { name, isDir: lstatSync(abs).isDirectory(), handle: abs };
          }),
      emit: (path, entry) => {
        const stat = lstatSync(entry.handle);
        const header = headerFromStat(stat, stat.isSymbolicLink() ? readlinkSync(entry.handle) : undefined);
        if (header) emitted.push({ path, abs: entry.handle, header });
      },
    },
    filter,
  );
  // Attributes are asked for in batches once the walk knows every path (one getfattr per batch, not per file).
  const xattrs = options.xattrs === false ? new Map() : readXattrs(emitted.map((entry) => entry.abs));
  for (const { path, abs, header: plain } of emitted) {
    const found = xattrs.get(abs);
    const header = found ? { ...plain, xattrs: found } : plain;
    if (header.kind === 'dir') tree.addDir(path, header);
    else if (header.kind === 'symlink') tree.addSymlink(path, header.linkname ?? '');
    else if (header.kind === 'file') tree.addRecord(path, { kind: 'file', digest: hashFile(abs, header) });
    else tree.addRecord(path, { kind: 'other', digest: new FileHasher(header).digest() });
  }
  if (options.git === 'model' && !filter?.check('.git', true).excluded) {
    const head = Buffer.from(`${options.gitHead ?? ''}\n`);
    tree.addDir('.git', { mode: 0o755 });
    tree.addRecord('.git/HEAD', {
      kind: 'file',
      digest: new FileHasher({ kind: 'file', mode: 0o644, size: head.length }).update(head).digest(),
    });
  }
  return tree;
}

function readDirectory(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    throw new InputError(`cannot read directory: ${(error as Error).message}`, dir);
  }
}
