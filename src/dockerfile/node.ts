/**
 * BuildKit's `newNodeFromLine`: one logical line → keyword, flags and arguments (split_command.go + the dispatch
 * table of parser.go), with every part's source range. ONBUILD recurses on its trigger.
 */
import type { Arg, CommandText, Flag, Instruction, KeyValue } from './ast.js';
import { ParseError } from './errors.js';
import { extractFlags } from './flags.js';
import { isReWhitespace, skipSpaceBackward, skipSpaceForward } from './go-text.js';
import {
  LineParseError,
  type ParsedArgs,
  type Piece,
  parseHealthConfig,
  parseIgnore,
  parseMaybeJson,
  parseMaybeJsonToList,
  parseNameOrNameVal,
  parseNameVal,
  parseString,
  parseWhitespaceDelimited,
} from './line-parsers.js';
import type { LogicalLine } from './logical-line.js';

type LineParser = (rest: string, escapeToken: string) => ParsedArgs;

const DISPATCH: Record<string, LineParser> = {
  add: parseMaybeJsonToList,
  arg: parseNameOrNameVal,
  cmd: parseMaybeJson,
  copy: parseMaybeJsonToList,
  entrypoint: parseMaybeJson,
  env: (rest, escapeToken) => parseNameVal(rest, escapeToken, 'ENV'),
  expose: parseWhitespaceDelimited,
  from: parseWhitespaceDelimited,
  healthcheck: parseHealthConfig,
  label: (rest, escapeToken) => parseNameVal(rest, escapeToken, 'LABEL'),
  maintainer: parseString,
  onbuild: () => ({ args: [], json: false }), // handled by the caller (recursion)
  run: parseMaybeJson,
  shell: parseMaybeJson,
  stopsignal: parseString,
  user: parseString,
  volume: parseMaybeJsonToList,
  workdir: parseString,
};

/** Instructions whose shell form is a command line (their `command` text is part of the cache key). */
const COMMAND_INSTRUCTIONS = new Set(['run', 'cmd', 'entrypoint', 'shell', 'healthcheck']);

/**
 * Parses `logical.text.slice(base, base + length)` as one instruction; parse.ts then fills in what needs the physical
 * lines (lines, heredocs, comments, range, eol). Throws ParseError (positioned) for BuildKit's parse-time refusals: a
 * JSON array with a non-string, ENV/LABEL without a value or without `=`.
 */
export function parseNode(logical: LogicalLine, base: number, length: number, escapeToken: string): Instruction {
  // ONBUILD ONBUILD … nests without limit in BuildKit: walk the chain in a loop, not by recursion.
  const root = parseOne(logical, base, length, escapeToken);
  for (let node = root; node.triggerLength >= 0; ) {
    const trigger = parseOne(logical, node.triggerBase, node.triggerLength, escapeToken);
    node.instruction.trigger = trigger.instruction;
    node = trigger;
  }
  return root.instruction;
}

interface OneNode {
  instruction: Instruction;
  /** ONBUILD: where its trigger's text is (`triggerLength` -1 when there is none). */
  triggerBase: number;
  triggerLength: number;
}

function parseOne(logical: LogicalLine, base: number, length: number, escapeToken: string): OneNode {
  const line = logical.text.slice(base, base + length);
  const trimStart = skipSpaceForward(line, 0);
  const trimEnd = skipSpaceBackward(line, line.length, trimStart);
  let keywordEnd = trimStart;
  while (keywordEnd < trimEnd && !isReWhitespace(line.charCodeAt(keywordEnd))) keywordEnd++;
  const keyword = line.slice(trimStart, keywordEnd);
  const lower = keyword.toLowerCase();

  let flags: Flag[] = [];
  let restStart = trimEnd;
  let restEnd = trimEnd;
  if (keywordEnd < trimEnd) {
    let argsStart = keywordEnd;
    while (argsStart < trimEnd && isReWhitespace(line.charCodeAt(argsStart))) argsStart++;
    const argsText = line.slice(argsStart, trimEnd);
    const extracted = extractFlags(argsText, escapeToken);
    flags = extracted.flags.map((word) =>
      toFlag(word.text, logical.range(base + argsStart + word.start, base + argsStart + word.end)),
    );
    restStart = skipSpaceForward(line, argsStart + extracted.restStart, trimEnd);
    restEnd = skipSpaceBackward(line, trimEnd, restStart);
  }
  const rest = line.slice(restStart, restEnd);
  const at = (p: Piece): Arg => ({ value: p.value, range: logical.range(base + restStart + p.start, base + restStart + p.end) });

  const parser = Object.hasOwn(DISPATCH, lower) ? DISPATCH[lower] : undefined;
  // Keyword and flags are scanned once; the rest once by its line parser (ONBUILD hands it to the next level).
  logical.work.units += restStart - trimStart + (lower === 'onbuild' ? 0 : rest.length) + 1;
  let parsed: ParsedArgs;
  try {
    parsed = (parser ?? parseIgnore)(rest, escapeToken);
  } catch (error) {
    if (!(error instanceof LineParseError)) throw error;
    const range = logical.range(base + restStart + error.start, base + restStart + error.end);
    throw new ParseError(error.message, range.start.line, range.start.column, { line: range.end.line, column: range.end.column });
  }

  // One object shape for every instruction (all fields present, in one order): much faster than spreading.
  const node: Instruction = {
    type: 'Instruction',
    keyword,
    name: keyword.toUpperCase(),
    known: parser !== undefined,
    keywordRange: logical.range(base + trimStart, base + keywordEnd),
    flags,
    original: line,
    args: parsed.args.map(at),
    pairs: undefined,
    json: parsed.json,
    command: undefined,
    trigger: undefined,
    heredocs: [],
    comments: [],
    lines: [],
    range: logical.range(base + trimStart, base + trimEnd),
    eol: '',
  };
  if (parsed.pairs) {
    node.pairs = parsed.pairs.map(
      (pair): KeyValue => ({
        key: at(pair.key),
        value: at(pair.value),
        separator: pair.separator,
        range: logical.range(base + restStart + pair.key.start, base + restStart + pair.value.end),
      }),
    );
  }
  if (COMMAND_INSTRUCTIONS.has(lower) && parsed.commandStart !== undefined) {
    node.command = commandText(logical, base + restStart + parsed.commandStart, base + restStart + parsed.commandEnd!);
  }
  // A trigger is not a line of its own: no lines, comments or terminator (its heredocs go on the ONBUILD).
  const hasTrigger = lower === 'onbuild' && rest !== '';
  return { instruction: node, triggerBase: base + restStart, triggerLength: hasTrigger ? rest.length : -1 };
}

function toFlag(text: string, range: Flag['range']): Flag {
  const body = text.startsWith('--') ? text.slice(2) : text;
  const eq = body.indexOf('=');
  return eq < 0
    ? { text, name: body, value: undefined, range }
    : { text, name: body.slice(0, eq), value: body.slice(eq + 1), range };
}

/** The command text with its source map; `script` is filled in by parse.ts, which knows the physical lines. */
function commandText(logical: LogicalLine, from: number, to: number): CommandText {
  return { text: logical.text.slice(from, to), range: logical.range(from, to), map: logical.map(from, to), script: '' };
}
