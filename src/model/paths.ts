/** Path rules of BuildKit's util/system for Linux targets (NormalizePath / NormalizeWorkdir). */

/** Go path.Clean. */
export function cleanPath(path: string): string {
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
