/** The article's example (examples/seed/): its mono-layer Dockerfile is what the lint rules are for; its split version passes. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { lint } from '../../src/rules/lint.js';
import { repoRoot } from '../support/paths.js';

const rulesOf = (path: string) =>
  lint(readFileSync(join(repoRoot, 'examples', 'seed', path), 'utf8')).findings.map((f) => `${f.line}:${f.column} ${f.rule}`);

test('the mono-layer Dockerfile reports split-package-managers and unicode-dash-in-flag', () => {
  const found = rulesOf('Dockerfile');
  assert.ok(found.includes('3:1 split-package-managers'), found.join('\n'));
  assert.ok(found.includes('4:19 unicode-dash-in-flag'), found.join('\n'));
});

test('the split Dockerfile reports neither', () => {
  const found = rulesOf('split/Dockerfile');
  assert.ok(!found.some((f) => / (split-package-managers|unicode-dash-in-flag)$/.test(f)), found.join('\n'));
});
