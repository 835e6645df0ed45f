import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Instruction, parseDockerfile } from '../../src/dockerfile/index.js';
import { analyzeRun, runCalls, shellOf } from '../../src/rules/run-scripts.js';
import { initShellParser } from '../../src/shell/tree-sitter.js';

await initShellParser();

function runs(source: string) {
  const ast = parseDockerfile(source);
  return { ast, runs: ast.instructions.filter((instruction) => instruction.name === 'RUN') };
}

test('offsets plus base are Dockerfile offsets: shell form across a continuation, heredoc, exec form', () => {
  const source =
    'FROM debian\nRUN echo a && \\\n  apt-get install -y curl\nRUN <<EOF\npip install x\nEOF\nRUN ["apk", "add", "git"]\n';
  const {
    ast,
    runs: [shell, heredoc, exec],
  } = runs(source);
  const words = (instruction: Instruction) =>
    runCalls(instruction, ast).map(({ call, run }) =>
      call.packages.map((p) => source.slice(run.base + p.start, run.base + p.end)),
    );
  assert.deepEqual(words(shell), [['curl']]);
  assert.deepEqual(words(heredoc), [['x']]);
  assert.deepEqual(words(exec), [['git']]);
  assert.deepEqual(
    [shell, heredoc, exec].map((instruction) => analyzeRun(instruction, ast).scripts.map((s) => s.kind)),
    [['shell'], ['heredoc'], ['exec']],
  );
});

test('a heredoc fed to a shell is read too; one fed to python or cat is not', () => {
  const source =
    'FROM x\nRUN bash <<EOF\napt-get install -y a\nEOF\nRUN python3 <<EOF\nprint(1)\nEOF\nRUN cat <<EOF > /f\napt-get install b\nEOF\n';
  const {
    ast,
    runs: [bash, python, cat],
  } = runs(source);
  assert.deepEqual(
    analyzeRun(bash, ast).scripts.map((s) => s.kind),
    ['shell', 'heredoc'],
  );
  assert.deepEqual(
    runCalls(bash, ast).map(({ call }) => call.manager),
    ['apt-get'],
  );
  assert.deepEqual(runCalls(python, ast), []);
  assert.deepEqual(runCalls(cat, ast), []);
});

test('cache mounts count for the cache verdicts', () => {
  const {
    ast,
    runs: [run],
  } = runs('FROM python\nRUN --mount=type=cache,target=/root/.cache/pip pip install x\n');
  const analysis = analyzeRun(run, ast);
  assert.deepEqual(analysis.mountTargets, ['/root/.cache/pip']);
  assert.deepEqual(
    analysis.scripts[0].caches.map((use) => use.status),
    ['mounted'],
  );
});

test('SHELL is followed, reset by FROM and inherited from a parent stage', () => {
  const {
    ast,
    runs: [a, b, c],
  } = runs('FROM debian AS base\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN a\nFROM base\nRUN b\nFROM debian\nRUN c\n');
  assert.deepEqual(
    [a, b, c].map((run) => shellOf(ast, run)),
    [
      ['/bin/bash', '-eo', 'pipefail', '-c'],
      ['/bin/bash', '-eo', 'pipefail', '-c'],
      ['/bin/sh', '-c'],
    ],
  );
  assert.equal(analyzeRun(a, ast).scripts[0].script.initialState.options.pipefail, 'shell');
});

test('a SHELL that is not POSIX gives no commands', () => {
  const {
    ast,
    runs: [run],
  } = runs('FROM mcr.microsoft.com/windows\nSHELL ["pwsh", "-Command"]\nRUN apt-get install x\n');
  assert.deepEqual(runCalls(run, ast), []);
});
