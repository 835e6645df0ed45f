/**
 * fsutil's filtered walk, independent of where entries come from (a directory on disk, a git tree): entries are
 * visited in byte order of name; an excluded directory is skipped unless an exception could re-include something
 * below it; an excluded directory that holds a kept entry is emitted just before that entry (as fsutil's lazy parent
 * emission does). Pure.
 */
import { compareBytes } from './contenthash.js';
import type { ExcludeFilter, MatchInfo } from './dockerignore.js';

export interface WalkEntry<T> {
  name: string;
  isDir: boolean;
  /** Whatever the source needs to list or read this entry later. */
  handle: T;
}

export interface WalkSource<T> {
  /** The entries of a directory (`undefined` = the context root). */
  list(dir: T | undefined): WalkEntry<T>[];
  /** Called for every kept entry, parents before children. */
  emit(path: string, entry: WalkEntry<T>): void;
}

export function walkFiltered<T>(source: WalkSource<T>, filter: ExcludeFilter | undefined): void {
  const walk = (dir: T | undefined, rel: string, parentInfo: MatchInfo | undefined, pending: [string, WalkEntry<T>][]) => {
    const entries = source.list(dir).sort((a, b) => compareBytes(a.name, b.name));
    let waiting = pending;
    for (const entry of entries) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const check = filter?.check(path, entry.isDir, parentInfo);
      if (check?.excluded) {
        if (entry.isDir && !check.skipDir) walk(entry.handle, path, check.info, [...waiting, [path, entry]]);
        continue;
      }
      for (const [dirPath, dirEntry] of waiting) source.emit(dirPath, dirEntry);
      waiting = [];
      source.emit(path, entry);
      if (entry.isDir) walk(entry.handle, path, check?.info, []);
    }
  };
  walk(undefined, '', undefined, []);
}
