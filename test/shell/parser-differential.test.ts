/**
 * The hand-written shell parser (src/shell/parser/) against tree-sitter-bash, the parser it replaces, on every
 * shell-form RUN of the corpus: the same ShellSyntax wherever tree-sitter reports no problem, and the same
 * has-a-syntax-error verdict everywhere. Where they differ, bash decides (`bash -n`, or bash running the words);
 * the known tree-sitter defects are listed and demonstrated here, each with a real bash.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { ShellSyntax } from '../../src/shell/ast.js';
import { parseShell } from '../../src/shell/parse.js';
import { needsShared, sharedDir } from '../support/paths.js';
import { corpusRuns } from '../support/run-scripts.js';
import { mendSplitWords, swallowAfterRedirects } from '../support/tree-sitter/defects.js';
import { initShellParser } from '../support/tree-sitter/load.js';
import { treeSitterParse } from '../support/tree-sitter/walk.js';

before(() => initShellParser());

const hasBash = spawnSync('bash', ['--version']).status === 0;

/** bash's verdict on a script's syntax (`bash -n` parses without running). */
function bashAccepts(script: string): boolean {
  return spawnSync('bash', ['-n'], { input: script }).status === 0;
}

/** The words bash passes to a command: `printf '<%s>'` runs with the script's arguments. */
function bashWords(script: string): string {
  return spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { A: 'x', B: 'y', PATH: process.env.PATH } }).stdout;
}

/**
 * Scripts tree-sitter reads wrongly without a syntax error, beyond the two defect classes of tree-sitter-defects.ts,
 * each with the corpus snippet that shows it and a bash run proving the new parser's reading.
 */
const treeSitterMisreads = [
  {
    snippet: '! { ldd',
    why: '`! { …; }` negates a group; tree-sitter takes `{` for a command name',
    proof: ['! { true; }; echo $?', '1\n'],
  },
  {
    snippet: 'apt-key add - 2>/dev/null',
    why: 'tree-sitter drops a `-` argument before `2>`',
    proof: ["printf '<%s>' - 2>/dev/null", '<->'],
  },
  {
    snippet: 'packages \\ # This',
    why: '`\\ #` is an escaped blank then `#` inside a word, not a comment',
    proof: ["printf '<%s>' a \\ #b", '<a>< #b>'],
  },
];

function sameSyntax(ts: ShellSyntax, ours: ShellSyntax): boolean {
  if (isDeepStrictEqual(ts, ours)) return true;
  return isDeepStrictEqual(mendSplitWords(ts, ts.source), swallowAfterRedirects(ours));
}

test('the known tree-sitter defects are defects: bash reads these words as the new parser does', { skip: !hasBash }, () => {
  assert.equal(bashWords(`printf '<%s>' $A/$B/c`), '<x/y/c>'); // one word, not `$A/$` + `B/c`
  assert.equal(bashWords(`printf '<%s>' 2>/dev/null a b`), '<a><b>'); // words after a redirect are arguments
  for (const { proof } of treeSitterMisreads) assert.equal(bashWords(proof[0]), proof[1], proof[0]);
  const split = parseShell('echo $A/$B/c').root.items[0].node;
  assert.deepEqual(split.type === 'simple' && split.words.map((w) => w.text), ['echo', '$A/$B/c']);
  const redirected = parseShell('echo >&2 "msg" 2>&1 x').root.items[0].node;
  assert.deepEqual(redirected.type === 'simple' && redirected.words.map((w) => w.text), ['echo', '"msg"', 'x']);
});

/** Verdicts may differ only where tree-sitter is wrong: bash must agree with the new parser on each. */
function assertBashDecides(verdicts: string[], most: number): void {
  assert.ok(verdicts.length <= most, `${verdicts.length} verdicts differ`);
  if (!hasBash) return;
  const bashDisagrees = verdicts.filter((s) => bashAccepts(s) !== (parseShell(s).problems.length === 0));
  assert.deepEqual(bashDisagrees, [], 'scripts where bash -n contradicts the new parser');
}

const distinctRuns = (): string[] => [...new Set(corpusRuns(join(sharedDir!, 'corpus')).map((run) => run.script))];

test('the new parser builds the syntax tree-sitter builds, on every corpus RUN', needsShared(), () => {
  const verdicts: string[] = [];
  const trees: string[] = [];
  let compared = 0;
  for (const script of distinctRuns()) {
    const ts = treeSitterParse(script);
    const ours = parseShell(script);
    const tsError = ts.problems.length > 0;
    if (tsError !== ours.problems.length > 0) verdicts.push(script);
    else if (!tsError) {
      compared++;
      if (!sameSyntax(ts, ours) && !treeSitterMisreads.some((m) => script.includes(m.snippet))) trees.push(script);
    }
  }
  assert.deepEqual(trees, [], 'scripts where the two parsers build different trees');
  assert.ok(compared > 18000, `only ${compared} scripts compared`);
  assertBashDecides(verdicts, 15);
});

test('cut short, the corpus RUNs get the same syntax-error verdict from both parsers, or bash decides', needsShared(), () => {
  const verdicts: string[] = [];
  for (const script of distinctRuns()) {
    for (const cut of [Math.floor(script.length / 3), Math.floor((script.length * 4) / 5)]) {
      const text = script.slice(0, cut);
      if (treeSitterParse(text).problems.length > 0 !== parseShell(text).problems.length > 0) verdicts.push(text);
    }
  }
  assertBashDecides(verdicts, 40);
});
