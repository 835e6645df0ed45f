import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { completionScript, SHELLS } from '../../src/cli/completion.js';
import { memoryIo } from '../../src/cli/io.js';
import { buildProgram, main } from '../../src/cli/main.js';
import { allCommands, commandSpec } from '../../src/cli/spec.js';
import { repoRoot } from '../support/paths.js';

const scratch = mkdtempSync(join(tmpdir(), 'layerwise-completion-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const spec = commandSpec(buildProgram(memoryIo(), () => {}));
const topLevel = spec.subcommands.map((command) => command.name);
/** The choices commander accepts for OPTION of the command at PATH. */
function choices(path: string[], option: string): string[] {
  const command = allCommands(spec).find((c) => c.path.join(' ') === path.join(' '));
  const found = command?.options.find((o) => o.long === option)?.choices;
  assert.ok(found, `${path.join(' ')} ${option}`);
  return found;
}

/** Command lines (the cursor at the end) and what every shell must offer there, from the commander definitions. */
const cases: [line: string, expected: string[]][] = [
  ['layerwise ', topLevel],
  ['layerwise cache ', ['diff', 'replay', 'help']],
  ['layerwise cache diff --f', ['--file', '--format']],
  ['layerwise lint --format ', choices(['lint'], '--format')],
  ['layerwise -q image analyze --sizes=', choices(['image', 'analyze'], '--sizes')],
  ['layerwise build -t app --pl', ['--platform']],
  ['layerwise completion ', ['bash', 'zsh', 'fish']],
];

function script(shell: (typeof SHELLS)[number]): string {
  const path = join(scratch, `layerwise.${shell}`);
  writeFileSync(path, completionScript(shell, spec));
  return path;
}

/** A shell is needed in CI (.ci/run installs zsh and fish); elsewhere its tests skip, saying so. */
function needs(shell: string): { skip: string | false } {
  if (spawnSync(shell, ['-c', 'exit 0']).status === 0) return { skip: false };
  if (process.env.CI) throw new Error(`${shell} is missing in CI: .ci/run installs it`);
  return { skip: `SKIPPED: ${shell} is not installed` };
}

const sorted = (words: string[]) => [...new Set(words)].sort();

test('`layerwise completion SHELL` prints the script generated from the command tree; other shells are usage errors', async () => {
  for (const shell of SHELLS) {
    const io = memoryIo();
    assert.equal(await main(['completion', shell], io), 0, io.err);
    assert.equal(io.out, completionScript(shell, spec));
  }
  const io = memoryIo();
  assert.equal(await main(['completion', 'powershell'], io), 2);
  assert.match(io.err, /Allowed choices are bash, zsh, fish/);
});

describe('bash', () => {
  test('the script is valid bash, registers itself, and completes commands, options and choices', () => {
    const path = script('bash');
    const syntax = spawnSync('bash', ['-n', path], { encoding: 'utf8' });
    assert.equal(syntax.status, 0, syntax.stderr);
    // A real bash: source the script, check the registration, then run the completion function as readline would,
    // with COMP_WORDS split the way bash splits them (COMP_WORDBREAKS puts `=` in a word of its own).
    const driver = [
      `source ${JSON.stringify(path)}`,
      'complete -p layerwise',
      'c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _layerwise; echo "${COMPREPLY[*]}"; }',
      ...cases.map(([line]) => {
        const words = line.replace(/=$/, ' = ').split(' ');
        return `c ${words.map((word) => `'${word}'`).join(' ')}`;
      }),
      'c layerwise lint --format = j',
      "c layerwise lint --config ''",
    ].join('\n');
    const result = spawnSync('bash', ['--norc', '--noprofile', '-c', driver], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '');
    const [registration, ...replies] = result.stdout.split('\n');
    assert.equal(registration, 'complete -o default -F _layerwise layerwise');
    for (const [i, [line, expected]] of cases.entries()) assert.deepEqual(sorted(replies[i].split(' ')), sorted(expected), line);
    assert.equal(
      replies[cases.length],
      choices(['lint'], '--format')
        .filter((c) => c.startsWith('j'))
        .join(' '),
      '--format=j',
    );
    assert.equal(replies[cases.length + 1], '', 'a file-valued option leaves the completion to readline (file names)');
  });
});

describe('zsh', needs('zsh'), () => {
  test('the script is valid zsh and, in an interactive zsh, completes commands, options and choices', () => {
    const path = script('zsh');
    const syntax = spawnSync('zsh', ['-n', path], { encoding: 'utf8' });
    assert.equal(syntax.status, 0, syntax.stderr);
    const out = join(scratch, 'zsh-matches.txt');
    const driver = join(repoRoot, 'test', 'support', 'zsh-complete.zsh');
    const result = spawnSync('zsh', ['-f', driver, path, out, ...cases.map(([line]) => line)], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(result.status, 0, result.stderr);
    const blocks = readFileSync(out, 'utf8')
      .split(/^=== .*\n/m)
      .slice(1);
    cases.forEach(([line, expected], i) => {
      const matches = blocks[i].split('\n').filter((word) => word && !word.startsWith('--- '));
      assert.deepEqual(sorted(matches), sorted(expected), line);
    });
  });
});

describe('fish', needs('fish'), () => {
  test('the script is valid fish and `complete -C` offers commands, options and choices', () => {
    const path = script('fish');
    const syntax = spawnSync('fish', ['-n', path], { encoding: 'utf8' });
    assert.equal(syntax.status, 0, syntax.stderr);
    for (const [line, expected] of cases) {
      const result = spawnSync('fish', ['--no-config', '-c', `source ${path}; complete -C '${line}'`], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      // fish prints `match<TAB>description`, and completes `--sizes=` as `--sizes=applied`
      const matches = result.stdout
        .split('\n')
        .filter(Boolean)
        .map((row) => row.split('\t')[0].replace(/^--[\w-]+=/, ''));
      assert.deepEqual(sorted(matches), sorted(expected), line);
    }
  });
});
