/**
 * What keeps the first run instant, checked by what the process does rather than by a clock (the clock is
 * bench/startup.ts): the commands that parse shell never hand tree-sitter-bash's WASM to TurboFan, whose background
 * compile of the 160 KB lexer the process would wait for at exit (3–4 s on a loaded machine); and a command loads
 * only the stages it uses (main.ts imports each command lazily; here, what each command's module imports statically).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { after, test } from 'node:test';
import { repoRoot } from '../support/paths.js';

const bin = join(repoRoot, 'bin', 'layerwise.js');
const scratch = mkdtempSync(join(tmpdir(), 'layerwise-startup-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the installed bin with V8 tracing each WASM function it compiles, and returns the compiler names used. */
function wasmCompilers(args: string[], status: number): string[] {
  const result = spawnSync(process.execPath, ['--trace-wasm-compilation-times', bin, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  assert.equal(result.status, status, result.stderr);
  return [...new Set([...result.stdout.matchAll(/^Compiled function .* using (\w+),/gm)].map((match) => match[1]))];
}

for (const [args, status] of [
  [['lint', 'examples/seed/Dockerfile'], 1],
  [['lint', '--diff', 'examples/seed/Dockerfile'], 0],
  [['demo', '-o', join(scratch, 'demo.html')], 0],
] as const) {
  test(`layerwise ${args.join(' ')}: the shell grammar's WASM runs on Liftoff only, never waits for TurboFan`, () => {
    const compilers = wasmCompilers([...args], status);
    // The trace lists the functions compiled; Liftoff must be there (or the test would prove nothing).
    assert.ok(compilers.includes('Liftoff'), `no WASM compiled at all: ${compilers}`);
    assert.deepEqual(
      compilers.filter((name) => name !== 'Liftoff'),
      [],
    );
  });
}

/** The source files a module pulls in through static imports (dynamic `import()` is lazy by definition). */
function staticImports(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^'"]*?from\s+'(\.[^']+)\.js';/gm))
      visit(resolve(dirname(file), `${match[1]}.ts`));
  };
  visit(join(repoRoot, entry));
  return [...seen].map((file) => relative(join(repoRoot, 'src'), file));
}

test('the CLI itself, lint, demo and cache diff load no image, registry or build code; --version and --help only the CLI', () => {
  assert.deepEqual(
    staticImports('src/cli/main.ts').filter((file) => !file.startsWith('cli/') && !['errors.ts', 'version.ts'].includes(file)),
    [],
  );
  for (const command of ['lint', 'demo', 'cache-diff', 'parse'])
    assert.deepEqual(
      staticImports(`src/cli/${command}.ts`).filter((file) => /^(image|build)\//.test(file)),
      [],
      command,
    );
});
