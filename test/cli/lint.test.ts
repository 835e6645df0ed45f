import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { repoRoot, testOutput } from '../support/paths.js';

const root = join(testOutput, 'cli-lint');

/** A folder tree under .test-output: { 'a/Dockerfile': text, ... }. */
function tree(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function lintIn(cwd: string, ...args: string[]) {
  const io = memoryIo({ cwd, env: { TAG: '3.20' } });
  const code = await main(['lint', ...args], io);
  return { code, out: io.out, err: io.err };
}

test('default ./Dockerfile; exit 1 on warnings by default, 0 when clean', async () => {
  const dir = tree('default', { Dockerfile: 'FROM node\n', 'clean/Dockerfile': 'FROM node:22\n' });
  const dirty = await lintIn(dir);
  assert.equal(dirty.code, 1);
  assert.match(dirty.out, /^Dockerfile\n {2}1:6 {2}warning {2}base image node has no tag/);
  const clean = await lintIn(dir, 'clean/Dockerfile');
  assert.deepEqual(clean, { code: 0, out: '✓ no problems in 1 file\n', err: '' });
});

test('--failure-threshold, --ignore (ids and hadolint codes), --build-arg (K=V and K from the environment)', async () => {
  const dir = tree('flags', { Dockerfile: 'ARG TAG=latest\nFROM alpine:$TAG\n' });
  assert.equal((await lintIn(dir, '--failure-threshold', 'error')).code, 0);
  assert.equal((await lintIn(dir, '--failure-threshold', 'none')).code, 0);
  assert.equal((await lintIn(dir, '--ignore', 'DL3007')).code, 0);
  assert.equal((await lintIn(dir, '--ignore', 'unpinned-base-image', '--ignore', 'add-url-without-checksum')).code, 0);
  assert.equal((await lintIn(dir, '--build-arg', 'TAG=3.19')).code, 0);
  assert.equal((await lintIn(dir, '--build-arg', 'TAG')).code, 0);
  assert.equal((await lintIn(dir, '--build-arg', 'UNSET')).code, 1);
  const unknown = await lintIn(dir, '--ignore', 'no-such-rule');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /--ignore no-such-rule: no such rule/);
  assert.equal((await lintIn(dir, '--failure-threshold', 'loud')).code, 2);
});

test("the build context: the Dockerfile's directory or --context, seen through .dockerignore", async () => {
  const dockerfile = 'FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\n';
  const dir = tree('context', {
    'app/Dockerfile': dockerfile,
    'app/package.json': '{"name":"x"}',
    'app/package-lock.json': '{}',
    'app/.dockerignore': 'package-lock.json\n',
    'other/package.json': '{"name":"y"}',
    'other/package-lock.json': '{}',
  });
  const manifests = (out: string) =>
    JSON.parse(out)
      .files[0].findings.filter((f: { rule: string }) => f.rule === 'copy-context-before-install')
      .map((f: { message: string }) => /\. COPY (.*) first/.exec(f.message)?.[1]);
  assert.deepEqual(manifests((await lintIn(dir, '--format', 'json', 'app/Dockerfile')).out), ['package.json']);
  assert.deepEqual(manifests((await lintIn(dir, '--format', 'json', '--context', 'other', 'app/Dockerfile')).out), [
    'package.json package-lock.json',
  ]);
  const missing = await lintIn(dir, '--context', 'nowhere', 'app/Dockerfile');
  assert.equal(missing.code, 2);
  assert.match(missing.err, /--context nowhere: not a directory/);
});

test('.layerwise.yaml is found upward from each Dockerfile; --config wins', async () => {
  const dir = tree('config', {
    '.layerwise.yaml': 'ignored: [unpinned-base-image]\n',
    'svc/Dockerfile': 'FROM node\n',
    'strict.yaml': 'failure-threshold: none\nseverity: { unpinned-base-image: error }\n',
  });
  assert.deepEqual(await lintIn(join(dir, 'svc')), { code: 0, out: '✓ no problems in 1 file\n', err: '' });
  const strict = await lintIn(dir, '--config', 'strict.yaml', '--format', 'json', 'svc/Dockerfile');
  assert.equal(strict.code, 0);
  assert.equal(JSON.parse(strict.out).files[0].findings[0].severity, 'error');
});

test('a bad configuration is an input error at its line and column (exit 2)', async () => {
  const dir = tree('bad-config', { '.layerwise.yaml': 'ignored:\n  - nope\n', Dockerfile: 'FROM node:22\n' });
  const result = await lintIn(dir);
  assert.equal(result.code, 2);
  assert.equal(result.err, `${join(dir, '.layerwise.yaml')}:2:5: unknown rule "nope"\n`);
});

test('a file that does not parse: FILE:LINE:COL: message on stderr, exit 2, other files still reported', async () => {
  const dir = tree('parse-error', { bad: 'FROM a:1\nENV PATH\n', good: 'FROM node\n' });
  const result = await lintIn(dir, '--format', 'json', 'bad', 'good');
  assert.equal(result.code, 2);
  assert.match(result.err, /^bad:2:5: .+\n$/);
  assert.deepEqual(
    JSON.parse(result.out).files.map((file: { path: string; findings: unknown[] }) => [file.path, file.findings.length]),
    [
      ['bad', 0],
      ['good', 1],
    ],
  );
  const missing = await lintIn(dir, 'nope');
  assert.equal(missing.code, 2);
  assert.equal(missing.err, 'nope: cannot read: no such file\n');
});

test('the built binary lints standard input and writes SARIF', () => {
  const run = spawnSync(process.execPath, [join(repoRoot, 'bin', 'layerwise.js'), 'lint', '--format', 'sarif', '-'], {
    input: 'FROM node:latest\n',
    encoding: 'utf8',
  });
  assert.equal(run.status, 1, run.stderr);
  const log = JSON.parse(run.stdout);
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs[0].results[0].ruleId, 'unpinned-base-image');
  assert.equal(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, '%3Cstdin%3E');
});
