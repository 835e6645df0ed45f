/**
 * BuildKit's content checksum (cache/contenthash), over an abstract tree of file records. A context reader (a
 * directory walk, a git revision) adds records; this module answers "what digest does BuildKit give this COPY source
 * selection". Pure: the only input is data handed in; file contents arrive as chunks through `FileHasher`.
 *
 * Per file: SHA-256 of the tarsum-v1 header selection (name empty, mode incl. setuid/setgid/sticky, uid, gid, size,
 * typeflag, linkname, uname/gname empty, devmajor/devminor, filtered sorted xattrs; never mtime) followed by content.
 * Per directory: SHA-256 of "\0"+header digest, then "\0"+name+digest for each child in byte order of name.
 */
import { createHash, type Hash } from 'node:crypto';
import { type MatchInfo, PatternMatcher } from './dockerignore.js';
import { cleanPath, goMatch } from './go-path.js';

export type EntryKind = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo';

/** What BuildKit's header selection sees of a file (uid/gid are 0 for a build context: the client resets them). */
export interface FileHeader {
  kind: EntryKind;
  /** Permission bits plus setuid (0o4000), setgid (0o2000) and sticky (0o1000). Symlinks are always 0o777. */
  mode: number;
  /** Size in bytes (regular files only; others hash as 0). */
  size?: number;
  linkname?: string;
  uid?: number;
  gid?: number;
  devmajor?: number;
  devminor?: number;
  /** Extended attributes: a string is its UTF-8 bytes; binary values (security.capability) as bytes. */
  xattrs?: Readonly<Record<string, string | Uint8Array>>;
}

const TYPEFLAG: Record<EntryKind, string> = { file: '0', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' };

/** The tarsum v1 header string BuildKit hashes before a file's content (binary xattr values shown as UTF-8). */
export function tarsumHeader(header: FileHeader): string {
  return tarsumHeaderBytes(header).toString('utf8');
}

/** The tarsum v1 header bytes: `key` + `value` per selected field, xattr values as their raw bytes. */
export function tarsumHeaderBytes(header: FileHeader): Buffer {
  const size = header.kind === 'file' ? (header.size ?? 0) : 0;
  const linkname = header.kind === 'symlink' ? (header.linkname ?? '') : '';
  const fields: [string, string][] = [
    ['name', ''],
    ['mode', String(header.mode & 0o7777)],
    ['uid', String(header.uid ?? 0)],
    ['gid', String(header.gid ?? 0)],
    ['size', String(size)],
    ['typeflag', TYPEFLAG[header.kind]],
    ['linkname', linkname],
    ['uname', ''],
    ['gname', ''],
    ['devmajor', String(header.devmajor ?? 0)],
    ['devminor', String(header.devminor ?? 0)],
  ];
  const xattrs = Object.keys(header.xattrs ?? {})
    .filter((k) => k === 'security.capability' || (!k.startsWith('security.') && !k.startsWith('system.')))
    .sort(compareBytes);
  const parts: Uint8Array[] = fields.map(([k, v]) => Buffer.from(k + v, 'utf8'));
  for (const key of xattrs) {
    const value = header.xattrs?.[key] ?? '';
    parts.push(Buffer.from(key, 'utf8'), typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
  }
  return Buffer.concat(parts);
}

/** sha256 of nothing: BuildKit's digest for the context root header and for an empty selection. */
export const EMPTY_DIGEST = `sha256:${createHash('sha256').digest('hex')}`;

/** Streams one file: the header goes in first, then each content chunk. */
export class FileHasher {
  private readonly hash: Hash;
  constructor(header: FileHeader) {
    this.hash = createHash('sha256').update(tarsumHeaderBytes(header));
  }
  update(chunk: Uint8Array): this {
    this.hash.update(chunk);
    return this;
  }
  digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }
}

/** The digest of a file with no content to stream (directory header, symlink, device, empty file). */
export function headerDigest(header: FileHeader): string {
  return new FileHasher(header).digest();
}

/** Byte order of UTF-8 encodings, as Go compares strings. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export interface FileNode {
  kind: 'file' | 'symlink' | 'other';
  digest: string;
  linkname?: string;
}
export interface DirNode {
  kind: 'dir';
  /** The header digest (the root's is EMPTY_DIGEST). */
  digest: string;
  children: Map<string, Node>;
  /** Memoised recursive digest. */
  contents?: string;
}
export type Node = FileNode | DirNode;

/** How a COPY/ADD source or bind mount selects paths (BuildKit ChecksumOpts). */
export interface Selector {
  /** The path as written (relative to the context or stage root); a trailing "/" matters with patterns. */
  path: string;
  followLinks?: boolean;
  wildcard?: boolean;
  includePatterns?: readonly string[];
  excludePatterns?: readonly string[];
}

export class ContentError extends Error {
  override name = 'ContentError';
}

const MAX_SYMLINKS = 255;

/** The record tree of one context. Build it with `add*`, then ask `checksum(selector)`. */
export class ContentTree {
  readonly root: DirNode;

  /**
   * `rootMode`: a transferred build context has no root header (BuildKit fakes it as the digest of nothing); a
   * snapshot that BuildKit scans from disk (a stage's output) has its root directory's real header.
   */
  constructor(rootMode?: number) {
    const digest = rootMode === undefined ? EMPTY_DIGEST : headerDigest({ kind: 'dir', mode: rootMode });
    this.root = { kind: 'dir', digest, children: new Map() };
  }

  /** Adds a directory (parents must exist or are created with mode 0755). */
  addDir(path: string, header: Omit<FileHeader, 'kind'>): void {
    const { parent, name } = this.parentOf(path);
    const existing = parent.children.get(name);
    const digest = headerDigest({ ...header, kind: 'dir' });
    if (existing?.kind === 'dir') existing.digest = digest;
    else parent.children.set(name, { kind: 'dir', digest, children: new Map() });
  }

  /** Adds a file, symlink or special file whose record digest is already known. */
  addRecord(path: string, node: FileNode): void {
    const { parent, name } = this.parentOf(path);
    parent.children.set(name, node);
  }

  addSymlink(path: string, target: string): void {
    this.addRecord(path, {
      kind: 'symlink',
      linkname: target,
      digest: headerDigest({ kind: 'symlink', mode: 0o777, linkname: target }),
    });
  }

  /**
   * A copy with one record replaced or added (the directories on its path are copied, everything else is shared and
   * this tree is left as it is): the context of a what-if, e.g. the same commit with a rewritten Dockerfile.
   */
  withRecord(path: string, node: FileNode): ContentTree {
    const copy = new ContentTree();
    copy.root.digest = this.root.digest;
    copy.root.children = new Map(this.root.children);
    const parts = splitPath(path);
    if (parts.length === 0) throw new ContentError('cannot replace the context root');
    let dir = copy.root;
    for (const part of parts.slice(0, -1)) {
      const child = dir.children.get(part);
      const clone: DirNode =
        child?.kind === 'dir'
          ? { kind: 'dir', digest: child.digest, children: new Map(child.children) }
          : { kind: 'dir', digest: headerDigest({ kind: 'dir', mode: 0o755 }), children: new Map() };
      dir.children.set(part, clone);
      dir = clone;
    }
    dir.children.set(parts[parts.length - 1], node);
    return copy;
  }

  /** Whether any record exists at `path` (no symlink resolution). */
  has(path: string): boolean {
    return this.lookupExact(splitPath(path)) !== undefined;
  }

  /** All paths (files, links, dirs) in BuildKit's key order, for tests and diagnostics. */
  *paths(): Generator<[string, Node]> {
    yield* walkNodes(this.root, '');
  }

  private parentOf(path: string): { parent: DirNode; name: string } {
    const parts = splitPath(path);
    if (parts.length === 0) throw new ContentError('cannot replace the context root');
    let dir = this.root;
    for (const part of parts.slice(0, -1)) {
      let next = dir.children.get(part);
      if (next === undefined) {
        next = { kind: 'dir', digest: headerDigest({ kind: 'dir', mode: 0o755 }), children: new Map() };
        dir.children.set(part, next);
      }
      if (next.kind !== 'dir') throw new ContentError(`${path}: a parent is not a directory`);
      dir = next;
    }
    return { parent: dir, name: parts[parts.length - 1] };
  }

  private lookupExact(parts: string[]): Node | undefined {
    let node: Node = this.root;
    for (const part of parts) {
      if (node.kind !== 'dir') return undefined;
      const next = node.children.get(part);
      if (next === undefined) return undefined;
      node = next;
    }
    return node;
  }

  /**
   * getFollowLinks: resolves `path` through symlinks in its parents (and in its last component when
   * `followTrailing`); returns the resolved path's components and node, or undefined when it does not exist.
   */
  resolve(path: string, followTrailing: boolean): { parts: string[]; node: Node | undefined } {
    const direct = splitPath(path);
    const found = this.lookupExact(direct);
    if (found && (!followTrailing || found.kind !== 'symlink')) return { parts: direct, node: found };
    if (direct.length === 0) return { parts: direct, node: found };
    let current: string[] = [];
    let remaining = [...direct];
    let links = 0;
    let node: Node | undefined;
    while (remaining.length > 0) {
      const part = remaining.shift() as string;
      const next = splitPath(['', ...current, part].join('/'));
      node = this.lookupExact(next);
      if (node === undefined || node.kind !== 'symlink') {
        current = next;
        continue;
      }
      if (!followTrailing && remaining.length === 0) {
        current = next;
        break;
      }
      if (++links > MAX_SYMLINKS) throw new ContentError(`${path}: too many links`);
      const target = node.linkname ?? '';
      remaining = [...target.split('/').filter((p) => p !== ''), ...remaining];
      if (target.startsWith('/')) current = [];
    }
    return { parts: current, node: current.length === 0 ? this.root : node };
  }

  /** The recursive digest of a node (a directory's contents digest; otherwise its record digest). */
  digestOf(node: Node): string {
    if (node.kind !== 'dir') return node.digest;
    if (node.contents) return node.contents;
    const hash = createHash('sha256');
    hash.update('\0').update(node.digest);
    for (const name of [...node.children.keys()].sort(compareBytes)) {
      hash.update(`\0${name}`).update(this.digestOf(node.children.get(name) as Node));
    }
    node.contents = `sha256:${hash.digest('hex')}`;
    return node.contents;
  }

  /** BuildKit `Checksum(ref, path, opts)`: the digest that keys a COPY source or bind mount selection. */
  checksum(selector: Selector): string {
    const hasPatterns = (selector.includePatterns?.length ?? 0) > 0 || (selector.excludePatterns?.length ?? 0) > 0;
    if (!selector.wildcard && !hasPatterns) return this.lazyChecksum(selector.path, selector.followLinks ?? false);
    const { prefix, included } = this.includedPaths(selector);
    const records = included.map((entry) => {
      if (entry.followLinks && entry.node.kind === 'symlink') return { ...entry, digest: this.lazyChecksum(entry.path, true) };
      return { ...entry, digest: entry.node.digest };
    });
    if (records.length === 0) return EMPTY_DIGEST;
    if (records.length === 1 && baseName(selector.path) === baseName(records[0].path)) return records[0].digest;
    const hash = createHash('sha256');
    for (const record of records) {
      const rel = record.path.startsWith(prefix) ? record.path.slice(prefix.length) : record.path;
      hash.update(rel === '' ? '\0' : rel.replaceAll('/', '\0'));
      hash.update(record.digest);
    }
    return `sha256:${hash.digest('hex')}`;
  }

  private lazyChecksum(path: string, followTrailing: boolean): string {
    const { node } = this.resolve(path, followTrailing);
    if (node === undefined) throw new ContentError(`${keyPath(path) || '/'}: not found`);
    return this.digestOf(node);
  }

  /** `includedPaths`: the records a wildcard or filtered selection takes, in key order, with its prefix. */
  private includedPaths(selector: Selector): { prefix: string; included: Included[] } {
    const endsInSep = selector.path.endsWith('/');
    const p = keyPath(selector.path);
    const include = selector.includePatterns?.length ? new PatternMatcher(selector.includePatterns, '--parents') : undefined;
    const exclude = selector.excludePatterns?.length ? new PatternMatcher(selector.excludePatterns, '--exclude') : undefined;
    let origPrefix: string;
    let start: DirNode | undefined;
    if (selector.wildcard) {
      const [d1, d2] = splitWildcards(p);
      if (d1 === '/') origPrefix = '';
      else {
        origPrefix = d1;
        const resolved = this.resolve(d1, d2 !== '');
        if (resolved.node?.kind === 'dir') start = resolved.node;
      }
    } else {
      origPrefix = p;
      const resolved = this.resolve(p, false);
      if (resolved.node?.kind === 'dir') start = resolved.node;
      else if (resolved.node) {
        // The iteration starts at the source's own record: a file (or link) source is checked as itself (path "").
        const entry: Included = { path: p, node: resolved.node, included: true, followLinks: Boolean(selector.followLinks) };
        return { prefix: origPrefix, included: matchFilters('', include, exclude, entry, undefined) ? [entry] : [] };
      }
    }
    const included: Included[] = [];
    if (origPrefix === '') start = this.root;
    if (!start) return { prefix: origPrefix, included };
    const parentHeaders: Included[] = [];
    let lastMatchedDir = '';
    // The selection root's own header comes first (`/dir/` record), then its subtree in key order.
    const visit = (node: Node, fn: string): void => {
      while (parentHeaders.length > 0 && !fn.startsWith(`${parentHeaders[parentHeaders.length - 1].path}/`)) parentHeaders.pop();
      const parent = parentHeaders[parentHeaders.length - 1];
      const isHeader = node.kind === 'dir';
      if (isHeader && fn === p && endsInSep) {
        this.visitChildren(node as DirNode, fn, visit);
        return;
      }
      const entry: Included = {
        path: fn,
        node,
        included: false,
        followLinks: parent === undefined && Boolean(selector.followLinks),
      };
      let candidate: string;
      if (selector.wildcard) {
        if (p !== '' && (lastMatchedDir === '' || !fn.startsWith(`${lastMatchedDir}/`))) {
          if (!goMatch(p, fn)) {
            if (isHeader) this.visitChildren(node as DirNode, fn, visit);
            return;
          }
          lastMatchedDir = fn;
        }
        candidate = trimSlash(`${fn}/`.startsWith(`${lastMatchedDir}/`) ? `${fn}/`.slice(lastMatchedDir.length + 1) : `${fn}/`);
      } else {
        candidate = trimSlash(`${fn}/`.slice(p.length + 1));
      }
      const shouldInclude = matchFilters(candidate, include, exclude, entry, parent);
      if (shouldInclude) {
        for (const header of parentHeaders) {
          if (!header.included) {
            included.push(header);
            header.included = true;
          }
        }
        included.push(entry);
        entry.included = true;
      }
      if (isHeader) {
        parentHeaders.push(entry);
        this.visitChildren(node as DirNode, fn, visit);
      }
    };
    visit(start, origPrefix);
    return { prefix: origPrefix, included };
  }

  private visitChildren(dir: DirNode, fn: string, visit: (node: Node, fn: string) => void): void {
    for (const name of [...dir.children.keys()].sort(compareBytes)) visit(dir.children.get(name) as Node, `${fn}/${name}`);
  }
}

interface Included {
  path: string;
  node: Node;
  included: boolean;
  followLinks: boolean;
  includeInfo?: MatchInfo;
  excludeInfo?: MatchInfo;
}

function matchFilters(
  candidate: string,
  include: PatternMatcher | undefined,
  exclude: PatternMatcher | undefined,
  entry: Included,
  parent: Included | undefined,
): boolean {
  if (include) {
    const result = include.matches(candidate, parent?.includeInfo);
    entry.includeInfo = result.info;
    if (!result.matched) return false;
  }
  if (exclude) {
    const result = exclude.matches(candidate, parent?.excludeInfo);
    entry.excludeInfo = result.info;
    if (result.matched) return false;
  }
  return true;
}

function* walkNodes(dir: DirNode, prefix: string): Generator<[string, Node]> {
  for (const name of [...dir.children.keys()].sort(compareBytes)) {
    const node = dir.children.get(name) as Node;
    const path = `${prefix}/${name}`;
    yield [path, node];
    if (node.kind === 'dir') yield* walkNodes(node, path);
  }
}

const trimSlash = (s: string) => (s.endsWith('/') ? s.slice(0, -1) : s);
const baseName = (p: string) => {
  const clean = cleanPath(`/${p}`);
  return clean === '/' ? '/' : clean.slice(clean.lastIndexOf('/') + 1);
};

/** BuildKit keyPath: "/" + cleaned path, with the root as "". */
export function keyPath(path: string): string {
  const clean = cleanPath(`/${path}`);
  return clean === '/' ? '' : clean;
}

function splitPath(path: string): string[] {
  const key = keyPath(path);
  return key === '' ? [] : key.slice(1).split('/');
}

/** Splits "/a/b*\/c" into the part before the first wildcard component and the rest. */
function splitWildcards(p: string): [string, string] {
  const parts = cleanPath(p === '' ? '/' : p).split('/');
  const p1: string[] = [];
  const p2: string[] = [];
  let found = false;
  for (let part of parts) {
    if (!found && /[*?[]/.test(part.replace(/\\./g, ''))) found = true;
    if (part === '') part = '/';
    (found ? p2 : p1).push(part);
  }
  return [joinPaths(p1), joinPaths(p2)];
}

function joinPaths(parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join('/');
  return joined === '' ? '' : cleanPath(joined);
}

/** Paths that differ between two trees under `path` (added, removed or changed), at most `limit`, in key order. */
export function changedPaths(before: ContentTree, after: ContentTree, path: string, limit = 5): string[] {
  const out: string[] = [];
  const a = before.resolve(path, true).node;
  const b = after.resolve(path, true).node;
  const prefix = keyPath(path);
  const visit = (x: Node | undefined, y: Node | undefined, at: string): void => {
    if (out.length >= limit) return;
    if (x && y && before.digestOf(x) === after.digestOf(y)) return;
    if (x?.kind === 'dir' && y?.kind === 'dir') {
      if (x.digest !== y.digest) out.push(`${at || '/'} (directory mode)`);
      const names = [...new Set([...x.children.keys(), ...y.children.keys()])].sort(compareBytes);
      for (const name of names) visit(x.children.get(name), y.children.get(name), `${at}/${name}`);
      return;
    }
    const rel = at.startsWith('/') ? at.slice(1) : at;
    out.push(!x ? `${rel} added` : !y ? `${rel} removed` : `${rel} changed`);
  };
  visit(a, b, prefix);
  return out;
}
