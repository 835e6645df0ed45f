import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { buildModel } from '../../src/model/build.js';
import { envStrings } from '../../src/model/env.js';

const model = (text: string, options = {}) => buildModel(parseDockerfile(text), options);

describe('model: stages and reachability', () => {
  test('steps BuildKit numbers: FROM image, RUN, COPY, ADD, WORKDIR other than /', () => {
    const m = model('FROM a\nENV X=1\nWORKDIR /\nWORKDIR /app\nRUN x\nCOPY a b\nADD c d\nLABEL l=1\n');
    assert.deepEqual(
      m.steps.map((s) => `${s.line}:${s.kind}`),
      ['1:FROM', '4:WORKDIR', '5:RUN', '6:COPY', '7:ADD'],
    );
  });
  test('reachable stages follow the base, COPY --from and RUN --mount from=', () => {
    const m = model(
      'FROM a AS x\nFROM a AS y\nFROM a AS z\nFROM x AS t\nCOPY --from=y /a /a\nRUN --mount=from=2,target=/m x\nFROM a AS unused\n',
      { target: 't' },
    );
    assert.deepEqual(
      m.stages.map((s) => s.reachable),
      [true, true, true, true, false],
    );
  });
  test('stage names are lower-cased and unnamed stages are labelled stage-N', () => {
    assert.deepEqual(
      model('FROM a AS Build\nFROM b\n').stages.map((s) => s.label),
      ['build', 'stage-1'],
    );
  });
  test('FROM expands meta ARGs only', () => {
    assert.equal(
      model('ARG V=3.12\nFROM python:${V}\n').stages[0].base.kind === 'image' &&
        model('ARG V=3.12\nFROM python:${V}\n').steps[0].image,
      'python:3.12',
    );
  });
});

describe('model: ARG and ENV scoping', () => {
  test('a meta ARG reaches a stage only when redeclared there', () => {
    const m = model('ARG V=1\nFROM a\nRUN x\nARG V\nRUN y\n');
    assert.deepEqual(
      m.steps.filter((s) => s.kind === 'RUN').map((s) => envStrings(s.state.env).filter((e) => e.startsWith('V='))),
      [[], ['V=1']],
    );
  });
  test('--build-arg beats the default; automatic platform args have values', () => {
    const m = model('FROM a\nARG V=1\nARG TARGETARCH\nRUN x\n', { buildArgs: { V: '2' } });
    assert.deepEqual(envStrings(m.steps[1].state.env).slice(1), ['V=2', 'TARGETARCH=amd64']);
  });
  test('ENV pairs are expanded before any is applied, and re-setting moves a key last', () => {
    const m = model('FROM a\nENV A=1\nENV A=2 B=$A\nENV C=3\nENV A=2\nRUN x\n');
    assert.deepEqual(envStrings(m.steps[1].state.env).slice(1), ['B=1', 'C=3', 'A=2']);
  });
  test('FROM <stage> inherits env and ARGs', () => {
    const m = model('FROM a AS base\nARG V=1\nENV E=2\nFROM base\nRUN x\n');
    const run = m.steps.find((s) => s.kind === 'RUN');
    assert.deepEqual(envStrings(run?.state.env ?? []).slice(1), ['V=1', 'E=2']);
    assert.equal(run?.createdBy, 'RUN |1 V=1 /bin/sh -c x # buildkit');
  });
});

describe('model: paths, shell and history', () => {
  test('WORKDIR keeps an absolute path as written and joins relative ones', () => {
    const m = model('FROM a\nWORKDIR /app/\nWORKDIR src/../lib\nRUN x\n');
    assert.equal(m.steps[3].state.workdir, '/app/lib');
    assert.equal(m.steps[1].mkdir?.path, '/app');
  });
  test('COPY destinations resolve against WORKDIR, keeping a trailing slash', () => {
    const m = model('FROM a\nWORKDIR /app\nCOPY a.txt .\nCOPY b.txt sub/\n');
    assert.deepEqual(
      m.steps.filter((s) => s.copy).map((s) => s.copy?.dest),
      ['/app/', '/app/sub/'],
    );
  });
  test('SHELL changes the argv of shell-form RUN only', () => {
    const m = model('FROM a\nSHELL ["/bin/bash","-c"]\nRUN x\nRUN ["y"]\n');
    assert.deepEqual(
      m.steps.filter((s) => s.run).map((s) => s.run?.args),
      [['/bin/bash', '-c', 'x'], ['y']],
    );
  });
  test('history strings as BuildKit writes them', () => {
    const m = model('FROM a\nARG V=1\nENV E=x\nCOPY --chown=1:1 a b /d/\nCMD echo hi\nEXPOSE 80\n');
    assert.deepEqual(
      m.stages[0].history.map((h) => h.createdBy),
      ['ARG V=1', 'ENV E=x', 'COPY --chown=1:1 a b /d/ # buildkit', 'CMD ["/bin/sh" "-c" "echo hi"]', 'EXPOSE [80/tcp]'],
    );
  });
  test('RUN heredocs run as dispatchRun runs them: the body, a #! body through /dev/pipes, or all joined back', () => {
    // history strings as the engine wrote them for these three RUNs (docker history --no-trunc, Docker 28.5)
    const m = model(
      'FROM a\nRUN <<EOF\necho three\nEOF\nRUN <<EOF\n#!/bin/sh\necho hi\nEOF\nRUN cat <<EOF > /f\nhello\nEOF\nRUN <<-EOF\n\techo tab\n\tEOF\n',
    );
    const runs = m.steps.filter((s) => s.run);
    assert.deepEqual(
      runs.map((s) => s.createdBy),
      [
        'RUN /bin/sh -c echo three\n # buildkit',
        'RUN /bin/sh -c /dev/pipes/EOF # buildkit',
        'RUN /bin/sh -c cat <<EOF > /f\nhello\nEOF # buildkit',
        'RUN /bin/sh -c echo tab\n # buildkit',
      ],
    );
    // The #! body is what the step runs: it is in the step, not only its name.
    assert.deepEqual(
      runs.map((s) => s.run?.script),
      [undefined, '#!/bin/sh\necho hi\n', undefined, undefined],
    );
  });
  test('cache mounts default their id to the cleaned target and sharing to shared', () => {
    const m = model('FROM a\nRUN --mount=type=cache,target=/root/.cache/ x\n');
    const mount = m.steps[1].run?.mounts[0];
    assert.deepEqual([mount?.id, mount?.sharing, mount?.readonly], ['/root/.cache', 'shared', false]);
  });
});

describe('model: recover (lint mode)', () => {
  const refused = [
    ['an instruction before the first FROM', 'RUN x\nFROM a\nRUN y\n'],
    ['a malformed FROM', 'FROM a b\nRUN y\n'],
    ['a word BuildKit cannot expand', 'FROM a\nENV X=${Y:?missing}\nRUN y\n'],
    ['a bad mount', 'FROM a\nRUN --mount=type=nope,target=/x y\n'],
    ['a COPY without a destination', 'FROM a\nCOPY onlyone\nRUN y\n'],
  ];
  for (const [what, text] of refused) {
    test(`${what}: BuildKit refuses, recover keeps the stage and its RUN`, () => {
      assert.throws(() => model(text));
      const m = model(text, { recover: true });
      assert.equal(m.stages.length, 1);
      assert.ok(m.stages[0].reachable);
      const runs = m.steps.filter((s) => s.kind === 'RUN' && s.run?.args.at(-1) === 'y');
      assert.equal(runs.length, 1);
      assert.deepEqual(runs[0].run?.mounts, []);
    });
  }
  test('a file without FROM gives an empty model', () => {
    const m = model('ARG A=1\n', { recover: true });
    assert.deepEqual(m.stages, []);
    assert.deepEqual(m.steps, []);
  });
});
