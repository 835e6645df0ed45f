/** The dockerfile stage's public API (re-exported by src/index.ts). */

/** The AST position (with offset), distinct from the root's line/column `Position`. */
export type { Position as SourcePosition } from './ast.js';
export * from './ast.js';
export { dumpDockerfile, dumpInstruction } from './dump.js';
export { ParseError } from './errors.js';
export { parseHeredocWord } from './heredoc-words.js';
export { type DockerfileJson, type Problem, toJson } from './json.js';
export type { WorkCounter } from './parse.js';
export { MAX_LINE_BYTES, type ParseOptions, parseDockerfile } from './parse.js';
export { printDockerfile } from './print.js';
export { commandToSource, lineStarts, positionAt, utf8Offset, utf16Offset } from './source.js';
export { type FlagValues, INSTRUCTION_FLAGS, instructionErrors, parseFlags, validateInstructions } from './validate.js';
