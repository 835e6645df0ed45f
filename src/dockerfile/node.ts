/**
 * BuildKit's `newNodeFromLine`: one logical line → keyword, flags and arguments (split_command.go + the dispatch
 * table of parser.go), with every part's source range. ONBUILD recurses on its trigger.
 */
import {
  type Arg,
  type CommandText,
  type Flag,
  INSTRUCTION_NAMES,
  type Instruction,
  type InstructionLine,
  type KeyValue,
  type Range,
} from './ast.js';
import { codeAt, sliceOf } from './code-units.js';
import { ParseError } from './errors.js';
import { extractFlags } from './flags.js';
import { isGoByteSpace, isReWhitespace, skipSpaceBackward, skipSpaceForward } from './go-text.js';
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

/**
 * The one empty list shared by the tree's lists that are usually empty (an instruction's flags, heredocs and
 * comments, a trigger's lines): frozen, as nothing may change a parsed tree (it saves an array per list).
 */
export const EMPTY: never[] = Object.freeze([]) as unknown as never[];

const ONBUILD_ARGS: ParsedArgs = { args: EMPTY, json: false };

/**
 * BuildKit's dispatch table (parser.go): the arguments by the instruction's line parser, by lower-case name;
 * undefined for an unknown instruction. A switch, so each parser is called directly.
 */
function parseArgs(lower: string, rest: string, escapeToken: string): ParsedArgs | undefined {
  switch (lower) {
    case 'run':
    case 'cmd':
    case 'entrypoint':
    case 'shell':
      return parseMaybeJson(rest);
    case 'add':
    case 'copy':
    case 'volume':
      return parseMaybeJsonToList(rest);
    case 'env':
      return parseNameVal(rest, escapeToken, 'ENV');
    case 'label':
      return parseNameVal(rest, escapeToken, 'LABEL');
    case 'arg':
      return parseNameOrNameVal(rest, escapeToken);
    case 'from':
    case 'expose':
      return parseWhitespaceDelimited(rest);
    case 'workdir':
    case 'user':
    case 'maintainer':
    case 'stopsignal':
      return parseString(rest);
    case 'healthcheck':
      return parseHealthConfig(rest);
    case 'onbuild':
      return ONBUILD_ARGS; // the trigger is parsed by the caller (recursion)
    default:
      return undefined;
  }
}

/** Instructions whose shell form is a command line (their `command` text is part of the cache key). */
const COMMAND_INSTRUCTIONS = new Set(['run', 'cmd', 'entrypoint', 'shell', 'healthcheck']);

/**
 * Parses `logical.text.slice(base, base + length)` as one instruction; parse.ts then fills in what needs the physical
 * lines (lines, heredocs, comments, range, eol). Throws ParseError (positioned) for BuildKit's parse-time refusals: a
 * JSON array with a non-string, ENV/LABEL without a value or without `=`.
 */
export function parseNode(
  logical: LogicalLine,
  base: number,
  length: number,
  escapeToken: string,
  /** The root's comments and physical lines (parse.ts fills the lines in; a trigger has none of its own). */
  comments: string[] = [],
  lines: InstructionLine[] = [],
): Instruction {
  // ONBUILD ONBUILD … nests without limit in BuildKit: walk the chain in a loop, not by recursion.
  const root = parseOne(logical, base, length, escapeToken, comments, lines, false);
  let node = root;
  while (nextTrigger.length >= 0) {
    const trigger = parseOne(logical, nextTrigger.base, nextTrigger.length, escapeToken, EMPTY, EMPTY, true);
    node.trigger = trigger;
    node = trigger;
  }
  return root;
}

/** Set by parseOne for ONBUILD: where its trigger's text is (`length` -1 when there is none). Parsing is synchronous. */
const nextTrigger = { base: 0, length: -1 };

/** The root's range until parse.ts sets it from its physical lines (never seen outside the parser). */
const RANGE_FROM_LINES: Range = { start: { line: 0, column: 0, offset: 0 }, end: { line: 0, column: 0, offset: 0 } };

function parseOne(
  logical: LogicalLine,
  base: number,
  length: number,
  escapeToken: string,
  comments: string[],
  lines: InstructionLine[],
  isTrigger: boolean,
): Instruction {
  const line = sliceOf(logical.text, base, base + length);
  const trimStart = skipSpaceForward(line, 0);
  const trimEnd = skipSpaceBackward(line, length, trimStart);
  let keywordEnd = trimStart;
  while (keywordEnd < trimEnd && !isReWhitespace(codeAt(line, keywordEnd))) keywordEnd++;
  const known = knownKeyword(line, trimStart, keywordEnd);
  let keyword: string;
  let lower: string;
  let name: string;
  if (known >= 0) {
    // An instruction name in ASCII letters of any case: its names are constants, no string is made or hashed.
    const index = known >> 2;
    const written = known & CASE_MASK;
    name = INSTRUCTION_NAMES[index];
    lower = LOWER_NAMES[index];
    keyword = written === UPPER ? name : written === LOWER ? lower : sliceOf(line, trimStart, keywordEnd);
  } else {
    keyword = sliceOf(line, trimStart, keywordEnd);
    lower = keyword.toLowerCase();
    name = keyword.toUpperCase();
  }

  let flags: Flag[] = EMPTY;
  let restStart = trimEnd;
  let restEnd = trimEnd;
  if (keywordEnd < trimEnd) {
    let argsStart = keywordEnd;
    while (argsStart < trimEnd && isReWhitespace(codeAt(line, argsStart))) argsStart++;
    let flagsEnd = argsStart;
    if (mayStartFlags(line, argsStart)) {
      const extracted = extractFlags(sliceOf(line, argsStart, trimEnd), escapeToken);
      flags = extracted.flags.map((word) =>
        toFlag(word.text, logical.range(base + argsStart + word.start, base + argsStart + word.end)),
      );
      flagsEnd += extracted.restStart;
    }
    restStart = skipSpaceForward(line, flagsEnd, trimEnd);
    restEnd = skipSpaceBackward(line, trimEnd, restStart);
  }
  const rest = sliceOf(line, restStart, restEnd);
  const at = base + restStart;

  // Keyword and flags are scanned once; the rest once by its line parser (ONBUILD hands it to the next level).
  logical.work.units += restStart - trimStart + (lower === 'onbuild' ? 0 : restEnd - restStart) + 1;
  let parsed: ParsedArgs | undefined;
  try {
    parsed = parseArgs(lower, rest, escapeToken);
  } catch (error) {
    if (!(error instanceof LineParseError)) throw error;
    const range = logical.range(at + error.start, at + error.end);
    throw new ParseError(error.message, range.start.line, range.start.column, { line: range.end.line, column: range.end.column });
  }
  const isKnown = parsed !== undefined;
  parsed ??= parseIgnore(rest);

  // One object shape for every instruction (all fields present, in one order): much faster than spreading.
  const node: Instruction = {
    type: 'Instruction',
    keyword,
    name,
    known: isKnown,
    keywordRange: logical.range(base + trimStart, base + keywordEnd),
    flags,
    original: line,
    args: toArgs(logical, at, parsed.args),
    pairs: undefined,
    json: parsed.json,
    command: undefined,
    trigger: undefined,
    heredocs: EMPTY,
    comments,
    lines,
    range: isTrigger ? logical.range(base + trimStart, base + trimEnd) : RANGE_FROM_LINES,
    eol: '',
  };
  if (parsed.pairs) node.pairs = toPairs(logical, at, parsed, node.args);
  if (COMMAND_INSTRUCTIONS.has(lower) && parsed.commandStart !== undefined) {
    const from = at + parsed.commandStart;
    const to = at + parsed.commandEnd!;
    // The shell form's one argument is the command: the same range (never changed once made).
    const only = parsed.args.length === 1 ? parsed.args[0] : undefined;
    if (only?.start === parsed.commandStart && only.end === parsed.commandEnd) {
      // …and the same text: no second copy of it.
      node.command = { text: only.value, range: node.args[0].range, map: logical.map(from, to), script: '' };
    } else node.command = commandText(logical, from, to);
  }
  // A trigger is not a line of its own: no lines, comments or terminator (its heredocs go on the ONBUILD).
  const hasTrigger = lower === 'onbuild' && rest !== '';
  nextTrigger.base = base + restStart;
  nextTrigger.length = hasTrigger ? restEnd - restStart : -1;
  return node;
}

/**
 * False when extractFlags would find no flag at `at` (a first character that is ASCII, not a space and does not
 * start `--`): most instructions, which then need neither the copy of their arguments nor the scan.
 */
function mayStartFlags(line: string, at: number): boolean {
  const first = codeAt(line, at);
  return first >= 0x80 || isGoByteSpace(first) || (first === 0x2d && at + 1 < line.length && codeAt(line, at + 1) === 0x2d);
}

const LOWER_NAMES = INSTRUCTION_NAMES.map((name) => name.toLowerCase());
const LONGEST_NAME = Math.max(...INSTRUCTION_NAMES.map((name) => name.length));
/** Indices of INSTRUCTION_NAMES by name length and first letter (`candidateKey`). */
const CANDIDATES: number[][] = [];
for (let i = 0; i < INSTRUCTION_NAMES.length; i++) {
  const name = INSTRUCTION_NAMES[i];
  (CANDIDATES[candidateKey(name.length, codeAt(name, 0))] ??= []).push(i);
}

/** The same for a letter's two cases (and, harmlessly, for some other characters: the match checks every one). */
function candidateKey(length: number, first: number): number {
  return (length << 5) | (first & 0x1f);
}

/** How a matched keyword is written: the low two bits of knownKeyword's answer. */
const UPPER = 1;
const LOWER = 2;
const MIXED = 3;
const CASE_MASK = 3;

/**
 * When `line[from, to)` is an instruction name in ASCII letters of any case: its index in INSTRUCTION_NAMES times
 * four, plus how it is written (UPPER, LOWER or MIXED); else -1 (other spellings, such as non-ASCII letters that
 * case-map to ASCII, take the general path). One number, so the hot path allocates nothing.
 */
function knownKeyword(line: string, from: number, to: number): number {
  if (to === from || to - from > LONGEST_NAME) return -1;
  const candidates = CANDIDATES[candidateKey(to - from, codeAt(line, from))];
  if (candidates === undefined) return -1;
  next: for (const index of candidates) {
    const name = INSTRUCTION_NAMES[index];
    let upper = true;
    let lower = true;
    for (let i = from; i < to; i++) {
      const code = codeAt(line, i);
      const want = codeAt(name, i - from); // an upper-case ASCII letter
      if (code === want) lower = false;
      else if (code === (want | 0x20)) upper = false;
      else continue next;
    }
    return (index << 2) | (upper ? UPPER : lower ? LOWER : MIXED);
  }
  return -1;
}

/** A line parser's piece as an argument with its source range (`at`: the joined-text index of the piece's text). */
function toArg(logical: LogicalLine, at: number, piece: Piece): Arg {
  return { value: piece.value, range: logical.range(at + piece.start, at + piece.end) };
}

/**
 * ENV/LABEL pairs. Their key and value pieces are pieces of the arguments too (in order): the pair holds the same Arg
 * objects as `args` (equal values, made once).
 */
function toPairs(logical: LogicalLine, at: number, parsed: ParsedArgs, args: Arg[]): KeyValue[] {
  const pieces = parsed.args;
  const pairs = parsed.pairs!;
  const out = new Array<KeyValue>(pairs.length);
  let i = 0;
  for (let p = 0; p < pairs.length; p++) {
    const pair = pairs[p];
    while (pieces[i] !== pair.key) i++;
    const key = args[i];
    while (pieces[i] !== pair.value) i++;
    const value = args[i];
    // From the key's start to the value's end: those positions, unless the value is empty (its range then sits at
    // its start, which may be on the next line when the word ends a continued line).
    const end = pair.value.end > pair.value.start ? value.range.end : logical.position(at + pair.value.end, true);
    out[p] = { key, value, separator: pair.separator, range: { start: key.range.start, end } };
  }
  return out;
}

function toArgs(logical: LogicalLine, at: number, pieces: Piece[]): Arg[] {
  const args = new Array<Arg>(pieces.length);
  for (let i = 0; i < pieces.length; i++) args[i] = toArg(logical, at, pieces[i]);
  return args;
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
  return { text: sliceOf(logical.text, from, to), range: logical.range(from, to), map: logical.map(from, to), script: '' };
}
