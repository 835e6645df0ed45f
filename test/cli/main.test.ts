import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { VERSION } from '../../src/version.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'layerwise.js');

test('--version prints the package version and exits 0', async () => {
  const io = memoryIo();
  assert.equal(await main(['--version'], io), 0);
  assert.equal(io.out.trim(), VERSION);
  assert.match(VERSION, /^\d+\.\d+\.\d+/);
});

test('an unknown command is a usage error: exit 2, message on stderr, nothing on stdout', async () => {
  const io = memoryIo();
  assert.equal(await main(['frobnicate'], io), 2);
  assert.match(io.err, /unknown command/);
  assert.equal(io.out, '');
});

test('--help lists the commands', async () => {
  const io = memoryIo();
  assert.equal(await main(['--help'], io), 0);
  assert.match(io.out, /parse/);
});

test('the installed bin runs the compiled CLI', () => {
  const result = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), VERSION);
});

test('a reader that goes away early (`| head`) ends the output quietly: no EPIPE stack trace', () => {
  // `true` exits before layerwise writes, so every write meets a closed pipe.
  const result = spawnSync(
    'bash',
    ['-c', `"${process.execPath}" "${bin}" completion zsh | true; echo "status \${PIPESTATUS[0]}" >&2`],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(result.stderr, 'status 0\n');
});
