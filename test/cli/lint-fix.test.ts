/**
 * `lint --fix` / `--diff` end to end through the built binary (bin/layerwise.js), as a user or a CI job runs it:
 * standard input, JSON with the edits, a diff that writes nothing, a write that fails (exit 2, the reason, the
 * original intact), and the bytes a fix must keep (CRLF, BOM, the file mode).
 */
import assert from 'node:assert/strict';
import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { repoRoot, testOutput } from '../support/paths.js';

const root = join(testOutput, 'cli-lint-fix');
rmSync(root, { recursive: true, force: true });

const dockerfile = 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n';
const fixedText =
  'FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*\n';

/** An empty folder under .test-output holding `files`. */
function folder(name: string, files: Record<string, string> = {}): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  return dir;
}

function layerwise(cwd: string, args: string[], options: SpawnSyncOptions = {}) {
  const run = spawnSync(process.execPath, [join(repoRoot, 'bin', 'layerwise.js'), 'lint', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    ...options,
  });
  return { code: run.status, out: String(run.stdout), err: String(run.stderr) };
}

/** What a folder holds, byte for byte, with each file's mode. */
function snapshot(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .map((name) => `${name} ${statSync(join(dir, name)).mode.toString(8)} ${readFileSync(join(dir, name)).toString('base64')}`);
}

describe('layerwise lint --fix (the built binary)', () => {
  test('standard input: the fixed text on stdout, the report on stderr, nothing written', () => {
    const dir = folder('stdin');
    const run = layerwise(dir, ['--fix', '-'], { input: dockerfile });
    assert.equal(run.code, 0, run.err);
    assert.equal(run.out, fixedText);
    assert.match(run.err, /<stdin>: fixed 2 problems \(1 pass\)/);
    assert.match(run.err, /prefer-cache-mount/, 'the findings left are reported on stderr');
    assert.deepEqual(readdirSync(dir), []);
  });

  test('--format json carries the fixed text and each fix with its edits; --diff --format json writes nothing', () => {
    const dir = folder('json', { Dockerfile: dockerfile });
    const dry = layerwise(dir, ['--diff', '--format', 'json', 'Dockerfile']);
    assert.equal(dry.code, 0, dry.err);
    const file = JSON.parse(dry.out).files[0];
    assert.deepEqual(
      [file.path, file.output, file.changed, file.passes, file.converged],
      ['Dockerfile', fixedText, true, 1, true],
    );
    assert.deepEqual(file.fixes.map((f: { rule: string }) => f.rule).sort(), [
      'apt-no-install-recommends',
      'package-cache-cleanup',
    ]);
    // The edits are offsets into the original text: applied (from the end) they give the output.
    const edits = file.fixes.flatMap((f: { edits: { start: number; end: number; text: string }[] }) => f.edits);
    const applied = edits
      .sort((a: { start: number }, b: { start: number }) => b.start - a.start)
      .reduce(
        (text: string, e: { start: number; end: number; text: string }) => text.slice(0, e.start) + e.text + text.slice(e.end),
        dockerfile,
      );
    assert.equal(applied, fixedText);
    assert.ok(
      file.findings.every((f: { rule: string }) => !['apt-no-install-recommends', 'package-cache-cleanup'].includes(f.rule)),
    );
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), dockerfile, '--diff wrote the file');
    // --fix --format json writes the file and reports the same.
    const fix = layerwise(dir, ['--fix', '--format', 'json', 'Dockerfile']);
    assert.equal(fix.code, 0, fix.err);
    assert.equal(JSON.parse(fix.out).files[0].output, fixedText);
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), fixedText);
  });

  test('--diff prints a unified diff and writes nothing', () => {
    const dir = folder('diff', { Dockerfile: dockerfile });
    const before = snapshot(dir);
    const run = layerwise(dir, ['--diff', 'Dockerfile']);
    assert.equal(run.code, 0, run.err);
    assert.match(
      run.out,
      /^--- a\/Dockerfile\n\+\+\+ b\/Dockerfile\n@@ -1,2 \+1,2 @@\n FROM debian:12\n-RUN apt-get update && apt-get install -y curl\n\+RUN apt-get update && apt-get install --no-install-recommends -y curl && rm -rf \/var\/lib\/apt\/lists\/\*\n/,
    );
    assert.match(run.err, /Dockerfile: would fix 2 problems/);
    assert.deepEqual(snapshot(dir), before);
  });

  test('CRLF line ends, a BOM and the file mode are kept', () => {
    const dir = folder('bytes', { Dockerfile: `\ufeff${dockerfile.replaceAll('\n', '\r\n')}` });
    chmodSync(join(dir, 'Dockerfile'), 0o750);
    const run = layerwise(dir, ['--fix', 'Dockerfile']);
    assert.equal(run.code, 0, run.err);
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), `\ufeff${fixedText.replaceAll('\n', '\r\n')}`);
    assert.equal(statSync(join(dir, 'Dockerfile')).mode & 0o7777, 0o750);
    assert.deepEqual(readdirSync(dir), ['Dockerfile'], 'no temporary file left');
  });

  // chmod does not stop root: as root, the binary runs as `nobody` for these two.
  const asRoot = process.getuid?.() === 0;
  const unprivileged: SpawnSyncOptions = asRoot ? { uid: 65534, gid: 65534 } : {};

  test('a read-only file: exit 2 with the reason, the original intact', () => {
    const dir = folder('read-only-file', { Dockerfile: dockerfile });
    chmodSync(dir, 0o777); // the folder is writable: only the file says no
    chmodSync(join(dir, 'Dockerfile'), 0o444);
    const before = snapshot(dir);
    const run = layerwise(dir, ['--fix', 'Dockerfile'], unprivileged);
    assert.equal(run.code, 2, run.err);
    assert.match(run.err, /Dockerfile: cannot write: permission denied \(the file is read-only\); the file is unchanged/);
    assert.deepEqual(snapshot(dir), before);
    assert.equal(statSync(join(dir, 'Dockerfile')).uid, process.getuid?.(), 'the owner is kept');
    if (!asRoot) return;
    // Writable by everyone but owned by root: `nobody` could replace it only by giving it a new owner.
    chmodSync(join(dir, 'Dockerfile'), 0o666);
    const shared = snapshot(dir);
    const other = layerwise(dir, ['--fix', 'Dockerfile'], unprivileged);
    assert.equal(other.code, 2, other.err);
    assert.match(other.err, /cannot write: the file belongs to another user \(uid 0\) and replacing it would make it ours/);
    assert.deepEqual(snapshot(dir), shared);
  });

  test('a read-only folder: exit 2 with the reason, the original intact, no temporary file', () => {
    const dir = folder('read-only-dir', { Dockerfile: dockerfile });
    if (asRoot) chownSync(join(dir, 'Dockerfile'), 65534, 65534); // the file itself is writable by its owner
    chmodSync(join(dir, 'Dockerfile'), 0o644);
    chmodSync(dir, 0o555);
    const before = snapshot(dir);
    const run = layerwise(dir, ['--fix', 'Dockerfile'], unprivileged);
    chmodSync(dir, 0o755);
    assert.equal(run.code, 2, run.err);
    assert.match(run.err, /Dockerfile: cannot write: permission denied; the file is unchanged/);
    assert.deepEqual(snapshot(dir), before);
  });
});
