/** Path rules of BuildKit's util/system for Linux targets (NormalizePath / NormalizeWorkdir). */

/** Go path.Clean. */
export function cleanPath(path: string): string {
  if (isClean(path)) return path;
  if (path === '') return '.';
  const rooted = path.startsWith('/');
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

/**
 * Whether path.Clean returns `path` itself: `/`, or non-empty segments that are not `.` or `..`, without a trailing
 * slash (most paths in Dockerfiles), so they need no split and join.
 */
function isClean(path: string): boolean {
  const n = path.length;
  if (n === 0) return false;
  if (n === 1 && path.charCodeAt(0) === SLASH) return true;
  if (path.charCodeAt(n - 1) === SLASH) return false;
  let segment = path.charCodeAt(0) === SLASH ? 1 : 0;
  for (let i = segment; i <= n; i++) {
    if (i < n && path.charCodeAt(i) !== SLASH) continue;
    const length = i - segment;
    if (length === 0) return false;
    if (path.charCodeAt(segment) === DOT && (length === 1 || (length === 2 && path.charCodeAt(segment + 1) === DOT)))
      return false;
    segment = i + 1;
  }
  return true;
}

/** NormalizePath(parent, newPath, keepSlash): relative paths join the parent; absolute ones are kept as written. */
export function normalizePath(parent: string, newPath: string, keepSlash: boolean): string {
  let base = parent === '' ? '/' : parent;
  if (!base.startsWith('/')) base = cleanPath(`/${base}`);
  const orig = newPath;
  let result = newPath === '' ? base : newPath;
  if (!result.startsWith('/')) result = cleanPath(`${base}/${result}`);
  if (keepSlash) {
    if (orig.endsWith('/') && !result.endsWith('/')) result += '/';
    else if (orig.endsWith('/.')) {
      if (result !== '/') result += '/';
      result += '.';
    }
  }
  return result;
}

/** A COPY/ADD destination relative to the working directory ("." and "" mean "./"). */
export function destRelativeToWorkdir(workdir: string, dest: string): string {
  if (dest.startsWith('/')) return normalizePath('/', dest, true);
  return normalizePath(workdir, dest === '.' || dest === '' ? './' : dest, true);
}
