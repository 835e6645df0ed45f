/**
 * Runs a TypeScript module in worker threads, one slice of the work each, so that a test that walks the whole corpus
 * uses every core (node:test runs test files one at a time on a 2-core CI machine). The worker is started as the CLI
 * starts its own (src/cli/worker-threads.ts: tsx is registered first, since a worker does not inherit it).
 */
import { availableParallelism } from 'node:os';
import { startModuleWorker } from '../../src/cli/worker-threads.js';

/** How many workers a corpus-wide test starts: one per core, at least two, at most four (memory). */
export function workerCount(): number {
  return Math.min(4, Math.max(2, availableParallelism()));
}

/** Starts `module` (a file URL of a .ts file) with `workerData` and resolves with the one message it posts. */
export function runTsWorker<T>(module: URL, workerData: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = startModuleWorker(module, { workerData });
    let result: { value: T } | undefined;
    worker.once('message', (value: T) => {
      result = { value };
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (result) resolve(result.value);
      else reject(new Error(`worker ${module.pathname} exited with code ${code} before posting its result`));
    });
  });
}

/** Splits `items` over `count` workers, round-robin (neighbouring corpus files are often alike in size). */
export function slices<T>(items: readonly T[], count: number): T[][] {
  return Array.from({ length: count }, (_, k) => items.filter((_, i) => i % count === k));
}
