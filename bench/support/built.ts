/**
 * Benchmarks of the CLI time dist/ (what `bin/layerwise.js` runs, and what users run): rebuild it first when any
 * source is newer, so a benchmark never measures stale code.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');
/** The launcher users run (`npx layerwise`). */
export const bin = join(root, 'bin', 'layerwise.js');

function newest(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newest(path) : statSync(path).mtimeMs;
    }),
  );
}

export function ensureBuilt(): void {
  const built = statSync(join(root, 'dist', 'src', 'cli', 'main.js'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (newest(join(root, 'src')) <= built) return;
  console.log('dist/ is older than src/: building first');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
}
