/**
 * A byte progress bar on stderr for long reads: drawn only on a terminal, never with --quiet, and only once a read
 * is big enough to be worth watching. Redraws at most ten times a second and erases itself when done.
 */
import type { Io } from './io.js';

const MIN_BYTES = 8 * 1024 * 1024;

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export interface Progress {
  /** Whether this bar can draw at all (a terminal, not --quiet): callers may skip gathering progress otherwise. */
  readonly enabled: boolean;
  update(done: number, total?: number): void;
  done(): void;
}

export function progressBar(io: Io, label: string, quiet: boolean): Progress {
  const enabled = Boolean(io.stderrIsTTY) && !quiet;
  let last = 0;
  let drawn = false;
  return {
    enabled,
    update(done, total) {
      if (!enabled || (total ?? done) < MIN_BYTES) return;
      const now = Date.now();
      if (now - last < 100 && done !== total) return;
      last = now;
      drawn = true;
      if (total && total > 0) {
        const width = 30;
        const filled = Math.min(width, Math.round((done / total) * width));
        io.stderr(
          `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor((done / total) * 100)}% ${mb(done)} / ${mb(total)}\x1b[K`,
        );
      } else io.stderr(`\r${label} ${mb(done)}\x1b[K`);
    },
    done() {
      if (drawn) io.stderr('\r\x1b[K');
      drawn = false;
    },
  };
}
