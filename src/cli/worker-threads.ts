/**
 * What every worker thread of the CLI needs: starting a module as a worker whether it is compiled or run from the
 * TypeScript sources, and carrying a thrown error back to the main thread with its meaning (InputError and
 * UsageError exit 2; anything else is a bug) instead of as an opaque string.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { InputError, type Position, UsageError } from '../errors.js';

/**
 * Starts `module` as a worker. Compiled (dist/), that is all. Run from the TypeScript sources (tests, benchmarks,
 * through tsx), a worker does not inherit tsx's loader on Node 20, so a tiny boot module registers it first, then
 * imports the module (dev only: the published CLI runs the compiled .js, and tsx is a dev dependency).
 */
export function startModuleWorker(module: URL, options: WorkerOptions = {}): Worker {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, options);
  const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};
register();
await import(${JSON.stringify(module.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), options);
}

/** An error thrown in a worker, as structured-clone-safe data. */
export interface ErrorData {
  name: string;
  message: string;
  stack?: string;
  file?: string;
  position?: Position;
}

export function errorToData(error: unknown): ErrorData {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { message, stack } = error;
  if (error instanceof InputError) return { name: 'InputError', message, stack, file: error.file, position: error.position };
  return { name: error instanceof UsageError ? 'UsageError' : error.name, message, stack };
}

/** The error again, as the main thread would have seen it thrown in-process (class, message, file, position). */
export function errorFromData(data: ErrorData): Error {
  const error =
    data.name === 'InputError'
      ? new InputError(data.message, data.file, data.position)
      : data.name === 'UsageError'
        ? new UsageError(data.message)
        : Object.assign(new Error(data.message), { name: data.name });
  if (data.stack) error.stack = data.stack;
  return error;
}
