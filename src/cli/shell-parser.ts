/**
 * The CLI's way to start the shell parser. A command runs once and exits, so it asks V8 to keep WebAssembly on its
 * baseline compiler (Liftoff): tree-sitter-bash's lexer is one 160 KB function, and optimising it with TurboFan costs
 * ~0.75 s of CPU in a background thread that the process then waits for at exit (3–4 s wall on a loaded machine) —
 * more than the optimised code ever saves on a CLI-sized input (measured in docs/status.md: it only pays off after
 * tens of thousands of RUN scripts). The flag is process-wide, so only commands that parse shell set it; the library
 * (and `image`, whose zstd decoder is WASM too) keep V8's default tiering.
 */
import { setFlagsFromString } from 'node:v8';
import { initShellParser } from '../shell/tree-sitter.js';

export function startShellParser(): Promise<void> {
  setFlagsFromString('--liftoff-only');
  return initShellParser();
}
