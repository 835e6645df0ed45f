/**
 * A layer's tar entries as filesystem changes: normalised paths, whiteouts (`.wh.NAME` deletes NAME) and opaque
 * directories (`.wh..wh..opq` hides everything lower layers put in the directory), hard links resolved to the path
 * they share an inode with. Hostile entries are refused with the archive, layer and entry named: absolute names,
 * `..`, whiteouts of `.`/`..`, hard links leaving the root, entries written through a symlink, devices outside
 * /dev and duplicate paths. Pure: takes tar headers, returns changes.
 */
import { InputError } from '../errors.js';
import type { TarEntryType, TarHeader } from './tar/header.js';

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';

/** Linux's PATH_MAX: no real file has a longer path, and deeper trees would only cost memory and stack. */
export const MAX_PATH = 4096;

export type LayerEntryKind = TarEntryType | 'whiteout' | 'opaque';

export interface LayerEntry {
  /** Normalised path without a leading `/` (`usr/bin/env`). For whiteouts, the path deleted; for opaque, the directory. */
  path: string;
  kind: LayerEntryKind;
  /** Bytes of data in the tar (regular files only; 0 for everything else). */
  size: number;
  /** Symlink target as written, or the normalised path a hard link shares its inode with. */
  linkTarget: string;
  mode: number;
  uid: number;
  gid: number;
  /** Present when the walk was asked to hash contents (image diff): sha256 of a regular file's data. */
  contentDigest?: string;
  /** Present when the walk was given an `intern` function: the id of the name it checked for duplicates. */
  key?: number;
}

/** Where an entry came from, for error messages. */
function where(what: string, header: TarHeader): string {
  return `${what}: entry ${JSON.stringify(header.name)}`;
}

/**
 * Normalises a tar member name: drops `./` and repeated slashes, refuses absolute names and `..`. Returns '' for the
 * root directory itself. `context` names the entry in an error.
 */
export function normaliseName(name: string, context: () => string): string {
  if (name.length > MAX_PATH) throw new InputError(`${context()}: path longer than ${MAX_PATH} bytes`);
  if (name.startsWith('/')) throw new InputError(`${context()}: absolute path in a layer`);
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') throw new InputError(`${context()}: path traversal ("..") in a layer`);
    parts.push(part);
  }
  return parts.join('/');
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function withKey(entry: LayerEntry, key: number | undefined): LayerEntry {
  if (key !== undefined) entry.key = key;
  return entry;
}

/** Checks and converts one layer's tar headers, in order. State (seen paths, symlinks) lives for one layer only. */
export class LayerWalk {
  private readonly seen = new Map<string, LayerEntryKind>();
  private seenIds = new Uint8Array(0);
  private readonly symlinks = new Set<string>();

  /**
   * `intern` (optional) numbers the names checked for duplicates (see layer-record.ts): the check then holds a number
   * per entry instead of its path string, and the entries carry the number as `key`.
   */
  constructor(
    private readonly what: string,
    private readonly intern?: (key: string) => number,
  ) {}

  /** The change an entry makes, or undefined for entries that change nothing (the root directory). */
  entry(header: TarHeader): LayerEntry | undefined {
    const context = () => where(this.what, header); // built only for an error: most entries have none
    const path = normaliseName(header.name, context);
    if (path === '') {
      if (header.type !== 'directory') throw new InputError(`${context()}: the layer root is not a directory`);
      return undefined;
    }
    this.refuseThroughSymlink(path, context);
    const base = path.slice(path.lastIndexOf('/') + 1);
    const directory = parentOf(path);
    if (base.startsWith(WHITEOUT_PREFIX)) return this.whiteout(base, directory, header, context);
    if ((header.type === 'char' || header.type === 'block') && !(path === 'dev' || path.startsWith('dev/')))
      throw new InputError(`${context()}: device file outside /dev`);
    let linkTarget = header.linkname;
    if (header.type === 'hardlink') {
      if (linkTarget.startsWith('/')) throw new InputError(`${context()}: hard link to an absolute path (${linkTarget})`);
      linkTarget = normaliseName(linkTarget, () => `${context()}: hard link target`);
      if (linkTarget === '') throw new InputError(`${context()}: hard link to the layer root`);
    }
    const key = this.record(path, header.type, context);
    if (header.type === 'symlink') this.symlinks.add(path);
    return withKey(
      {
        path,
        kind: header.type,
        size: header.type === 'file' ? header.size : 0,
        linkTarget,
        mode: header.mode,
        uid: header.uid,
        gid: header.gid,
      },
      key,
    );
  }

  private whiteout(base: string, directory: string, header: TarHeader, context: () => string): LayerEntry {
    const common = { size: 0, linkTarget: '', mode: header.mode, uid: header.uid, gid: header.gid };
    if (base === OPAQUE_MARKER) {
      const key = this.record(`${directory}/${OPAQUE_MARKER}`, 'opaque', context);
      return withKey({ ...common, path: directory, kind: 'opaque' }, key);
    }
    const target = base.slice(WHITEOUT_PREFIX.length);
    if (target === '' || target === '.' || target === '..' || target.startsWith(WHITEOUT_PREFIX))
      throw new InputError(`${context()}: whiteout of ${JSON.stringify(target)} is not allowed`);
    const path = directory ? `${directory}/${target}` : target;
    const key = this.record(`${directory}/${base}`, 'whiteout', context);
    return withKey({ ...common, path, kind: 'whiteout' }, key);
  }

  /** Refuses a second entry for the same name (directories excepted); returns the interned key, if interning. */
  private record(path: string, kind: LayerEntryKind, context: () => string): number | undefined {
    const twice = () => new InputError(`${context()}: duplicate entry for ${path} in one layer`);
    if (!this.intern) {
      const previous = this.seen.get(path);
      if (previous !== undefined && !(previous === 'directory' && kind === 'directory')) throw twice();
      this.seen.set(path, kind);
      return undefined;
    }
    // With ids, a byte per id (1 directory, 2 anything else) instead of a Map entry holding the path.
    const key = this.intern(path);
    if (key >= this.seenIds.length) {
      const grown = new Uint8Array(Math.max(key + 1, this.seenIds.length * 2, 1024));
      grown.set(this.seenIds);
      this.seenIds = grown;
    }
    const previous = this.seenIds[key];
    if (previous !== 0 && !(previous === 1 && kind === 'directory')) throw twice();
    this.seenIds[key] = kind === 'directory' ? 1 : 2;
    return key;
  }

  /** An entry beneath a symlink of the same layer would be written wherever the link points: refuse it. */
  private refuseThroughSymlink(path: string, context: () => string): void {
    if (this.symlinks.size === 0) return;
    for (let at = path.indexOf('/'); at >= 0; at = path.indexOf('/', at + 1)) {
      const ancestor = path.slice(0, at);
      if (this.symlinks.has(ancestor))
        throw new InputError(`${context()}: written through the symlink ${ancestor} (symlink escape)`);
    }
  }
}

/** Converts a whole layer's headers (as read by `readTar`) to its changes. */
export async function* layerEntries(headers: AsyncIterable<TarHeader>, what: string): AsyncGenerator<LayerEntry> {
  const walk = new LayerWalk(what);
  for await (const header of headers) {
    const entry = walk.entry(header);
    if (entry) yield entry;
  }
}
