/** BuildKit's environment list (llb EnvList): setting a key removes it and appends it, so order = latest assignment. */
import type { EnvEntry } from './types.js';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function addEnv(env: readonly EnvEntry[], key: string, value: string): EnvEntry[] {
  const next: EnvEntry[] = [];
  for (const entry of env) if (!('key' in entry) || entry.key !== key) next.push(entry);
  next.push({ key, value });
  return next;
}

/** The variables expansion can see (an unknown base image contributes nothing it could know). */
export function envMap(env: readonly EnvEntry[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const e of env) if ('key' in e) map.set(e.key, e.value);
  return map;
}

/** `K=V` strings as the step would see them (`<env of IMAGE>` for an unknown base). */
export function envStrings(env: readonly EnvEntry[]): string[] {
  return env.map((e) => ('key' in e ? `${e.key}=${e.value}` : `<env of ${e.base}>`));
}
