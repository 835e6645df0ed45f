/** Writes docs/rules/ from the rule definitions and removes pages of rules that no longer exist. Usage: npm run docs:rules */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../src/rules/registry.js';
import { readRuleCounts, renderRuleDocs } from './rule-docs.js';

const root = join(import.meta.dirname, '..');
const files = renderRuleDocs(rules, readRuleCounts(root));
mkdirSync(join(root, 'docs', 'rules'), { recursive: true });
for (const name of readdirSync(join(root, 'docs', 'rules'))) {
  if (!files.has(`docs/rules/${name}`)) rmSync(join(root, 'docs', 'rules', name));
}
for (const [path, text] of files) writeFileSync(join(root, path), text);
console.log(`wrote ${files.size} files to docs/rules/`);
