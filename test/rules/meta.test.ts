/**
 * Rules and their docs match one to one (style guide §4): ids are kebab-case and equal the file name, every rule is
 * listed once, has tests, complete docs whose example it reports and whose "use instead" it does not, uses each
 * of its messages, and the committed docs/rules/ is exactly what scripts/gen-rule-docs.ts generates.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readRuleCounts, renderRuleDocs } from '../../scripts/rule-docs.js';
import { parseDockerfile } from '../../src/dockerfile/index.js';
import { RULE_TAGS, SEVERITIES } from '../../src/rules/define.js';
import { lint } from '../../src/rules/lint.js';
import { redirects } from '../../src/rules/redirects.js';
import { rules } from '../../src/rules/registry.js';
import { repoRoot } from '../support/paths.js';

const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

test('src/rules/index.ts lists each rule file once, one line each', () => {
  const lines = read('src/rules/index.ts')
    .split('\n')
    .filter((line) => line.startsWith('export'));
  assert.equal(lines.length, rules.length);
  assert.equal(new Set(rules.map((rule) => rule.id)).size, rules.length, 'ids are unique');
});

for (const rule of rules) {
  describe(`rule ${rule.id}`, () => {
    test('id is kebab-case and names its file, its test and its docs page', async () => {
      assert.match(rule.id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      const module = await import(`../../src/rules/${rule.id}.js`);
      assert.equal(module.default, rule);
      assert.ok(existsSync(join(repoRoot, 'test', 'rules', `${rule.id}.test.ts`)), 'has test/rules/<id>.test.ts');
      assert.ok(!(rule.id in redirects), 'a current id is not a redirect');
    });

    test('metadata is well-formed', () => {
      assert.ok(SEVERITIES.includes(rule.severity));
      assert.ok(rule.tags.length > 0 && rule.tags.every((tag) => RULE_TAGS.includes(tag)));
      assert.match(rule.since, /^\d+\.\d+\.\d+$/);
      for (const code of rule.hadolint ?? []) assert.match(code, /^DL\d{4}$/);
      if (rule.buildkit) assert.match(rule.buildkit, /^[A-Z][A-Za-z]+$/);
    });

    test('docs: every section written, references are URLs', () => {
      const { docs } = rule;
      for (const key of ['description', 'whatItDoes', 'why', 'example', 'useInstead', 'fixSafety'] as const) {
        assert.ok(docs[key].trim().length > 0, `docs.${key} is empty`);
      }
      assert.match(docs.description, /^[A-Z`].*\.$/, 'the description is one sentence');
      assert.ok(docs.references.length > 0);
      for (const url of docs.references) assert.match(url, /^https:\/\/\S+$/);
      if (Object.keys(rule.defaultOptions).length > 0) assert.ok(docs.options, 'a rule with options documents them');
    });

    test('the docs example is reported and the "use instead" is not', () => {
      parseDockerfile(rule.docs.example);
      parseDockerfile(rule.docs.useInstead);
      assert.ok(lint(rule.docs.example, { rules: [rule] }).findings.length > 0, 'example not reported');
      assert.deepEqual(lint(rule.docs.useInstead, { rules: [rule] }).findings, []);
    });

    test('every message is used by the rule', () => {
      const source = read(`src/rules/${rule.id}.ts`);
      for (const id of Object.keys(rule.messages))
        assert.match(source, new RegExp(`['"]${id}['"]`), `message ${id} is never reported`);
    });
  });
}

test('redirects point at existing rules', () => {
  for (const [from, to] of Object.entries(redirects)) {
    assert.ok(
      rules.some((rule) => rule.id === to),
      `${from} → ${to}`,
    );
  }
});

test('docs/rules/ is exactly what scripts/gen-rule-docs.ts generates (run `npm run docs:rules`)', () => {
  const generated = renderRuleDocs(rules, readRuleCounts(repoRoot));
  const committed = readdirSync(join(repoRoot, 'docs', 'rules')).map((name) => `docs/rules/${name}`);
  assert.deepEqual(committed.sort(), [...generated.keys()].sort());
  for (const [path, text] of generated) assert.equal(read(path), text, `${path} is stale`);
});
