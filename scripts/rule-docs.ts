/**
 * docs/rules/ as a pure function of the rule definitions (style guide §2–§4): one page per rule with fixed sections,
 * and an index with the hadolint mapping. scripts/gen-rule-docs.ts writes them; test/rules/docs.test.ts fails
 * when the committed pages differ.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyRule } from '../src/rules/define.js';

/** docs/rule-counts.json, written by scripts/rule-counts.ts: how often each rule fired on a corpus. */
export interface RuleCounts {
  corpus: string;
  /** Files linted (those that parse). */
  files: number;
  rules: Record<string, { findings: number; files: number }>;
}

const HEADER = (source: string) =>
  `<!-- Generated from ${source} by scripts/gen-rule-docs.ts (npm run docs:rules). Edit the source, not this page. -->\n`;

export function renderRulePage(rule: AnyRule): string {
  const { docs } = rule;
  const options = Object.keys(rule.defaultOptions).length
    ? `${docs.options ?? ''}\n\nDefaults (\`.layerwise.yaml\` → \`rules: { ${rule.id}: … }\`):\n\n\`\`\`json\n${JSON.stringify(rule.defaultOptions, null, 2)}\n\`\`\``
    : (docs.options ?? 'None.');
  return [
    HEADER(`src/rules/${rule.id}.ts`),
    `# ${rule.id}\n`,
    `${docs.description}\n`,
    '| Severity | Tags | Fix | Status | hadolint | BuildKit check |',
    '| --- | --- | --- | --- | --- | --- |',
    `| ${rule.severity} | ${rule.tags.join(', ')} | ${rule.fix} | ${rule.status} since ${rule.since} | ${rule.hadolint?.join(', ') ?? '—'} | ${rule.buildkit ?? '—'} |\n`,
    `## What it does\n\n${docs.whatItDoes}\n`,
    `## Why is this bad?\n\n${docs.why}\n`,
    `## Example\n\n${fence(docs.example)}\n`,
    `## Use instead\n\n${fence(docs.useInstead)}\n`,
    `## Fix safety\n\n${docs.fixSafety}\n`,
    `## Options\n\n${options.trim()}\n`,
    `## Ignoring it\n\n\`# layerwise ignore=${rule.id}\` on the line before the instruction, \`# layerwise global ignore=${rule.id}\` for the file, or \`ignored: [${rule.id}]\` in \`.layerwise.yaml\`${rule.hadolint ? `; \`# hadolint ignore=${rule.hadolint.join(',')}\` works too` : ''}${rule.buildkit ? `; so does BuildKit's \`# check=skip=${rule.buildkit}\`` : ''}.\n`,
    `## References\n\n${docs.references.map((url) => `- <${url}>`).join('\n')}\n`,
    `Source: [src/rules/${rule.id}.ts](../../src/rules/${rule.id}.ts)\n`,
  ].join('\n');
}

export function renderRuleIndex(rules: readonly AnyRule[], counts?: RuleCounts): string {
  const fired = (id: string) => {
    const count = counts?.rules[id];
    return count ? `${count.findings} in ${count.files}` : 'not measured';
  };
  const rows = rules.map(
    (rule) =>
      `| [${rule.id}](${rule.id}.md) | ${rule.severity} | ${rule.tags.join(', ')} | ${rule.fix} | ${rule.hadolint?.join(', ') ?? ''} | ${fired(rule.id)} | ${rule.docs.description} |`,
  );
  const codes = new Map<string, string[]>();
  for (const rule of rules) for (const code of rule.hadolint ?? []) codes.set(code, [...(codes.get(code) ?? []), rule.id]);
  const mapping = [...codes.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([code, ids]) =>
        `| [${code}](https://github.com/hadolint/hadolint/wiki/${code}) | ${ids.map((id) => `[${id}](${id}.md)`).join(', ')} |`,
    );
  return [
    HEADER('src/rules/*.ts'),
    '# Lint rules\n',
    '`layerwise lint` runs every rule below. Severity is the default (change it in `.layerwise.yaml`); **Fix** says',
    'whether `--fix` can rewrite the Dockerfile (`never`, `sometimes`, `always`). **Fires on official** is measured:',
    `findings and files on the ${counts ? `${counts.files} Dockerfiles of \`../shared/${counts.corpus}\`` : 'official images of the shared corpus'}`,
    '(`npm run docs:counts` lints them and writes docs/rule-counts.json; `npm run docs:rules` puts the figures here).\n',
    '| Rule | Severity | Tags | Fix | hadolint | Fires on official | Description |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '## hadolint codes\n',
    'A `# hadolint ignore=DLxxxx` pragma, or the code in `ignored:`/`severity:` of `.layerwise.yaml`, applies to these rules.\n',
    '| hadolint | layerwise |',
    '| --- | --- |',
    ...mapping,
    '',
    '## Configuration and pragmas\n',
    'See [docs/lint.md](../lint.md).',
    '',
  ].join('\n');
}

function fence(code: string): string {
  return `\`\`\`dockerfile\n${code.replace(/\n$/, '')}\n\`\`\``;
}

/** Every generated file: path relative to the repository → content. */
export function renderRuleDocs(rules: readonly AnyRule[], counts?: RuleCounts): Map<string, string> {
  const files = new Map<string, string>([['docs/rules/README.md', renderRuleIndex(rules, counts)]]);
  for (const rule of rules) files.set(`docs/rules/${rule.id}.md`, renderRulePage(rule));
  return files;
}

/** The committed measurement, if any (docs/rule-counts.json). */
export function readRuleCounts(root: string): RuleCounts | undefined {
  const path = join(root, 'docs', 'rule-counts.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as RuleCounts) : undefined;
}
