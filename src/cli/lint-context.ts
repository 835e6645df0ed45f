/**
 * The build context as `lint` shows it to rules: which files exist (and, for small manifests, what they say) in the
 * context directory, after the context's .dockerignore (or `<Dockerfile>.dockerignore`) — what BuildKit would send.
 * Files are looked up one by one when a rule asks; the context is never walked.
 */
import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readContextIgnore } from '../cache/context.js';
import { PatternMatcher } from '../cache/dockerignore.js';
import type { BuildContextView } from '../rules/define.js';

/** Manifests are small; anything larger is not read (a rule then treats its content as unknown). */
const MAX_READ = 1 << 20;

/** `contextDir`: the context root; `dockerfile`: the Dockerfile's absolute path (for its own ignore file). */
export function contextView(contextDir: string, dockerfile?: string): BuildContextView {
  const relativeDockerfile = dockerfile === undefined ? undefined : relative(contextDir, dockerfile);
  const { patterns, source } = readContextIgnore(contextDir, { dockerfile: relativeDockerfile });
  const matcher = patterns.length ? new PatternMatcher(patterns, source ?? '.dockerignore') : undefined;
  const cleaned = (path: string): string | undefined => {
    const parts = path.split('/').filter((part) => part !== '' && part !== '.');
    if (parts.some((part) => part === '..')) return undefined; // outside the context
    return parts.join('/');
  };
  const fileAt = (path: string): string | undefined => {
    const clean = cleaned(path);
    if (!clean || matcher?.matches(clean).matched) return undefined;
    const full = join(contextDir, clean);
    return statSync(full, { throwIfNoEntry: false })?.isFile() ? full : undefined;
  };
  return {
    exists: (path) => fileAt(path) !== undefined,
    read(path) {
      const full = fileAt(path);
      if (!full || (statSync(full, { throwIfNoEntry: false })?.size ?? MAX_READ) >= MAX_READ) return undefined;
      try {
        return readFileSync(full, 'utf8');
      } catch {
        return undefined; // unreadable (permissions): unknown, as if it were too large
      }
    },
  };
}
