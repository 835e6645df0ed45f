/** Where tests find the repository and the read-only shared data (conformance cases, corpus). */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

export const repoRoot = join(import.meta.dirname, '..', '..');

/**
 * `../shared` beside the checkout (CI lays it there), or LAYERWISE_SHARED. Tests read it in place and never copy it.
 * Undefined when absent: suites that need it skip loudly outside CI and fail in CI.
 */
export const sharedDir: string | undefined = (() => {
  const candidate = process.env.LAYERWISE_SHARED ?? join(repoRoot, '..', 'shared');
  return existsSync(candidate) ? candidate : undefined;
})();

/** Options for node:test that skip a suite (with the reason printed) when shared/ is missing — but never in CI. */
export function needsShared(): { skip: string | false } {
  if (sharedDir) return { skip: false };
  if (process.env.CI) throw new Error('../shared is missing in CI: the conformance and corpus tests must run');
  return { skip: 'SKIPPED: ../shared not found (set LAYERWISE_SHARED); conformance/corpus tests did not run' };
}

/** Per-run scratch space for tests (ignored by git). */
export const testOutput = join(repoRoot, '.test-output');

/** A fresh directory under testOutput, removed after the test when `t` is given. */
export function scratchDir(t: TestContext | undefined, prefix: string): string {
  mkdirSync(testOutput, { recursive: true });
  const dir = mkdtempSync(join(testOutput, prefix));
  t?.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
