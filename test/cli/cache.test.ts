import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { gitHistory, seedPipHistory } from '../support/git-history.js';
import { repoRoot } from '../support/paths.js';

describe('layerwise cache diff', () => {
  test('the README example: adding rich rebuilds the mono-layer, only the pip layer when split (JSON shape)', async () => {
    const io = memoryIo({ cwd: repoRoot });
    assert.equal(
      await main(['cache', 'diff', 'examples/seed/split', 'examples/seed/split-rich', '--format', 'json'], io),
      0,
      io.err,
    );
    const report = JSON.parse(io.out);
    assert.deepEqual(
      report.steps.map((s: { line: number; status: string }) => `${s.line}:${s.status}`),
      ['2:cached', '3:cached', '7:rebuilt'],
    );
    assert.deepEqual(report.summary, { cached: 2, rebuilt: 1, unknown: 0 });
    assert.deepEqual(Object.keys(report.steps[2]).slice(0, 5), ['stage', 'line', 'instruction', 'status', 'reason']);
    const mono = memoryIo({ cwd: repoRoot });
    assert.equal(await main(['cache', 'diff', 'examples/seed', 'examples/seed/rich'], mono), 0, mono.err);
    assert.match(mono.out, /✗ {2}3 │ RUN apt-get update/);
    assert.match(mono.out, /1 cached, 1 rebuilt, 0 unknown/);
  });

  test('the README shows the real output of `cache diff` on the article’s split example, byte for byte', async () => {
    const command = 'npx layerwise cache diff examples/seed/split examples/seed/split-rich';
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const shown = new RegExp(`\\$ ${command.replaceAll('.', '\\.')}\\n([\\s\\S]*?)\`\`\``).exec(readme)?.[1];
    assert.ok(shown, `README.md shows \`${command}\``);
    const io = memoryIo({ cwd: repoRoot });
    assert.equal(await main(command.split(' ').slice(2), io), 0, io.err);
    assert.equal(shown, io.out);
    assert.match(shown, /✓ {2}3 │ RUN apt-get update[\s\S]*✗ {2}7 │ RUN pip3 install requests rich/);
  });

  test('git revisions: HEAD against the working tree names the changed file', async (t) => {
    const dir = gitHistory(t, [
      {
        message: 'one',
        files: { Dockerfile: 'FROM debian\nCOPY app.py /app/\nRUN python3 /app/app.py\n', 'app.py': 'print(1)\n' },
      },
    ]);
    writeFileSync(join(dir, 'app.py'), 'print(2)\n');
    const io = memoryIo({ cwd: dir });
    assert.equal(await main(['cache', 'diff', 'HEAD', '--format', 'json'], io), 0, io.err);
    const steps = JSON.parse(io.out).steps;
    assert.deepEqual(
      steps.map((s: { status: string }) => s.status),
      ['cached', 'rebuilt', 'rebuilt'],
    );
    assert.equal(steps[1].reason, 'app.py changed');
    assert.equal(steps[2].reason, 'after a rebuilt step (line 2)');
  });

  test('a side that is neither a directory nor a revision exits 2 with a message', async () => {
    const io = memoryIo({ cwd: repoRoot });
    assert.equal(await main(['cache', 'diff', 'no-such-thing-xyz', 'examples/seed'], io), 2);
    assert.match(io.err, /no-such-thing-xyz/);
  });
});

describe('layerwise cache replay --compare-fix', () => {
  const replay = async (dir: string, args: string[], expected = 0) => {
    const io = memoryIo({ cwd: dir });
    assert.equal(await main(['cache', 'replay', '--compare-fix', ...args], io), expected, io.err);
    return io;
  };

  test('tty: the article’s history — totals side by side, then each side’s steps with hit rate, rebuilds and cost', async (t) => {
    const dir = gitHistory(t, seedPipHistory(['rich', 'click', 'httpx']));
    const { out } = await replay(dir, []);
    assert.match(out, /with lint --fix applied to every commit \(4 of 4 Dockerfiles changed; fixes: .*split-package-managers ×4/);
    assert.match(out, /hit rate\s+37\.5%\s+50\.0%\n\s+steps rebuilt\s+5\s+6\n/);
    assert.match(out, /estimated rebuild cost\s+85 s\s+40 s\n/);
    assert.match(out, /the rewrite would have saved about 45 s of rebuilds \(hit rate 37\.5% → 50\.0%\)/);
    const [, committed, fixed] = out.split(/\n {2}as committed\n|\n {2}fixed by lint --fix\n/);
    assert.match(
      committed,
      /^\s+hit\s+rebuilt\s+est\.\s+line\s+step\n\s+75\.0%\s+1\/4\s+5 s\s+2 {2}FROM debian:bullseye\n\s+0\.0%\s+4\/4\s+80 s\s+3 {2}RUN apt-get update/,
    );
    assert.match(fixed, /\n\s+75\.0%\s+1\/4\s+15 s\s+3 {2}RUN apt-get update && apt-get install --no-install-recommends/);
    assert.match(fixed, /\n\s+0\.0%\s+4\/4\s+20 s\s+7 {2}RUN pip3 install --no-cache-dir requests rich click httpx\n/);
    assert.match(out, /DEFAULT weights, not measured/);
    assert.doesNotMatch(out, /skipped|not fixed/);
  });

  test('json: compareFix with each side, the fixed builds commit by commit, and an empty skipped list', async (t) => {
    const dir = gitHistory(t, seedPipHistory(['rich', 'click']));
    const json = JSON.parse((await replay(dir, ['--format', 'json'])).out);
    assert.deepEqual(json.skipped, []);
    const fix = json.compareFix;
    assert.deepEqual([fix.changedCommits, fix.before.rebuilt, fix.after.rebuilt, fix.saved.rebuiltSeconds], [3, 4, 5, 30]);
    const statuses = (builds: { steps: { line: number; status: string }[] }[]) =>
      builds.map((b) => b.steps.map((s) => `${s.line}:${s.status}`).join(' '));
    assert.deepEqual(statuses(json.builds), ['2:rebuilt 3:rebuilt', '2:cached 3:rebuilt', '2:cached 3:rebuilt']);
    assert.deepEqual(statuses(fix.builds), [
      '2:rebuilt 3:rebuilt 7:rebuilt',
      '2:cached 3:cached 7:rebuilt',
      '2:cached 3:cached 7:rebuilt',
    ]);
    assert.deepEqual(
      fix.builds.map((b: { commit: string; changed: boolean }) => b.changed),
      [true, true, true],
    );
    assert.deepEqual(
      fix.builds.map((b: { commit: string }) => b.commit),
      json.builds.map((b: { commit: string }) => b.commit),
    );
    assert.deepEqual(Object.keys(fix.after.steps[1]), [
      'stage',
      'kind',
      'line',
      'instruction',
      'builds',
      'cached',
      'rebuilt',
      'unknown',
      'hitRate',
      'seconds',
    ]);
    assert.equal(fix.summary.steps.length, 3);
    assert.deepEqual(fix.refused, []);
  });

  test('html: the before/after table, both grids, and the apt row CACHED after the first commit once fixed', async (t) => {
    const dir = gitHistory(t, seedPipHistory(['rich', 'click']));
    const page = (await replay(dir, ['--format', 'html'])).out;
    assert.match(page, /step rebuilds<\/th><td class="n">4<\/td><td class="n">5<\/td>/);
    assert.match(page, /estimated rebuild time<\/th><td class="n">65 s<\/td><td class="n">35 s<\/td>/);
    const after = /<table class="grid" id="grid-after">[\s\S]*?<\/table>/.exec(page)?.[0] ?? '';
    const apt =
      /<tr data-step="[^"]*"><th class="step" scope="row" title="line 3 · RUN apt-get update[\s\S]*?<\/tr>/.exec(after)?.[0] ??
      '';
    assert.deepEqual(
      [...apt.matchAll(/<td class="cell (\w+)"/g)].map((m) => m[1]),
      ['rebuilt', 'cached', 'cached'],
    );
    assert.match(page, /After --fix: steps most often rebuilt/);
  });

  test('a commit that does not parse and a fix lint --fix refuses are reported in every format, not skipped silently', async (t) => {
    const commits = seedPipHistory(['rich']);
    commits.splice(1, 0, { message: 'broken', files: { Dockerfile: 'FROM debian\nRUN <<EOF\necho\n' } });
    commits.push({
      // A variable whose value is known only when the script runs: the split cannot carry it (an export could be).
      message: 'pip target made at run time',
      files: {
        Dockerfile:
          'FROM debian:bookworm\nRUN PIP_TARGET=$(mktemp -d) && apt-get update && apt-get install --no-install-recommends -y python3-pip && rm -rf /var/lib/apt/lists/* && pip3 install --no-cache-dir --target "$PIP_TARGET" rich\n',
      },
    });
    const dir = gitHistory(t, commits);
    const tty = await replay(dir, []);
    assert.match(
      tty.out,
      /skipped 1 commit \(not in the figures above\):\n {2}[0-9a-f]{10} {2}[0-9a-f]{40}:Dockerfile:2:5: unterminated heredoc\n/,
    );
    assert.match(
      tty.out,
      /not fixed: 1 fix lint --fix found but did not make\n {2}[0-9a-f]{10} {2}2:1 {2}split-package-managers: cannot split .*PIP_TARGET. is set before the split to a value known only when the script runs/,
    );
    assert.match(tty.out, /\(2 of 3 Dockerfiles changed/);
    const json = JSON.parse((await replay(dir, ['--format', 'json'])).out);
    assert.equal(json.skipped.length, 1);
    assert.match(json.skipped[0].reason, /:Dockerfile:2:5: unterminated heredoc$/);
    assert.equal(json.builds.length, 3);
    assert.deepEqual(
      json.compareFix.refused.map((r: { commit: string; rule: string }) => [r.commit, r.rule]),
      [[json.builds[2].commit, 'split-package-managers']],
    );
    const html = await replay(dir, ['--format', 'html']);
    assert.match(html.out, /1 commit skipped[\s\S]*unterminated heredoc/);
    assert.match(html.out, /1 fix found but not made[\s\S]*split-package-managers/);
    assert.match(html.err, /skipped [0-9a-f]{12}: .*unterminated heredoc/);
  });

  test('errors: outside a git repository, and a history where no commit parses, exit 2 with the reason', async (t) => {
    const outside = mkdtempSync(join(tmpdir(), 'layerwise-no-git-'));
    t.after(() => rmSync(outside, { recursive: true, force: true }));
    const io = await replay(outside, [], 2);
    assert.match(io.err, /cache replay needs a git repository/);
    assert.doesNotMatch(io.err, /\n\s+at /);
    const dir = gitHistory(t, [{ message: 'broken', files: { Dockerfile: 'FROM debian\nRUN <<EOF\n' } }]);
    const broken = await replay(dir, ['--format', 'json'], 2);
    assert.match(
      broken.err,
      /no commit could be replayed \(1 skipped; the newest: [0-9a-f]{40}:Dockerfile:2:5: unterminated heredoc\)/,
    );
    assert.equal(broken.out, '');
  });
});
