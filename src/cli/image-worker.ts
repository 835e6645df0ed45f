/**
 * The image commands read their image in a worker thread with a small young generation. Reading a layer makes a few
 * hundred MB of short-lived Buffers a second (blob chunks, inflated chunks); their memory lives outside V8's heap, and
 * V8 frees it only when a scavenge finds the small JS objects that own it dead. With the default young generation
 * (16 MB semi-spaces) that happens rarely enough to hold ~50 MB of dead Buffers; a 1 MB semi-space scavenges ~16x as
 * often for a few percent of CPU, which keeps `image analyze` under 150 MB whatever the image size (bench/image.ts).
 * A worker is how one process gets its own young-generation limit without command-line flags.
 *
 * Both sides live here: `inspectInWorker` (main thread) starts this same module as the worker, which reads the image
 * and posts progress and the result back. Typed errors (InputError, UsageError) cross as data and are rebuilt, so
 * exit codes and messages are those of an in-process read.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Inspection, InspectOptions } from '../image/inspect.js';
import type { OpenOptions } from '../image/open.js';
import { type ErrorData, errorFromData, errorToData, startModuleWorker } from './worker-threads.js';

/** Young generation of the worker, in MB (three semi-spaces' worth: V8 sizes the semi-space as a third of it). */
export const WORKER_YOUNG_GENERATION_MB = 3;

export interface WorkerRequest {
  reference: string;
  open: Omit<OpenOptions, 'onOpenProgress'>;
  inspect: Omit<InspectOptions, 'onProgress'>;
  /** Post progress events (only when a bar will be drawn: each costs a message). */
  progress: boolean;
}

export interface WorkerEvents {
  /** Bytes read while opening (a daemon export). */
  onOpenProgress?: (bytes: number) => void;
  /** The image is open; `source` names it (for `--verbose`). */
  onOpened?: (source: string) => void;
  /** Stored bytes read of all layers. */
  onProgress?: (done: number, total: number) => void;
}

type Message =
  | { type: 'open-progress'; bytes: number }
  | { type: 'opened'; source: string }
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; inspection: Inspection }
  | { type: 'error'; error: ErrorData };

const MARK = 'layerwise-image-worker';

/** Opens and reads IMAGE in a worker thread; resolves with what `inspectImage` returns there. */
export function inspectInWorker(request: WorkerRequest, events: WorkerEvents = {}): Promise<Inspection> {
  return new Promise((resolve, reject) => {
    const worker = startModuleWorker(new URL(import.meta.url), {
      workerData: { [MARK]: request },
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    worker.on('message', (message: Message) => {
      switch (message.type) {
        case 'open-progress':
          events.onOpenProgress?.(message.bytes);
          return;
        case 'opened':
          events.onOpened?.(message.source);
          return;
        case 'progress':
          events.onProgress?.(message.done, message.total);
          return;
        case 'done':
          settle(() => resolve(message.inspection));
          return;
        case 'error':
          settle(() => reject(errorFromData(message.error)));
      }
    });
    // Errors the worker did not catch (out of memory, a module that failed to load) are bugs: report them as such.
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`the image worker stopped (exit code ${code}) before it answered (bug)`))),
    );
  });
}

/** Progress at most every 50 ms (and at the end): a message per 256 KB chunk would be garbage for nothing. */
function throttled(post: (message: Message) => void): (message: Message & { type: 'progress' | 'open-progress' }) => void {
  let last = 0;
  return (message) => {
    const now = Date.now();
    const final = message.type === 'progress' && message.done === message.total;
    if (!final && now - last < 50) return;
    last = now;
    post(message);
  };
}

/** The worker side: open, inspect, close, post the result (or the error as data). */
async function serve(request: WorkerRequest): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const post = (message: Message) => port.postMessage(message);
  const progress = request.progress ? throttled(post) : undefined;
  try {
    const { openImage } = await import('../image/open.js');
    const { inspectImage } = await import('../image/inspect.js');
    const image = await openImage(request.reference, {
      ...request.open,
      onOpenProgress: progress && ((bytes) => progress({ type: 'open-progress', bytes })),
    });
    post({ type: 'opened', source: image.source });
    try {
      const inspection = await inspectImage(image, {
        ...request.inspect,
        onProgress: progress && ((done, total) => progress({ type: 'progress', done, total })),
      });
      post({ type: 'done', inspection });
    } finally {
      await image.close();
    }
  } catch (error) {
    post({ type: 'error', error: errorToData(error) });
  }
}

if (!isMainThread && workerData && typeof workerData === 'object' && MARK in workerData) void serve(workerData[MARK]);
