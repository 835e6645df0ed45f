/**
 * Measures how often each rule fires on the official images of the shared corpus (../shared/corpus/official, read in
 * place; its jq `Dockerfile.template` files are skipped) and writes the figures to docs/rule-counts.json, which
 * scripts/gen-rule-docs.ts puts in docs/rules/README.md. Usage: npm run docs:counts (then npm run docs:rules).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lint } from '../src/rules/lint.js';
import { rules } from '../src/rules/registry.js';
import { sharedDir } from '../test/support/paths.js';
import { corpusFiles } from '../test/support/run-scripts.js';
import type { RuleCounts } from './rule-docs.js';

if (!sharedDir) throw new Error('no ../shared corpus (set LAYERWISE_SHARED)');

const files = corpusFiles(join(sharedDir, 'corpus', 'official')).filter((path) => !path.endsWith('.template'));
const counts: RuleCounts = {
  corpus: 'corpus/official',
  files: 0,
  rules: Object.fromEntries(rules.map((rule) => [rule.id, { findings: 0, files: 0 }])),
};
for (const path of files) {
  const result = lint(readFileSync(path, 'utf8'), { file: path });
  if (result.parseError) continue;
  counts.files++;
  for (const finding of result.findings) counts.rules[finding.rule].findings++;
  for (const id of new Set(result.findings.map((finding) => finding.rule))) counts.rules[id].files++;
}
const out = join(import.meta.dirname, '..', 'docs', 'rule-counts.json');
writeFileSync(out, `${JSON.stringify(counts, null, 2)}\n`);
console.log(`linted ${counts.files} files of corpus/official; wrote ${out}`);
