/**
 * A worker thread of `layerwise lint` (see lint-parallel.ts): starts its own shell parser, says it is ready, then
 * lints each batch of files the main thread hands out and replies with plain data, one message per batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Io } from './io.js';
import { type ConfigCache, lintTarget } from './lint.js';
import type { WorkerBatch, WorkerData, WorkerMessage, WorkerReply } from './lint-parallel.js';
import { errorToData } from './worker-threads.js';

const data = workerData as WorkerData;
let details = '';
const io: Io = {
  stdout: () => {},
  stderr: (text) => {
    details += text;
  },
  isTTY: false,
  env: data.env,
  cwd: data.cwd,
  verbose: data.verbose,
};
const configs: ConfigCache = new Map();

async function lintOne(index: number, file: string): Promise<WorkerReply> {
  details = '';
  try {
    const { result, failed } = await lintTarget(io, file, data.settings, undefined, configs);
    const { parseError, ast: _ast, ...rest } = result;
    return {
      index,
      result: rest,
      ...(parseError && {
        parseError: {
          reason: parseError.reason,
          line: parseError.line,
          column: parseError.column,
          end: parseError.end,
          file: parseError.file,
        },
      }),
      failed,
      details,
    };
  } catch (error) {
    return { index, error: errorToData(error), details };
  }
}

// Batches are linted one after another (a second one arrives while the first is linted: `details` is per file).
let queue = Promise.resolve();
parentPort?.on('message', ({ start, files }: WorkerBatch) => {
  queue = queue.then(async () => {
    const replies: WorkerReply[] = [];
    for (const [offset, file] of files.entries()) replies.push(await lintOne(start + offset, file));
    parentPort?.postMessage(replies satisfies WorkerMessage);
  });
});
parentPort?.postMessage('ready' satisfies WorkerMessage);
