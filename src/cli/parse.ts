/** `layerwise parse FILE [--format json|buildkit]`: parse exactly as BuildKit does and print the tree. */
import { dumpDockerfile, parseDockerfile, toJson } from '../dockerfile/index.js';
import { detail, type Io } from './io.js';
import { displayName, readInput } from './read-input.js';

export async function run(io: Io, file: string, options: { format: string }): Promise<number> {
  const text = await readInput(io, file);
  const ast = parseDockerfile(text, { file: displayName(file) });
  detail(io, `${displayName(file)}: ${ast.instructions.length} instructions, ${ast.warnings.length} parser warnings`);
  io.stdout(options.format === 'buildkit' ? dumpDockerfile(ast) : `${JSON.stringify(toJson(ast), null, 2)}\n`);
  return 0;
}
