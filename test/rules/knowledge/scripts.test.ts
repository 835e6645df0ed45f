import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Instruction, parseDockerfile } from '../../../src/dockerfile/index.js';
import { defineRule } from '../../../src/rules/define.js';
import { type RunScript, runScripts } from '../../../src/rules/knowledge/scripts.js';
import { analyseStages } from '../../../src/rules/knowledge/stages.js';
import { lint } from '../../../src/rules/lint.js';

function runs(source: string) {
  const ast = parseDockerfile(source);
  return {
    runScript: runScripts(ast, analyseStages(ast)),
    runs: ast.instructions.filter((instruction) => instruction.name === 'RUN'),
  };
}

test('offsets plus base are Dockerfile offsets: shell form across a continuation, heredoc, exec form', () => {
  const source =
    'FROM debian\nRUN echo a && \\\n  apt-get install -y curl\nRUN <<EOF\npip install x\nEOF\nRUN ["apk", "add", "git"]\n';
  const {
    runScript,
    runs: [shell, heredoc, exec],
  } = runs(source);
  const words = (instruction: Instruction) =>
    runScript(instruction).calls.map(({ call, in: located }) =>
      call.packages.map((p) => source.slice(located.base + p.start, located.base + p.end)),
    );
  assert.deepEqual(words(shell), [['curl']]);
  assert.deepEqual(words(heredoc), [['x']]);
  assert.deepEqual(words(exec), [['git']]);
  assert.deepEqual(
    [shell, heredoc, exec].map((instruction) => runScript(instruction).scripts.map((s) => s.kind)),
    [['shell'], ['heredoc'], ['exec']],
  );
});

test('a heredoc fed to a shell is read too; one fed to python or cat is not', () => {
  const source =
    'FROM x\nRUN bash <<EOF\napt-get install -y a\nEOF\nRUN python3 <<EOF\nprint(1)\nEOF\nRUN cat <<EOF > /f\napt-get install b\nEOF\n';
  const {
    runScript,
    runs: [bash, python, cat],
  } = runs(source);
  assert.deepEqual(
    runScript(bash).scripts.map((s) => s.kind),
    ['shell', 'heredoc'],
  );
  assert.deepEqual(
    runScript(bash).calls.map(({ call }) => call.manager),
    ['apt-get'],
  );
  assert.deepEqual(runScript(python).calls, []);
  assert.deepEqual(runScript(cat).calls, []);
});

test('cache mounts count for the cache verdicts', () => {
  const {
    runScript,
    runs: [run],
  } = runs('FROM python\nRUN --mount=type=cache,target=/root/.cache/pip pip install x\n');
  const analysis = runScript(run);
  assert.deepEqual(
    analysis.mounts.map((mount) => mount.target),
    ['/root/.cache/pip'],
  );
  assert.deepEqual(
    analysis.caches.map(({ use }) => use.status),
    ['mounted'],
  );
});

test('SHELL is followed, reset by FROM and inherited from a parent stage', () => {
  const {
    runScript,
    runs: [a, b, c],
  } = runs('FROM debian AS base\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN a\nFROM base\nRUN b\nFROM debian\nRUN c\n');
  assert.deepEqual(
    [a, b, c].map((run) => runScript(run).scripts[0].script.shell),
    [
      ['/bin/bash', '-eo', 'pipefail', '-c'],
      ['/bin/bash', '-eo', 'pipefail', '-c'],
      ['/bin/sh', '-c'],
    ],
  );
  assert.equal(runScript(a).scripts[0].script.initialState.options.pipefail, 'shell');
});

test('WORKDIR and ENV of the step are the script state', () => {
  const {
    runScript,
    runs: [run],
  } = runs('FROM debian\nWORKDIR /src\nENV PKG=curl\nRUN rm -rf build && apt-get install -y $PKG\n');
  const located = runScript(run).scripts[0];
  assert.equal(located.script.initialState.cwd, '/src');
  assert.equal(located.script.initialState.variables.PKG?.value, 'curl');
});

test('a SHELL that is not POSIX gives no commands', () => {
  const {
    runScript,
    runs: [run],
  } = runs('FROM mcr.microsoft.com/windows\nSHELL ["pwsh", "-Command"]\nRUN apt-get install x\n');
  assert.deepEqual(runScript(run).calls, []);
});

test('one lint run analyses each RUN once and every rule reads the same analysis; the next run starts afresh', () => {
  const seen: RunScript[][] = [];
  const probe = (id: string) =>
    defineRule({
      id,
      status: 'preview',
      since: '0.0.0',
      severity: 'info',
      tags: ['cache'],
      fix: 'never',
      messages: { seen: 'seen' },
      docs: { description: '', whatItDoes: '', why: '', example: '', useInstead: '', fixSafety: '', references: [] },
      defaultOptions: {},
      create: (ctx) => ({
        RUN(instruction) {
          seen.push([ctx.runScript(instruction), ctx.runScript(instruction)]);
        },
      }),
    });
  const rules = [probe('probe-a'), probe('probe-b')];
  const text = 'FROM debian\nRUN apt-get install -y curl\n';
  lint(text, { rules });
  lint(text, { rules });
  assert.equal(seen.length, 4);
  const [a, b, nextRun] = [seen[0][0], seen[1][0], seen[2][0]];
  assert.ok(seen[0][1] === a && b === a, 'rules of one run share one analysis');
  assert.ok(nextRun !== a, 'another lint run analyses again (its tree and build args may differ)');
  assert.equal(a.calls[0].call.manager, 'apt-get');
});
