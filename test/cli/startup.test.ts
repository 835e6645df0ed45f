/**
 * What keeps the first run instant, checked by what the process does rather than by a clock (the clock is
 * bench/startup.ts): the commands that parse shell compile no WebAssembly at all (the shell parser is TypeScript;
 * tree-sitter-bash's WASM lexer, which V8 tiered up in a background compile the process waited for at exit, is gone);
 * and a command loads only the stages it uses (main.ts imports each command lazily; here, what each command's module
 * imports statically).
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

/** Runs the installed bin with V8 tracing each WASM function it compiles, and returns the trace lines. */
function wasmCompilations(args: string[], status: number): string[] {
  const result = spawnSync(process.execPath, ['--trace-wasm-compilation-times', bin, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  assert.equal(result.status, status, result.stderr);
  return [...result.stdout.matchAll(/^Compiled function .*$/gm)].map((match) => match[0]);
}

test('the WASM compilation trace sees a compiled function (else the tests below would prove nothing)', () => {
  // (module (func (export "f") (result i32) i32.const 7)), instantiated and called
  const module = '0,97,115,109,1,0,0,0,1,5,1,96,0,1,127,3,2,1,0,7,5,1,1,102,0,0,10,6,1,4,0,65,7,11';
  const code = `const {instance} = await WebAssembly.instantiate(new Uint8Array([${module}])); instance.exports.f();`;
  const result = spawnSync(process.execPath, ['--trace-wasm-compilation-times', '--input-type=module', '-e', code], {
    encoding: 'utf8',
  });
  assert.match(result.stdout, /^Compiled function /m);
});

for (const [args, status] of [
  [['lint', 'examples/seed/Dockerfile'], 1],
  [['lint', '--diff', 'examples/seed/Dockerfile'], 0],
  [['demo', '-o', join(scratch, 'demo.html')], 0],
] as const) {
  test(`layerwise ${args.join(' ')}: parses every RUN without compiling any WebAssembly`, () => {
    assert.deepEqual(wasmCompilations([...args], status), []);
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
