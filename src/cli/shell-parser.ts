/**
 * The CLI's way to start the shell parser. A command runs once and exits, so it asks V8 to keep WebAssembly on its
 * baseline compiler (Liftoff): tree-sitter-bash's lexer is one 160 KB function, and optimising it with TurboFan costs
 * ~0.75 s of CPU in a background thread that the process then waits for at exit (3–4 s wall on a loaded machine) —
 * more than the optimised code ever saves on a CLI-sized input (measured in docs/status.md: it only pays off after
 * tens of thousands of RUN scripts). The flag is process-wide, so only commands that parse shell set it; the library
 * (and `image`, whose zstd decoder is WASM too) keep V8's default tiering.
 *
 * Node 24 (V8 13) no longer honours `--liftoff-only` set at run time: the lexer is still tiered up, and that compile
 * peaks at ~580 MB RSS and 2–3 s at exit for a one-file lint. A tiering budget no function ever spends is honoured
 * at run time on Node 20 and 24 alike, so both flags are set.
 */
import { setFlagsFromString } from 'node:v8';
import { initShellParser } from '../shell/tree-sitter.js';

/** The most a function may run on Liftoff before V8 tiers it up (an int32 flag): more than any CLI run spends. */
const NEVER_TIER_UP = 2 ** 31 - 1;

export function startShellParser(): Promise<void> {
  setFlagsFromString('--liftoff-only');
  setFlagsFromString(`--wasm-tiering-budget=${NEVER_TIER_UP}`);
  return initShellParser();
}
