/**
 * `lint` over many files writes its report file by file (src/report/stream.ts): the bytes must be those of the report
 * rendered whole, on one thread or several, to stdout or to `--output`, and the run must not hold every file's result.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { type LintSettings, lintTarget } from '../../src/cli/lint.js';
import { main } from '../../src/cli/main.js';
import { renderLintGithub } from '../../src/report/github.js';
import { renderLintHtml } from '../../src/report/html/lint.js';
import { renderLintJson } from '../../src/report/json.js';
import { renderLintSarif } from '../../src/report/sarif.js';
import { renderLintTty } from '../../src/report/tty.js';
import type { LintResult } from '../../src/rules/lint.js';
import { rules } from '../../src/rules/registry.js';
import { VERSION } from '../../src/version.js';
import { needsShared, repoRoot, scratchDir, sharedDir } from '../support/paths.js';
import { corpusFiles } from '../support/run-scripts.js';

const corpus = sharedDir && join(sharedDir, 'corpus');
/** corpus/official (619 Dockerfiles), relative to the corpus: names as a user types them. */
const official = corpus ? corpusFiles(join(corpus, 'official')).map((file) => file.slice(corpus.length + 1)) : [];

async function lintIn(...args: string[]) {
  const io = memoryIo({ cwd: corpus, env: {} });
  const code = await main(['lint', ...args], io);
  return { code, out: io.out, err: io.err };
}

/** The report rendered whole from every file's result, as `lint` printed it before it streamed. */
async function whole(names: string[]) {
  const settings: LintSettings = {
    ignored: [],
    buildArgs: [],
    explicitConfig: undefined,
    failureThreshold: undefined,
    context: undefined,
  };
  const io = memoryIo({ cwd: corpus, env: {} });
  const results: LintResult[] = [];
  for (const name of names) results.push((await lintTarget(io, name, settings)).result);
  return {
    tty: renderLintTty(
      results.filter((result) => !result.parseError),
      { color: false },
    ),
    json: renderLintJson(results),
    sarif: renderLintSarif(results, { rules, toolVersion: VERSION }),
    github: renderLintGithub(results),
    html: renderLintHtml(results),
  };
}

test('every format, one thread or two: the bytes of the whole report', needsShared(), async () => {
  const names = official.slice(0, 160);
  const expected = await whole(names);
  for (const format of ['tty', 'json', 'sarif', 'github', 'html'] as const) {
    for (const jobs of ['1', '2']) {
      const run = await lintIn('--format', format, '--jobs', jobs, ...names);
      assert.ok([0, 1, 2].includes(run.code), run.err);
      assert.equal(run.out, expected[format], `--format ${format} --jobs ${jobs}`);
    }
  }
  // The JSON formats are laid out exactly as JSON.stringify lays out the whole document.
  for (const text of [expected.json, expected.sarif]) assert.equal(text, `${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  // A report with no results at all closes its arrays the same way.
  assert.equal(renderLintJson([]), `${JSON.stringify({ files: [] }, null, 2)}\n`);
  const empty = renderLintSarif([], { rules, toolVersion: VERSION });
  assert.equal(empty, `${JSON.stringify(JSON.parse(empty), null, 2)}\n`);
});

test('--output gets the same bytes; a run stopped by an unreadable file writes no report file', needsShared(), async (t) => {
  const dir = scratchDir(t, 'lint-stream-');
  const names = official.slice(0, 40);
  const stdout = await lintIn('--format', 'sarif', ...names);
  const file = join(dir, 'report.sarif');
  const written = await lintIn('--format', 'sarif', '--output', file, ...names);
  assert.equal(written.code, stdout.code);
  assert.equal(written.out, '');
  assert.equal(readFileSync(file, 'utf8'), stdout.out);

  const stopped = join(dir, 'stopped.json');
  const run = await lintIn(
    '--format',
    'json',
    '--output',
    stopped,
    ...names.slice(0, 20),
    'missing/Dockerfile',
    ...names.slice(20),
  );
  assert.equal(run.code, 2);
  assert.match(run.err, /missing\/Dockerfile: cannot read: no such file/);
  assert.ok(!existsSync(stopped), 'no partial report file');

  // To stdout, the part already written is closed as a whole document (a CI step that parses it must not get half a
  // JSON array): the report of the files before the unreadable one, then exit 2 with the reason on stderr.
  const before = names.slice(0, 20);
  for (const format of ['json', 'sarif', 'github', 'tty', 'html'] as const) {
    const cut = await lintIn('--format', format, ...before, 'missing/Dockerfile', ...names.slice(20));
    assert.equal(cut.code, 2, format);
    assert.match(cut.err, /missing\/Dockerfile: cannot read: no such file/, format);
    const complete = await lintIn('--format', format, ...before);
    assert.equal(cut.out, complete.out, `${format}: the report of the files before the unreadable one`);
    if (format === 'json' || format === 'sarif') JSON.parse(cut.out);
  }
});

/** Copies of corpus files into `dir` (named as given), for runs that write (`--fix`). */
function copies(dir: string, names: string[]): void {
  for (const name of names) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    copyFileSync(join(corpus!, name), join(dir, name));
  }
}

async function lintAt(cwd: string, ...args: string[]) {
  const io = memoryIo({ cwd, env: {} });
  const code = await main(['lint', ...args], io);
  return { code, out: io.out, err: io.err };
}

test('--diff and --fix write as they go: a run stopped by an unreadable file closes its report', needsShared(), async (t) => {
  // The corpus's first 60 files: 47 have fixes (diffs, "would fix" lines on stderr).
  const names = corpusFiles(corpus!)
    .slice(0, 60)
    .map((file) => file.slice(corpus!.length + 1));
  const before = names.slice(0, 30);
  for (const format of ['tty', 'json', 'sarif', 'github', 'html'] as const) {
    const cut = await lintIn('--diff', '--format', format, ...before, 'missing/Dockerfile', ...names.slice(30));
    assert.equal(cut.code, 2, format);
    assert.match(cut.err, /missing\/Dockerfile: cannot read: no such file/, format);
    const complete = await lintIn('--diff', '--format', format, ...before);
    assert.ok(complete.out.includes('\n+++ b/') || format === 'json', 'some files have fixes');
    assert.equal(cut.out, complete.out, `--diff --format ${format}: the diffs and the report of the files before`);
    const fixes = (err: string) => err.split('\n').filter((line) => / (would fix|not fixed)/.test(line));
    assert.deepEqual(fixes(cut.err), fixes(complete.err), `--diff --format ${format}: what would be fixed`);
    if (format === 'json') JSON.parse(cut.out); // the other formats follow the diffs on stdout
  }
  // --fix on copies: the files before the unreadable one are fixed and reported, the ones after untouched.
  for (const format of ['tty', 'json'] as const) {
    const stopped = scratchDir(t, 'lint-stream-fix-');
    const whole = scratchDir(t, 'lint-stream-fix-');
    copies(stopped, names);
    copies(whole, before);
    const cut = await lintAt(stopped, '--fix', '--format', format, ...before, 'missing/Dockerfile', ...names.slice(30));
    const complete = await lintAt(whole, '--fix', '--format', format, ...before);
    assert.equal(cut.code, 2, format);
    assert.equal(cut.out, complete.out, `--fix --format ${format}: the report of the files before`);
    for (const name of before) assert.equal(readFileSync(join(stopped, name), 'utf8'), readFileSync(join(whole, name), 'utf8'));
    for (const name of names.slice(30))
      assert.equal(readFileSync(join(stopped, name), 'utf8'), readFileSync(join(corpus!, name), 'utf8'));
  }
});

// The whole report used to be built as one string after every file's result was kept: over the corpus ~100 MB of
// peak memory (lint --jobs 1, json, 5,698 files: 270 MiB peak RSS before, 164 after). 2,476 files (corpus/official
// named four times) in a 32 MB old generation: the whole-report code ran out of memory there; streaming keeps ~14 MB
// live whatever the number of files.
const time = '/usr/bin/time';
test('many files through the built binary: streamed in a small heap, small peak RSS, a JSON.stringify layout', {
  ...needsShared(),
  ...(!existsSync(time) && { skip: `${time} is not installed` }),
}, () => {
  const names = [...official, ...official, ...official, ...official];
  const run = spawnSync(
    time,
    ['-f', 'maxrss %M', process.execPath, '--max-old-space-size=32', join(repoRoot, 'bin', 'layerwise.js'), 'lint'].concat([
      '--jobs',
      '1',
      '--format',
      'json',
      ...names,
    ]),
    { cwd: corpus, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, NO_COLOR: '1' } },
  );
  assert.ok([0, 1, 2].includes(run.status ?? -1), `exit ${run.status}: ${run.stderr.slice(-2000)}`);
  const report = JSON.parse(run.stdout) as { files: { path: string }[] };
  assert.deepEqual(
    report.files.map((file) => file.path),
    names,
  );
  assert.equal(run.stdout, `${JSON.stringify(report, null, 2)}\n`);
  const kib = Number(/maxrss (\d+)/.exec(run.stderr)?.[1]);
  assert.ok(kib > 0 && kib < 160 * 1024, `peak RSS ${(kib / 1024).toFixed(0)} MB on Node ${process.version} (expected < 160)`);
});

// `--jobs 2` is the main thread and one worker, each with its own V8 heap: the worker's young generation (32 MB by
// default) and an old generation let to grow four times its live size cost ~60 MB of peak RSS over one thread
// (corpus/official x4, json: 158 MiB on one thread, 214–225 on two). A worker lints one file at a time (~14 MB live):
// its heap is bounded (lint-parallel.ts), and the second thread costs less than 40 MiB.
test('a worker thread adds little to the peak RSS of the built binary', {
  ...needsShared(),
  ...(!existsSync(time) && { skip: `${time} is not installed` }),
}, () => {
  const names = [...official, ...official, ...official, ...official];
  const peak = (jobs: string) => {
    const run = spawnSync(
      time,
      [
        '-f',
        'maxrss %M',
        process.execPath,
        join(repoRoot, 'bin', 'layerwise.js'),
        'lint',
        '--jobs',
        jobs,
        '--format',
        'json',
      ].concat(names),
      { cwd: corpus, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, NO_COLOR: '1' } },
    );
    assert.ok([0, 1, 2].includes(run.status ?? -1), `exit ${run.status}: ${run.stderr.slice(-2000)}`);
    return Number(/maxrss (\d+)/.exec(run.stderr)?.[1]) / 1024;
  };
  const one = peak('1');
  const two = peak('2');
  assert.ok(
    one > 0 && two - one < 40,
    `peak RSS ${one.toFixed(0)} MB on one thread, ${two.toFixed(0)} on two (Node ${process.version})`,
  );
});

// `--diff`, `--fix` and `--format html` used to keep every file's result (source, tree, fix outcome) until the last
// file: corpus/official x4 in a 32 MB old generation ran out of memory (--diff, --diff --format json; html already
// at x2). Written as they go, they keep what one file needs.
test('--diff, --diff --format json and --format html through the built binary, in a small heap', {
  ...needsShared(),
  ...(!existsSync(time) && { skip: `${time} is not installed` }),
}, () => {
  for (const [args, times] of [
    [['--diff'], 4],
    [['--diff', '--format', 'json'], 4],
    [['--format', 'html'], 2],
  ] as const) {
    const names = Array.from({ length: times }, () => official).flat();
    const run = spawnSync(
      time,
      ['-f', 'maxrss %M', process.execPath, '--max-old-space-size=32', join(repoRoot, 'bin', 'layerwise.js'), 'lint'].concat(
        args,
        names,
      ),
      { cwd: corpus, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } },
    );
    assert.ok([0, 1, 2].includes(run.status ?? -1), `${args.join(' ')}: exit ${run.status}: ${run.stderr.slice(-2000)}`);
    if ((args as readonly string[]).includes('json'))
      assert.equal((JSON.parse(run.stdout) as { files: unknown[] }).files.length, names.length);
    if ((args as readonly string[]).includes('html')) assert.ok(run.stdout.endsWith('</html>\n'));
  }
});
