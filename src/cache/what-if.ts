/**
 * "What if": the everyday edits whose cache cost layerwise predicts, made on a Dockerfile's text so that `predict`
 * can compare the before and the after. Pure; RUN scripts are read with the real shell parser.
 */
import type { Instruction } from '../dockerfile/ast.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import { analyzeScript } from '../shell/commands.js';
import { packageManagerCalls } from '../shell/package-managers/index.js';

export interface AddedPackage {
  /** The Dockerfile with the package added. */
  text: string;
  /** 1-based line of the edited RUN instruction. */
  line: number;
}

/**
 * Adds `name` to the last `install` of `manager` (a package-manager id: `pip`, `apt-get`, `npm`, …), right after its
 * last package, as a person would: one more word on the same line. Undefined when no RUN installs with `manager`.
 */
export function addPackage(source: string, manager: string, name: string): AddedPackage | undefined {
  const ast = parseDockerfile(source);
  let found: { instruction: Instruction; offset: number } | undefined;
  for (const instruction of ast.instructions) {
    if (instruction.name !== 'RUN' || !instruction.command) continue;
    const { command } = instruction;
    for (const call of packageManagerCalls(analyzeScript(command.script))) {
      const last = call.packages.at(-1);
      if (call.manager !== manager || call.operation !== 'install' || !last) continue;
      found = { instruction, offset: command.range.start.offset + last.end };
    }
  }
  if (!found) return undefined;
  return {
    text: `${source.slice(0, found.offset)} ${name}${source.slice(found.offset)}`,
    line: found.instruction.range.start.line,
  };
}

/** The package managers each RUN invokes, as written (`apt-get`, `pip3`), keyed by the RUN's first line. */
export function packageManagersByLine(source: string): Map<number, string[]> {
  const byLine = new Map<number, string[]>();
  for (const instruction of parseDockerfile(source).instructions) {
    if (instruction.name !== 'RUN' || !instruction.command) continue;
    const calls = packageManagerCalls(analyzeScript(instruction.command.script));
    const names = [...new Set(calls.map((call) => call.invokedAs.map((word) => word.text).join(' ')))];
    if (names.length) byLine.set(instruction.range.start.line, names);
  }
  return byLine;
}
