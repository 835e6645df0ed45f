import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COMMAND_WEIGHTED_COST, Replayer, type ReplayReport } from '../../src/cache/replay.js';
import { type DockerfileRewrite, replayGit } from '../../src/cache/replay-git.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { fixDockerfile } from '../../src/fix/index.js';
import { contextTree } from '../support/context-tree.js';
import { gitHistory, seedPipHistory } from '../support/git-history.js';

const build = (content: string) => ({
  dockerfile: parseDockerfile('FROM a\nCOPY app.py /\nRUN test\n'),
  context: contextTree({ 'app.py': content }),
});

describe('replay', () => {
  test('the cache remembers every earlier build: a revert hits entries made two builds ago', () => {
    const replayer = new Replayer();
    replayer.add('c1', 'one', build('v1'));
    replayer.add('c2', 'two', build('v2'));
    const reverted = replayer.add('c3', 'revert', build('v1'));
    assert.deepEqual(
      reverted.prediction.steps.map((s) => s.status),
      ['cached', 'cached', 'cached'],
    );
  });
  test('hit rate, most rebuilt steps and their triggers, default costs labelled as such', () => {
    const replayer = new Replayer();
    replayer.add('c1', 'one', build('v1'));
    replayer.add('c2', 'two', build('v2'));
    const { summary } = replayer.report();
    assert.equal(summary.builds, 2);
    assert.equal(summary.cached, 1);
    const copy = summary.steps.find((s) => s.kind === 'COPY');
    assert.deepEqual(copy?.triggers[1], { reason: 'app.py changed', count: 1 });
    assert.equal(summary.cost.source, 'defaults');
  });
});

describe('replayGit --compare-fix with lint --fix, on the article’s history', () => {
  /** The rewrite `cache replay --compare-fix` makes: lint --fix's safe fixes, with the commit's context. */
  const lintFix: DockerfileRewrite = (text, file, context) => {
    const outcome = fixDockerfile(text, { file, context });
    return { text: outcome.after, rules: outcome.applied.map((fix) => fix.rule), refused: outcome.refused };
  };
  const statuses = (report: ReplayReport) =>
    report.builds.map((b) => b.prediction.steps.map((s) => `${s.line}:${s.status}`).join(' '));

  test('mono-layer + 3 pip packages: the apt layer rebuilds every commit as committed, and is CACHED once fixed', async (t) => {
    const dir = gitHistory(t, seedPipHistory(['rich', 'click', 'httpx']));
    const result = await replayGit(dir, { cost: COMMAND_WEIGHTED_COST, rewrite: lintFix });
    assert.ok(result.rewritten && result.compare && result.rewrites);
    // As committed: FROM (line 2) and the one RUN (line 3: apt-get and pip) — the RUN rebuilds in all 4 builds.
    assert.deepEqual(statuses(result.report), [
      '2:rebuilt 3:rebuilt',
      '2:cached 3:rebuilt',
      '2:cached 3:rebuilt',
      '2:cached 3:rebuilt',
    ]);
    // Fixed: apt-get (line 3) and pip (line 7) in their own RUNs — the apt layer is CACHED after the first build.
    assert.deepEqual(statuses(result.rewritten), [
      '2:rebuilt 3:rebuilt 7:rebuilt',
      '2:cached 3:cached 7:rebuilt',
      '2:cached 3:cached 7:rebuilt',
      '2:cached 3:cached 7:rebuilt',
    ]);
    assert.match(result.rewritten.builds[1].prediction.steps[1].instruction, /^RUN apt-get update/);
    assert.equal(result.rewritten.builds[1].prediction.steps[2].reason, 'its command text changed');
    const { before, after, saved, changedCommits, refused } = result.compare;
    assert.equal(changedCommits, 4);
    assert.deepEqual(refused, []);
    for (const rule of ['split-package-managers', 'unicode-dash-in-flag', 'package-cache-cleanup'])
      assert.equal(result.compare.rules.find((r) => r.rule === rule)?.count, 4, rule);
    assert.deepEqual(
      [before.cached, before.rebuilt, before.hitRate, after.cached, after.rebuilt, after.hitRate],
      [3, 5, 3 / 8, 6, 6, 6 / 12],
    );
    // Default weights, 5 s per command: as committed FROM 5 s + 4 × (4 commands × 5 s) = 85 s; fixed FROM 5 s +
    // the apt RUN once (3 commands, 15 s) + the pip RUN 4 × 5 s = 40 s.
    assert.deepEqual([before.rebuiltSeconds, after.rebuiltSeconds, saved.rebuiltSeconds], [85, 40, 45]);
    assert.deepEqual([before.defaultSeconds, after.defaultSeconds], [85, 40]);
    // Per step, each side its own, in build order: hit rate and rebuilds.
    const figures = (side: typeof before) => side.steps.map((s) => `${s.kind}@${s.line} ${s.rebuilt}/${s.builds} ${s.seconds}s`);
    assert.deepEqual(figures(before), ['FROM@2 1/4 5s', 'RUN@3 4/4 80s']);
    assert.deepEqual(figures(after), ['FROM@2 1/4 5s', 'RUN@3 1/4 15s', 'RUN@7 4/4 20s']);
    assert.deepEqual(
      result.rewrites.map((r) => r.changed),
      [true, true, true, true],
    );
  });

  test('a fix lint --fix refuses is reported with its commit, and the commit is replayed as far as it was fixed', async (t) => {
    // A variable whose value is known only when the script runs: the split cannot carry it (an export could be).
    const runTime =
      'FROM debian:bookworm\nRUN PIP_TARGET=$(mktemp -d) && apt-get update && apt-get install --no-install-recommends -y python3-pip && rm -rf /var/lib/apt/lists/* && pip3 install --no-cache-dir --target "$PIP_TARGET" requests\n';
    const dir = gitHistory(t, [{ message: 'run-time target', files: { Dockerfile: runTime, '.dockerignore': '.git\n' } }]);
    const result = await replayGit(dir, { rewrite: lintFix });
    assert.equal(result.compare?.changedCommits, 0);
    assert.equal(result.compare?.refused.length, 1);
    const [refusal] = result.compare?.refused ?? [];
    assert.equal(refusal.commit, result.report.builds[0].commit);
    assert.deepEqual([refusal.rule, refusal.line, refusal.column], ['split-package-managers', 2, 1]);
    assert.match(refusal.reason, /PIP_TARGET. is set before the split to a value known only when the script runs/);
    assert.equal(result.rewritten?.builds.length, 1);
  });

  test('a commit whose Dockerfile does not parse is skipped on both sides, with FILE:LINE:COL', async (t) => {
    const commits = seedPipHistory(['rich']);
    commits.splice(1, 0, { message: 'broken', files: { Dockerfile: 'FROM debian\nRUN <<EOF\necho\n' } });
    const dir = gitHistory(t, commits);
    const result = await replayGit(dir, { rewrite: lintFix });
    assert.equal(result.skipped.length, 1);
    assert.match(result.skipped[0].reason, /^[0-9a-f]{40}:Dockerfile:2:5: unterminated heredoc$/);
    assert.equal(result.report.builds.length, 2);
    assert.equal(result.rewritten?.builds.length, 2);
    assert.deepEqual(
      result.rewritten?.builds.map((b) => b.commit),
      result.report.builds.map((b) => b.commit),
    );
  });
});

describe('replayGit --compare-fix: context-aware fixes see each commit’s own context', () => {
  const lintFix: DockerfileRewrite = (text, file, context) => {
    const outcome = fixDockerfile(text, { file, context });
    return { text: outcome.after, rules: outcome.applied.map((fix) => fix.rule), refused: outcome.refused };
  };
  const DOCKERFILE = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n';

  test('copy-context-before-install: after the fix, editing app.py no longer re-runs pip install', async (t) => {
    const dir = gitHistory(t, [
      {
        message: 'service',
        files: { Dockerfile: DOCKERFILE, 'requirements.txt': 'flask\n', 'app.py': '1\n', '.dockerignore': '.git\n' },
      },
      { message: 'edit app', files: { 'app.py': '2\n' } },
      { message: 'edit app again', files: { 'app.py': '3\n' } },
    ]);
    const result = await replayGit(dir, { rewrite: lintFix });
    const pip = (report: ReplayReport) =>
      report.builds.map((b) => b.prediction.steps.find((s) => s.instruction.startsWith('RUN pip'))?.status);
    assert.deepEqual(pip(result.report), ['rebuilt', 'rebuilt', 'rebuilt']);
    assert.deepEqual(pip(result.rewritten as ReplayReport), ['rebuilt', 'cached', 'cached']);
    assert.deepEqual(result.compare?.rules, [{ rule: 'copy-context-before-install', count: 3 }]);
  });

  test('the same Dockerfile text is fixed again when the context answers differently (no stale memo)', async (t) => {
    const dir = gitHistory(t, [
      {
        message: 'plain',
        files: { Dockerfile: DOCKERFILE, 'requirements.txt': 'flask\n', 'app.py': '1\n', '.dockerignore': '.git\n' },
      },
      { message: 'include', files: { 'requirements.txt': '-r base.txt\nflask\n', 'base.txt': 'rich\n' } },
      { message: 'plain again', files: { 'requirements.txt': 'flask\n', 'base.txt': null } },
    ]);
    const result = await replayGit(dir, { rewrite: lintFix });
    assert.deepEqual(
      result.rewrites?.map((r) => r.changed),
      [true, false, true],
    );
    // A requirements file that includes another: the fix would not copy base.txt before the install, so none is made.
    assert.deepEqual(result.compare?.rules, [{ rule: 'copy-context-before-install', count: 2 }]);
  });
});
