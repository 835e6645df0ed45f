/**
 * ARG names whose value a CI system changes on every build. Matched on name words (split at `_`, `-` and case
 * changes), so `GIT_COMMIT`, `buildDate` and `CI_PIPELINE_ID` match while `COMMITTER_NAME` does not.
 */

/** Any one of these words makes the name volatile. */
const alwaysVolatile = new Set([
  'commit',
  'sha',
  'revision',
  'rev',
  'ref',
  'timestamp',
  'date',
  'time',
  'cachebust',
  'cachebuster',
  'nonce',
]);

/** Volatile only as a pair of words: `BUILD_NUMBER`, `RUN_ID`, `CACHE_BUST`. */
const volatilePairs = [
  ['build', 'number'],
  ['build', 'id'],
  ['build', 'num'],
  ['run', 'id'],
  ['run', 'number'],
  ['pipeline', 'id'],
  ['job', 'id'],
  ['cache', 'bust'],
  ['cache', 'buster'],
  ['cache', 'date'],
];

export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[_\-.]+/)
    .filter(Boolean);
}

/** Words before `VERSION`/`TAG` that make it the version of what is being built, not of a dependency (`PHP_VERSION`). */
const ownVersion = new Set([
  'app',
  'application',
  'build',
  'image',
  'release',
  'project',
  'package',
  'git',
  'docker',
  'ci',
  'product',
  'service',
]);

/**
 * Whether an ARG named `name` probably changes on every build. The version or tag of the thing being built (`VERSION`,
 * `APP_VERSION`, `IMAGE_TAG`) changes with each release build, so it counts when it has no default: then every build
 * passes it in, typically from the CI system. A dependency's version (`NODE_VERSION`) does not count.
 */
export function isVolatileArg(name: string, hasDefault: boolean): boolean {
  const words = nameWords(name);
  if (words.some((word) => alwaysVolatile.has(word))) return true;
  for (const [a, b] of volatilePairs) {
    const i = words.indexOf(a);
    if (i >= 0 && words[i + 1] === b) return true;
  }
  const last = words.at(-1);
  if (hasDefault || (last !== 'version' && last !== 'tag')) return false;
  return words.length === 1 || ownVersion.has(words.at(-2)!);
}
