/**
 * Terminal conventions, checked over every command the CLI declares (the list comes from the commander definitions,
 * so a new command is checked without touching this file): --help with examples, usage errors on stderr with exit 2,
 * results on stdout, colors only on a terminal and never with NO_COLOR (FORCE_COLOR honoured), --quiet and --verbose
 * with one meaning everywhere.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { buildProgram, main } from '../../src/cli/main.js';
import { allCommands, commandSpec } from '../../src/cli/spec.js';
import { repoRoot } from '../support/paths.js';
import { buildImage, writeDockerArchive } from '../support/random-image.js';

const ESC = /\x1b\[/;
const spec = commandSpec(buildProgram(memoryIo(), () => {}));
const commands = allCommands(spec);
const scratch = mkdtempSync(join(tmpdir(), 'layerwise-conventions-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

async function run(argv: string[], options: { isTTY?: boolean; env?: Record<string, string>; cwd?: string } = {}) {
  const io = memoryIo({ cwd: options.cwd ?? repoRoot, isTTY: options.isTTY ?? false, env: options.env ?? {} });
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('--help for every command', () => {
  for (const command of commands.filter((c) => c.name !== 'help')) {
    const name = ['layerwise', ...command.path].join(' ');
    test(`${name} --help: usage, description and examples on stdout, exit 0`, async () => {
      const { code, out, err } = await run([...command.path, '--help']);
      assert.equal(code, 0);
      assert.equal(err, '');
      assert.ok(out.startsWith(`Usage: ${name} `), out.split('\n')[0]);
      assert.ok(out.replace(/\s+/g, ' ').includes(command.description), 'the description');
      assert.match(out, /^Examples?:$/m);
      assert.ok(command.examples.length > 0);
      // every example runs this command (or, for a group, one of its subcommands)
      for (const example of command.examples) assert.ok(example.startsWith(`${name} `) || example === name, example);
    });
  }
  test('`layerwise help COMMAND` is `layerwise COMMAND --help`', async () => {
    assert.deepEqual(await run(['help', 'lint']), await run(['lint', '--help']));
  });
  test('--version prints the version alone on stdout', async () => {
    const { code, out, err } = await run(['--version']);
    assert.equal(code, 0);
    assert.match(out, /^\d+\.\d+\.\d+\S*\n$/);
    assert.equal(err, '');
  });
});

describe('usage errors: exit 2, the message on stderr, nothing on stdout', () => {
  for (const command of commands.filter((c) => c.name !== 'help' && !c.passesUnknownOptions)) {
    test(`layerwise ${command.path.join(' ')} --no-such-option`, async () => {
      const { code, out, err } = await run([...command.path, '--no-such-option']);
      assert.equal(code, 2);
      assert.equal(out, '');
      assert.match(err, /unknown option '--no-such-option'/);
    });
  }
  test('--quiet and --verbose together', async () => {
    const { code, out, err } = await run(['--quiet', 'demo', '--verbose']);
    assert.equal(code, 2);
    assert.equal(out, '');
    assert.match(err, /cannot be used with/);
  });
});

/** Runnable without an engine; `colored`: whether the terminal output has colors at all. */
interface Case {
  argv: string[];
  colored: boolean;
  json?: boolean;
  cwd?: string;
}
const cases: Case[] = [];

before(async () => {
  const image = await buildImage({ layers: [[{ path: 'a', content: 'hello' }], [{ path: 'a', content: 'bye' }]] });
  const archive = join(scratch, 'image.tar');
  await writeDockerArchive(archive, [{ image }], 'oci');
  const repo = join(scratch, 'repo');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, stdio: 'ignore' });
  execFileSync('mkdir', ['-p', repo]);
  git('init', '-q', '-b', 'main');
  for (const n of [1, 2]) {
    writeFileSync(join(repo, 'Dockerfile'), `FROM debian\nRUN echo ${n}\n`);
    git('add', '-A');
    git('commit', '-q', '-m', String(n));
  }
  const seed = 'examples/seed/Dockerfile';
  cases.push(
    { argv: ['parse', seed], colored: false, json: true },
    { argv: ['parse', '--format', 'buildkit', seed], colored: false },
    { argv: ['lint', seed], colored: true },
    { argv: ['lint', '--format', 'json', seed], colored: false, json: true },
    { argv: ['lint', '--format', 'sarif', seed], colored: false, json: true },
    { argv: ['lint', '--format', 'github', seed], colored: false },
    { argv: ['lint', '--format', 'html', seed], colored: false },
    { argv: ['cache', 'diff', 'examples/seed', 'examples/seed/rich'], colored: true },
    { argv: ['cache', 'diff', '--format', 'json', 'examples/seed', 'examples/seed/rich'], colored: false, json: true },
    { argv: ['cache', 'replay', '--commits', '2'], colored: true, cwd: repo },
    { argv: ['cache', 'replay', '--commits', '2', '--format', 'json'], colored: false, json: true, cwd: repo },
    { argv: ['image', 'history', `docker-archive:${archive}`], colored: false },
    { argv: ['image', 'history', '--format', 'json', `docker-archive:${archive}`], colored: false, json: true },
    { argv: ['image', 'analyze', `docker-archive:${archive}`], colored: false },
    { argv: ['image', 'diff', `docker-archive:${archive}`, `docker-archive:${archive}`], colored: false },
    { argv: ['demo', '-o', join(scratch, 'demo.html')], colored: true },
    { argv: ['completion', 'bash'], colored: false },
  );
});

test('every command that runs without an engine is covered below', () => {
  const covered = new Set(
    cases.map((c) =>
      c.argv
        .filter((word) => /^[a-z]+$/.test(word))
        .slice(0, 2)
        .join(' '),
    ),
  );
  const leaves = commands.filter((c) => c.subcommands.length === 0 && c.name !== 'help').map((c) => c.path.join(' '));
  assert.deepEqual(
    leaves.filter((leaf) => ![...covered].some((c) => c === leaf || c.startsWith(`${leaf} `))),
    ['build'], // drives a real engine: its output conventions are tested in test/cli/build.test.ts
  );
});

test('results on stdout, colors only on a terminal, NO_COLOR off, FORCE_COLOR on; --quiet and --verbose', async () => {
  for (const { argv, colored, json, cwd } of cases) {
    const name = argv.join(' ');
    const plain = await run(argv, { cwd });
    assert.ok(plain.code === 0 || plain.code === 1, `${name}: exit ${plain.code} ${plain.err}`);
    assert.ok(plain.out.endsWith('\n'), `${name}: a result on stdout`);
    assert.equal(plain.err, '', `${name}: nothing on stderr`);
    assert.doesNotMatch(plain.out, ESC, `${name}: no colors when stdout is not a terminal`);
    if (json) JSON.parse(plain.out);

    const tty = await run(argv, { cwd, isTTY: true });
    assert.equal(ESC.test(tty.out), colored, `${name}: colors on a terminal`);
    assert.equal(tty.out.replace(/\x1b\[[0-9;]*m/g, ''), plain.out, `${name}: colors change nothing else`);
    const noColor: Record<string, string>[] = [{ NO_COLOR: '1' }, { NO_COLOR: '1', FORCE_COLOR: '1' }, { TERM: 'dumb' }];
    for (const env of noColor) {
      assert.doesNotMatch((await run(argv, { cwd, isTTY: true, env })).out, ESC, `${name}: ${JSON.stringify(env)}`);
    }
    assert.equal(ESC.test((await run(argv, { cwd, env: { FORCE_COLOR: '1' } })).out), colored, `${name}: FORCE_COLOR`);
    assert.doesNotMatch((await run(argv, { cwd, env: { FORCE_COLOR: '0' }, isTTY: true })).out, ESC, `${name}: FORCE_COLOR=0`);

    const quiet = await run(['--quiet', ...argv], { cwd });
    assert.deepEqual(quiet, plain, `${name}: --quiet (stdout is already results only)`);
    const verbose = await run([...argv, '--verbose'], { cwd });
    assert.equal(verbose.code, plain.code);
    assert.equal(verbose.out, plain.out, `${name}: --verbose does not change the results`);
    assert.match(verbose.err, /^(layerwise: .*\n)+$/, `${name}: --verbose explains on stderr, each line marked`);
    assert.match(verbose.err, /layerwise: exit \d after \d+ ms\n$/);
  }
});
