/**
 * A worker thread of `layerwise lint` (see lint-parallel.ts): starts its own shell parser, then lints each file the
 * main thread names and replies with plain data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Io } from './io.js';
import { lintTarget } from './lint.js';
import type { WorkerData, WorkerReply } from './lint-parallel.js';
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

parentPort?.on('message', async ({ index, file }: { index: number; file: string }) => {
  details = '';
  let reply: WorkerReply;
  try {
    const { result, failed } = await lintTarget(io, file, data.settings);
    const { parseError, ast: _ast, ...rest } = result;
    reply = {
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
    reply = { index, error: errorToData(error), details };
  }
  parentPort?.postMessage(reply);
});
