import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type BuildInput, type PredictOptions, predict } from '../../src/cache/predict.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { contextTree } from '../support/context-tree.js';

type Side = {
  dockerfile: string;
  files?: Record<string, string | { content: string; mode: number }>;
  args?: Record<string, string>;
  target?: string;
  baseChanged?: string[];
};

function input(side: Side): BuildInput {
  return {
    dockerfile: parseDockerfile(side.dockerfile),
    context: contextTree({ Dockerfile: side.dockerfile, ...(side.files ?? {}) }),
    options: { buildArgs: side.args, target: side.target },
    baseChanged: side.baseChanged,
  };
}

/** `[line, status]` per step of NEW, and the reasons, for compact assertions. */
function run(old: Side, next: Side, options: PredictOptions = {}) {
  const prediction = predict(input(old), input(next), options);
  return {
    statuses: prediction.steps.map((s) => `${s.line}:${s.status}`),
    reasons: prediction.steps.map((s) => s.reason),
    prediction,
  };
}

const statusesOf = (prediction: ReturnType<typeof predict>) => prediction.steps.map((s) => `${s.line}:${s.status}`);

describe('predict: RUN keys', () => {
  test('an unchanged build is fully cached', () => {
    const df = 'FROM debian\nRUN echo hi\n';
    assert.deepEqual(run({ dockerfile: df }, { dockerfile: df }).statuses, ['1:cached', '2:cached']);
  });
  test('RUN text is keyed unexpanded and as joined: a reflowed continuation rebuilds', () => {
    const r = run(
      { dockerfile: 'FROM a\nRUN echo a && \\\n  echo b\n' },
      { dockerfile: 'FROM a\nRUN echo a && \\\n    echo b\n' },
    );
    assert.deepEqual(r.statuses, ['1:cached', '2:rebuilt']);
    assert.equal(r.reasons[1], 'its command text changed');
  });
  test('a comment line inside a continuation does not change the key', () => {
    assert.deepEqual(
      run({ dockerfile: 'FROM a\nRUN echo a && \\\n  echo b\n' }, { dockerfile: 'FROM a\nRUN echo a && \\\n# note\n  echo b\n' })
        .statuses,
      ['1:cached', '2:cached'],
    );
  });
  test('moving a RUN to another line (blank and comment lines above it) keeps it cached: lines are not keyed', () => {
    const r = run({ dockerfile: 'FROM a\nRUN echo a\n' }, { dockerfile: 'FROM a\n\n# install\n\nRUN echo a\n' });
    assert.deepEqual(r.statuses, ['1:cached', '5:cached']);
  });
  test('keyword case and exec form equal to the shell form stay cached', () => {
    assert.deepEqual(run({ dockerfile: 'FROM a\nRUN x\n' }, { dockerfile: 'from a\nrun ["/bin/sh","-c","x"]\n' }).statuses, [
      '1:cached',
      '2:cached',
    ]);
  });
  test('a changed ARG value rebuilds every later RUN, used or not, and says so', () => {
    const df = 'FROM a\nARG GIT_SHA\nRUN echo build\nCOPY a.txt /\nRUN echo after\n';
    const r = run(
      { dockerfile: df, args: { GIT_SHA: 'a1b2' }, files: { 'a.txt': '1' } },
      { dockerfile: df, args: { GIT_SHA: 'c3d4' }, files: { 'a.txt': '1' } },
    );
    assert.deepEqual(r.statuses, ['1:cached', '3:rebuilt', '4:rebuilt', '5:rebuilt']);
    assert.equal(r.reasons[1], 'ARG GIT_SHA changed (a1b2 → c3d4)');
    assert.equal(r.reasons[2], 'after a rebuilt step (line 3)');
  });
  test('a COPY after a changed ARG stays cached when no RUN came between', () => {
    const df = 'FROM a\nARG V\nCOPY a.txt /\nRUN echo x\n';
    const r = run(
      { dockerfile: df, args: { V: '1' }, files: { 'a.txt': '1' } },
      { dockerfile: df, args: { V: '2' }, files: { 'a.txt': '1' } },
    );
    assert.deepEqual(r.statuses, ['1:cached', '3:cached', '4:rebuilt']);
  });
  test('a build arg equal to the default changes nothing; an empty one differs from unset', () => {
    const df = 'FROM a\nARG V=1\nRUN echo\n';
    assert.deepEqual(run({ dockerfile: df }, { dockerfile: df, args: { V: '1' } }).statuses, ['1:cached', '3:cached']);
    const df2 = 'FROM a\nARG V\nRUN echo\n';
    assert.deepEqual(run({ dockerfile: df2 }, { dockerfile: df2, args: { V: '' } }).statuses, ['1:cached', '3:rebuilt']);
  });
  test('undeclared build args (proxy or not) never matter; a declared proxy arg does', () => {
    const df = 'FROM a\nRUN echo\n';
    assert.deepEqual(run({ dockerfile: df }, { dockerfile: df, args: { HTTP_PROXY: 'http://p', OTHER: 'x' } }).statuses, [
      '1:cached',
      '2:cached',
    ]);
    const declared = 'FROM a\nARG HTTP_PROXY\nRUN echo\n';
    assert.deepEqual(run({ dockerfile: declared }, { dockerfile: declared, args: { HTTP_PROXY: 'http://p' } }).statuses, [
      '1:cached',
      '3:rebuilt',
    ]);
  });
  test('env order is part of the key: re-setting an earlier variable to the same value rebuilds', () => {
    const old = 'FROM a\nENV A=1\nENV B=2\nRUN x\n';
    assert.deepEqual(run({ dockerfile: old }, { dockerfile: 'FROM a\nENV A=1\nENV B=2\nENV A=1\nRUN x\n' }).statuses, [
      '1:cached',
      '5:rebuilt',
    ]);
    assert.deepEqual(run({ dockerfile: old }, { dockerfile: 'FROM a\nENV A=1\nENV B=2\nENV B=2\nRUN x\n' }).statuses, [
      '1:cached',
      '5:cached',
    ]);
  });
  test('meta ARGs reach a stage only when redeclared; inheritance through FROM <stage>', () => {
    const df = 'ARG V=1\nFROM a AS base\nARG V\nFROM base\nRUN echo\n';
    const r = run({ dockerfile: df }, { dockerfile: df, args: { V: '2' } });
    assert.deepEqual(r.statuses, ['2:cached', '5:rebuilt']);
    assert.equal(r.reasons[1], 'ARG V changed (1 → 2)');
  });
  test('WORKDIR is a mkdir step keyed by the cleaned path; RUN sees the path as written', () => {
    const r = run(
      { dockerfile: 'FROM a\nWORKDIR /app\nCOPY a.txt .\nRUN x\n', files: { 'a.txt': '' } },
      { dockerfile: 'FROM a\nWORKDIR /app/\nCOPY a.txt .\nRUN x\n', files: { 'a.txt': '' } },
    );
    assert.deepEqual(r.statuses, ['1:cached', '2:cached', '3:cached', '4:rebuilt']);
    assert.equal(r.reasons[3], 'WORKDIR changed (/app → /app/)');
  });
  test('USER, SHELL, --network and --security change RUN keys', () => {
    const base = 'FROM a\nRUN x\n';
    assert.deepEqual(run({ dockerfile: base }, { dockerfile: 'FROM a\nUSER nobody\nRUN x\n' }).statuses, [
      '1:cached',
      '3:rebuilt',
    ]);
    const shell = run(
      { dockerfile: 'FROM a\nRUN x\nRUN ["y"]\n' },
      { dockerfile: 'FROM a\nSHELL ["/bin/bash","-c"]\nRUN x\nRUN ["y"]\n' },
    );
    assert.deepEqual(shell.statuses, ['1:cached', '3:rebuilt', '4:rebuilt']);
    assert.match(shell.reasons[1], /^SHELL changed/);
    assert.deepEqual(run({ dockerfile: base }, { dockerfile: 'FROM a\nRUN --network=none x\n' }).statuses, [
      '1:cached',
      '2:rebuilt',
    ]);
    assert.deepEqual(run({ dockerfile: base }, { dockerfile: 'FROM a\nRUN --security=insecure x\n' }).statuses, [
      '1:cached',
      '2:rebuilt',
    ]);
  });
  test('RUN --security says the build needs a frontend that knows the flag and the security.insecure entitlement', () => {
    const r = run({ dockerfile: 'FROM a\nRUN x\n' }, { dockerfile: 'FROM a\nRUN --security=insecure x\n' });
    assert.deepEqual(r.statuses, ['1:cached', '2:rebuilt']);
    assert.ok(
      r.prediction.assumptions.includes(
        'RUN --security (line 2) builds only with Dockerfile 1.20+ (BuildKit 0.26+; labs before) and --allow security.insecure on a daemon that grants it',
      ),
    );
    assert.equal(run({ dockerfile: 'FROM a\nRUN x\n' }, { dockerfile: 'FROM a\nRUN x\n' }).prediction.assumptions.length, 2);
  });
  test('cache mounts: id and sharing count only in the default form; the target always counts', () => {
    const m = (opts: string) => `FROM a\nRUN --mount=type=cache,target=/c${opts} x\n`;
    assert.deepEqual(run({ dockerfile: m('') }, { dockerfile: m(',sharing=locked') }).statuses, ['1:cached', '2:rebuilt']);
    assert.deepEqual(run({ dockerfile: m(',id=a') }, { dockerfile: m(',id=b') }).statuses, ['1:cached', '2:cached']);
    assert.deepEqual(run({ dockerfile: m(',sharing=locked') }, { dockerfile: m(',sharing=private') }).statuses, [
      '1:cached',
      '2:cached',
    ]);
    assert.deepEqual(run({ dockerfile: m('') }, { dockerfile: 'FROM a\nRUN --mount=type=cache,target=/d x\n' }).statuses, [
      '1:cached',
      '2:rebuilt',
    ]);
  });
  test('bind mounts hash their source files', () => {
    const df = 'FROM a\nRUN --mount=type=bind,source=src,target=/s make\n';
    assert.deepEqual(
      run({ dockerfile: df, files: { 'src/a': '1', b: '1' } }, { dockerfile: df, files: { 'src/a': '1', b: '2' } }).statuses,
      ['1:cached', '2:cached'],
    );
    assert.deepEqual(run({ dockerfile: df, files: { 'src/a': '1' } }, { dockerfile: df, files: { 'src/a': '2' } }).statuses, [
      '1:cached',
      '2:rebuilt',
    ]);
  });
});

describe('predict: COPY/ADD keys', () => {
  test('COPY . names the changed file; mtime-free content decides', () => {
    const df = 'FROM a\nCOPY . /app\nRUN make\n';
    const r = run(
      { dockerfile: df, files: { 'src/app.py': 'v1', README: 'r' } },
      { dockerfile: df, files: { 'src/app.py': 'v2', README: 'r' } },
    );
    assert.deepEqual(r.statuses, ['1:cached', '2:rebuilt', '3:rebuilt']);
    assert.equal(r.reasons[1], 'src/app.py changed');
  });
  test('mode bits count', () => {
    const df = 'FROM a\nCOPY run.sh /\n';
    assert.deepEqual(
      run({ dockerfile: df, files: { 'run.sh': 'x' } }, { dockerfile: df, files: { 'run.sh': { content: 'x', mode: 0o755 } } })
        .statuses,
      ['1:cached', '2:rebuilt'],
    );
  });
  test('--exclude: editing an excluded file keeps the COPY cached', () => {
    const df = 'FROM a\nCOPY --exclude=*.md . /app\n';
    assert.deepEqual(
      run({ dockerfile: df, files: { 'a.md': '1', 'x.py': 'p' } }, { dockerfile: df, files: { 'a.md': '2', 'x.py': 'p' } })
        .statuses,
      ['1:cached', '2:cached'],
    );
  });
  test('COPY → ADD of a plain file rebuilds; reordered sources rebuild; ./a equals a', () => {
    const files = { 'a.txt': '1', 'b.txt': '2' };
    assert.deepEqual(
      run({ dockerfile: 'FROM a\nCOPY a.txt /\n', files }, { dockerfile: 'FROM a\nADD a.txt /\n', files }).statuses,
      ['1:cached', '2:rebuilt'],
    );
    assert.deepEqual(
      run({ dockerfile: 'FROM a\nCOPY a.txt b.txt /d/\n', files }, { dockerfile: 'FROM a\nCOPY b.txt a.txt /d/\n', files })
        .statuses,
      ['1:cached', '2:rebuilt'],
    );
    assert.deepEqual(
      run({ dockerfile: 'FROM a\nCOPY ./a.txt /\n', files }, { dockerfile: 'FROM a\nCOPY a.txt /\n', files }).statuses,
      ['1:cached', '2:cached'],
    );
  });
  test('COPY flags are part of the key: adding --chmod or --chown rebuilds; the same flags stay cached', () => {
    const files = { 'a.txt': '1' };
    const r = (old: string, next: string) => run({ dockerfile: old, files }, { dockerfile: next, files }).statuses;
    assert.deepEqual(r('FROM a\nCOPY a.txt /a\n', 'FROM a\nCOPY --chmod=755 a.txt /a\n'), ['1:cached', '2:rebuilt']);
    assert.deepEqual(r('FROM a\nCOPY a.txt /a\n', 'FROM a\nCOPY --chown=1000:1000 a.txt /a\n'), ['1:cached', '2:rebuilt']);
    assert.deepEqual(r('FROM a\nCOPY --chown=1000 a.txt /a\n', 'FROM a\nCOPY --chown=1000 a.txt /a\n'), ['1:cached', '2:cached']);
  });
  test('ADD of a URL without --checksum is unknown; with one it is keyed by the checksum', () => {
    const df = 'FROM a\nADD https://example.com/x.tgz /x\n';
    const r = run({ dockerfile: df }, { dockerfile: df });
    assert.deepEqual(r.statuses, ['1:cached', '2:unknown']);
    assert.equal(r.reasons[1], 'ADD https://example.com/x.tgz: remote content is checked at build time');
    const pinned = 'FROM a\nADD --checksum=sha256:abc https://example.com/x.tgz /x\n';
    assert.deepEqual(run({ dockerfile: pinned }, { dockerfile: pinned }).statuses, ['1:cached', '2:cached']);
  });
  test('COPY --from a stage that is unchanged stays cached; a rebuilt stage makes it unknown', () => {
    const df = (cmd: string) => `FROM a AS build\nRUN ${cmd}\nFROM b\nCOPY --from=build /out /out\nRUN use\n`;
    assert.deepEqual(run({ dockerfile: df('make') }, { dockerfile: df('make') }).statuses, [
      '1:cached',
      '2:cached',
      '3:cached',
      '4:cached',
      '5:cached',
    ]);
    const r = run({ dockerfile: df('make') }, { dockerfile: df('make all') });
    assert.deepEqual(r.statuses, ['1:cached', '2:rebuilt', '3:cached', '4:unknown', '5:unknown']);
  });
  test('COPY --from a stage rebuilt only in steps that write elsewhere stays cached', () => {
    const df = 'FROM a AS files\nCOPY a.txt /f/a.txt\nCOPY b.txt /g/b.txt\nFROM b\nCOPY --from=files /f/a.txt /a\nRUN use\n';
    const r = run(
      { dockerfile: df, files: { 'a.txt': 'a', 'b.txt': '1' } },
      { dockerfile: df, files: { 'a.txt': 'a', 'b.txt': '2' } },
    );
    assert.deepEqual(r.statuses, ['1:cached', '2:cached', '3:rebuilt', '4:cached', '5:cached', '6:cached']);
  });
  test('COPY --from: a changed file copied into the read path rebuilds the reader, and says where it came from', () => {
    const df = 'FROM a AS files\nCOPY a.txt /f/a.txt\nCOPY b.txt /g/b.txt\nFROM b\nCOPY --from=files /f /f\nRUN use\n';
    const r = run(
      { dockerfile: df, files: { 'a.txt': 'a', 'b.txt': '1' } },
      { dockerfile: df, files: { 'a.txt': 'A', 'b.txt': '1' } },
    );
    assert.deepEqual(r.statuses, ['1:cached', '2:rebuilt', '3:rebuilt', '4:cached', '5:rebuilt', '6:rebuilt']);
    assert.equal(
      r.reasons[4],
      '/f from stage files changed: its content comes from COPY a.txt /f/a.txt (line 2), whose files changed',
    );
  });
  test('COPY --from: the output of a cached RUN survives later COPYs elsewhere in the stage', () => {
    const df = 'FROM a AS build\nRUN make > /out/app\nCOPY notes.md /docs/\nFROM b\nCOPY --from=build /out/app /app\nRUN use\n';
    const r = run({ dockerfile: df, files: { 'notes.md': '1' } }, { dockerfile: df, files: { 'notes.md': '2' } });
    assert.deepEqual(r.statuses, ['1:cached', '2:cached', '3:rebuilt', '4:cached', '5:cached', '6:cached']);
  });
  test('COPY --from: a RUN that runs again makes the read unknown, naming the RUN', () => {
    const df = 'FROM a AS build\nCOPY src.c /\nRUN make > /out/app\nFROM b\nCOPY --from=build /out/app /app\n';
    const r = run({ dockerfile: df, files: { 'src.c': '1' } }, { dockerfile: df, files: { 'src.c': '2' } });
    assert.deepEqual(r.statuses, ['1:cached', '2:rebuilt', '3:rebuilt', '4:cached', '5:unknown']);
    assert.equal(
      r.reasons[4],
      'RUN make > /out/app (line 3) runs again: whether /out/app from stage build is byte-identical is known only after building',
    );
  });
  test('COPY --from: a change that may not reach the read bytes (--chmod, a wildcard, a COPY above the path) is unknown', () => {
    const cases = [
      ['COPY --chmod=644 a.txt /f/a.txt', '/f'],
      ['COPY a.txt /f/a.txt', '/f/*.txt'],
      ['COPY a.txt /f/a.txt', '/f/a.txt/x'],
    ];
    for (const [copy, path] of cases) {
      const df = `FROM a AS files\n${copy}\nFROM b\nCOPY --from=files ${path} /x\n`;
      const r = run({ dockerfile: df, files: { 'a.txt': 'a' } }, { dockerfile: df, files: { 'a.txt': 'b' } });
      assert.equal(r.statuses[3], '4:unknown', `${copy} read as ${path}`);
    }
  });
  test('COPY --from: a base image change of the read stage is unknown; FROM scratch is always known', () => {
    const df = 'FROM debian AS files\nCOPY a.txt /f/a.txt\nFROM b\nCOPY --from=files /f /f\n';
    const r = run(
      { dockerfile: df, files: { 'a.txt': 'a' } },
      { dockerfile: df, files: { 'a.txt': 'a' }, baseChanged: ['debian'] },
    );
    assert.deepEqual(r.statuses, ['1:rebuilt', '2:rebuilt', '3:cached', '4:unknown']);
    const scratch = 'FROM scratch AS files\nCOPY a.txt /f/a.txt\nCOPY b.txt /g/b.txt\nFROM b\nCOPY --from=files /f /f\n';
    const s = run(
      { dockerfile: scratch, files: { 'a.txt': 'a', 'b.txt': '1' } },
      { dockerfile: scratch, files: { 'a.txt': 'a', 'b.txt': '2' } },
    );
    assert.deepEqual(s.statuses, ['2:cached', '3:rebuilt', '4:cached', '5:cached']);
  });
  test('RUN --mount=from a stage rebuilt elsewhere stays cached; a stage based on another inherits its files', () => {
    const df =
      'FROM a AS base\nRUN make > /out/app\nFROM base AS files\nCOPY b.txt /g/b.txt\nFROM b\nRUN --mount=type=bind,from=files,source=/out,target=/o ls /o\n';
    const r = run({ dockerfile: df, files: { 'b.txt': '1' } }, { dockerfile: df, files: { 'b.txt': '2' } });
    assert.deepEqual(r.statuses, ['1:cached', '2:cached', '4:rebuilt', '5:cached', '6:cached']);
  });
  test('--link: overlay2 ignores it; containerd makes it a merge that reruns after earlier changes', () => {
    const plain = { dockerfile: 'FROM a\nCOPY a.txt /\n', files: { 'a.txt': '1' } };
    const linked = { dockerfile: 'FROM a\nCOPY --link a.txt /\n', files: { 'a.txt': '1' } };
    assert.deepEqual(run(plain, linked, { imageStore: 'overlay2' }).statuses, ['1:cached', '2:cached']);
    assert.deepEqual(run(plain, linked, { imageStore: 'containerd' }).statuses, ['1:cached', '2:rebuilt']);
  });
});

describe('predict: stages and base images', () => {
  test('with --target, later and unreachable stages do not appear or matter', () => {
    const old = 'FROM a AS one\nRUN x\nFROM b AS two\nRUN y\n';
    const next = 'FROM a AS one\nRUN x\nFROM b AS two\nRUN z\n';
    assert.deepEqual(run({ dockerfile: old, target: 'one' }, { dockerfile: next, target: 'one' }).statuses, [
      '1:cached',
      '2:cached',
    ]);
  });
  test('--base-changed rebuilds FROM and everything after it', () => {
    const df = 'FROM debian:bookworm\nRUN x\n';
    const r = run({ dockerfile: df }, { dockerfile: df, baseChanged: ['debian:bookworm'] });
    assert.deepEqual(r.statuses, ['1:rebuilt', '2:rebuilt']);
    assert.equal(r.reasons[0], 'base image debian:bookworm changed digest');
  });
  test('resolved bases are matched by their layers: a config-only re-push or another name for them stays cached', () => {
    const layers = `sha256:${'1'.repeat(64)}`;
    const base = (digest: string, extra = {}) => ({ digest: `sha256:${digest.repeat(64)}`, layers, ...extra });
    const side = (df: string, info: object) => ({
      dockerfile: parseDockerfile(df),
      context: contextTree({ Dockerfile: 'x' }),
      options: { baseImages: { [df.split('\n')[0].slice(5)]: info } },
    });
    const a = side('FROM debian:bookworm\nRUN x\n', base('a'));
    assert.deepEqual(statusesOf(predict(a, side('FROM debian:bookworm\nRUN x\n', base('b')))), ['1:cached', '2:cached']);
    assert.deepEqual(statusesOf(predict(a, side('FROM debian:12\nRUN x\n', base('a')))), ['1:cached', '2:cached']);
    const moved = predict(a, side('FROM debian:bookworm\nRUN x\n', { ...base('c'), layers: `sha256:${'2'.repeat(64)}` }));
    assert.deepEqual(statusesOf(moved), ['1:rebuilt', '2:rebuilt']);
    assert.equal(moved.steps[0].reason, 'base image debian:bookworm changed digest (aaaaaaaaaaaa → cccccccccccc)');
    const env = predict(a, side('FROM debian:bookworm\nRUN x\n', base('d', { env: ['PATH=/bin', 'V=2'] })));
    assert.deepEqual(statusesOf(env), ['1:cached', '2:rebuilt']);
  });
  test('renaming a stage changes nothing', () => {
    assert.deepEqual(run({ dockerfile: 'FROM a AS x\nRUN y\n' }, { dockerfile: 'FROM a AS z\nRUN y\n' }).statuses, [
      '1:cached',
      '2:cached',
    ]);
  });
});

describe('predict: the article example', () => {
  const mono =
    'FROM debian:bullseye\nRUN apt-get update && \\\n  apt-get install -y python3-pip && \\\n  pip3 install requests\n';
  const split = 'FROM debian:bullseye\nRUN apt-get update && \\\n  apt-get install -y python3-pip\nRUN pip3 install requests\n';
  test('adding rich rebuilds the whole mono-layer but only the pip layer of the split version', () => {
    assert.deepEqual(run({ dockerfile: mono }, { dockerfile: mono.replace('requests', 'requests rich') }).statuses, [
      '1:cached',
      '2:rebuilt',
    ]);
    assert.deepEqual(run({ dockerfile: split }, { dockerfile: split.replace('requests', 'requests rich') }).statuses, [
      '1:cached',
      '2:cached',
      '4:rebuilt',
    ]);
  });
});

describe('predict: classic builder', () => {
  test('every instruction is a step and a LABEL change misses everything after it', () => {
    const r = run(
      { dockerfile: 'FROM a\nLABEL v=1\nRUN x\n' },
      { dockerfile: 'FROM a\nLABEL v=2\nRUN x\n' },
      { builder: 'classic' },
    );
    assert.deepEqual(r.statuses, ['1:cached', '2:rebuilt', '3:rebuilt']);
  });
  test('a build arg value leaves the classic ARG step and a COPY cached and misses the RUN (|1 V=2)', () => {
    const df = 'FROM a\nARG V=1\nCOPY a.txt /a\nRUN x\n';
    const r = run(
      { dockerfile: df, files: { 'a.txt': '1' } },
      { dockerfile: df, args: { V: '2' }, files: { 'a.txt': '1' } },
      { builder: 'classic' },
    );
    assert.deepEqual(r.statuses, ['1:cached', '2:cached', '3:cached', '4:rebuilt']);
  });
  test('no recovery after a miss: an ENV change rebuilds the COPY that BuildKit would keep', () => {
    const files = { 'a.txt': '1' };
    const r = run(
      { dockerfile: 'FROM a\nENV A=1\nCOPY a.txt /\n', files },
      { dockerfile: 'FROM a\nENV A=2\nCOPY a.txt /\n', files },
      { builder: 'classic' },
    );
    assert.deepEqual(r.statuses, ['1:cached', '2:rebuilt', '3:rebuilt']);
    const bk = run(
      { dockerfile: 'FROM a\nENV A=1\nCOPY a.txt /\n', files },
      { dockerfile: 'FROM a\nENV A=2\nCOPY a.txt /\n', files },
    );
    assert.deepEqual(bk.statuses, ['1:cached', '3:cached']);
  });
});
