import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RULE_DOCS_REPOSITORY, ruleDocsUrl } from '../../src/rules/docs-url.js';
import { repoRoot } from '../support/paths.js';

test('rule pages are addressed in the repository package.json declares, at the release tag', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { repository: { url: string } };
  assert.equal(pkg.repository.url, `git+${RULE_DOCS_REPOSITORY}.git`);
  assert.equal(
    ruleDocsUrl('sudo-in-run', '1.2.3'),
    'https://github.com/layerwise/layerwise/blob/v1.2.3/docs/rules/sudo-in-run.md',
  );
});
