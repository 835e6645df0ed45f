/**
 * The hand-written shell parser (src/shell/parser/) against tree-sitter-bash, the parser it replaces, on every
 * shell-form RUN of the corpus: the same ShellSyntax wherever tree-sitter reports no problem, and the same
 * has-a-syntax-error verdict everywhere. Where they differ, bash decides (`bash -n`, or bash running the words);
 * the known tree-sitter defects are listed and demonstrated here, each with a real bash.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { Instruction } from '../../src/dockerfile/ast.js';
import { ParseError, parseDockerfile } from '../../src/dockerfile/index.js';
import type { ShellSyntax } from '../../src/shell/ast.js';
import { parseShell } from '../../src/shell/parse.js';
import { needsShared, sharedDir } from '../support/paths.js';
import { corpusFiles, corpusRuns } from '../support/run-scripts.js';
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
    snippet: '--headless=true',
    why: 'a command word is an assignment only when a name precedes `=`; tree-sitter takes `--headless=true` for one',
    proof: ['true; --x=1 2>/dev/null; echo $?', '127\n'],
  },
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
  for (const script of ['apt-get install -y \\', 'apt-get install -y \\\n  ']) {
    assert.ok(bashAccepts(script), script); // tree-sitter reports an error for a script ending in a continuation
    assert.deepEqual(parseShell(script).problems, []);
  }
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

/**
 * Every distinct script of the corpus, twice over: as the rough extraction of run-scripts.ts gives them (continuations
 * joined with spaces) and as the Dockerfile parser hands them to the shell stage (continuations kept as `\⏎`,
 * comment lines blanked; CMD, ENTRYPOINT, HEALTHCHECK and ONBUILD commands; heredoc bodies).
 */
function distinctScripts(): string[] {
  const corpus = join(sharedDir!, 'corpus');
  const scripts = new Set(corpusRuns(corpus).map((run) => run.script));
  const visit = (instruction: Instruction): void => {
    if (instruction.command) scripts.add(instruction.command.script);
    for (const heredoc of instruction.heredocs) scripts.add(heredoc.content);
    if (instruction.trigger) visit(instruction.trigger);
  };
  for (const file of corpusFiles(corpus)) {
    try {
      for (const instruction of parseDockerfile(readFileSync(file, 'utf8')).instructions) visit(instruction);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
    }
  }
  return [...scripts];
}

test('the new parser builds the syntax tree-sitter builds, on every corpus RUN', needsShared(), () => {
  const verdicts: string[] = [];
  const trees: string[] = [];
  let compared = 0;
  for (const script of distinctScripts()) {
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
  assert.ok(compared > 25000, `only ${compared} scripts compared`);
  assertBashDecides(verdicts, 80);
});

/** A script cut right after a line continuation (and maybe blanks): the shell reads the end of the text as a blank. */
const endsInContinuation = /\\\n?[ \t]*$/;

test('cut short, the corpus RUNs get the same syntax-error verdict from both parsers, or bash decides', needsShared(), () => {
  const verdicts: string[] = [];
  for (const script of distinctScripts()) {
    for (const cut of [Math.floor(script.length / 3), Math.floor((script.length * 4) / 5)]) {
      const text = script.slice(0, cut);
      if (endsInContinuation.test(text)) continue; // tree-sitter's defect, shown with bash above
      if (treeSitterParse(text).problems.length > 0 !== parseShell(text).problems.length > 0) verdicts.push(text);
    }
  }
  assertBashDecides(verdicts, 80);
});
