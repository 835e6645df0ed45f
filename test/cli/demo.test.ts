import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { repoRoot } from '../support/paths.js';

const bin = join(repoRoot, 'bin', 'layerwise.js');
const scratch = mkdtempSync(join(tmpdir(), 'layerwise-demo-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The step lines of one scenario of the demo ("before the fix" / "after the fix"): `mark line status`. */
function steps(out: string, label: string): string[] {
  const block = out.slice(out.indexOf(label)).split('\n').slice(1);
  const rows: string[] = [];
  for (const line of block) {
    const match = /^ {5}([✓✗?]) +(\d+) .*? {2}(cached|rebuilt|unknown)/.exec(line);
    if (!match) break;
    rows.push(`${match[1]} ${match[2]} ${match[3]}`);
  }
  return rows;
}

test('layerwise demo (the installed bin): the whole story on one screen, exit 0, nothing on stderr', () => {
  const result = spawnSync(process.execPath, [bin, 'demo', '-o', join(scratch, 'report.html')], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', DOCKER_HOST: 'unix:///nonexistent' },
  });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr, '');
  const out = result.stdout;
  assert.doesNotMatch(out, /\x1b\[/);
  // 1. lint: the article's two findings, at their places
  assert.match(out, /^ {5}3:1 +warning .*split-package-managers$/m);
  assert.match(out, /^ {5}4:19 +error .*`-–no-install-recommends` starts with an en dash.*unicode-dash-in-flag$/m);
  // apt-no-install-recommends is not among them: the look-alike flag is reported once, by unicode-dash-in-flag.
  assert.match(out, /7 problems in 1 file \(1 error, 2 warnings, 4 info\), 3 fixable with --fix/);
  // 2. fix: the real `lint --fix --diff` splits the RUN per package manager, the apt cleanup staying with apt
  assert.match(
    out,
    /^ {3}- {2}rm -rf \/var\/lib\/apt\/lists\/\* && \\\n {3}- {2}pip3 install requests\n {3}\+ {2}rm -rf \/var\/lib\/apt\/lists\/\*\n {3}\+RUN pip3 install --no-cache-dir requests$/m,
  );
  assert.match(out, /after the fix \(layerwise lint --fix\)/);
  // 3. cache: one more pip package rebuilds the mono-layer's only RUN; after the split, the apt layer stays cached
  assert.deepEqual(steps(out, 'before the fix'), ['✓ 2 cached', '✗ 3 rebuilt']);
  assert.deepEqual(steps(out, 'after the fix'), ['✓ 2 cached', '✓ 3 cached', '✗ 7 rebuilt']);
  assert.match(out, /1 cached, 1 rebuilt: apt-get and pip3 run again/);
  assert.match(out, /2 cached, 1 rebuilt: pip3 runs again; the apt-get layer stays CACHED/);
  for (const heading of ['1. lint', '2. fix', '3. cache', '4. report']) assert.match(out, new RegExp(`^${heading}`, 'm'));
  // 4. the HTML report: named, written whole, and telling the same story (its structure: test/report/html/)
  assert.match(out, new RegExp(`^4\\. report: .*\n {3}${join(scratch, 'report.html')}\n$`, 'm'));
  const page = readFileSync(join(scratch, 'report.html'), 'utf8');
  assert.match(page, /^<!doctype html>[\s\S]*<\/html>\n$/i);
  for (const text of [
    'split-package-managers',
    'unicode-dash-in-flag',
    'pip3 install requests rich',
    'RUN pip3 install --no-cache-dir requests rich',
  ])
    assert.ok(page.includes(text), text);
});

test('demo -o into a place that cannot hold a file: exit 2, the reason, no stack trace, no story half told', async () => {
  const io = memoryIo({ cwd: repoRoot });
  assert.equal(await main(['demo', '-o', join(bin, 'x.html')], io), 2);
  assert.equal(io.err, `${join(bin, 'x.html')}: cannot write the report (ENOTDIR)\n`);
  assert.equal(io.out, '');
});

test('demo -o - is refused (the story goes to stdout): exit 2, and the option that fits', async () => {
  const io = memoryIo({ cwd: repoRoot });
  assert.equal(await main(['demo', '-o', '-'], io), 2);
  assert.equal(io.out, '');
  assert.equal(io.err, 'layerwise: demo -o -: the story goes to stdout; give -o a file for the HTML report\n');
});

test('demo -o names a file relative to the working directory, as in every other command', async () => {
  const io = memoryIo({ cwd: scratch });
  assert.equal(await main(['demo', '--output', 'relative.html'], io), 0, io.err);
  assert.match(io.out, /^ {3}relative\.html$/m);
  assert.ok(existsSync(join(scratch, 'relative.html')));
});

test('the demo predicts what `cache diff` predicts on the example directories (checked against real builds)', async () => {
  const demo = memoryIo({ cwd: repoRoot });
  assert.equal(await main(['demo', '-o', join(scratch, 'in-process.html')], demo), 0, demo.err);
  for (const [label, old, next] of [
    ['before the fix', 'examples/seed', 'examples/seed/rich'],
    ['after the fix', 'examples/seed/split', 'examples/seed/split-rich'],
  ]) {
    const io = memoryIo({ cwd: repoRoot });
    assert.equal(await main(['cache', 'diff', old, next, '--format', 'json'], io), 0, io.err);
    const expected = JSON.parse(io.out).steps.map(
      (step: { line: number; status: 'cached' | 'rebuilt' }) =>
        `${{ cached: '✓', rebuilt: '✗' }[step.status]} ${step.line} ${step.status}`,
    );
    assert.deepEqual(steps(demo.out, label), expected, label);
  }
});
