import type { Io } from './io.js';

export async function run(io: Io, file: string, _options: { format: string }): Promise<number> {
  io.stderr(`layerwise parse: the parser is not implemented yet (${file})\n`);
  return 2;
}
