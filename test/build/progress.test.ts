/** The progress readers and the step mapping, on output captured from real builds (test/fixtures/build/README.md). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { outlineDockerfile } from '../../src/build/outline.js';
import { parsePlainProgress } from '../../src/build/progress-plain.js';
import { JsonObjectStream, parseRawJsonProgress, RawJsonProgressReader } from '../../src/build/progress-rawjson.js';
import { mapVerticesToSteps } from '../../src/build/steps.js';
import { newVertex, parseVertexName } from '../../src/build/vertex.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'build');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const multistage = outlineDockerfile(fixture('multistage.Dockerfile'));
const single = outlineDockerfile(fixture('single.Dockerfile'));

/** [line, cached] of each mapped step, in Dockerfile order. */
function summary(stages: typeof multistage, progress: ReturnType<typeof parsePlainProgress>) {
  const { steps, unmatched } = mapVerticesToSteps(stages, progress.vertices);
  assert.deepEqual(
    unmatched.map((v) => v.name),
    [],
  );
  return steps.map((s) => [s.line, s.stage, s.cached]);
}

test('vertex names split into platform, stage, i/N and text', () => {
  assert.deepEqual(parseVertexName('[base 2/4] WORKDIR /app'), {
    label: { stage: 'base', index: 2, total: 4 },
    text: 'WORKDIR /app',
  });
  assert.deepEqual(parseVertexName('[ 5/11] RUN echo four'), { label: { index: 5, total: 11 }, text: 'RUN echo four' });
  assert.deepEqual(parseVertexName('[linux/arm64 stage-1 3/3] RUN a'), {
    label: { platform: 'linux/arm64', stage: 'stage-1', index: 3, total: 3 },
    text: 'RUN a',
  });
  assert.deepEqual(parseVertexName('[internal] load build context'), { text: '[internal] load build context' });
});

test('rawjson: objects split across chunks at any point, one per line or indented over many', () => {
  const objects: string[] = [];
  const texts: string[] = [];
  const stream = new JsonObjectStream(
    (json) => objects.push(json),
    (text) => texts.push(text),
  );
  const input = '{"a":"}{\\"","b":{"c":1}}\n{\n  "d": [\n    {"e": "x"}\n  ]\n}\nERROR: failed {to} build\n';
  for (const char of input) stream.push(char);
  stream.end();
  assert.deepEqual(
    objects.map((o) => JSON.parse(o)),
    [{ a: '}{"', b: { c: 1 } }, { d: [{ e: 'x' }] }],
  );
  assert.match(texts.join(''), /ERROR: failed/);
});

test('rawjson: a cold multi-stage build — every step ran, none cached, durations measured', () => {
  const progress = parseRawJsonProgress(fixture('multistage-cold.rawjson'));
  assert.deepEqual(summary(multistage, progress), [
    [1, 'base', false],
    [2, 'base', false],
    [3, 'base', false],
    [4, 'base', false],
    [8, 'final', false],
    [11, 'final', false],
  ]);
  const run = mapVerticesToSteps(multistage, progress.vertices).steps.find((s) => s.line === 4)!;
  assert.equal(run.instruction, 'RUN echo one > /one &&     sleep 1');
  assert.ok(run.durationMs! >= 1000, `RUN with sleep 1 took ${run.durationMs} ms`);
  assert.equal(progress.trailer, '');
});

test('rawjson and plain agree on a rebuild with nothing changed: every step after FROM is CACHED', () => {
  const expected = [
    [1, 'base', false],
    [2, 'base', true],
    [3, 'base', true],
    [4, 'base', true],
    [8, 'final', true],
    [11, 'final', true],
  ];
  assert.deepEqual(summary(multistage, parseRawJsonProgress(fixture('multistage-cached.rawjson'))), expected);
  assert.deepEqual(summary(multistage, parsePlainProgress(fixture('multistage-cached.plain'))), expected);
});

test('rawjson and plain agree after an edit of a copied file: WORKDIR cached, the COPY and all after it rebuilt', () => {
  const expected = [
    [1, 'base', false],
    [2, 'base', true],
    [3, 'base', false],
    [4, 'base', false],
    [8, 'final', false],
    [11, 'final', false],
  ];
  assert.deepEqual(summary(multistage, parseRawJsonProgress(fixture('multistage-partial.rawjson'))), expected);
  assert.deepEqual(summary(multistage, parsePlainProgress(fixture('multistage-partial.plain'))), expected);
});

test('a failing RUN: its error and log, and the builder summary (Dockerfile:14) kept verbatim', () => {
  for (const [name, parse] of [
    ['single-error.rawjson', parseRawJsonProgress],
    ['single-error.plain', parsePlainProgress],
  ] as const) {
    const progress = parse(fixture(name));
    const { steps, unmatched } = mapVerticesToSteps(single, progress.vertices);
    assert.deepEqual(unmatched, [], name);
    const failed = steps.find((s) => s.line === 14)!;
    assert.match(failed.error!, /did not complete successfully: exit code: 3/, name);
    assert.equal(failed.completed, false, name);
    assert.equal(failed.vertex, '[11/11] RUN echo failing now && exit 3', name);
    // BuildKit expanded $GREETING in the vertex name; the step still maps by label and keyword.
    assert.equal(steps.find((s) => s.line === 4)!.vertex, '[ 2/11] RUN echo "hello one"', name);
    assert.equal(steps.find((s) => s.line === 12)!.instruction, 'RUN echo nine;     echo ten >&2', name);
    assert.match(progress.trailer, /Dockerfile:14\n/, name);
    assert.match(progress.trailer, /ERROR: failed to build: failed to solve: process/, name);
    const failedVertex = progress.vertices.find((v) => v.error)!;
    assert.equal(failedVertex.log, 'failing now\n', name);
  }
});

test('live reading: rawjson fed in small chunks gives the same vertices as the whole stream', () => {
  const text = fixture('multistage-partial.rawjson');
  const events: string[] = [];
  const reader = new RawJsonProgressReader((vertex, event) => {
    if (event === 'done' && vertex.label) events.push(vertex.name);
  });
  for (let i = 0; i < text.length; i += 7) reader.push(text.slice(i, i + 7));
  assert.deepEqual(reader.end(), parseRawJsonProgress(text));
  assert.ok(events.includes('[base 2/4] WORKDIR /app'));
});

test('a vertex shared with a concurrent build keeps that build’s label: it is matched by its text instead', () => {
  const vertices = [newVertex('a', '[1/2] FROM docker.io/library/debian:bookworm'), newVertex('b', '[base 2/4] WORKDIR /app')];
  const { steps, unmatched } = mapVerticesToSteps(multistage, vertices);
  assert.deepEqual(unmatched, []);
  assert.deepEqual(
    steps.map((s) => [s.line, s.stage, s.number]),
    [
      [1, 'base', 1],
      [2, 'base', 2],
    ],
  );
});

test('outline: BuildKit’s numbering — FROM scratch and FROM <stage> are not numbered, unnamed stages are stage-K', () => {
  const stages = outlineDockerfile(
    'FROM debian:bookworm\nRUN a\n\nFROM scratch\nCOPY --from=0 /a /a\nCOPY f /f\n\nFROM debian:bookworm AS Last\nCOPY --from=1 /f /f\nFROM last\nENV A=1\nWORKDIR /w\n',
  );
  assert.deepEqual(
    stages.map((s) => [s.name, s.total, s.baseStage, s.steps.map((step) => `${step.keyword}${step.number ?? ''}`).join(' ')]),
    [
      [undefined, 2, undefined, 'FROM1 RUN2'],
      [undefined, 2, undefined, 'FROM COPY1 COPY2'],
      ['last', 2, undefined, 'FROM1 COPY2'],
      [undefined, 1, 2, 'FROM ENV WORKDIR1'],
    ],
  );
});

test('outline: escape directive, comments and blank lines inside continuations', () => {
  const [stage] = outlineDockerfile('# escape=`\nFROM debian:bookworm\nRUN a `\n# comment\n\n  && b\nRUN c\n');
  assert.deepEqual(
    stage.steps.map((s) => [s.keyword, s.line, s.endLine, s.text, s.number]),
    [
      ['FROM', 2, 2, 'FROM debian:bookworm', 1],
      ['RUN', 3, 6, 'RUN a   && b', 2],
      ['RUN', 7, 7, 'RUN c', 3],
    ],
  );
});

// Real BuildKit (Docker 28.5) reads this heredoc and numbers the steps [2/4] RUN, [3/4] COPY, [4/4] RUN.
test('outline: heredoc bodies belong to their instruction', () => {
  const [stage] = outlineDockerfile('FROM debian:bookworm\nCOPY <<-EOF /x\n\tRUN not an instruction\n\tEOF\nRUN c\n');
  assert.deepEqual(
    stage.steps.map((s) => [s.keyword, s.line, s.endLine, s.number]),
    [
      ['FROM', 1, 1, 1],
      ['COPY', 2, 4, 2],
      ['RUN', 5, 5, 3],
    ],
  );
});

test('a shared vertex printed under both labels is an alias of the step, not an unmatched vertex', () => {
  const vertices = [
    newVertex('#4', '[base 1/4] FROM docker.io/library/debian:bookworm'),
    newVertex('#5', '[1/3] FROM docker.io/library/debian:bookworm'),
    newVertex('#6', '[9/9] RUN something else'),
  ];
  const { steps, unmatched } = mapVerticesToSteps(multistage, vertices);
  assert.deepEqual(
    steps.map((s) => s.vertex),
    ['[base 1/4] FROM docker.io/library/debian:bookworm'],
  );
  assert.deepEqual(
    unmatched.map((v) => v.name),
    ['[9/9] RUN something else'],
  );
});

test('--link on the containerd image store: copy and LINK merge are one step, cached only when both are', () => {
  // link-after-change.*: built after its RUN changed — the copy onto scratch stays CACHED, the merge runs again.
  const link = outlineDockerfile(fixture('link.Dockerfile'));
  const raw = mapVerticesToSteps(link, parseRawJsonProgress(fixture('link-after-change.rawjson')).vertices);
  assert.deepEqual(
    raw.unmatched.map((v) => v.name),
    [],
  );
  assert.deepEqual(
    raw.steps.map((s) => [s.line, s.cached, s.linkCopyCached]),
    [
      [1, true, undefined],
      [2, false, undefined],
      [3, false, true],
      [4, false, undefined],
    ],
  );
  const copy = raw.steps[2];
  assert.equal(copy.completed, true);
  assert.equal(copy.vertex, '[3/4] COPY --link a.txt /a');
  // plain progress prints the pair as one step (one #N, one progress group): cached or not, no halves.
  const plain = parsePlainProgress(fixture('link-after-change.plain'));
  assert.deepEqual(summary(link, plain), [
    [1, 'stage-0', true],
    [2, 'stage-0', false],
    [3, 'stage-0', false],
    [4, 'stage-0', false],
  ]);
});

test('--link: the LINK merge of a step that never printed its copy half is reported, not dropped', () => {
  const link = outlineDockerfile(fixture('link.Dockerfile'));
  const merge = newVertex('sha256:m', '[3/4] LINK COPY --link a.txt /a');
  merge.cached = true;
  const { steps, unmatched } = mapVerticesToSteps(link, [merge]);
  assert.deepEqual(steps, []);
  assert.deepEqual(
    unmatched.map((v) => v.name),
    ['[3/4] LINK COPY --link a.txt /a'],
  );
});

test("a shared FROM vertex under another build's label, named by its resolved digest, is an alias too", () => {
  const link = outlineDockerfile('FROM debian:bookworm AS build\nRUN a\nFROM debian:bookworm\nRUN b\n');
  const digest = 'sha256:429c3362ca087a918bfed4743e3db0641b34264da38908d374945d5f3152012c';
  const vertices = [
    newVertex('v1', `[build 1/2] FROM docker.io/library/debian:bookworm@${digest}`),
    newVertex('v2', `[stage-1 1/2] FROM docker.io/library/debian:bookworm@${digest}`),
    newVertex('v3', `[1/4] FROM docker.io/library/debian:bookworm@${digest}`),
    newVertex('v4', `[1/2] FROM docker.io/library/debian:trixie@${digest}`),
  ];
  const { steps, unmatched } = mapVerticesToSteps(link, vertices);
  assert.deepEqual(
    steps.map((s) => s.line),
    [1, 3],
  );
  assert.deepEqual(
    unmatched.map((v) => v.id),
    ['v4'],
  );
});
