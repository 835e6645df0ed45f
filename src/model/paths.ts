/** Path rules of BuildKit's util/system for Linux targets (NormalizePath / NormalizeWorkdir). */
import { codeAt, endsWithText } from '../dockerfile/code-units.js';

/** Go path.Clean. */
export function cleanPath(path: string): string {
  if (isClean(path)) return path;
  if (path === '') return '.';
  const rooted = startsWithSlash(path);
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

const SLASH = 0x2f;
const DOT = 0x2e;

function startsWithSlash(path: string): boolean {
  return path.length > 0 && codeAt(path, 0) === SLASH;
}

function endsWithSlash(path: string): boolean {
  const length = path.length;
  return length > 0 && codeAt(path, length - 1) === SLASH;
}

/**
 * Whether path.Clean returns `path` itself: `/`, or non-empty segments that are not `.` or `..`, without a trailing
 * slash (most paths in Dockerfiles), so they need no split and join.
 */
function isClean(path: string): boolean {
  const n = path.length;
  if (n === 0) return false;
  if (n === 1 && codeAt(path, 0) === SLASH) return true;
  if (codeAt(path, n - 1) === SLASH) return false;
  let segment = codeAt(path, 0) === SLASH ? 1 : 0;
  for (let i = segment; i <= n; i++) {
    if (i < n && codeAt(path, i) !== SLASH) continue;
    const length = i - segment;
    if (length === 0) return false;
    if (codeAt(path, segment) === DOT && (length === 1 || (length === 2 && codeAt(path, segment + 1) === DOT))) return false;
    segment = i + 1;
  }
  return true;
}

/** NormalizePath(parent, newPath, keepSlash): relative paths join the parent; absolute ones are kept as written. */
export function normalizePath(parent: string, newPath: string, keepSlash: boolean): string {
  let base = parent === '' ? '/' : parent;
  if (!startsWithSlash(base)) base = cleanPath(`/${base}`);
  const orig = newPath;
  let result = newPath === '' ? base : newPath;
  if (!startsWithSlash(result)) result = cleanPath(`${base}/${result}`);
  if (keepSlash) {
    if (endsWithSlash(orig) && !endsWithSlash(result)) result += '/';
    else if (endsWithText(orig, '/.')) {
      if (result !== '/') result += '/';
      result += '.';
    }
  }
  return result;
}

/** A COPY/ADD destination relative to the working directory ("." and "" mean "./"). */
export function destRelativeToWorkdir(workdir: string, dest: string): string {
  if (startsWithSlash(dest)) return normalizePath('/', dest, true);
  return normalizePath(workdir, dest === '.' || dest === '' ? './' : dest, true);
}
