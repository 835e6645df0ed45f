import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { repoRoot, testOutput } from '../support/paths.js';

const bin = join(repoRoot, 'bin', 'layerwise.js');
const seed = join(repoRoot, 'examples', 'seed', 'Dockerfile');

function scratch(name: string, text: string): string {
  const dir = join(testOutput, 'cli-parse');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

test('parse --format buildkit prints BuildKit Node.Dump() of the seed Dockerfile', async () => {
  const io = memoryIo();
  assert.equal(await main(['parse', seed, '--format', 'buildkit'], io), 0);
  assert.equal(
    io.out,
    '(from "debian:bullseye")\n(run "apt-get update &&   apt-get install -–no-install-recommends --yes   python3-pip &&   rm -rf /var/lib/apt/lists/* &&   pip3 install requests")\n',
  );
  assert.equal(io.err, '');
});

test('parse (json by default) prints the tree with ranges', async () => {
  const io = memoryIo();
  assert.equal(await main(['parse', seed], io), 0);
  const json = JSON.parse(io.out);
  assert.equal(json.version, 1);
  assert.deepEqual(
    json.instructions.map((node: { name: string; range: { start: { line: number } } }) => [node.name, node.range.start.line]),
    [
      ['FROM', 2],
      ['RUN', 3],
    ],
  );
  assert.equal(json.comments[0].text, 'Dockerfile');
  assert.deepEqual(json.problems, []);
});

test("parse --format json lists what BuildKit's instruction layer would refuse, without failing", async () => {
  const file = scratch('flags.Dockerfile', 'FROM a\nCOPY --form=b x y\n');
  const io = memoryIo();
  assert.equal(await main(['parse', file], io), 0);
  assert.deepEqual(JSON.parse(io.out).problems, [
    { message: 'unknown flag: --form (did you mean from?)', line: 2, column: 6, endLine: 2, endColumn: 14 },
  ]);
});

test('a parse error is FILE:LINE:COL: message on stderr, exit 2, no stack trace', async () => {
  const file = scratch('bad.Dockerfile', 'FROM alpine\nENV PATH\n');
  const io = memoryIo();
  assert.equal(await main(['parse', file], io), 2);
  assert.equal(io.err, `${file}:2:5: ENV must have two arguments\n`);
  assert.equal(io.out, '');
});

test('a missing file is an input error (exit 2)', async () => {
  const io = memoryIo();
  assert.equal(await main(['parse', join(testOutput, 'does-not-exist')], io), 2);
  assert.match(io.err, /does-not-exist: cannot read/);
});

test('the installed bin reads standard input with "-"', () => {
  const result = spawnSync(process.execPath, [bin, 'parse', '-', '--format', 'buildkit'], {
    input: 'from a\nrun b\n',
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, '(from "a")\n(run "b")\n');
});
