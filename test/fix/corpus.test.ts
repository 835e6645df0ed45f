/**
 * fixDockerfile over the shared corpus: every output parses, fixing it again changes nothing, every run converges,
 * and (by construction) every applied fix passed the command-sequence check. A deterministic 1-in-20 sample keeps the
 * test near 10 s on a loaded machine; the whole corpus (5,700 files, ~20x longer) was measured once (docs/status.md).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseDockerfile } from '../../src/dockerfile/index.js';
import { fixDockerfile } from '../../src/fix/index.js';
import { initShellParser } from '../../src/shell/tree-sitter.js';
import { needsShared, sharedDir } from '../support/paths.js';

await initShellParser();

const walk = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });

test('corpus sample: outputs parse, fixing again changes nothing, every run converges', needsShared(), () => {
  const files = walk(join(sharedDir!, 'corpus'))
    .filter((path) => !/\.(md|tsv)$/.test(path))
    .filter((_, i) => i % 20 === 0);
  let changed = 0;
  for (const file of files) {
    const outcome = fixDockerfile(readFileSync(file, 'utf8'), { file });
    if (outcome.parseError) continue;
    assert.ok(outcome.converged, `${file}: did not converge`);
    if (!outcome.changed) continue;
    changed++;
    assert.doesNotThrow(() => parseDockerfile(outcome.after), `${file}: the fixed text does not parse`);
    assert.equal(fixDockerfile(outcome.after, { file }).changed, false, `${file}: fixing the output changes it again`);
  }
  assert.ok(changed > files.length / 4, `only ${changed} of ${files.length} files got fixes`);
});
