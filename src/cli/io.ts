/** What a command may touch of the process: passed in so tests can run commands in-process. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal (colors, progress) — always false in tests unless asked. */
  isTTY: boolean;
  /** Whether stderr is a terminal (progress bars); false when absent. */
  stderrIsTTY?: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  /** `--quiet`: results only — no progress, no hints (errors still go to stderr). Set by main.ts for every command. */
  quiet?: boolean;
  /** `--verbose`: also say on stderr what was read, assumed and how long it took. Set by main.ts. */
  verbose?: boolean;
}

/** What Node keeps of a pipe's libuv handle (not a public API: absent, nothing changes). */
type PipeHandle = { _handle?: { setBlocking?: (blocking: boolean) => number } };

export function processIo(): Io {
  // Reports are written piece by piece as the work goes (lint: file by file). Node writes to a pipe asynchronously:
  // a piece the pipe cannot take at once waits in memory until the event loop runs, and lint's loop rarely lets it
  // (its file reads are synchronous), so `layerwise lint … | jq` held its whole report until the end (over the corpus
  // with --diff --format json: 50 MB of heap). Blocking writes, as files and terminals already get, make a slow
  // reader slow the run down instead.
  (process.stdout as unknown as PipeHandle)._handle?.setBlocking?.(true);
  // A reader that goes away early (`layerwise … | head`) is not an error: stop writing, as Unix tools do.
  let closed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return {
    stdout: (text) => {
      if (!closed) process.stdout.write(text);
    },
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * Colors only on a terminal (and not TERM=dumb), never with NO_COLOR (https://no-color.org), always with FORCE_COLOR
 * (any value but `0` and `false`, as Node and chalk read it). NO_COLOR wins over FORCE_COLOR.
 */
export function wantsColor(io: Io): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return io.isTTY && io.env.TERM !== 'dumb';
}

/** Progress and hints: on stderr, never with --quiet. */
export function note(io: Io, text: string): void {
  if (!io.quiet) io.stderr(text);
}

/** What --verbose adds: on stderr, prefixed so it never looks like a result. */
export function detail(io: Io, text: string): void {
  if (io.verbose) io.stderr(`layerwise: ${text}\n`);
}

/** An Io that records everything, for tests and for embedding. */
export function memoryIo(options: Partial<Omit<Io, 'stdout' | 'stderr'>> = {}): Io & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    isTTY: options.isTTY ?? false,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
  };
  return io;
}
