import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import type { LintSettings } from '../../src/cli/lint.js';
import { lintInWorkers, threadCount } from '../../src/cli/lint-parallel.js';
import { main } from '../../src/cli/main.js';
import { InputError, UsageError } from '../../src/errors.js';
import { testOutput } from '../support/paths.js';

const root = join(testOutput, 'cli-lint-parallel');

/** Varied Dockerfiles (findings, fixes, a parse error, a config with an ignored rule), many of each. */
function files(count: number): string[] {
  rmSync(root, { recursive: true, force: true });
  const texts = [
    'FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl && pip install requests\n',
    'FROM node\nCOPY . .\nRUN npm ci\n',
    'FROM alpine:3.20\nRUN apk add curl\n',
    'FROM python:3.12\nRUN pip install --no-cache-dir flask\n',
    'FROM busybox\nRUN [ -f x ] || echo $(cat <<EOF\nhi\nEOF\n)\n',
    'FROM alpine:3.20\nENV PATH\n', // does not parse
  ];
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const dir = join(root, `app${i}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), texts[i % texts.length]);
    if (i % 7 === 0) writeFileSync(join(dir, '.layerwise.yaml'), 'ignored:\n  - unpinned-base-image\n');
    names.push(`app${i}/Dockerfile`);
  }
  return names;
}

async function lintIn(...args: string[]) {
  const io = memoryIo({ cwd: root, env: {} });
  const code = await main(['lint', ...args], io);
  return { code, out: io.out, err: io.err };
}

test('worker threads print exactly what one thread prints, in the order the files were named', async () => {
  const names = files(40);
  for (const format of ['json', 'tty', 'sarif', 'github']) {
    const one = await lintIn('--format', format, '--jobs', '1', ...names);
    const three = await lintIn('--format', format, '--jobs', '3', ...names);
    assert.equal(one.code, 2, 'a file that does not parse: exit 2');
    assert.deepEqual(three, one, format);
  }
});

test('--verbose says the same about each file, in the same order, whichever thread linted it', async () => {
  const names = files(40);
  const one = await lintIn('--verbose', '--format', 'json', '--jobs', '1', ...names);
  const three = await lintIn('--verbose', '--format', 'json', '--jobs', '3', ...names);
  assert.match(one.err, /app7\/Dockerfile: \d+ characters, configuration .*app7\/\.layerwise\.yaml/);
  const untimed = (run: typeof one) => ({ ...run, err: run.err.replace(/^layerwise: exit \d+ after \d+ ms\n/m, '') });
  assert.deepEqual(untimed(three), untimed(one));
});

test('a handful of files on more threads than needed: done before the workers start, same report', async () => {
  const names = files(3);
  assert.deepEqual(await lintIn('--jobs', '8', ...names), await lintIn('--jobs', '1', ...names));
});

test('a file that cannot be read stops the run with exit 2 and its name, as with one thread', async () => {
  const names = files(6);
  const run = await lintIn('--jobs', '2', ...names.slice(0, 3), 'missing/Dockerfile', ...names.slice(3));
  assert.equal(run.code, 2);
  assert.match(run.err, /missing\/Dockerfile: cannot read: no such file/);
});

test('--jobs: a whole number; threads only for many files and never for standard input', () => {
  assert.throws(() => threadCount('0', ['a']), UsageError);
  assert.throws(() => threadCount('two', ['a']), UsageError);
  assert.equal(threadCount('4', ['a', 'b']), 2);
  assert.equal(threadCount('4', ['a', '-', 'b']), 1);
  assert.equal(threadCount(undefined, ['a', 'b', 'c']), 1);
  const many = Array.from({ length: 1000 }, (_, i) => `f${i}`);
  assert.ok(threadCount(undefined, many) >= 1);
});

test('--jobs default: one thread per CPU but one (V8 compiles and collects on the spare one), at least 32 files each', () => {
  const files = (n: number) => Array.from({ length: n }, (_, i) => `f${i}`);
  assert.equal(threadCount(undefined, files(1000), 1), 1);
  assert.equal(threadCount(undefined, files(1000), 2), 1);
  assert.equal(threadCount(undefined, files(1000), 8), 7);
  assert.equal(threadCount(undefined, files(100), 8), 3);
  assert.equal(threadCount('2', files(1000), 2), 2, 'an explicit --jobs is obeyed');
});

test('a worker that reaches its heap bound names the file it was linting (exit 2), not an internal error', async () => {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  // ~500 KB of RUNs: its tree and analyses need far more than a 24 MB old generation.
  const runs = Array.from({ length: 4000 }, (_, i) => `RUN apt-get install -y curl${i} && rm -rf /var/lib/apt/lists/*`);
  writeFileSync(join(root, 'Dockerfile'), `FROM debian:bookworm\n${runs.join('\n')}\n`);
  const settings: LintSettings = {
    ignored: [],
    buildArgs: [],
    explicitConfig: undefined,
    failureThreshold: undefined,
    context: undefined,
  };
  const io = memoryIo({ cwd: root, env: {} });
  const heap = { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 };
  await assert.rejects(
    lintInWorkers(io, Array(8).fill('Dockerfile'), settings, 2, () => {}, heap),
    (error) => {
      assert.ok(error instanceof InputError, String(error));
      assert.equal(error.file, 'Dockerfile');
      assert.match(
        error.message,
        /^a lint worker thread ran out of memory \(its heap is bounded to 24 MB\) on this file.*--jobs 1$/,
      );
      return true;
    },
  );
});
