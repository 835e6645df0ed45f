/**
 * A report's set-aside text (src/report/stream.ts `Spool`) in a temporary file rather than in memory: over the corpus
 * the HTML page's listings are ~70 MB, which the run would otherwise hold until its last file. Written with the same
 * synchronous writes as the report itself; read back in chunks, decoded across chunk ends.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Sink, Spool } from '../report/stream.js';
import { writeAll } from './output.js';

const CHUNK = 1 << 20;

/** A spool in a folder of its own under the system's temporary folder; `discard()` removes it (drain() does too). */
export function fileSpool(): Spool & { discard(): void } {
  let folder: string | undefined;
  let fd: number | undefined;
  const discard = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
    folder = undefined;
  };
  return {
    write(text) {
      if (fd === undefined) {
        folder = mkdtempSync(join(tmpdir(), 'layerwise-'));
        fd = openSync(join(folder, 'spool'), 'w+');
      }
      writeAll(fd, text);
    },
    drain(sink: Sink) {
      if (fd === undefined) return;
      try {
        const decoder = new StringDecoder('utf8');
        const chunk = Buffer.allocUnsafe(CHUNK);
        for (let position = 0, read: number; (read = readSync(fd, chunk, 0, CHUNK, position)) > 0; position += read) {
          const text = decoder.write(chunk.subarray(0, read));
          if (text) sink(text);
        }
        const rest = decoder.end();
        if (rest) sink(rest);
      } finally {
        discard();
      }
    },
    discard,
  };
}
