import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderCliDocs, renderReadmeCommands, tourCommands, updateReadme, updateTour } from '../../scripts/cli-docs.js';
import { runTour } from '../../scripts/tour.js';
import { memoryIo } from '../../src/cli/io.js';
import { buildProgram } from '../../src/cli/main.js';
import { allCommands, commandSpec } from '../../src/cli/spec.js';
import { repoRoot } from '../support/paths.js';

const spec = commandSpec(buildProgram(memoryIo(), () => {}));
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

test('docs/cli.md is exactly what the command definitions generate (run `npm run docs:cli`)', () => {
  assert.equal(read('docs/cli.md'), renderCliDocs(spec), 'docs/cli.md is stale: run `npm run docs:cli`');
});

test("the README's command table is generated from the same definitions (run `npm run docs:cli`)", () => {
  const readme = read('README.md');
  assert.equal(readme, updateReadme(readme, renderReadmeCommands(spec)), 'README.md is stale: run `npm run docs:cli`');
});

test('docs/cli.md documents every command, option, choice and example that --help shows', () => {
  const docs = read('docs/cli.md');
  for (const command of allCommands(spec).filter((c) => c.name !== 'help')) {
    if (command.path.length) assert.ok(docs.includes(`### layerwise ${command.path.join(' ')}\n`), command.path.join(' '));
    for (const option of command.options) assert.ok(docs.includes(`\`${option.flags}\``), option.flags);
    for (const choice of command.options.flatMap((option) => option.choices ?? [])) assert.ok(docs.includes(`\`${choice}\``));
    for (const example of command.examples) assert.ok(docs.includes(`\n${example}\n`), example);
  }
});

test("the README tour's output is what each command prints today (run `npm run docs:cli`)", async () => {
  const readme = read('README.md');
  const commands = tourCommands(readme).map((command) => command.args.join(' '));
  // The front door's story: the demo, lint and its diff, both cache commands (replay with --compare-fix), parse.
  for (const expected of [
    'demo',
    'lint examples/seed/Dockerfile',
    'lint --diff examples/seed/Dockerfile',
    'cache replay --compare-fix',
  ])
    assert.ok(commands.includes(expected), expected);
  assert.ok(commands.some((command) => command.startsWith('cache diff ')));
  assert.equal(readme, updateTour(readme, await runTour(readme, repoRoot)), 'README.md is stale: run `npm run docs:cli`');
});
