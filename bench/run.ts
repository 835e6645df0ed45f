/**
 * `npm run bench [name...]`: runs every bench/<name>.ts (except this runner and bench/support/) in its own process,
 * so each one's peak memory is its own. Each benchmark prints its figures as ratios against a reference measured in
 * the same run; this runner only sequences them and reports which failed.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((name) => name.endsWith('.ts') && name !== 'run.ts')
  .map((name) => name.slice(0, -3))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

const failed: string[] = [];
for (const name of benches) {
  console.log(`\n=== bench: ${name}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(dir, `${name}.ts`)], { stdio: 'inherit' });
  if (result.status !== 0) failed.push(name);
}
console.log(
  `\n${benches.length - failed.length} benchmarks ran, ${failed.length} failed${failed.length ? `: ${failed.join(', ')}` : ''}`,
);
process.exitCode = failed.length ? 1 : 0;
