/**
 * `--compare-fix` mechanics: the same git history replayed as committed and with each Dockerfile rewritten. The
 * article's claim as a number: a history that adds one package per commit to the mono-layer Dockerfile rebuilds the
 * one RUN every time; split into an apt layer and a pip layer, only the pip layer rebuilds for pip packages.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { ContentTree } from '../../src/cache/contenthash.js';
import { COMMAND_WEIGHTED_COST } from '../../src/cache/replay.js';
import { replayGit } from '../../src/cache/replay-git.js';
import { compareFixTty, replayJson } from '../../src/report/cache.js';
import { testRepo } from '../support/git-history.js';

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const apt = (packages: string[]) =>
  `apt-get update && apt-get install --no-install-recommends --yes ${packages.join(' ')} && rm -rf /var/lib/apt/lists/*`;
const mono = (aptPackages: string[], pip: string[]) =>
  `FROM debian:bookworm\nRUN ${apt(aptPackages)} && pip3 install ${pip.join(' ')}\nCOPY app.py /app/\n`;
const split = (aptPackages: string[], pip: string[]) =>
  `FROM debian:bookworm\nRUN ${apt(aptPackages)}\nRUN pip3 install ${pip.join(' ')}\nCOPY app.py /app/\n`;

/** One package per commit: pip, pip, apt, pip. */
const history: [string[], string[]][] = [
  [['python3-pip'], ['requests']],
  [['python3-pip'], ['requests', 'rich']],
  [['python3-pip'], ['requests', 'rich', 'click']],
  [
    ['python3-pip', 'curl'],
    ['requests', 'rich', 'click'],
  ],
  [
    ['python3-pip', 'curl'],
    ['requests', 'rich', 'click', 'httpx'],
  ],
];

describe('cache replay --compare-fix (mechanics, any rewrite)', () => {
  test('splitting the mono-layer keeps the apt layer cached for every pip package', async () => {
    const repo = testRepo(roots);
    const rewrites = new Map<string, string>();
    history.forEach(([a, p], i) => {
      rewrites.set(mono(a, p), split(a, p));
      repo.commit({ Dockerfile: mono(a, p), 'app.py': 'print(1)\n', '.dockerignore': '.git\n' }, `commit ${i + 1}`);
    });
    const result = await replayGit(repo.dir, {
      cost: COMMAND_WEIGHTED_COST,
      rewrite: (text) => ({ text: rewrites.get(text) ?? text, rules: rewrites.has(text) ? ['split-package-managers'] : [] }),
    });
    const compare = result.compare;
    assert.ok(compare && result.rewritten);
    assert.equal(compare.changedCommits, 5);
    assert.deepEqual(compare.rules, [{ rule: 'split-package-managers', count: 5 }]);
    // As committed: the one RUN (and the COPY after it) rebuild in every build.
    const monoRun = result.report.summary.steps.find((s) => s.kind === 'RUN');
    assert.equal(monoRun?.rebuilt, 5);
    // Split: the apt layer rebuilds twice (the first build and the apt commit), the pip layer every time.
    const [aptRun, pipRun] = result.rewritten.summary.steps.filter((s) => s.kind === 'RUN').sort((a, b) => a.line - b.line);
    assert.deepEqual([aptRun.rebuilt, aptRun.cached], [2, 3]);
    assert.deepEqual([pipRun.rebuilt, pipRun.cached], [5, 0]);
    assert.ok(compare.after.hitRate > compare.before.hitRate);
    assert.equal(compare.saved.rebuilt, compare.before.rebuilt - compare.after.rebuilt);
    assert.equal(compare.before.rebuilt, result.report.summary.rebuilt);
    // Weights by commands run (5 s each): mono 5 × 4 commands = 100 s; split 2 × 3 (apt) + 5 × 1 (pip) = 55 s;
    // plus the COPY after the RUNs (5 × 1 s) and the first pull (5 s) on both sides.
    assert.equal(compare.before.rebuiltSeconds, 110);
    assert.equal(compare.after.rebuiltSeconds, 65);
    assert.equal(compare.saved.rebuiltSeconds, 45);
    // Rendered: the JSON field documented in docs/cache.md, and the before/after table.
    const json = JSON.parse(
      replayJson(result.report, {
        compareFix: { comparison: compare, after: result.rewritten, rewrites: result.rewrites ?? [] },
      }),
    );
    assert.deepEqual(Object.keys(json.compareFix), [
      'changedCommits',
      'rules',
      'refused',
      'before',
      'after',
      'saved',
      'builds',
      'summary',
    ]);
    assert.deepEqual(
      json.compareFix.builds.map((b: { changed: boolean }) => b.changed),
      [true, true, true, true, true],
    );
    assert.deepEqual(Object.keys(json.compareFix.before.mostRebuilt[0]), [
      'stage',
      'kind',
      'instruction',
      'rebuilt',
      'hitRate',
      'seconds',
    ]);
    assert.equal(JSON.parse(replayJson(result.report)).compareFix, undefined);
    const tty = compareFixTty(compare);
    assert.match(tty, /5 of 5 Dockerfiles changed; fixes: split-package-managers ×5/);
    assert.match(tty, /estimated rebuild cost\s+110 s\s+65 s/);
    assert.match(
      tty,
      /fixed by lint --fix\n.*\n\s+80\.0%\s+1\/5\s+5 s\s+1 {2}FROM debian:bookworm\n\s+60\.0%\s+2\/5\s+30 s\s+2 {2}RUN apt-get update/,
    );
    assert.match(tty, /the rewrite would have saved about 45 s of rebuilds \(hit rate 26\.7% → 35\.0%\)/);
  });

  test('an unchanged rewrite changes nothing and counts no commit', async () => {
    const repo = testRepo(roots);
    repo.commit({ Dockerfile: split(['curl'], ['rich']), '.dockerignore': '.git\n' });
    const result = await replayGit(repo.dir, { rewrite: (text) => ({ text, rules: [] }) });
    assert.equal(result.compare?.changedCommits, 0);
    assert.deepEqual(result.compare?.saved, { rebuilt: 0, rebuiltSeconds: 0, hitRate: 0 });
  });

  test('the rewritten Dockerfile is what COPY . sees in the rewritten context', async () => {
    const repo = testRepo(roots);
    repo.commit({ Dockerfile: 'FROM a\nCOPY . /src\n# v1\n', '.dockerignore': '.git\n' });
    repo.commit({ Dockerfile: 'FROM a\nCOPY . /src\n# v2\n' });
    // The two commits differ only in a comment the rewrite removes: as committed, COPY . sees a changed Dockerfile;
    // rewritten, both contexts hold the same rewritten text, so COPY . stays cached.
    const result = await replayGit(repo.dir, {
      rewrite: (text) => ({ text: text.replace(/# v\d\n/, ''), rules: ['strip-version-comment'] }),
    });
    const copy = (report: typeof result.report) => report.builds[1].prediction.steps.find((s) => s.kind === 'COPY');
    assert.equal(copy(result.report)?.status, 'rebuilt');
    assert.match(copy(result.report)?.reason ?? '', /Dockerfile/);
    assert.equal(copy(result.rewritten ?? result.report)?.status, 'cached');
  });
});

describe('ContentTree.withRecord', () => {
  test('replaces one record in a copy and leaves the original as it was', () => {
    const tree = new ContentTree();
    tree.addDir('d', { mode: 0o755 });
    tree.addRecord('d/a', { kind: 'file', digest: 'sha256:1' });
    tree.addRecord('b', { kind: 'file', digest: 'sha256:2' });
    const before = tree.checksum({ path: '/' });
    const copy = tree.withRecord('d/a', { kind: 'file', digest: 'sha256:3' });
    assert.notEqual(copy.checksum({ path: '/' }), before);
    assert.equal(tree.checksum({ path: '/' }), before);
    assert.equal(copy.checksum({ path: '/b' }), tree.checksum({ path: '/b' }));
    assert.equal(tree.withRecord('d/a', { kind: 'file', digest: 'sha256:1' }).checksum({ path: '/' }), before);
  });
});
