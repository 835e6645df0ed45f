/**
 * The whole shared corpus lints without a crash (every rule, a real shell parse of every RUN), and the findings of
 * severity warning or above on the official images stay the ones we reviewed (docs/rules/README.md lists them).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { lint } from '../../src/rules/lint.js';
import { needsShared, sharedDir } from '../support/paths.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(md|tsv)$/.test(name) ? [] : [path];
  });
}

/**
 * Reviewed counts of warning-and-above findings on corpus/official (its jq `Dockerfile.template` files excluded).
 * pipe-without-pipefail (hadolint DL4006, a warning there too): docker-library's dependency lists (`ldd … | awk … |
 * xargs dpkg-query --search | … | xargs apt-mark manual`, `scanelf … | tr | sort -u`), `find … | sort -u > conf`,
 * `dpkg --print-architecture | awk` and checksum greps, all under dash without pipefail: a failing writer there is
 * not seen by the step (a library silently left out of the kept packages), reviewed by pattern (docs/status.md).
 */
export const officialCounts: Record<string, number> = { 'unpinned-base-image': 20, 'pipe-without-pipefail': 388 };

test('the corpus lints without a crash; warnings and errors on the official images are the reviewed ones', needsShared(), () => {
  const all = files(join(sharedDir!, 'corpus'));
  assert.ok(all.length > 5000, 'the corpus is there');
  const official = `${join(sharedDir!, 'corpus', 'official')}/`;
  const counts: Record<string, number> = {};
  let linted = 0;
  for (const path of all) {
    const result = lint(readFileSync(path, 'utf8'), { file: path });
    if (result.parseError) continue;
    linted++;
    if (!path.startsWith(official) || path.endsWith('.template')) continue;
    for (const finding of result.findings) {
      if (finding.severity !== 'info') counts[finding.rule] = (counts[finding.rule] ?? 0) + 1;
    }
  }
  assert.ok(linted > all.length * 0.99, `${linted} of ${all.length} files parsed and linted`);
  assert.deepEqual(counts, officialCounts);
});
